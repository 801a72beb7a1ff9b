from django.conf import settings

from dangjian.core.audit import save_tracked


def choose_language(*, user, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(language)
    user.language = language
    save_tracked(user, actor=user, validate=False)
