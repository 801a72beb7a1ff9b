"""A cheap fixed-window counter in the cache, for public forms that must not be scripted.

The key names what is counted and for whom (an IP address); nothing personal is stored in it.
"""

from django.core.cache import cache


def client_ip(request) -> str:
    # The same source django-axes uses for login lockouts: the address the server saw.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(name: str, who: str) -> str:
    return f"ratelimit:{name}:{who}"


def count(name: str, who: str) -> int:
    return cache.get(_key(name, who), 0)


def exceeded(name: str, who: str, *, limit: int) -> bool:
    return count(name, who) >= limit


def hit(name: str, who: str, *, window_seconds: int) -> int:
    """Count one more event in the current window; returns the count so far."""
    key = _key(name, who)
    # add() starts the window only if none is running; incr() is atomic in every shared backend.
    if cache.add(key, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the window ran out between add() and incr()
        cache.add(key, 1, timeout=window_seconds)
        return 1
