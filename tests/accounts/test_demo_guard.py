import pytest
from django.core.exceptions import ImproperlyConfigured

from dangjian.accounts.apps import demo_accounts_check
from dangjian.accounts.demo_guard import refuse_demo_accounts
from dangjian.accounts.models import User

pytestmark = pytest.mark.django_db


def test_production_refuses_to_start_with_demo_accounts(settings):
    User.objects.create_user("demo", password="x-very-long-pass", is_demo=True)
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="demo account"):
        refuse_demo_accounts()
    assert [e.id for e in demo_accounts_check(databases=["default"])] == ["dangjian.E001"]


def test_production_starts_without_demo_accounts(settings):
    User.objects.create_user("real", password="x-very-long-pass")
    settings.PRODUCTION = True
    refuse_demo_accounts()
    assert demo_accounts_check(databases=["default"]) == []


def test_development_allows_demo_accounts(settings):
    User.objects.create_user("demo", password="x-very-long-pass", is_demo=True)
    settings.PRODUCTION = False
    refuse_demo_accounts()


def test_remove_demo_accounts_clears_the_way(settings):
    from django.core.management import call_command

    User.objects.create_user("demo", password="x-very-long-pass", is_demo=True)
    User.objects.create_user("real", password="x-very-long-pass")
    call_command("remove_demo_accounts")
    settings.PRODUCTION = True
    refuse_demo_accounts()
    assert list(User.objects.values_list("username", flat=True)) == ["real"]
