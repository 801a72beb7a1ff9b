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
    (
        4,
        _("Two coverages"),
        [
            (_("Campaign progress"), "coverage:progress"),
            (_("Coverage of units"), "coverage:units"),
            (_("Coverage map"), "coverage:map"),
            (_("Joint-build planner"), "coverage:proposals"),
            (_("One-to-one help"), "coverage:pledges"),
            (_("Committee members without a pledge"), "coverage:pledges_missing"),
        ],
    ),
    (
        5,
        _("Party-affairs staff and membership"),
        [
            (_("Leadership out of rule"), "organizations:leadership"),
            (_("Cross appointment"), "organizations:cross_appointment"),
            (_("Development pipeline"), "membership:records"),
            (_("Development to-do"), "membership:todo"),
            (_("Development quotas"), "membership:quota_list"),
            (_("Mobile party members"), "membership:mobile_list"),
            (_("Members' share"), "membership:share"),
        ],
    ),
    (6, _("Education and management"), []),
    (7, _("Investors"), []),
    (8, _("A real role"), []),
    (
        9,
        _("Care and support"),
        [
            (_("Red rider stations"), "care:stations"),
            (_("Station usage"), "care:station_usage"),
            (_("Station finder (public)"), "stations:finder"),
            (_("Care fund applications"), "care:fund_list"),
            (_("Care funds"), "care:fund_funds"),
            (_("Care fund reports"), "care:fund_reports"),
            (_("Legal aid"), "care:legal_list"),
        ],
    ),
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
