"""The rows of the entry-registration export: in the user's scope, masked, keyed like the sheet,
membership shown to party-work roles only; and written back as a sheet that imports again."""

import datetime

import pytest

from dangjian.core.masking import mask_id_number, mask_mobile
from dangjian.people.models import Employment, Person
from dangjian.people.queries import registration_rows_for_export
from dangjian.people.sheets import REGISTRATION_SHEET
from dangjian.spreadsheets.reader import read_sheet
from dangjian.spreadsheets.writer import write_rows

pytestmark = pytest.mark.django_db


def rows_by_name(user, **kwargs) -> dict[str, dict]:
    return {row["name"]: row for row in registration_rows_for_export(user, **kwargs)}


def test_rows_follow_scope_and_are_keyed_like_the_sheet(world):
    everything = rows_by_name(world.users["district_admin"])
    assert len(everything) == Employment.objects.count()
    assert {"王小明", "符海燕", "陈快递", "刘党员"} <= set(everything)
    assert all(set(row) == {c.key for c in REGISTRATION_SHEET.columns} for row in everything.values())

    street_a = rows_by_name(world.users["street_a"])
    assert "王小明" in street_a and "刘党员" in street_a
    assert "符海燕" not in street_a and "陈快递" not in street_a

    only_shop = rows_by_name(world.users["district_admin"], units=[world.units["shop_a"]])
    assert set(only_shop) == {"刘党员"}


def test_identifiers_are_masked_and_values_ready_for_the_writer(world):
    worker = world.people["worker"]
    row = rows_by_name(world.users["district_admin"])["王小明"]
    assert row["id_number"] == mask_id_number(worker.id_number) != worker.id_number
    assert row["mobile"] == mask_mobile(worker.mobile) != worker.mobile
    assert (row["unit_name"], row["unit_uscc"]) == ("甲外卖中山站", world.units["outlet_a"].uscc)
    assert (row["job_type"], row["employment_form"]) == ("rider", "full_time")
    assert (row["start_date"], row["end_date"]) == (datetime.date(2025, 3, 1), None)


def test_membership_is_shown_to_party_work_roles_only(world):
    member = "刘党员"
    assert (
        rows_by_name(world.users["street_a"])[member]["political_status"]
        == Person.PoliticalStatus.FULL_MEMBER
    )
    liaison = rows_by_name(world.users["liaison"])
    assert liaison, "the liaison sees the employments of their company's units"
    assert all(row["political_status"] is None for row in liaison.values())


def test_the_export_reads_back_through_the_import_reader(world):
    content = write_rows(
        REGISTRATION_SHEET, registration_rows_for_export(world.users["street_a"]), title="入职登记"
    )
    result = read_sheet("入职登记.xlsx", content, REGISTRATION_SHEET)
    assert not result.file_errors
    names = {row.values["name"] for row in result.rows}
    assert names == set(rows_by_name(world.users["street_a"]))
    # Masked ID numbers are refused on the way back in: the export is for reading, not for re-import.
    assert all(any(e.column == "身份证号" for e in row.errors) for row in result.rows)


@pytest.mark.django_db
def test_the_registration_export_is_scoped_masked_and_logged(client, world):
    from dangjian.spreadsheets.models import ExportLog
    from tests.spreadsheets.test_writer import first_sheet

    client.force_login(world.users["liaison"])
    response = client.get("/people/registrations.xlsx")
    grid = first_sheet(response.content)
    header = next(row for row in grid if REGISTRATION_SHEET.columns[0].label in row)
    names = {row[header.index("姓名")] for row in grid[grid.index(header) + 1 :]}
    assert names == {"王小明"}  # the liaison's company's worker only
    worker = world.people["worker"]
    text = str(grid)
    assert worker.id_number not in text and worker.masked_id_number in text
    assert ExportLog.objects.get(user=world.users["liaison"]).what == "registrations"
