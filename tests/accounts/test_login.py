import pytest
from django.test import override_settings

from dangjian.accounts.models import User
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_by_default(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "登录" in response.content.decode()


def test_login_and_logout(client, world):
    response = client.post("/accounts/login/", {"username": "street_a", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account(client, world):
    for _ in range(3):
        client.post("/accounts/login/", {"username": "street_a", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "street_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "账户已锁定" in response.content.decode()


def test_passwords_are_hashed_with_argon2(world):
    assert User.objects.get(username="street_a").password.startswith("argon2")


def test_language_choice_is_saved_on_the_user(client, world):
    client.force_login(world.users["street_a"])
    response = client.post("/accounts/language/", {"language": "en", "next": "/units/"})
    assert response.status_code == 302 and response["Location"] == "/units/"
    assert User.objects.get(username="street_a").language == "en"
    client.cookies.clear()
    client.force_login(world.users["street_a"])
    assert '<html lang="en">' in client.get("/units/").content.decode()


def test_language_switch_refuses_foreign_redirects(client):
    response = client.post("/accounts/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
