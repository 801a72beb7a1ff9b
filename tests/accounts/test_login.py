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
    # The tests turn argon2's cost down (conftest); the project's own setting keeps the real one.
    from dangjian import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


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


@pytest.mark.django_db
def test_workers_log_in_with_their_mobile_number_which_is_never_stored_in_clear(client, world):
    from axes.models import AccessAttempt

    worker = world.people["worker"]
    user = world.users["worker"]
    assert (
        client.post("/accounts/login/", {"username": worker.mobile, "password": PASSWORD}).status_code == 302
    )
    assert int(client.session["_auth_user_id"]) == user.pk
    client.logout()
    client.post("/accounts/login/", {"username": worker.mobile, "password": "wrong"})
    attempt = AccessAttempt.objects.get()
    assert worker.mobile not in attempt.username and attempt.username.startswith("mobile:")
    assert not User.objects.filter(username__contains=worker.mobile).exists()


@pytest.mark.django_db
def test_a_mobile_number_shared_by_two_accounts_logs_nobody_in(client, world):
    from dangjian.people.models import Person

    other = world.people["worker_b"]
    other.mobile = world.people["worker"].mobile
    other.user = world.users["street_b"]
    other.save()
    response = client.post("/accounts/login/", {"username": other.mobile, "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert Person.objects.filter(mobile_index=other.mobile_index).count() == 2
