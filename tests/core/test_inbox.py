"""The staff inbox: one's own messages, unread first, marked read by the reader only."""

import pytest

from dangjian.accounts.scope import visible_to
from dangjian.core.models import Notification

pytestmark = pytest.mark.django_db


def _message(user, key, **fields):
    return Notification.objects.create(user=user, key=key, text=f"消息{key}", **fields)


def test_the_inbox_lists_own_messages_unread_first(client, world):
    staff = world.users["street_a"]
    read = _message(staff, "old", link="/units/")
    read.read_at = read.created_at
    read.save()
    unread = _message(staff, "new")
    _message(world.users["street_b"], "theirs")

    client.force_login(staff)
    page = client.get("/inbox/").content.decode()
    assert page.index(unread.text) < page.index(read.text)
    assert "消息theirs" not in page
    assert 'data-testid="inbox-unread">1<' in page  # the badge in the top bar


def test_the_district_administrator_sees_only_their_own_inbox(client, world):
    _message(world.users["street_a"], "a")
    admin = world.users["district_admin"]
    client.force_login(admin)
    assert "消息a" not in client.get("/inbox/").content.decode()
    # The scope rule: own only for everyone but the district, which the inbox narrows to its own.
    assert list(visible_to(world.users["street_b"], Notification.objects.all())) == []


def test_mark_read_and_open(client, world):
    staff = world.users["street_a"]
    shop = world.units["shop_a"]
    message = _message(staff, "visit", link=f"/units/{shop.pk}/#visits")
    client.force_login(staff)

    assert client.get(f"/inbox/{message.pk}/read/").status_code == 405  # a change needs a POST
    response = client.post(f"/inbox/{message.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == f"/units/{shop.pk}/#visits"
    message.refresh_from_db()
    assert message.read_at is not None
    assert 'data-testid="inbox-unread"' not in client.get("/inbox/").content.decode()


def test_no_one_marks_another_users_message(client, world):
    theirs = _message(world.users["street_b"], "theirs")
    client.force_login(world.users["street_a"])
    assert client.post(f"/inbox/{theirs.pk}/read/").status_code == 302
    client.post("/inbox/read-all/")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_outside_link_is_not_followed(client, world):
    staff = world.users["street_a"]
    message = _message(staff, "evil", link="https://evil.example/")
    client.force_login(staff)
    response = client.post(f"/inbox/{message.pk}/read/", {"open": "1"})
    assert response["Location"] == "/inbox/"


def test_mark_all_read(client, world):
    staff = world.users["street_a"]
    for key in ("a", "b", "c"):
        _message(staff, key)
    client.force_login(staff)
    assert 'data-testid="inbox-unread">3<' in client.get("/inbox/").content.decode()
    client.post("/inbox/read-all/")
    assert not Notification.objects.filter(user=staff, read_at__isnull=True).exists()


def test_the_badge_costs_one_query(client, world, django_assert_num_queries):
    from django.template import Context, Template
    from django.test import RequestFactory

    staff = world.users["street_a"]
    _message(staff, "a")
    request = RequestFactory().get("/")
    request.user = staff
    template = Template("{% load inbox %}{% inbox_unread as n %}{{ n }}")
    with django_assert_num_queries(1):
        assert template.render(Context({"request": request})) == "1"
