"""Care fund reports: counts and sums per year, category, street and job type, in SQL, scoped,
exported; and the funds' budgets with what is reserved, paid and left."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from dangjian.accounts.scope import scope_of
from dangjian.care import fund, fund_queries
from dangjian.spreadsheets.models import ExportLog
from tests.care.fund_setup import documents_for, setup_care, use_private_storage
from tests.world import CARE_YEAR


@pytest.fixture
def care(world, settings, tmp_path):
    """The world's two 2025 applications (王小明: accident 3,000 submitted in 中山街道; 陈快递:
    child's education 5,000 reviewed in 滨海街道), and this year 符海燕's accident application for
    3,000, approved at 2,500 and paid, and her earlier family-hardship one for 1,000, rejected."""
    use_private_storage(settings, tmp_path)
    care = setup_care(world)
    street_b, staff = world.users["street_b"], care.root_staff

    def submit(kind, amount):
        return fund.submit_application(
            actor=care.worker_b,
            person=care.person,
            unit=care.unit,
            category=care.category(kind),
            amount_fen=amount,
            reason="困难",
            documents=documents_for(kind),
            today=care.today,
        )

    rejected = submit("family_hardship", 1_000_00)
    fund.review_application(actor=street_b, application=rejected, passed=False, reason="不符合")
    paid = submit("accident", 3_000_00)
    fund.review_application(actor=street_b, application=paid, passed=True, reason="属实")
    fund.decide_application(actor=staff, application=paid, approve=True, reason="同意", amount_fen=2_500_00)
    fund.record_payment(actor=staff, application=paid, paid_on=care.today, reference="PAY-1")
    return care


def by(rows):
    return {
        row["key"]: {
            k: v
            for k, v in row.items()
            if k not in ("key", "label")
            and not k.startswith(("fund__", "category__", "street__", "job_type"))
        }
        for row in rows
    }


def test_report_by_category(care):
    rows = by(fund_queries.report(care.world.users["district_admin"], group_by="category"))
    assert rows["accident"] == {
        "applications": 2,
        "in_progress": 1,
        "rejected": 0,
        "approved": 1,
        "paid": 1,
        "requested_fen": 6_000_00,
        "approved_fen": 2_500_00,
        "paid_fen": 2_500_00,
    }
    assert rows["family_hardship"]["rejected"] == 1 and rows["family_hardship"]["approved_fen"] == 0
    assert (
        rows["child_education"]["in_progress"] == 1 and rows["child_education"]["requested_fen"] == 5_000_00
    )


def test_report_by_year_street_and_job_type(care):
    admin = care.world.users["district_admin"]
    years = by(fund_queries.report(admin, group_by="year"))
    assert {year: row["applications"] for year, row in years.items()} == {CARE_YEAR: 2, care.today.year: 2}
    streets = by(fund_queries.report(admin, group_by="street"))
    assert {street: row["applications"] for street, row in streets.items()} == {"中山街道": 1, "滨海街道": 3}
    assert streets["滨海街道"]["paid_fen"] == 2_500_00
    jobs = by(fund_queries.report(admin, group_by="job_type"))
    assert {job: row["requested_fen"] for job, row in jobs.items()} == {
        "rider": 3_000_00,
        "courier": 5_000_00,
        "livestreamer": 4_000_00,
    }
    this_year = by(fund_queries.report(admin, group_by="category", year=care.today.year))
    assert set(this_year) == {"accident", "family_hardship"}


def test_report_is_one_query(care):
    admin = care.world.users["district_admin"]
    scope_of(admin)
    with CaptureQueriesContext(connection) as queries:
        fund_queries.report(admin, group_by="street")
    assert len(queries) == 1


def test_reports_are_scoped(care):
    street_a = by(fund_queries.report(care.world.users["street_a"], group_by="street"))
    assert set(street_a) == {"中山街道"}
    express = by(fund_queries.report(care.world.users["committee_staff"], group_by="category"))
    assert set(express) == {"child_education"}  # the express committee's fund only
    assert fund_queries.report(care.world.users["liaison"], group_by="year") == []
    worker = by(fund_queries.report(care.worker_b, group_by="year"))
    assert worker[care.today.year]["applications"] == 2 and set(worker) == {care.today.year}


def test_the_report_page_and_its_export(client, care):
    client.force_login(care.world.users["street_b"])
    page = client.get("/care/fund/reports/?group_by=street").content.decode()
    assert "滨海街道" in page and "中山街道" not in page
    assert "2,500.00" in page and "9,000.00" in page  # paid; requested 5,000 + 1,000 + 3,000
    response = client.get("/care/fund/reports/export.xlsx?group_by=street")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    cells = [row for row in sheet if row and row[0] in ("滨海街道", "合计")]
    assert [row[0] for row in cells] == ["滨海街道", "合计"]
    assert cells[0][1:6] == [3, 1, 1, 1, 1] and cells[0][6:] == [9000, 2500, 2500]
    log = ExportLog.objects.get(what="care_fund_report")
    assert log.user == care.world.users["street_b"] and log.rows == 2


def test_the_application_export_holds_the_users_applications_only(client, care):
    client.force_login(care.world.users["street_a"])
    response = client.get("/care/fund/export.xlsx")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    names = [row[1] for row in sheet[2:] if len(row) > 1]
    assert names == ["王小明"]
    assert sheet[2][8] == 3000  # yuan, from integer fen


def test_funds_show_budget_reserved_paid_and_available(client, care):
    client.force_login(care.root_staff)
    funds = {f.pk: f for f in fund_queries.fund_list(care.root_staff)}
    mine = funds[care.fund.pk]
    assert (mine.budget_fen, mine.reserved_fen, mine.paid_fen) == (100_000_00, 0, 2_500_00)
    page = client.get("/care/fund/funds/").content.decode()
    assert "97,500.00" in page
    # Street staff see the funds their street's applications went to; a liaison sees none.
    street_a_funds = {f.name for f in fund_queries.fund_list(care.world.users["street_a"])}
    assert (
        street_a_funds == {"两新工委关爱基金"}
        and len(fund_queries.fund_list(care.world.users["street_a"])) == 1
    )
    assert not fund_queries.fund_list(care.world.users["liaison"]).exists()
