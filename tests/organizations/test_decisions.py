"""The decision log: a covering organization's opinion on a unit's major matters and the outcome,
recorded by the party bodies answering for the unit, audited, shown on the unit page, and hidden
from those outside the scope and from the enterprise's liaison.

The world logs one decision of 中山外卖联合党支部 on 中山便民配送店 (adopted, 2025-05-20).
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.accounts.scope import visible_to
from dangjian.core.models import AuditEvent
from dangjian.organizations.leadership_services import amend_decision, record_decision
from dangjian.organizations.models import MajorDecision
from tests.world import add_intruders

pytestmark = pytest.mark.django_db


def _record(world, persona="branch_secretary", **fields):
    values = {
        "unit": world.units["outlet_a"],
        "organization": world.organizations["branch_a"],
        "decided_on": datetime.date(2025, 9, 1),
        "matter": "新设骑手休息点",
        "opinion": "同意，建议与红色驿站共建。",
    }
    values.update(fields)
    return record_decision(actor=world.users[persona] if persona else None, **values)


def test_the_secretary_records_a_decision_with_its_audit_event(world):
    decision = _record(world)
    assert decision.recorded_by == world.users["branch_secretary"]
    assert decision.outcome == MajorDecision.Outcome.PENDING
    event = AuditEvent.objects.get(content_type__model="majordecision", object_id=decision.pk)
    assert event.action == "created" and event.actor == world.users["branch_secretary"]
    assert event.changes["matter"] == ["", "新设骑手休息点"]


def test_street_and_industry_committee_staff_may_record_too(world):
    _record(world, persona="street_a")
    express = world.units["express_b"]
    # The express committee leads the express industry, but no organization covers 滨海快递网点.
    with pytest.raises(ValidationError) as error:
        _record(world, persona="committee_staff", unit=express, organization=world.organizations["committee"])
    assert "organization" in error.value.error_dict
    world.organizations["committee"].covered_units.add(express)
    _record(world, persona="committee_staff", unit=express, organization=world.organizations["committee"])


def test_refusals(world):
    for persona in ("liaison", "worker", "street_b"):
        with pytest.raises(PermissionDenied):
            _record(world, persona=persona)
    with pytest.raises(ValidationError) as error:
        _record(world, organization=world.organizations["branch_b"])  # does not cover the unit
    assert "organization" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        _record(world, decided_on=datetime.date(2099, 1, 1))
    assert "decided_on" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        _record(world, opinion="   ")
    assert "opinion" in error.value.error_dict
    assert MajorDecision.objects.count() == 1  # the world's own


def test_the_outcome_is_recorded_later_and_the_change_audited(world):
    decision = _record(world)
    amend_decision(
        actor=world.users["street_a"],
        decision=decision,
        outcome=MajorDecision.Outcome.PARTLY_ADOPTED,
        outcome_note="休息点设立，共建另议。",
    )
    decision.refresh_from_db()
    assert decision.outcome == "partly_adopted"
    event = AuditEvent.objects.filter(content_type__model="majordecision", object_id=decision.pk).first()
    assert event.action == "updated" and event.actor == world.users["street_a"]
    assert set(event.changes) == {"outcome", "outcome_note"}
    with pytest.raises(PermissionDenied):
        amend_decision(actor=world.users["liaison"], decision=decision, outcome="adopted")
    with pytest.raises(TypeError):
        amend_decision(actor=None, decision=decision, unit=world.units["shop_a"])


def test_who_sees_the_log(world):
    decisions = MajorDecision.objects.all()
    seen = {persona: visible_to(world.users[persona], decisions).count() for persona in world.users}
    assert seen == {
        "district_admin": 1,
        "street_a": 1,
        "street_b": 0,
        "committee_staff": 0,
        "branch_secretary": 1,
        "liaison": 0,  # the enterprise does not read the organization's opinions
        "worker": 0,
    }


# --- pages ---------------------------------------------------------------------------------------


def test_the_unit_page_shows_the_log(client, world):
    shop = world.units["shop_a"]
    client.force_login(world.users["street_a"])
    page = client.get(f"/units/{shop.pk}/").content.decode()
    assert 'data-testid="decision"' in page and "调整骑手排班和高温补贴" in page
    assert f"/organizations/units/{shop.pk}/decisions/new/" in page


def test_the_liaison_sees_no_log_and_no_form(client, world):
    client.force_login(world.users["liaison"])
    outlet = world.units["outlet_a"]
    _record(world, persona=None)
    page = client.get(f"/units/{outlet.pk}/").content.decode()
    assert 'data-testid="unit-leadership"' in page
    assert "新设骑手休息点" not in page and "decisions/new" not in page
    assert client.get(f"/organizations/units/{outlet.pk}/decisions/new/").status_code == 403


def test_the_form_records_and_edits(client, world):
    outlet = world.units["outlet_a"]
    client.force_login(world.users["branch_secretary"])
    url = f"/organizations/units/{outlet.pk}/decisions/new/"
    page = client.get(url).content.decode()
    assert "中山外卖联合党支部" in page  # the one covering organization, chosen already
    response = client.post(
        url,
        {
            "organization": world.organizations["branch_a"].pk,
            "decided_on": "2025-10-10",
            "matter": "调整配送片区",
            "opinion": "建议保留老骑手原片区。",
            "outcome": "pending",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#leadership")
    decision = MajorDecision.objects.get(matter="调整配送片区")
    assert decision.unit == outlet and decision.recorded_by == world.users["branch_secretary"]

    edit = f"/organizations/decisions/{decision.pk}/"
    page = client.get(edit).content.decode()
    assert 'data-testid="timeline"' in page
    data = {
        "organization": decision.organization_id,
        "decided_on": "2025-10-10",
        "matter": "调整配送片区",
        "opinion": "建议保留老骑手原片区。",
        "outcome": "adopted",
        "outcome_note": "",
    }
    assert client.post(edit, data).status_code == 302
    decision.refresh_from_db()
    assert decision.outcome == "adopted"
    # A date in the future is refused with the form shown again.
    response = client.post(edit, {**data, "decided_on": "2099-01-01"})
    assert response.status_code == 200 and 'class="invalid-feedback' in response.content.decode()


def test_decisions_outside_the_scope_answer_404(client, world):
    add_intruders(world)
    outsider = MajorDecision.objects.get(unit__name="越界单位新坡货运")
    for persona in ("street_a", "street_b", "committee_staff", "branch_secretary", "liaison", "worker"):
        client.force_login(world.users[persona])
        assert client.get(f"/organizations/decisions/{outsider.pk}/").status_code == 404, persona
    client.force_login(world.users["district_admin"])
    assert client.get(f"/organizations/decisions/{outsider.pk}/").status_code == 200


def test_the_api_hides_the_log_from_the_liaison(client, world):
    outlet = world.units["outlet_a"]
    _record(world, persona=None)
    client.force_login(world.users["branch_secretary"])
    assert [d["matter"] for d in client.get(f"/api/leadership/units/{outlet.pk}/decisions").json()] == [
        "新设骑手休息点"
    ]
    client.force_login(world.users["liaison"])
    assert client.get(f"/api/leadership/units/{outlet.pk}/decisions").json() == []


def test_no_log_button_where_no_organization_covers_the_unit(client, world):
    express = world.units["express_b"]  # covered by no organization
    client.force_login(world.users["street_b"])
    page = client.get(f"/units/{express.pk}/").content.decode()
    assert 'data-testid="unit-leadership"' in page and "decisions/new" not in page
    form = client.get(f"/organizations/units/{express.pk}/decisions/new/")
    assert form.status_code == 200 and 'data-testid="form-notice"' in form.content.decode()
