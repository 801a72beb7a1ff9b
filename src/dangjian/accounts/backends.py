"""Workers log in with their mobile number, which is stored only encrypted.

A worker's account has an opaque username; the mobile number lives in their Person record
(encrypted, with a blind index). This backend finds the account through that index, so the
number never has to be stored in clear in the user table or the login logs.
"""

from django.contrib.auth.backends import ModelBackend

from dangjian.core.crypto import blind_index
from dangjian.core.validators import MOBILE_RE, normalize_identifier


def mobile_index(login: str | None) -> str | None:
    """The blind index of a login that is a mainland mobile number, else None."""
    text = normalize_identifier(login or "")
    return blind_index(text, "mobile") if MOBILE_RE.fullmatch(text) else None


class MobileBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        index = mobile_index(username)
        if index is None or password is None:
            return None
        from dangjian.people.models import Person

        users = [
            p.user
            for p in Person.objects.filter(mobile_index=index, user__isnull=False).select_related("user")
        ]
        if len(users) != 1:  # registration keeps one account per number; refuse rather than guess
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def login_name_for_lockout(request, credentials) -> str:
    """What django-axes records and counts attempts by: a mobile number only as its keyed hash."""
    login = (credentials or {}).get("username") or ""
    index = mobile_index(login)
    return f"mobile:{index[:24]}" if index else login
