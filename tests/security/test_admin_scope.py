"""The back office filters lists, drop-downs and record pages through the same scope."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission

from dangjian.accounts.scope import is_protected

pytestmark = pytest.mark.django_db

OUTSIDE = ("甲外卖滨海站", "滨海直播工作室", "滨海快递网点", "滨海直播党支部", "符海燕", "陈快递")


@pytest.fixture
def staff_a(client, world):
    user = world.users["street_a"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client.force_login(user)
    return user


def test_changelists_show_only_the_scope(client, staff_a):
    protected = [model for model in admin.site._registry if is_protected(model)]
    assert len(protected) >= 4
    for model in protected:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        body = client.get(url).content.decode()
        for name in OUTSIDE:
            assert name not in body, f"{name} listed at {url}"


def test_autocomplete_drop_downs_show_only_the_scope(client, staff_a, world):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "units", "model_name": "unit", "field_name": "parent", "term": ""},
    )
    names = {row["text"] for row in response.json()["results"]}
    assert "甲外卖总公司" in names
    assert not names & set(OUTSIDE)


def test_a_record_outside_the_scope_cannot_be_opened(client, staff_a, world):
    unit = world.units["plain_b"]
    response = client.get(f"/admin/units/unit/{unit.pk}/change/", follow=True)
    assert unit.name not in response.content.decode()
    inside = world.units["shop_a"]
    assert inside.name in client.get(f"/admin/units/unit/{inside.pk}/change/").content.decode()


def test_admin_edits_are_audited(client, world):
    from dangjian.core.models import AuditEvent

    client.force_login(world.users["district_admin"])
    admin_user = world.users["district_admin"]
    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save()
    unit = world.units["shop_a"]
    data = {
        "name": "中山便民配送店（新）",
        "kind": unit.kind,
        "industry": unit.industry,
        "uscc": unit.uscc,
        "street": unit.street_id,
        "key_area": "",
        "address": "",
        "operating_status": unit.operating_status,
    }
    response = client.post(f"/admin/units/unit/{unit.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.filter(object_id=unit.pk, action="updated").latest("at")
    assert event.changes["name"] == ["中山便民配送店", "中山便民配送店（新）"]
    assert event.actor == admin_user


def test_inline_edits_are_audited_too(client, world):
    from dangjian.core.models import AuditEvent
    from dangjian.organizations.models import CommitteeMember

    admin_user = world.users["district_admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    organization = world.organizations["branch_a"]
    member = CommitteeMember.objects.get(organization=organization)
    prefix = "committee_members"
    data = {
        "name": organization.name,
        "kind": organization.kind,
        "parent": organization.parent_id,
        "build_method": organization.build_method,
        "status": organization.status,
        "street": organization.street_id,
        "term_start": "2022-01-01",
        "term_end": "2025-01-01",
        "covered_units": [u.pk for u in organization.covered_units.all()],
        "industries-TOTAL_FORMS": 0,
        "industries-INITIAL_FORMS": 0,
        f"{prefix}-TOTAL_FORMS": 1,
        f"{prefix}-INITIAL_FORMS": 1,
        f"{prefix}-0-id": member.pk,
        f"{prefix}-0-organization": organization.pk,
        f"{prefix}-0-person": member.person_id,
        f"{prefix}-0-post": "secretary",
        f"{prefix}-0-start_date": "2022-01-01",
        f"{prefix}-0-end_date": "2026-06-30",
    }
    response = client.post(f"/admin/organizations/organization/{organization.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.filter(object_id=member.pk, content_type__model="committeemember").latest("at")
    assert event.changes["end_date"] == ["", "2026-06-30"]
    assert event.actor == admin_user
