"""Two-way entry, cross appointment (双向进入、交叉任职): management posts entered once, and the
people holding both a party post and a management post in a unit, per unit, per organization and
per street, within the user's scope.

The world: 李书记 is secretary of 中山外卖联合党支部 (covering 甲外卖中山站 and 中山便民配送店) and
station manager of 中山便民配送店 since 2024-03-01.
"""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from python_calamine import CalamineWorkbook

from dangjian.accounts.scope import visible_to
from dangjian.core.models import AuditEvent
from dangjian.organizations import leadership_queries as queries
from dangjian.organizations.leadership_services import appoint_management_post, end_management_post
from dangjian.organizations.models import ManagementPost, Organization
from dangjian.organizations.services import end_committee_membership
from dangjian.people.models import Person
from dangjian.units.models import Unit
from tests.world import add_intruders, make_id_number, person

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)


def _street_row(rows, name):
    return next(row for row in rows if row["street__name"] == name)


# --- services ------------------------------------------------------------------------------------


def test_a_management_post_is_recorded_once_and_audited(world):
    shop = world.units["shop_a"]
    manager = person("周经理", works_at=shop)
    post = appoint_management_post(
        actor=world.users["street_a"],
        unit=shop,
        person=manager,
        kind="general_manager",
        start_date=datetime.date(2025, 1, 1),
    )
    event = AuditEvent.objects.get(object_id=post.pk, content_type__model="managementpost")
    assert event.action == "created" and event.actor == world.users["street_a"]
    with pytest.raises(ValidationError, match="周经理"):
        appoint_management_post(
            actor=world.users["street_a"],
            unit=shop,
            person=manager,
            kind="general_manager",
            start_date=datetime.date(2025, 6, 1),
        )
    # Another post of the same person is fine.
    appoint_management_post(
        actor=None, unit=shop, person=manager, kind="hr_head", start_date=datetime.date(2025, 6, 1)
    )
    assert ManagementPost.objects.filter(person=manager, unit=shop).count() == 2


def test_a_new_manager_is_found_by_id_number_or_created(world):
    shop = world.units["shop_a"]
    id_number = make_id_number("19820505")
    post = appoint_management_post(
        actor=world.users["district_admin"],
        unit=shop,
        id_number=id_number,
        name="吴董事",
        kind="chairman",
        start_date=datetime.date(2023, 1, 1),
    )
    again = appoint_management_post(
        actor=world.users["district_admin"],
        unit=world.units["outlet_a"],
        id_number=id_number,
        name="吴董事",
        kind="director",
        start_date=datetime.date(2023, 1, 1),
    )
    assert post.person_id == again.person_id
    assert Person.objects.filter(name="吴董事").count() == 1


def test_management_post_refusals(world):
    shop = world.units["shop_a"]
    manager = person("钱主管", works_at=shop)
    with pytest.raises(ValidationError):
        appoint_management_post(
            actor=None, unit=shop, person=manager, kind="hr_head", start_date=datetime.date(2099, 1, 1)
        )
    for persona in ("worker", "street_b"):
        with pytest.raises(PermissionDenied):
            appoint_management_post(
                actor=world.users[persona],
                unit=shop,
                person=manager,
                kind="hr_head",
                start_date=datetime.date(2025, 1, 1),
            )
    # The enterprise's liaison enters the managers of its own units, not of others.
    appoint_management_post(
        actor=world.users["liaison"],
        unit=world.units["outlet_a"],
        person=manager,
        kind="station_manager",
        start_date=datetime.date(2025, 1, 1),
    )
    with pytest.raises(PermissionDenied):
        appoint_management_post(
            actor=world.users["liaison"],
            unit=shop,
            person=manager,
            kind="hr_head",
            start_date=datetime.date(2025, 1, 1),
        )
    post = ManagementPost.objects.get(person=world.people["secretary"])
    with pytest.raises(ValidationError):
        end_management_post(actor=None, post=post, end_date=datetime.date(2024, 2, 1))
    end_management_post(actor=world.users["street_a"], post=post, end_date=datetime.date(2025, 12, 31))
    with pytest.raises(ValidationError):
        end_management_post(actor=None, post=post, end_date=datetime.date(2026, 1, 31))


# --- who holds both ------------------------------------------------------------------------------


def test_the_unit_shows_who_holds_both_posts(world):
    current, past = queries.unit_management_posts(world.users["street_a"], world.units["shop_a"], today=TODAY)
    (post,) = current
    assert post.person == world.people["secretary"] and not past
    assert [(m.organization.name, m.post) for m in post.party_posts] == [("中山外卖联合党支部", "secretary")]
    # In a unit the branch does not cover, the same person's management post is not a cross appointment.
    appoint_management_post(
        actor=None,
        unit=world.units["plain_b"],
        person=world.people["secretary"],
        kind="director",
        start_date=datetime.date(2025, 1, 1),
    )
    current, _ = queries.unit_management_posts(
        world.users["district_admin"], world.units["plain_b"], today=TODAY
    )
    assert current[0].party_posts == []


def test_cross_appointment_ends_with_either_post(world):
    admin = world.users["district_admin"]
    shop = world.units["shop_a"]

    def crossed():
        units = queries.with_cross_appointment(
            visible_to(admin, Unit.objects.filter(pk=shop.pk)), today=TODAY
        )
        return units.get().cross_people

    assert crossed() == 1
    post = ManagementPost.objects.get(unit=shop)
    end_management_post(actor=None, post=post, end_date=datetime.date(2026, 5, 31))
    assert crossed() == 0
    post.end_date = None
    post.save()
    assert crossed() == 1
    secretary = world.organizations["branch_a"].committee_members.get(post="secretary")
    end_committee_membership(actor=None, member=secretary, end_date=datetime.date(2026, 1, 1))
    assert crossed() == 0


def test_a_dissolved_organization_gives_no_cross_appointment(world):
    Organization.objects.filter(pk=world.organizations["branch_a"].pk).update(
        status=Organization.Status.DISSOLVED
    )
    rows, totals = queries.cross_appointment_summary(world.users["street_a"], today=TODAY)
    assert totals["covered"] == 0 and totals["crossed"] == 0


def test_the_street_summary_counts_units_with_and_without(world):
    rows, totals = queries.cross_appointment_summary(world.users["district_admin"], today=TODAY)
    zhongshan = _street_row(rows, "中山街道")
    assert (zhongshan["units"], zhongshan["covered"], zhongshan["crossed"], zhongshan["without"]) == (
        3,
        2,
        1,
        1,
    )
    assert zhongshan["share"] == 50
    binhai = _street_row(rows, "滨海街道")
    assert (binhai["covered"], binhai["crossed"]) == (1, 0)
    assert (totals["covered"], totals["crossed"]) == (3, 1)
    # street_b sees its own street only.
    rows, totals = queries.cross_appointment_summary(world.users["street_b"], today=TODAY)
    assert [row["street__name"] for row in rows] == ["滨海街道"] and totals["crossed"] == 0


def test_the_organization_lists_its_cross_appointed_members(world):
    rows = queries.organization_cross_appointments(
        world.users["branch_secretary"], world.organizations["branch_a"], today=TODAY
    )
    ((holder, party, management),) = rows
    assert holder == world.people["secretary"]
    assert [m.post for m in party] == ["secretary"]
    assert [p.unit for p in management] == [world.units["shop_a"]]


# --- pages ---------------------------------------------------------------------------------------


def test_pages_show_the_cross_appointment(client, world):
    client.force_login(world.users["branch_secretary"])
    unit_page = client.get(f"/units/{world.units['shop_a'].pk}/").content.decode()
    assert 'data-testid="cross-appointment"' in unit_page and "中山外卖联合党支部" in unit_page
    org_page = client.get(f"/organizations/{world.organizations['branch_a'].pk}/").content.decode()
    assert 'data-testid="cross-appointments"' in org_page and "中山便民配送店" in org_page


def test_the_cross_appointment_page_filters_and_exports(client, world):
    client.force_login(world.users["street_a"])
    page = client.get("/organizations/cross-appointment/").content.decode()
    assert 'data-testid="cross-summary"' in page
    assert "中山便民配送店" in page and "甲外卖中山站" in page and "滨海" not in page.split("cross-table")[1]
    page = client.get("/organizations/cross-appointment/", {"crossed": "no"}, HTTP_HX_REQUEST="true")
    body = page.content.decode()
    assert "甲外卖中山站" in body and "中山便民配送店" not in body and "<html" not in body

    response = client.get("/organizations/cross-appointment/export.xlsx", {"crossed": "yes"})
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    header_at = next(i for i, row in enumerate(sheet) if "单位名称" in row)
    assert sheet[header_at][:3] == ["单位名称", "属地街道（镇）", "行业"]
    (row,) = sheet[header_at + 1 :]
    assert row[0] == "中山便民配送店" and row[3] == "中山外卖联合党支部" and row[6] == "是"
    assert row[7] in (1, 1.0)  # the decision logged in the world


def test_the_management_post_form(client, world):
    shop = world.units["shop_a"]
    client.force_login(world.users["street_a"])
    url = f"/organizations/units/{shop.pk}/management-posts/new/"
    form_page = client.get(url).content.decode()
    assert "李书记" in form_page  # committee members of covering organizations are offered
    response = client.post(
        url, {"person": world.people["member"].pk, "kind": "hr_head", "start_date": "2025-02-01"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#leadership")
    assert ManagementPost.objects.filter(unit=shop, person=world.people["member"], kind="hr_head").exists()
    # Neither a person chosen nor a name and ID number.
    before = ManagementPost.objects.count()
    response = client.post(url, {"kind": "general_manager", "start_date": "2025-02-01"})
    assert response.status_code == 200 and ManagementPost.objects.count() == before
    post = ManagementPost.objects.get(unit=shop, kind="hr_head")
    response = client.post(f"/organizations/management-posts/{post.pk}/end/", {"end_date": "2025-12-31"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.end_date == datetime.date(2025, 12, 31)


def test_the_forms_refuse_those_without_the_right(client, world):
    shop = world.units["shop_a"]
    post = ManagementPost.objects.get(unit=shop)
    client.force_login(world.users["worker"])
    assert client.get(f"/organizations/units/{shop.pk}/management-posts/new/").status_code == 404
    client.force_login(world.users["street_b"])
    assert client.get(f"/organizations/units/{shop.pk}/management-posts/new/").status_code == 404
    assert client.get(f"/organizations/management-posts/{post.pk}/end/").status_code == 404
    client.force_login(world.users["liaison"])  # 中山便民配送店 is not in its company
    assert client.get(f"/organizations/units/{shop.pk}/management-posts/new/").status_code == 404
    outlet = world.units["outlet_a"]
    assert client.get(f"/organizations/units/{outlet.pk}/management-posts/new/").status_code == 200


def test_records_outside_the_scope_answer_404(client, world):
    add_intruders(world)
    outsider_post = ManagementPost.objects.get(unit__name="越界单位新坡货运")
    for persona in ("street_a", "street_b", "committee_staff", "branch_secretary", "liaison", "worker"):
        client.force_login(world.users[persona])
        response = client.get(f"/organizations/management-posts/{outsider_post.pk}/end/")
        assert response.status_code == 404, persona
        page = client.get("/organizations/cross-appointment/").content.decode()
        assert "越界" not in page, persona


def test_the_api_gives_the_same_scoped_answers(client, world):
    shop = world.units["shop_a"]
    client.force_login(world.users["street_a"])
    posts = client.get(f"/api/leadership/units/{shop.pk}/management-posts").json()
    (post,) = posts
    assert (post["person_name"], post["kind"]) == ("李书记", "station_manager")
    (party_post,) = post["party_posts"]
    assert party_post.startswith("中山外卖联合党支部 ")
    body = client.get("/api/leadership/", {"code": "term_expired"}).json()
    assert [item["name"] for item in body["items"]] == ["中山外卖联合党支部"]
    assert body["items"][0]["findings"][0]["severity"] == "breach"
    client.force_login(world.users["street_b"])
    assert client.get(f"/api/leadership/units/{shop.pk}/management-posts").status_code == 404
    assert client.get("/api/leadership/", {"code": "term_expired"}).json()["count"] == 0


# --- the spreadsheet import ----------------------------------------------------------------------

IMPORT_HEADER = ["单位名称", "姓名", "身份证号码", "职务", "任职日期"]


def _import(user, *rows):
    from dangjian.spreadsheets import imports
    from dangjian.spreadsheets.models import ImportJob
    from tests.spreadsheets.files import xlsx

    job = imports.preview(
        user=user, kind="management_posts", file_name="管理层.xlsx", data=xlsx([IMPORT_HEADER, *rows])
    )
    if job.status == ImportJob.Status.FAILED:
        return job
    imports.enqueue_commit(user=job.user, job=job)
    imports.commit(ImportJob.objects.get(pk=job.pk))
    job.refresh_from_db()
    return job


def test_management_posts_import_once(world):
    from tests.spreadsheets.files import Text

    secretary = world.people["secretary"]
    new_id = make_id_number("19790101")
    rows = [
        ["中山便民配送店", "李书记", Text(secretary.id_number), "站长", "2024-03-01"],  # on record already
        ["中山便民配送店", "孙总", Text(new_id), "总经理", "2023-06-01"],
        ["滨海直播工作室", "越权", Text(make_id_number()), "店长", "2023-06-01"],  # not street_a's
    ]
    job = _import(world.users["street_a"], *rows)
    assert (job.new_rows, job.changed_rows, job.unchanged_rows, job.rejected_rows) == (1, 0, 1, 1), (
        job.problems
    )
    manager = Person.objects.get(name="孙总")
    assert manager.management_posts.get().kind == "general_manager"
    again = _import(world.users["street_a"], *rows[:2])
    assert (again.new_rows, again.changed_rows, again.unchanged_rows) == (0, 0, 2)
    assert ManagementPost.objects.filter(unit=world.units["shop_a"]).count() == 2
