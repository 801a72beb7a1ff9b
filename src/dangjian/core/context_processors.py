"""The navigation, grouped by the ten measures of the district's policy."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (measure number, title, [(label, url name)]) — a measure with no pages yet shows as "coming".
MEASURES = [
    (
        1,
        _("Management mechanism"),
        [
            (_("Regions"), "regions:tree"),
            (_("Units"), "units:list"),
            (_("Units without a responsible street"), "units:without_street"),
            (_("Offices"), "organizations:offices"),
        ],
    ),
    (
        2,
        _("Working bodies"),
        [
            (_("Party organizations"), "organizations:list"),
            (_("Re-elections due"), "organizations:reelection_due"),
        ],
    ),
    (
        3,
        _("Census"),
        [
            (_("Imports"), "spreadsheets:imports"),
            (_("Overdue return visits"), "units:visits_overdue"),
            (_("Disclosure follow-ups"), "people:follow_ups"),
            (_("Five-clears ledger"), "units:ledger"),
            (_("People"), "people:list"),
        ],
    ),
    (4, _("Two coverages"), []),
    (5, _("Party-affairs staff and membership"), []),
    (6, _("Education and management"), []),
    (7, _("Investors"), []),
    (8, _("A real role"), []),
    (9, _("Care and support"), []),
    (10, _("Political incentives"), []),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = request.path
    groups = [
        {
            "number": number,
            "title": title,
            "links": [{"label": label, "url": reverse(name)} for label, name in items],
        }
        for number, title, items in MEASURES
    ]
    # One active entry: the longest link the page is under (/units/ledger/ is not also /units/).
    matches = [
        link
        for group in groups
        for link in group["links"]
        if link["url"] != "/" and current.startswith(link["url"])
    ]
    active = max(matches, key=lambda link: len(link["url"]), default=None)
    for group in groups:
        for link in group["links"]:
            link["active"] = link is active
    return {"navigation": groups}
