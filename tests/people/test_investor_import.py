"""Investors (the ledger's fourth part) through the import pipeline."""

import decimal

import pytest

from dangjian.people.models import Investor, Person
from dangjian.spreadsheets import imports
from dangjian.spreadsheets.models import ImportJob
from tests.spreadsheets.files import Text, xlsx
from tests.world import make_id_number

pytestmark = pytest.mark.django_db

HEADER = ["单位名称", "出资人姓名", "身份证号码", "出资人类型", "持股比例", "政治面貌", "代表人士身份"]


def preview(user, *rows):
    return imports.preview(user=user, kind="investors", file_name="出资人.xlsx", data=xlsx([HEADER, *rows]))


def commit(job):
    imports.enqueue_commit(user=job.user, job=job)
    imports.commit(ImportJob.objects.get(pk=job.pk))
    job.refresh_from_db()
    return job


def test_investors_link_the_one_person_record(world):
    secretary = world.people["secretary"]  # already on record: linked, not duplicated
    new_id = make_id_number()
    job = commit(
        preview(
            world.users["street_a"],
            [
                "中山便民配送店",
                "李书记",
                Text(secretary.id_number),
                "法定代表人",
                "60%",
                "中共党员",
                "区人大代表",
            ],
            ["中山便民配送店", "新股东", Text(new_id), "股东", 40, "群众", ""],
        )
    )
    assert (job.status, job.new_rows) == (ImportJob.Status.DONE, 2), job.problems
    shop = world.units["shop_a"]
    lead = Investor.objects.get(unit=shop, person=secretary)
    assert (lead.role, lead.share_percent, lead.representative_roles) == (
        "legal_representative",
        decimal.Decimal("60"),
        "区人大代表",
    )
    assert Person.objects.filter(name="李书记").count() == 1
    assert Person.objects.get(id_number_index__isnull=False, name="新股东").investments.get().unit == shop
    again = preview(
        world.users["street_a"],
        [
            "中山便民配送店",
            "李书记",
            Text(secretary.id_number),
            "法定代表人",
            "60%",
            "中共党员",
            "区人大代表",
        ],
    )
    assert (again.new_rows, again.changed_rows, again.unchanged_rows) == (0, 0, 1)


def test_investor_rows_for_units_outside_the_scope_are_refused(world):
    job = preview(
        world.users["street_a"], ["滨海直播工作室", "某人", Text(make_id_number()), "股东", "", "", ""]
    )
    assert job.rejected_rows == 1 and "您管辖的单位中没有" in job.problems["rows"][0]["message"]


def test_membership_is_shown_to_party_work_roles_and_the_person_only(client, world):
    from django.utils import translation

    worker = world.people["worker"]  # works at 甲外卖中山站: in street A, branch A and the liaison's company
    worker.political_status = Person.PoliticalStatus.FULL_MEMBER
    worker.save()
    with translation.override("zh-hans"):
        label = str(Person.PoliticalStatus.FULL_MEMBER.label)
    for persona, shown in (
        ("street_a", True),
        ("branch_secretary", True),
        ("worker", True),
        ("liaison", False),
    ):
        client.force_login(world.users[persona])
        page = client.get(f"/people/{worker.pk}/")
        assert page.status_code == 200, persona
        assert (label in page.content.decode()) is shown, persona
        api = client.get(f"/api/people/{worker.pk}").json()
        assert api["political_status"] == ("full_member" if shown else None), persona
