"""Every URL pattern of the project, found by walking the resolver (admin aside)."""

import re
from dataclasses import dataclass

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    pattern: str  # "units/<int:unit_pk>/"
    params: tuple[str, ...]

    def url(self, **values) -> str:
        return "/" + _PARAM.sub(lambda m: str(values[m.group("name")]), self.pattern)


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def all_routes() -> list[Route]:
    routes = []
    for pattern in _walk(get_resolver().url_patterns):
        pattern = pattern.lstrip("^").rstrip("$")
        routes.append(Route(pattern, tuple(m.group("name") for m in _PARAM.finditer(pattern))))
    return routes


def model_for_param(name: str):
    """``unit_pk`` -> Unit. Routes must name object parameters <model>_pk so this test covers them."""
    if not name.endswith("_pk"):
        raise AssertionError(f"route parameter {name!r}: name object parameters <model_name>_pk")
    model_name = name.removesuffix("_pk")
    matches = [m for m in apps.get_models() if m._meta.model_name == model_name]
    if len(matches) != 1:
        raise AssertionError(f"route parameter {name!r} matches {len(matches)} models")
    return matches[0]
