import pytest

from dangjian.core.audit import HIDDEN, save_tracked, timeline
from dangjian.core.models import AuditEvent
from dangjian.people.models import Person
from tests.world import make_id_number

pytestmark = pytest.mark.django_db


def test_every_tracked_save_writes_one_event_with_the_changed_fields(world):
    unit = world.units["shop_a"]
    unit.address = "海口市龙华区中山街道博爱北路1号"
    event = save_tracked(unit, actor=world.users["district_admin"])
    assert event.action == "updated"
    assert event.changes == {"address": ["", "海口市龙华区中山街道博爱北路1号"]}
    assert save_tracked(unit, actor=world.users["district_admin"]) is None  # nothing changed
    assert timeline(world.users["street_a"], unit).first() == event
    assert not timeline(world.users["street_b"], unit).exists()


def test_personal_data_never_reaches_the_audit_trail(world):
    person = world.people["worker"]
    old, new = person.id_number, make_id_number("19850505")
    person.id_number = new
    event = save_tracked(person, actor=world.users["district_admin"])
    assert event.changes["id_number"] == [HIDDEN, HIDDEN]
    stored = str(AuditEvent.objects.filter(object_id=person.pk).values_list("changes", flat=True)[::1])
    assert old not in stored and new not in stored


def test_personal_data_is_encrypted_at_rest_and_found_by_blind_index(world):
    from django.db import connection

    from dangjian.core.crypto import blind_index

    person = world.people["worker"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile FROM people_person WHERE id = %s", [person.pk])
        raw_id, raw_mobile = cursor.fetchone()
    assert person.id_number not in raw_id and person.mobile not in raw_mobile
    found = Person.objects.get(id_number_index=blind_index(person.id_number, "id_number"))
    assert found == person
    assert person.masked_id_number.startswith(person.id_number[:4]) and "*" in person.masked_id_number
