"""The development pipeline's pages: list, to-do, board, application and step forms (refused,
overridden), the record sheet (printable, .xlsx), and who may open them."""

import datetime
import io

import pytest
from python_calamine import CalamineWorkbook

from dangjian.core.audit import save_tracked
from dangjian.membership.models import DevelopmentRecord, DevelopmentStep
from dangjian.membership.services import record_step, start_application
from dangjian.people.models import Person
from dangjian.spreadsheets.models import ExportLog
from tests.world import make_id_number

D = datetime.date
K = DevelopmentStep.Kind
S = DevelopmentRecord.Stage

pytestmark = pytest.mark.django_db


def applicant(name="吴申请", birth="19980720"):
    obj = Person(name=name, id_number=make_id_number(birth))
    save_tracked(obj, actor=None)
    return obj


@pytest.fixture
def late(world):
    """An applicant of branch_a never talked to: the first talk is overdue."""
    return start_application(
        actor=world.users["branch_secretary"],
        organization=world.organizations["branch_a"],
        person=applicant("钱未谈"),
        applied_on=D(2025, 6, 2),
    )


@pytest.fixture
def world_record(world):
    return DevelopmentRecord.objects.get(person=world.people["worker"])


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_todo_list_shows_overdue_talks_to_the_secretary_and_the_street(client, world, late):
    for persona in ("branch_secretary", "street_a", "district_admin"):
        response = page(client, world.users[persona], "/membership/todo/")
        assert response.status_code == 200
        row = f'data-testid="todo-{late.pk}-first_talk"'
        body = response.content.decode()
        assert row in body and "钱未谈" in body and "2025-07-02" in body, persona
    response = page(client, world.users["street_b"], "/membership/todo/")
    assert "钱未谈" not in response.content.decode()


@pytest.mark.parametrize("persona", ["liaison", "worker"])
def test_pipeline_pages_are_party_work(client, world, persona, world_record):
    user = world.users[persona]
    for url in ("/membership/", "/membership/todo/"):
        assert page(client, user, url).status_code == 403
    assert page(client, user, f"/membership/records/{world_record.pk}/steps/new/").status_code in (403, 404)


def test_the_todo_list_filters_by_what_is_due(client, world, late):
    client.force_login(world.users["branch_secretary"])
    assert "钱未谈" in client.get("/membership/todo/?what=first_talk&overdue_only=on").content.decode()
    assert "钱未谈" not in client.get("/membership/todo/?what=review").content.decode()


def test_the_todo_list_reads_in_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    secretary = world.users["branch_secretary"]
    for i in range(12):
        start_application(
            actor=secretary,
            organization=world.organizations["branch_a"],
            person=applicant(f"申请人{i}"),
            applied_on=D(2025, 1, 5),
        )
    client.force_login(secretary)
    client.get("/membership/todo/")  # warm the session and content types
    with django_assert_max_num_queries(20):
        response = client.get("/membership/todo/")
    assert response.content.decode().count('data-testid="todo-') >= 12


def test_the_board_shows_who_is_at_which_stage_for_how_long(client, world, world_record):
    secretary = world.users["branch_secretary"]
    record_step(actor=secretary, record=world_record, kind=K.ACTIVIST, on=D(2025, 10, 1))
    branch = world.organizations["branch_a"]
    response = page(client, secretary, f"/membership/organizations/{branch.pk}/board/")
    assert response.status_code == 200
    body = response.content.decode()
    activists = body.split('data-testid="board-activist"')[1].split("</section>")[0]
    assert "王小明" in activists
    from django.utils import timezone

    days = (timezone.localdate() - D(2025, 10, 1)).days
    assert f"{days} " in activists
    applicants = body.split('data-testid="board-applicant"')[1].split("</section>")[0]
    assert "王小明" not in applicants
    assert 'data-testid="new-application"' in body
    # The street committee's board covers its branches.
    committee = world.organizations["committee_a"]
    assert (
        "王小明"
        in page(
            client, world.users["street_a"], f"/membership/organizations/{committee.pk}/board/"
        ).content.decode()
    )


def test_the_board_of_an_organization_out_of_scope_is_not_found(client, world):
    branch_b = world.organizations["branch_b"]
    assert (
        page(
            client, world.users["branch_secretary"], f"/membership/organizations/{branch_b.pk}/board/"
        ).status_code
        == 404
    )


def test_the_liaison_sees_the_organization_but_not_its_pipeline(client, world):
    branch = world.organizations["branch_a"]
    liaison = world.users["liaison"]
    assert page(client, liaison, f"/organizations/{branch.pk}/").status_code == 200
    assert (
        'data-testid="development-summary"'
        not in page(client, liaison, f"/organizations/{branch.pk}/").content.decode()
    )
    assert page(client, liaison, f"/membership/organizations/{branch.pk}/board/").status_code == 403


def test_the_organization_page_links_to_its_board(client, world):
    branch = world.organizations["branch_a"]
    body = page(client, world.users["branch_secretary"], f"/organizations/{branch.pk}/").content.decode()
    assert f"/membership/organizations/{branch.pk}/board/" in body
    assert 'data-testid="development-summary"' in body


def test_a_worker_reads_their_own_record_only(client, world, world_record, late):
    worker = world.users["worker"]
    response = page(client, worker, f"/membership/records/{world_record.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "王小明" in body and 'data-testid="record-step"' not in body
    assert page(client, worker, f"/membership/records/{late.pk}/").status_code == 404
    assert page(client, worker, f"/membership/records/{world_record.pk}/steps/new/").status_code == 403
    assert page(client, worker, f"/membership/records/{world_record.pk}/sheet.xlsx").status_code == 200


def test_a_refused_step_shows_the_rule_and_the_dates_and_saves_nothing(client, world, late):
    client.force_login(world.users["branch_secretary"])
    url = f"/membership/records/{late.pk}/steps/new/"
    assert 'href="?kind=first_talk"' in client.get(url).content.decode()
    response = client.post(url, {"kind": "first_talk", "on": "2025-08-01"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="refusal"' in body
    assert "收到入党申请书后一个月内谈话" in body and "2025-06-02" in body and "2025-08-01" in body
    assert 'name="override_reason"' not in body  # not the secretary's to set aside
    assert not late.steps.filter(kind=K.FIRST_TALK).exists()
    response = client.post(url, {"kind": "first_talk", "on": "2025-06-20"})
    assert response.status_code == 302
    assert late.steps.filter(kind=K.FIRST_TALK, on=D(2025, 6, 20)).exists()


def test_the_district_overrides_through_the_form_with_a_reason(client, world, late):
    client.force_login(world.users["district_admin"])
    url = f"/membership/records/{late.pk}/steps/new/"
    response = client.post(url, {"kind": "first_talk", "on": "2025-08-01"})
    body = response.content.decode()
    assert response.status_code == 200 and 'name="override_reason"' in body
    response = client.post(
        url, {"kind": "first_talk", "on": "2025-08-01", "override_reason": "申请人外出务工，电话联系后补谈"}
    )
    assert response.status_code == 302
    talk = late.steps.get(kind=K.FIRST_TALK)
    assert talk.override_reason == "申请人外出务工，电话联系后补谈"
    sheet = client.get(f"/membership/records/{late.pk}/").content.decode()
    assert 'data-testid="override"' in sheet and "申请人外出务工" in sheet


def test_contacts_are_chosen_among_the_organizations_full_members(client, world, world_record):
    branch = world.organizations["branch_a"]
    secretary = world.users["branch_secretary"]
    record_step(actor=secretary, record=world_record, kind=K.ACTIVIST, on=D(2025, 10, 1))
    member = applicant("张正式", birth="19800101")
    member.political_status, member.party_organization = Person.PoliticalStatus.FULL_MEMBER, branch
    save_tracked(member, actor=None)
    outsider = applicant("滨海正式", birth="19800101")
    outsider.political_status, outsider.party_organization = (
        Person.PoliticalStatus.FULL_MEMBER,
        world.organizations["branch_b"],
    )
    save_tracked(outsider, actor=None)
    client.force_login(secretary)
    url = f"/membership/records/{world_record.pk}/steps/new/"
    body = client.get(url + "?kind=contacts").content.decode()
    assert "张正式" in body and "滨海正式" not in body
    response = client.post(url, {"kind": "contacts", "on": "2025-10-02", "people": [member.pk]})
    assert response.status_code == 302
    assert list(world_record.steps.get(kind=K.CONTACTS).people.all()) == [member]
    # Someone of another organization cannot be slipped in.
    response = client.post(url, {"kind": "contacts", "on": "2025-10-03", "people": [outsider.pk]})
    assert response.status_code == 200
    assert world_record.steps.filter(kind=K.CONTACTS).count() == 1


def test_an_application_through_the_form(client, world):
    branch = world.organizations["branch_a"]
    client.force_login(world.users["branch_secretary"])
    url = f"/membership/organizations/{branch.pk}/applications/new/"
    assert client.get(url).status_code == 200
    id_number = make_id_number("20000308")
    response = client.post(url, {"name": "孙入党", "id_number": id_number, "applied_on": "2025-11-03"})
    assert response.status_code == 302
    record = DevelopmentRecord.objects.get(person__name="孙入党")
    assert response["Location"] == f"/membership/records/{record.pk}/"
    assert (record.organization, record.applied_on, record.stage) == (branch, D(2025, 11, 3), S.APPLICANT)
    # Under eighteen: refused in the form, nothing created.
    response = client.post(
        url, {"name": "周少年", "id_number": make_id_number("20090101"), "applied_on": "2025-11-03"}
    )
    assert response.status_code == 200 and "入党申请人年满18周岁" in response.content.decode()
    assert not Person.objects.filter(name="周少年").exists()


def test_the_branch_secretary_cannot_open_applications_elsewhere(client, world):
    branch_b = world.organizations["branch_b"]
    response = page(
        client, world.users["branch_secretary"], f"/membership/organizations/{branch_b.pk}/applications/new/"
    )
    assert response.status_code == 404
    committee = world.organizations["committee_a"]  # visible to the street, but not a developing body
    assert (
        page(
            client, world.users["street_a"], f"/membership/organizations/{committee.pk}/applications/new/"
        ).status_code
        == 403
    )


def test_the_record_sheet_prints_and_exports(client, world, world_record):
    client.force_login(world.users["street_a"])
    sheet = client.get(f"/membership/records/{world_record.pk}/").content.decode()
    assert "js/print.js" in sheet and "data-print" in sheet
    assert world.people["worker"].masked_id_number in sheet
    assert world.people["worker"].id_number not in sheet
    response = client.get(f"/membership/records/{world_record.pk}/sheet.xlsx")
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert "王小明" in rows[0][0]
    assert rows[1][:2] == ["环节", "日期"]
    assert [row[0] for row in rows[2:]] == [str(K.APPLICATION.label), str(K.FIRST_TALK.label)]
    assert ExportLog.objects.filter(user=world.users["street_a"], what="development_record", rows=2).exists()


def test_the_list_filters_and_counts(client, world, world_record, late):
    client.force_login(world.users["street_a"])
    body = client.get("/membership/").content.decode()
    assert "王小明" in body and "钱未谈" in body
    body = client.get("/membership/?text=钱", HTTP_HX_REQUEST="true").content.decode()
    assert "钱未谈" in body and "王小明" not in body and "<html" not in body
    client.force_login(world.users["street_b"])
    assert "钱未谈" not in client.get("/membership/").content.decode()


def test_the_worker_finds_their_application_on_their_home_page(client, world, world_record):
    body = page(client, world.users["worker"], "/").content.decode()
    assert 'data-testid="my-development"' in body
    assert f"/membership/records/{world_record.pk}/" in body


def test_the_dashboard_counts_the_pipeline_for_party_work(client, world, late):
    body = page(client, world.users["branch_secretary"], "/").content.decode()
    card = body.split('data-testid="development-card"')[1].split("</a>")[0]
    assert "<strong>2</strong>" in card  # two applicants: the world's worker and 钱未谈
    assert 'data-overdue="1"' in card  # 钱未谈's first talk
    assert 'data-testid="development-card"' not in page(client, world.users["liaison"], "/").content.decode()


def _staff(user, codenames):
    from django.contrib.auth.models import Permission

    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="membership", codename__in=codenames)
    )
    return user


def test_the_district_edits_and_switches_rules_in_the_back_office(client, world):
    from django.contrib.contenttypes.models import ContentType

    from dangjian.core.models import AuditEvent
    from dangjian.membership.models import DevelopmentRule, DevelopmentRuleOverride

    rule = DevelopmentRule.objects.get(key="first-talk-within-one-month")
    codenames = ["view_developmentrule", "change_developmentrule", "view_developmentruleoverride"]
    codenames += ["add_developmentruleoverride", "change_developmentruleoverride"]
    admin = _staff(world.users["district_admin"], codenames)
    client.force_login(admin)
    url = f"/admin/membership/developmentrule/{rule.pk}/change/"
    assert "发展党员工作细则" in client.get(url).content.decode()  # the source text is shown
    response = client.post(
        url,
        {
            "name": rule.name,
            "min_value": "",
            "max_value": "2",
            "unit": "months",
            "enabled": "on",
            "overrides-TOTAL_FORMS": "1",
            "overrides-INITIAL_FORMS": "0",
            "overrides-MIN_NUM_FORMS": "0",
            "overrides-MAX_NUM_FORMS": "1000",
            "overrides-0-organization": str(world.organizations["branch_b"].pk),
            "overrides-0-max_value": "3",
            "overrides-0-note": "滨海街道试行",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert (rule.max_value, rule.default_max) == (2, 1)
    override = DevelopmentRuleOverride.objects.get(rule=rule)
    assert (override.organization, override.enabled, override.max_value) == (
        world.organizations["branch_b"],
        False,
        3,
    )
    rule_type = ContentType.objects.get_for_model(DevelopmentRule)
    assert AuditEvent.objects.filter(content_type=rule_type, object_id=rule.pk, actor=admin).exists()


def test_only_the_district_changes_the_rule_table(client, world):
    from dangjian.membership.models import DevelopmentRule

    rule = DevelopmentRule.objects.get(key="first-talk-within-one-month")
    staff = _staff(world.users["street_a"], ["view_developmentrule", "change_developmentrule"])
    client.force_login(staff)
    url = f"/admin/membership/developmentrule/{rule.pk}/change/"
    assert client.get(url).status_code == 200  # may read the table
    client.post(url, {"name": "改名", "max_value": "5", "unit": "months", "enabled": "on"})
    rule.refresh_from_db()
    assert (rule.name, rule.max_value) == ("收到入党申请书后一个月内谈话", 1)


def test_the_api_reads_through_the_same_scope(client, world, world_record, late):
    client.force_login(world.users["branch_secretary"])
    names = {row["person_name"] for row in client.get("/api/development/").json()["items"]}
    assert names == {"王小明", "钱未谈"}
    detail = client.get(f"/api/development/{world_record.pk}").json()
    assert [step["kind"] for step in detail["steps"]] == ["application", "first_talk"]
    due = client.get("/api/development/todo").json()
    assert [(row["record_id"], row["what"], row["overdue"]) for row in due] == [(late.pk, "first_talk", True)]
    client.force_login(world.users["street_b"])
    assert client.get("/api/development/").json()["items"] == []
    assert client.get(f"/api/development/{late.pk}").status_code == 404
    client.force_login(world.users["liaison"])
    assert client.get("/api/development/").status_code == 403
    client.force_login(world.users["worker"])
    assert client.get(f"/api/development/{world_record.pk}").json()["person_name"] == "王小明"
    assert client.get(f"/api/development/{late.pk}").status_code == 404
