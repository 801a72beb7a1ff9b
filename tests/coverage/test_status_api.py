"""The coverage API: the same computed status, gaps and progress as the pages, in the same scope."""

import pytest

pytestmark = pytest.mark.django_db


def test_list_detail_and_progress(client, world):
    client.force_login(world.users["street_a"])
    data = client.get("/api/coverage/units").json()
    rows = {row["name"]: row for row in data["items"]}
    assert set(rows) == {"甲外卖总公司", "甲外卖中山站", "中山便民配送店"} and data["count"] == 3
    assert rows["中山便民配送店"]["coverage_status"] == "organizational"
    assert rows["中山便民配送店"]["gaps"] == ["term_expired"]  # branch_a's term ran out in 2025
    assert rows["甲外卖总公司"]["coverage_status"] == "work"
    only = client.get("/api/coverage/units", {"status": "work"}).json()
    assert [row["name"] for row in only["items"]] == ["甲外卖总公司"]

    detail = client.get(f"/api/coverage/units/{world.units['shop_a'].pk}").json()
    assert detail["next_step"] == "reelect" and detail["organizations"] == ["中山外卖联合党支部"]
    assert client.get(f"/api/coverage/units/{world.units['express_b'].pk}").status_code == 404

    progress = client.get("/api/coverage/progress").json()
    assert [g["label"] for g in progress["groups"]] == ["中山街道"]
    assert progress["total"]["units"] == 3 and progress["total"]["org_rate"] == 66.7
    assert len(progress["months"]) == 12 and progress["months"][-1]["units"] == 3


def test_anonymous_is_refused(client, world):
    assert client.get("/api/coverage/units").status_code == 401
