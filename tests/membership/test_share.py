"""The members' share (党员占比): per street, industry, job type and unit, month by month (with the
political status as recorded then), and investors and managers in the pipeline."""

import datetime

import pytest
from django.utils import timezone

from dangjian.membership import share
from dangjian.people.models import Employment, Investor, Person
from tests.world import add_development_record, person

TODAY = datetime.date(2026, 6, 30)


def _member(
    name, at, status=Person.PoliticalStatus.FULL_MEMBER, *, job_type=Employment.JobType.RIDER, start=None
):
    someone = person(name)
    someone.political_status = status
    someone.save()
    Employment.objects.create(
        person=someone, unit=at, job_type=job_type, start_date=start or datetime.date(2025, 3, 1)
    )
    return someone


@pytest.mark.django_db
def test_share_per_street_industry_job_type_and_unit(world):
    admin = world.users["district_admin"]
    # World: 王小明 (outlet_a) and 刘党员 (full member, shop_a) in 中山; 符海燕 (plain_b) and
    # 陈快递 (express_b) in 滨海.
    _member("周预备", world.units["outlet_a"], Person.PoliticalStatus.PROBATIONARY_MEMBER)
    _member("孙快递党员", world.units["express_b"], job_type=Employment.JobType.COURIER)
    left = _member("钱已离职", world.units["shop_a"])
    Employment.objects.filter(person=left).update(end_date=datetime.date(2026, 1, 31))

    streets = {
        row.label: (row.workers, row.full, row.probationary, row.share)
        for row in share.share_by(admin, "street", today=TODAY)
    }
    assert streets == {"中山街道": (3, 1, 1, 66.7), "滨海街道": (3, 1, 0, 33.3)}
    industries = {
        row.key: (row.workers, row.members) for row in share.share_by(admin, "industry", today=TODAY)
    }
    assert industries == {"food_delivery": (3, 2), "express": (2, 1), "livestreaming": (1, 0)}
    jobs = {row.key: (row.workers, row.members) for row in share.share_by(admin, "job_type", today=TODAY)}
    assert jobs == {"rider": (3, 2), "courier": (2, 1), "livestreamer": (1, 0)}
    units = {row.label: row.share for row in share.share_by(admin, "unit", today=TODAY)}
    assert units["中山便民配送店"] == 100.0 and units["滨海直播工作室"] == 0.0
    total = share.share_total(admin, today=TODAY)
    assert (total.workers, total.members) == (6, 3)
    # Before the one who left had left, they counted.
    assert share.share_total(admin, today=datetime.date(2026, 1, 15)).workers == 7
    # The street sees its own street only.
    assert [row.label for row in share.share_by(world.users["street_a"], "street", today=TODAY)] == [
        "中山街道"
    ]


@pytest.mark.django_db
def test_month_ends():
    assert share.month_ends(datetime.date(2026, 3, 10), 4) == [
        datetime.date(2025, 12, 31),
        datetime.date(2026, 1, 31),
        datetime.date(2026, 2, 28),
        datetime.date(2026, 3, 10),
    ]


@pytest.mark.django_db
def test_trend_uses_the_status_recorded_at_the_time(world):
    admin = world.users["district_admin"]
    unit = world.units["plain_b"]
    joined = person("冯新党员")
    # Recorded as "the masses" in 2024, admitted (probationary) on 10 March 2026.
    joined.political_status = Person.PoliticalStatus.MASSES
    joined._history_date = timezone.make_aware(datetime.datetime(2024, 12, 1, 9))
    joined.save()
    Employment.objects.create(
        person=joined,
        unit=unit,
        job_type=Employment.JobType.LIVESTREAMER,
        start_date=datetime.date(2025, 1, 1),
    )
    joined.political_status = Person.PoliticalStatus.PROBATIONARY_MEMBER
    joined._history_date = timezone.make_aware(datetime.datetime(2026, 3, 10, 15))
    joined.save()
    # A member who left the party's rolls would count until then, not after.
    lapsed = person("褚原党员")
    lapsed.political_status = Person.PoliticalStatus.FULL_MEMBER
    lapsed._history_date = timezone.make_aware(datetime.datetime(2024, 6, 1, 9))
    lapsed.save()
    Employment.objects.create(
        person=lapsed,
        unit=unit,
        job_type=Employment.JobType.LIVESTREAMER,
        start_date=datetime.date(2025, 1, 1),
    )
    lapsed.political_status = Person.PoliticalStatus.MASSES
    lapsed._history_date = timezone.make_aware(datetime.datetime(2025, 10, 20, 15))
    lapsed.save()

    months = {m["month"]: (m["workers"], m["members"]) for m in share.trend(admin, today=TODAY, months=12)}
    assert list(months)[0] == "2025-07" and list(months)[-1] == "2026-06"
    # World workers: 王小明, 陈快递, 符海燕 since 2025-03-01; 刘党员 (full member) since 2025-04-01.
    assert months["2025-07"] == (6, 2)  # 刘党员, 褚原党员
    assert months["2025-10"] == (6, 1)  # 褚原党员 no longer a member on 31 October
    assert months["2026-02"] == (6, 1)
    assert months["2026-03"] == (6, 2)  # 冯新党员 admitted on 10 March
    assert months["2026-06"] == (6, 2)


@pytest.mark.django_db
def test_status_on_before_the_first_record_is_the_first_status():
    first = timezone.make_aware(datetime.datetime(2025, 5, 1))
    timeline = [(first, "masses"), (first + datetime.timedelta(days=30), "probationary_member")]
    assert share.status_on(timeline, first - datetime.timedelta(days=300)) == "masses"
    assert share.status_on(timeline, first + datetime.timedelta(days=30)) == "probationary_member"


@pytest.mark.django_db
def test_investors_and_managers_in_the_pipeline(world):
    admin = world.users["district_admin"]
    investor = Investor.objects.get(person__name="张出资").person
    add_development_record(investor, world.organizations["branch_a"], applied_on=datetime.date(2026, 1, 5))
    result = share.recruits(admin, today=TODAY)
    groups = {g["key"]: g for g in result["groups"]}
    assert groups["investors"]["people"] == 1 and groups["investors"]["in_pipeline"] == 1
    assert groups["investors"]["by_stage"][0] == 1  # an applicant
    # 李书记 manages 中山便民配送店 (world) and is not in the pipeline.
    assert groups["managers"]["people"] == 1 and groups["managers"]["in_pipeline"] == 0
    # The liaison sees the investor but not the party's development records.
    liaison = {g["key"]: g for g in share.recruits(world.users["liaison"], today=TODAY)["groups"]}
    assert liaison["investors"]["people"] == 1 and liaison["investors"]["in_pipeline"] == 0
    # 滨海 sees neither.
    street_b = {g["key"]: g for g in share.recruits(world.users["street_b"], today=TODAY)["groups"]}
    assert street_b["investors"]["people"] == 0 and street_b["managers"]["people"] == 0


@pytest.mark.django_db
def test_share_page_and_export(client, world):
    client.force_login(world.users["street_a"])
    page = client.get("/membership/share/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="share-data"' in body and "js/share.js" in body and "<script>" not in body
    assert "中山便民配送店" in body and "滨海" not in body.split('id="share-data"')[1].split("</script>")[0]
    export = client.get("/membership/share/export.xlsx")
    assert export.status_code == 200
