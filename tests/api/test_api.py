import pytest

pytestmark = pytest.mark.django_db


def test_openapi_lists_the_routes(client, world):
    client.force_login(world.users["district_admin"])
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/units/", "/api/units/{unit_pk}", "/api/organizations/", "/api/people/{person_pk}"} <= set(
        paths
    )


def test_unit_list_is_scoped_and_paginated(client, world):
    client.force_login(world.users["street_b"])
    body = client.get("/api/units/", {"limit": 2}).json()
    assert body["count"] == 3
    assert len(body["items"]) == 2
    assert {item["street_name"] for item in body["items"]} == {"滨海街道"}


def test_people_come_masked_only(client, world):
    client.force_login(world.users["worker"])
    person = world.people["worker"]
    body = client.get(f"/api/people/{person.pk}").json()
    assert body["masked_id_number"] == person.masked_id_number
    assert person.id_number not in str(body) and person.mobile not in str(body)
    other = world.people["worker_b"]
    assert client.get(f"/api/people/{other.pk}").status_code == 404
