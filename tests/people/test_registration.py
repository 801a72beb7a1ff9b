"""Entry registration (入职登记): one person one record, the worker account, the disclosure follow-up."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from dangjian.accounts.models import Role, RoleAssignment, User
from dangjian.core.crypto import blind_index
from dangjian.core.models import AuditEvent, Rule
from dangjian.core.validators import ID_CHECK_CHARS, id_number_check_char
from dangjian.organizations.models import Organization
from dangjian.people import services
from dangjian.people.models import DisclosureFollowUp, Employment, Person
from dangjian.units.models import Unit
from tests.world import make_id_number, make_mobile, unit

PASSWORD = "Qishou-2026-pass"
START = datetime.date(2025, 9, 1)
MEMBER = Person.PoliticalStatus.FULL_MEMBER


def zh(message: str) -> str:
    """The Chinese the page shows for a source string (English until the catalogue has it)."""
    with translation.override("zh-hans"):
        return gettext(message)


def register(world, **overrides):
    values = {
        "actor": None,
        "name": "张骑手",
        "id_number": make_id_number("19950607"),
        "mobile": make_mobile(),
        "unit": world.units["outlet_a"],
        "job_type": Employment.JobType.RIDER,
        "full_time": True,
        "start_date": START,
        "political_status": Person.PoliticalStatus.UNDISCLOSED,
        "password": PASSWORD,
    }
    values.update(overrides)
    return services.register_worker(**values)


def events_of(obj):
    return AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


def error_of(call) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        call()
    return info.value


# --- services -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_worker_gets_a_record_an_employment_and_an_account(world):
    id_number, mobile = make_id_number("19950607"), make_mobile()
    people_before = Person.objects.count()

    # Typed with spaces, a lower-case x and the country code: stored normalized.
    typed = f"{id_number[:6]} {id_number[6:14]} {id_number[14:].lower()}"
    registration = register(world, id_number=typed, mobile=f"+86 {mobile}")

    person = registration.person
    assert registration.person_created and registration.employment_created
    assert Person.objects.count() == people_before + 1
    assert person.id_number == id_number and person.mobile == mobile
    assert person.gender == (Person.Gender.MALE if int(id_number[16]) % 2 else Person.Gender.FEMALE)
    assert person.political_status == Person.PoliticalStatus.UNDISCLOSED
    employment = Employment.objects.get(person=person)
    assert (employment.unit, employment.start_date, employment.end_date) == (
        world.units["outlet_a"],
        START,
        None,
    )
    user = registration.user
    # The number is the login, but not the username: it stays encrypted in the person record.
    assert mobile not in user.username and user.first_name == "张骑手"
    assert user.check_password(PASSWORD) and user.password.startswith("argon2")
    assert person.user == user
    role = RoleAssignment.objects.get(user=user)
    assert (role.role, role.person) == (Role.WORKER, person)
    assert registration.follow_up is None and not DisclosureFollowUp.objects.filter(person=person).exists()
    # Audited as the worker's own doing, and the phone number is not written into the audit trail.
    assert events_of(person).get(action="created").actor == user
    assert events_of(employment).get(action="created").actor == user
    assert not [e for e in AuditEvent.objects.all() if mobile in str(e.changes) or mobile in e.object_repr]


@pytest.mark.django_db
def test_an_existing_person_is_matched_by_id_number_and_stays_one_record(world):
    existing = world.people["worker_b"]  # imported with a mobile by her employer
    people_before = Person.objects.count()

    registration = register(
        world,
        name="符海燕",
        id_number=existing.id_number,
        mobile=existing.mobile,
        unit=world.units["express_b"],
        job_type=Employment.JobType.COURIER,
        full_time=False,
    )

    assert registration.person.pk == existing.pk and not registration.person_created
    assert Person.objects.count() == people_before
    assert set(existing.employments.values_list("unit__name", flat=True)) == {
        "滨海直播工作室",
        "滨海快递网点",
    }
    assert not existing.employments.get(unit=world.units["express_b"]).full_time
    existing.refresh_from_db()
    assert existing.user == registration.user


@pytest.mark.django_db
def test_a_person_on_record_without_a_mobile_takes_the_one_given(world):
    id_number = make_id_number("19880808")
    person = Person.objects.create(name="旧名字", id_number=id_number)
    mobile = make_mobile()

    registration = register(world, name="新名字", id_number=id_number, mobile=mobile)

    person.refresh_from_db()
    assert registration.person.pk == person.pk
    assert (person.name, person.mobile) == ("新名字", mobile)


@pytest.mark.django_db
def test_someone_with_another_mobile_cannot_take_over_a_record(world):
    existing = world.people["worker_b"]
    users_before, employments_before = User.objects.count(), Employment.objects.count()

    error = error_of(
        lambda: register(world, name="冒名者", id_number=existing.id_number, mobile=make_mobile())
    )

    assert "mobile" in error.error_dict
    assert (User.objects.count(), Employment.objects.count()) == (users_before, employments_before)
    existing.refresh_from_db()
    assert existing.name == "符海燕" and existing.user is None


@pytest.mark.django_db
def test_a_person_with_an_account_is_told_to_log_in(world):
    worker = world.people["worker"]

    error = error_of(lambda: register(world, id_number=worker.id_number, mobile=worker.mobile))

    assert error.code == "has_account"
    assert error.messages == [
        zh("You already have an account. Please log in with your mobile number and password.")
    ]
    assert worker.employments.count() == 1


@pytest.mark.django_db
def test_a_mobile_number_used_by_another_account_is_refused(world):
    first = register(world)
    error = error_of(lambda: register(world, mobile=first.person.mobile))
    assert "mobile" in error.error_dict
    assert Person.objects.filter(mobile_index=first.person.mobile_index, user__isnull=False).count() == 1


@pytest.mark.django_db
def test_a_weak_password_is_refused_and_nothing_is_kept(world):
    people_before = Person.objects.count()
    error = error_of(lambda: register(world, password="12345678"))
    assert "password" in error.error_dict
    assert Person.objects.count() == people_before


@pytest.mark.django_db
def test_disclosure_opens_a_follow_up_for_the_nearest_covering_organization(world):
    # The street committee covering the outlet too is further from it than the branch.
    world.organizations["committee_a"].covered_units.add(world.units["outlet_a"])
    today = timezone.localdate()

    registration = register(world, political_status=MEMBER)

    follow_up = registration.follow_up
    assert follow_up.organization == world.organizations["branch_a"] and follow_up.street is None
    assert follow_up.unit == world.units["outlet_a"] and follow_up.status == DisclosureFollowUp.Status.OPEN
    assert follow_up.due_on == today + datetime.timedelta(days=30)
    assert registration.person.political_status == MEMBER
    assert events_of(follow_up).get(action="created").actor == registration.user


@pytest.mark.django_db
def test_without_a_covering_organization_the_street_answers_and_the_rule_sets_the_due_date(world):
    Rule.objects.filter(key="disclosure-follow-up-days").update(value=10)
    branch = world.organizations["branch_a"]
    branch.status = Organization.Status.DISSOLVED  # a dissolved organization answers for nothing
    branch.save()

    registration = register(
        world, unit=world.units["shop_a"], political_status=Person.PoliticalStatus.PROBATIONARY_MEMBER
    )

    follow_up = registration.follow_up
    assert follow_up.organization is None and follow_up.street == world.street_a
    assert follow_up.due_on == timezone.localdate() + datetime.timedelta(days=10)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status",
    [
        Person.PoliticalStatus.UNDISCLOSED,
        Person.PoliticalStatus.MASSES,
        Person.PoliticalStatus.LEAGUE_MEMBER,
        Person.PoliticalStatus.OTHER_PARTY,
    ],
)
def test_no_disclosure_no_follow_up(world, status):
    before = DisclosureFollowUp.objects.count()
    registration = register(world, political_status=status)
    assert registration.follow_up is None
    assert DisclosureFollowUp.objects.count() == before


@pytest.mark.django_db
def test_registering_the_same_start_again_changes_nothing(world):
    values = {"id_number": make_id_number("19900909"), "mobile": make_mobile(), "political_status": MEMBER}
    first = register(world, **values, password=None)
    again = register(world, **values, password=None)

    assert not again.person_created and not again.employment_created
    assert again.employment.pk == first.employment.pk
    assert Employment.objects.filter(person=first.person).count() == 1
    assert DisclosureFollowUp.objects.filter(person=first.person).count() == 1
    assert again.follow_up.pk == first.follow_up.pk


@pytest.mark.django_db
def test_a_disclosed_status_is_never_silently_undone(world):
    values = {"id_number": make_id_number("19900909"), "mobile": make_mobile(), "password": None}
    register(world, **values, political_status=MEMBER)
    again = register(
        world, **values, political_status=Person.PoliticalStatus.UNDISCLOSED, start_date=START.replace(day=2)
    )
    again.person.refresh_from_db()
    assert again.person.political_status == MEMBER
    assert services.merged_political_status(MEMBER, "") == MEMBER
    assert (
        services.merged_political_status(MEMBER, Person.PoliticalStatus.MASSES)
        == Person.PoliticalStatus.MASSES
    )


@pytest.mark.django_db
def test_a_start_date_in_the_future_is_refused(world):
    error = error_of(lambda: register(world, start_date=timezone.localdate() + datetime.timedelta(days=1)))
    assert "start_date" in error.error_dict


@pytest.mark.django_db
def test_closing_a_follow_up(world):
    follow_up = DisclosureFollowUp.objects.get(person=world.people["member"])
    secretary = world.users["branch_secretary"]

    assert (
        "note"
        in error_of(
            lambda: services.close_follow_up(actor=secretary, follow_up=follow_up, note=" ")
        ).error_dict
    )
    services.close_follow_up(actor=secretary, follow_up=follow_up, note="已电话联系，纳入支部组织生活")

    follow_up.refresh_from_db()
    assert follow_up.status == DisclosureFollowUp.Status.DONE
    assert follow_up.closed_by == secretary and follow_up.closed_at is not None
    assert follow_up.note == "已电话联系，纳入支部组织生活"
    event = events_of(follow_up).get(action="updated")
    assert event.actor == secretary and event.changes["status"][1] == str(
        DisclosureFollowUp.Status.DONE.label
    )
    assert (
        error_of(lambda: services.close_follow_up(actor=secretary, follow_up=follow_up, note="再次")).code
        == "closed"
    )


@pytest.mark.django_db
def test_only_those_answering_for_it_may_close_a_follow_up(world):
    registration = register(world, political_status=MEMBER)
    for persona in ("street_b", "liaison"):
        error = error_of(
            lambda persona=persona: services.close_follow_up(
                actor=world.users[persona], follow_up=registration.follow_up, note="x"
            )
        )
        assert error.code == "forbidden"
    # The worker sees their own follow-up but does not close it.
    assert (
        error_of(
            lambda: services.close_follow_up(
                actor=registration.user, follow_up=registration.follow_up, note="x"
            )
        ).code
        == "forbidden"
    )


# --- the public form ------------------------------------------------------------------------------


def form_data(world, **overrides):
    data = {
        "name": "李新骑手",
        "id_number": make_id_number("19960101"),
        "mobile": make_mobile(),
        "unit": str(world.units["outlet_a"].pk),
        "job_type": Employment.JobType.RIDER,
        "full_time": "1",
        "start_date": "2025-10-08",
        "political_status": Person.PoliticalStatus.UNDISCLOSED,
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }
    data.update(overrides)
    return data


def csrf_post(client: Client, url: str, data: dict):
    page = client.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    return client.post(url, {**data, "csrfmiddlewaretoken": token})


@pytest.mark.django_db
def test_the_form_registers_logs_in_and_shows_the_masked_record(world):
    client = Client(enforce_csrf_checks=True)
    data = form_data(world, political_status=MEMBER)

    response = csrf_post(client, "/register/", data)

    assert response.status_code == 302 and response["Location"] == "/"
    user = Person.objects.get(mobile_index=blind_index(data["mobile"], "mobile")).user
    assert int(client.session["_auth_user_id"]) == user.pk
    home = client.get("/").content.decode()
    person = user.person
    assert person.masked_id_number in home and data["id_number"] not in home
    assert person.masked_mobile in home and data["mobile"] not in home
    assert "甲外卖中山站" in home and "中山外卖联合党支部" in home  # the employment and the follow-up
    assert person.follow_ups.get().due_on.strftime("%Y-%m-%d") in home


@pytest.mark.django_db
def test_the_form_refuses_without_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/register/", form_data(world))
    assert response.status_code == 403
    assert not Person.objects.filter(name="李新骑手").exists()


@pytest.mark.django_db
def test_an_invalid_id_number_is_explained_in_chinese_next_to_the_field(client, world):
    good = make_id_number("19960101")
    wrong_check = next(c for c in ID_CHECK_CHARS if c != id_number_check_char(good[:17]))

    response = client.post("/register/", form_data(world, id_number=good[:17] + wrong_check))

    page = response.content.decode()
    assert response.status_code == 200
    assert "该身份证号码无效：最后一位校验码不符，请检查是否输入有误。" in page
    assert 'id="id_id_number_errors"' in page and 'aria-invalid="true"' in page
    assert not Person.objects.filter(name="李新骑手").exists()
    # The unit picked before is offered again, checked.
    assert re.search(rf'value="{world.units["outlet_a"].pk}"\s+checked', page)


@pytest.mark.django_db
def test_the_form_explains_the_voluntary_disclosure_and_the_time_limit(client, world):
    Rule.objects.filter(key="disclosure-follow-up-days").update(value=21)
    page = client.get("/register/").content.decode()
    assert "身份证号码" in page and "政治面貌" in page
    note = zh(
        "Telling us that you are a party member is voluntary. If you are a full or probationary member "
        "and say so, the party organization responsible for your unit (or, if there is none, the unit's "
        "street or town) will contact you within %(days)s days to bring you into organizational life. "
        "If you prefer not to say, choose “not disclosed”."
    ) % {"days": 21}
    assert note in page


@pytest.mark.django_db
def test_someone_with_an_account_is_sent_to_log_in(client, world):
    worker = world.people["worker"]
    response = client.post("/register/", form_data(world, id_number=worker.id_number, mobile=worker.mobile))
    page = response.content.decode()
    assert zh("You already have an account. Please log in with your mobile number and password.") in page
    assert 'href="/accounts/login/"' in page


@pytest.mark.django_db
def test_failed_registrations_are_rate_limited_per_address(client, world):
    from dangjian.people.views import REGISTRATION_FAILURES_PER_HOUR

    bad = form_data(world, id_number="110105194912310021")
    for _ in range(REGISTRATION_FAILURES_PER_HOUR):
        assert client.post("/register/", bad).status_code == 200
    response = client.post("/register/", form_data(world))  # even a good one, from this address
    assert response.status_code == 429
    assert not Person.objects.filter(name="李新骑手").exists()
    other = client.post("/register/", form_data(world), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


@pytest.mark.django_db
def test_signed_in_users_are_sent_home(client, world):
    client.force_login(world.users["street_a"])
    assert client.get("/register/")["Location"] == "/"


@pytest.mark.django_db
def test_the_unit_search_needs_two_characters_and_returns_names_only(client, world):
    hq = world.units["hq_a"]
    hq.address = "中山路1号"
    hq.save()
    assert "甲外卖" not in client.get("/register/units/", {"q": "甲"}).content.decode()

    page = client.get("/register/units/", {"q": "甲外卖"}).content.decode()

    assert set(re.findall(r"<label[^>]*>([^<]+)</label>", page)) == {
        "甲外卖总公司（中山街道）",
        "甲外卖中山站（中山街道）",
        "甲外卖滨海站（滨海街道）",
    }
    for other_data in (hq.uscc, "中山路1号", "food_delivery", "delivery_station"):
        assert other_data not in page


@pytest.mark.django_db
def test_the_unit_search_lists_operating_units_and_at_most_ten(client, world):
    for n in range(12):
        unit(f"测试配送站{n:02d}", world.street_a)
    closed = world.units["shop_a"]
    closed.operating_status = Unit.OperatingStatus.CLOSED
    closed.save()

    assert (
        len(re.findall(r'name="unit"', client.get("/register/units/", {"q": "测试配送"}).content.decode()))
        == 10
    )
    assert "中山便民配送店" not in client.get("/register/units/", {"q": "便民"}).content.decode()


@pytest.mark.django_db
def test_a_closed_unit_cannot_be_submitted(client, world):
    closed = world.units["shop_a"]
    closed.operating_status = Unit.OperatingStatus.CLOSED
    closed.save()
    response = client.post("/register/", form_data(world, unit=str(closed.pk)))
    assert response.status_code == 200
    assert zh("Search for your unit and pick it from the list.") in response.content.decode()


# --- follow-ups for staff -------------------------------------------------------------------------


def listed_names(client) -> set[str]:
    page = client.get("/people/follow-ups/").content.decode()
    table = page.split('data-testid="follow-up-table"', 1)[1]
    return set(re.findall(r'<a href="/people/\d+/">([^<]+)</a>', table))


@pytest.mark.django_db
def test_the_follow_up_list_is_scoped(client, world):
    at_outlet = register(world, name="中山站党员", political_status=MEMBER)  # outlet_a: branch_a, street_a
    register(world, name="快递党员", unit=world.units["express_b"], political_status=MEMBER)  # street_b
    expected = {
        "district_admin": {"刘党员", "中山站党员", "快递党员"},
        "street_a": {"刘党员", "中山站党员"},
        "street_b": {"快递党员"},
        "branch_secretary": {"刘党员", "中山站党员"},
        "committee_staff": {"快递党员"},  # leads the express industry
        # The employer sees its outlet, but not which of its staff disclosed membership.
        "liaison": set(),
        "worker": set(),
    }
    for persona, names in expected.items():
        client.force_login(world.users[persona])
        assert listed_names(client) == names, persona
    client.force_login(at_outlet.user)
    assert listed_names(client) == {"中山站党员"}


@pytest.mark.django_db
def test_the_responsible_organization_sees_its_follow_up_even_without_the_unit(client, world):
    registration = register(world, name="中山站党员", political_status=MEMBER)
    world.organizations["branch_a"].covered_units.remove(world.units["outlet_a"])  # coverage changed since
    client.force_login(world.users["branch_secretary"])
    assert "中山站党员" in listed_names(client)
    assert registration.follow_up.organization == world.organizations["branch_a"]


@pytest.mark.django_db
def test_open_first_overdue_highlighted_and_counted_on_the_dashboard(client, world):
    late = register(world, name="逾期党员", political_status=MEMBER).follow_up
    late.due_on = timezone.localdate() - datetime.timedelta(days=1)
    late.save()
    done = DisclosureFollowUp.objects.get(person=world.people["member"])
    services.close_follow_up(actor=world.users["street_a"], follow_up=done, note="已联系")
    client.force_login(world.users["street_a"])

    page = client.get("/people/follow-ups/").content.decode()

    assert page.index("逾期党员") < page.index("刘党员")
    row = re.search(rf'<tr class="table-danger" data-testid="follow-up-{late.pk}">', page)
    assert row is not None
    assert f'class="table-danger" data-testid="follow-up-{done.pk}"' not in page
    home = client.get("/").content.decode()
    assert re.search(r'data-testid="follow-ups-open">1<', home)
    assert re.search(r'data-testid="follow-ups-overdue">1\D', home)
    done_only = client.get("/people/follow-ups/", {"status": "done"}).content.decode()
    assert re.findall(r'data-testid="follow-up-(\d+)"', done_only) == [str(done.pk)]


@pytest.mark.django_db
def test_closing_from_the_list(client, world):
    follow_up = DisclosureFollowUp.objects.get(person=world.people["member"])
    client.force_login(world.users["branch_secretary"])
    url = f"/people/follow-ups/{follow_up.pk}/close/"

    assert client.get(url)["Location"] == "/people/follow-ups/"  # GET changes nothing
    assert f'action="{url}"' in client.get("/people/follow-ups/").content.decode()
    client.post(url, {"note": ""})
    follow_up.refresh_from_db()
    assert follow_up.status == DisclosureFollowUp.Status.OPEN

    response = client.post(url, {"note": "支部书记已上门联系"})

    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.note) == (DisclosureFollowUp.Status.DONE, "支部书记已上门联系")
    assert events_of(follow_up).get(action="updated").actor == world.users["branch_secretary"]


@pytest.mark.django_db
def test_out_of_scope_follow_ups_cannot_be_closed_or_seen(client, world):
    from tests.world import add_intruders

    add_intruders(world)
    intruder = DisclosureFollowUp.objects.get(person__name="越界党员")
    for persona in ("street_a", "street_b", "branch_secretary", "committee_staff", "liaison", "worker"):
        client.force_login(world.users[persona])
        assert client.post(f"/people/follow-ups/{intruder.pk}/close/", {"note": "x"}).status_code == 404
        assert "越界党员" not in client.get("/people/follow-ups/").content.decode()
    intruder.refresh_from_db()
    assert intruder.status == DisclosureFollowUp.Status.OPEN


@pytest.mark.django_db
def test_the_worker_home_shows_the_own_record_and_follow_up(client, world):
    registration = register(world, political_status=MEMBER)
    client.force_login(registration.user)

    page = client.get("/").content.decode()

    person = registration.person
    assert person.masked_id_number in page and person.id_number not in page
    assert person.masked_mobile in page and person.mobile not in page
    assert "甲外卖中山站" in page
    follow_up = page.split('data-testid="follow-up"', 1)[1].split("</div>", 1)[0]
    assert (
        "中山外卖联合党支部" in follow_up and registration.follow_up.due_on.strftime("%Y-%m-%d") in follow_up
    )
    assert "刘党员" not in page
