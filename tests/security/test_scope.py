"""No persona sees, counts or finds anything outside its scope, on any route.

The routes are enumerated from the URL resolver, so a new page or API route is covered without
being added here. The check is differential: every page a persona can open is rendered, then
data outside the persona's scope is added, and every page must render exactly the same (nothing
listed, shown, counted or offered in a drop-down changed), while the new records' own pages
answer 404.
"""

import io
import re

import pytest
from python_calamine import CalamineWorkbook

from dangjian.accounts.scope import visible_to
from dangjian.spreadsheets.exports import XLSX
from tests.security.routes import all_routes, model_for_param
from tests.world import add_intruders, unit

_VOLATILE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), 'name="csrfmiddlewaretoken" value=""'),
    (re.compile(r'"X-CSRFToken": "[^"]+"'), '"X-CSRFToken": ""'),
    (re.compile(r'data-csrf-token="[^"]+"'), 'data-csrf-token=""'),
]


def _normalized(response) -> tuple[int, str]:
    if response.get("Content-Type") == XLSX:
        # Workbooks carry a creation time: compare what is in the cells.
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        return response.status_code, repr([workbook.get_sheet_by_index(0).to_python()])
    body = response.content.decode("utf-8", errors="replace")
    for pattern, replacement in _VOLATILE:
        body = pattern.sub(replacement, body)
    return response.status_code, body


def _urls_in_scope(user):
    """Every route: plain ones as they are, parameterized ones with each visible object's pk."""
    urls = []
    for route in all_routes():
        if not route.params:
            urls.append(route.url())
            continue
        (param,) = route.params
        model = model_for_param(param)
        for pk in visible_to(user, model._default_manager.all()).values_list("pk", flat=True):
            urls.append(route.url(**{param: pk}))
    return urls


def _render_all(client, urls):
    return {url: _normalized(client.get(url)) for url in urls}


def test_every_route_is_resolvable_by_the_scope_test():
    routes = all_routes()
    assert any(r.params for r in routes), "expected detail routes"
    for route in routes:
        for param in route.params:
            model_for_param(param)


@pytest.mark.django_db
def test_nothing_outside_the_scope_leaks(client, world, persona):
    user = world.users[persona]
    client.force_login(user)
    urls = _urls_in_scope(user)
    before = _render_all(client, urls)
    assert any(status == 200 for status, _ in before.values())

    intruders = add_intruders(world)
    after = _render_all(client, urls)
    if persona == "district_admin":
        # The district sees everything: the pages must change, which also shows the check can fail.
        assert before != after
        return
    changed = [url for url in urls if before[url] != after[url]]
    assert not changed, f"{persona}: pages changed by data outside the scope: {changed}"

    for route in all_routes():
        if not route.params:
            continue
        (param,) = route.params
        model = model_for_param(param)
        for objects in intruders.values():
            for obj in objects:
                if isinstance(obj, model):
                    response = client.get(route.url(**{param: obj.pk}))
                    assert response.status_code == 404, f"{persona} opened {route.url(**{param: obj.pk})}"
                    assert obj.name not in response.content.decode()


@pytest.mark.django_db
def test_in_scope_additions_do_show(client, world):
    """The control for the test above: data inside the scope changes the persona's pages."""
    client.force_login(world.users["street_a"])
    before = _normalized(client.get("/units/"))
    unit("中山新开配送站", world.street_a)
    after = _normalized(client.get("/units/"))
    assert before != after
    assert "中山新开配送站" in after[1]


# Pages meant for visitors who are not signed in: entry registration (a worker registers before
# having an account). tests/people/test_registration.py checks what they show. The red rider
# station finder (listed stations only, and check-ins by a station's poster code):
# tests/care/test_station_pages.py checks what it shows.
PUBLIC_PREFIXES = ("register/", "stations/")


@pytest.mark.django_db
def test_anonymous_visitors_see_no_protected_page(client, world):
    for route in all_routes():
        if route.params or route.pattern.startswith(("accounts/", "api/", *PUBLIC_PREFIXES)):
            continue
        response = client.get(route.url())
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], route.pattern
    assert client.get("/api/units/").status_code == 401
