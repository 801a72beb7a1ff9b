from django.conf import settings
from django.utils import translation

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class LanguageMiddleware:
    """Chinese for everyone unless they chose otherwise.

    A signed-in user's saved choice wins, then the language cookie (set by the switcher on the
    login page). The browser's Accept-Language is deliberately ignored: the district works in
    Chinese, and English is an opt-in per user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = (
            user.language if user is not None and user.is_authenticated else ""
        ) or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in SUPPORTED:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
