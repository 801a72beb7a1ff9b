"""Secretaries and leadership (measure 5): the rules an organization's leading group is checked
against. Pure functions over plain facts, so they are tested without a database.

The numbers come from the rule table (core/rules.py), read once by ``limits_from_rule_table`` and
passed in; a rule the district switched off (None) is not checked.

- 《中国共产党支部工作条例（试行）》（2018）第九条: a branch with 7 or more full members sets up a
  committee of 3 to 5 (normally no more than 7): secretary, organization, propaganda and discipline
  members, a deputy secretary if needed. With fewer than 7, no committee: a secretary, and a
  deputy if needed.
- Terms: branch committees 3 years, primary committees 3 to 5 years; an organization whose term
  has run out is due for re-election (换届).
- 《中国共产党基层组织选举工作条例》（2020）第五条: probationary members have no right to stand
  for election, so those holding a post must be full members.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# Which kinds the rules look at. Party groups (党小组) have a group leader, no term and no
# committee; the leading bodies (working committees) are checked for secretary, holders and term.
BRANCH = "branch"
GENERAL_BRANCH = "general_branch"
COMMITTEE = "committee"
LEADING_KINDS = frozenset(
    {"two_new_committee", "comprehensive_committee", "street_committee", "town_committee"}
)
UNIT_KINDS = frozenset({BRANCH, GENERAL_BRANCH, COMMITTEE})  # built in the units, with members
CHECKED_KINDS = UNIT_KINDS | LEADING_KINDS
# Primary committees and the leading bodies serve committee terms; the rest branch terms.
COMMITTEE_TERM_KINDS = frozenset({COMMITTEE}) | LEADING_KINDS

SECRETARY = "secretary"
DEPUTY = "deputy_secretary"
# The posts a branch committee normally has besides the secretary (第九条).
COMMITTEE_POSTS = ("organization", "propaganda", "discipline")

BREACH = "breach"  # against the rule
NOTICE = "notice"  # worth checking: a gap in the record or an approaching date


def term_rule_key(kind: str) -> str:
    return "committee-term-years" if kind in COMMITTEE_TERM_KINDS else "branch-term-years"


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def reelection_state(
    term_end: datetime.date | None, today: datetime.date, notice_days: int | None, *, dissolved: bool = False
) -> str:
    """'overdue' once the term has run out, 'due' within the notice period, else ''."""
    if not term_end or dissolved:
        return ""
    if term_end < today:
        return "overdue"
    if notice_days is not None and term_end <= today + datetime.timedelta(days=notice_days):
        return "due"
    return ""


def reelection_due_on(
    term_start: datetime.date | None, term_end: datetime.date | None, term_years: int | None
) -> datetime.date | None:
    """When the next re-election falls due: the recorded term end, else start plus the term length."""
    if term_end:
        return term_end
    if term_start and term_years:
        return add_years(term_start, term_years)
    return None


@dataclass(frozen=True)
class Limits:
    """The rule table's numbers; None where the district switched a rule off."""

    committee_threshold: int | None = 7
    committee_min: int | None = 3
    committee_usual_max: int | None = 5
    committee_max: int | None = 7
    max_deputies_without_committee: int | None = 1
    branch_term_years: int | None = 3
    committee_term_years: int | None = 5
    notice_days: int | None = 90

    def term_years(self, kind: str) -> int | None:
        return self.committee_term_years if kind in COMMITTEE_TERM_KINDS else self.branch_term_years


def limits_from_rule_table() -> Limits:
    """The district's current values, in one query."""
    from dangjian.core.models import Rule

    keys = {
        "committee_threshold": "branch-committee-member-threshold",
        "committee_min": "branch-committee-min-size",
        "committee_usual_max": "branch-committee-usual-max-size",
        "committee_max": "branch-committee-max-size",
        "max_deputies_without_committee": "branch-without-committee-max-deputies",
        "branch_term_years": "branch-term-years",
        "committee_term_years": "committee-term-years",
        "notice_days": "organization-reelection-notice-days",
    }
    rules = {r.key: r for r in Rule.objects.filter(key__in=keys.values())}
    missing = set(keys.values()) - rules.keys()
    if missing:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"Rules {sorted(missing)} are missing from the rule table; run migrations."
        )
    return Limits(**{name: rules[key].value if rules[key].enabled else None for name, key in keys.items()})


@dataclass(frozen=True)
class Facts:
    """What is on record about one organization's leading group."""

    kind: str
    active: bool = True
    full_members: int = 0  # people whose organization this is, recorded as full members
    posts: dict[str, int] = field(default_factory=dict)  # sitting posts: {post: how many}
    seats: int = 0  # distinct people holding a sitting post
    holders_not_full: int = 0  # of those, people not recorded as full members
    term_start: datetime.date | None = None
    term_end: datetime.date | None = None


# code -> (severity, message); messages take the finding's params.
MESSAGES = {
    "no_secretary": (BREACH, _("No sitting secretary.")),
    "committee_missing": (
        BREACH,
        _(
            "%(members)s full members: a committee of %(min)s or more is required, "
            "but %(seats)s people hold posts."
        ),
    ),
    "committee_too_large": (
        BREACH,
        _("The committee has %(seats)s members; the rule allows at most %(max)s."),
    ),
    "committee_above_usual": (
        NOTICE,
        _("The committee has %(seats)s members; it is normally %(min)s to %(usual_max)s."),
    ),
    "committee_posts_missing": (NOTICE, _("Committee posts not filled: %(posts)s.")),
    "committee_below_threshold": (
        NOTICE,
        _(
            "Only %(members)s full members (fewer than %(threshold)s): a branch sets up no committee, "
            "only a secretary and, if needed, a deputy; %(extra)s other posts are recorded."
        ),
    ),
    "too_many_deputies": (
        BREACH,
        _("%(deputies)s deputy secretaries; a branch without a committee has at most %(max)s."),
    ),
    "holders_not_full": (
        BREACH,
        _(
            "%(holders)s post holders are not recorded as full party members "
            "(probationary members cannot be elected)."
        ),
    ),
    "no_members": (NOTICE, _("No full party members are recorded for this organization.")),
    "no_term": (NOTICE, _("No term dates recorded.")),
    "term_too_long": (
        BREACH,
        _("The term from %(start)s to %(end)s is longer than %(years)s years."),
    ),
    "term_expired": (BREACH, _("The term ended on %(end)s: re-election is overdue.")),
    "reelection_due": (NOTICE, _("The term ends on %(end)s: prepare the re-election.")),
}
CODES = tuple(MESSAGES)


@dataclass(frozen=True)
class Finding:
    code: str
    params: dict = field(default_factory=dict)

    @property
    def severity(self) -> str:
        return MESSAGES[self.code][0]

    @property
    def is_breach(self) -> bool:
        return self.severity == BREACH

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code][1]) % self.params


def _post_labels(posts) -> str:
    from dangjian.organizations.models import CommitteeMember

    labels = dict(CommitteeMember.Post.choices)
    return "、".join(str(labels.get(post, post)) for post in posts)


def check_branch_size(facts: Facts, limits: Limits) -> list[Finding]:
    """第九条: a committee from the threshold up, a secretary (and a deputy) below it."""
    findings = []
    threshold = limits.committee_threshold
    if threshold is None:
        return findings
    if facts.full_members >= threshold:
        if limits.committee_min is not None and facts.seats < limits.committee_min:
            findings.append(
                Finding(
                    "committee_missing",
                    {"members": facts.full_members, "min": limits.committee_min, "seats": facts.seats},
                )
            )
        if limits.committee_max is not None and facts.seats > limits.committee_max:
            findings.append(
                Finding("committee_too_large", {"seats": facts.seats, "max": limits.committee_max})
            )
        elif limits.committee_usual_max is not None and facts.seats > limits.committee_usual_max:
            findings.append(
                Finding(
                    "committee_above_usual",
                    {
                        "seats": facts.seats,
                        "min": limits.committee_min or 1,
                        "usual_max": limits.committee_usual_max,
                    },
                )
            )
        missing = [post for post in COMMITTEE_POSTS if not facts.posts.get(post)]
        if missing and facts.seats >= (limits.committee_min or 1):
            findings.append(Finding("committee_posts_missing", {"posts": _post_labels(missing)}))
    else:
        extra = sum(n for post, n in facts.posts.items() if post not in (SECRETARY, DEPUTY))
        if extra:
            findings.append(
                Finding(
                    "committee_below_threshold",
                    {"members": facts.full_members, "threshold": threshold, "extra": extra},
                )
            )
        deputies = facts.posts.get(DEPUTY, 0)
        max_deputies = limits.max_deputies_without_committee
        if max_deputies is not None and deputies > max_deputies:
            findings.append(Finding("too_many_deputies", {"deputies": deputies, "max": max_deputies}))
    return findings


def check_term(facts: Facts, limits: Limits, today: datetime.date) -> list[Finding]:
    if not facts.term_end:
        return [Finding("no_term")]
    findings = []
    years = limits.term_years(facts.kind)
    if facts.term_start and years is not None and facts.term_end > add_years(facts.term_start, years):
        findings.append(
            Finding(
                "term_too_long",
                {"start": facts.term_start.isoformat(), "end": facts.term_end.isoformat(), "years": years},
            )
        )
    state = reelection_state(facts.term_end, today, limits.notice_days)
    if state == "overdue":
        findings.append(Finding("term_expired", {"end": facts.term_end.isoformat()}))
    elif state == "due":
        findings.append(Finding("reelection_due", {"end": facts.term_end.isoformat()}))
    return findings


def check_leadership(facts: Facts, limits: Limits, today: datetime.date) -> list[Finding]:
    """Every finding on one organization's leading group, breaches first. Only active
    organizations of the checked kinds are checked: one being prepared has no leading group yet."""
    if not facts.active or facts.kind not in CHECKED_KINDS:
        return []
    findings = []
    if not facts.posts.get(SECRETARY):
        findings.append(Finding("no_secretary"))
    if facts.holders_not_full:
        findings.append(Finding("holders_not_full", {"holders": facts.holders_not_full}))
    if facts.kind in UNIT_KINDS and facts.full_members == 0:
        findings.append(Finding("no_members"))
    if facts.kind == BRANCH:
        findings += check_branch_size(facts, limits)
    findings += check_term(facts, limits, today)
    return sorted(findings, key=lambda f: (not f.is_breach, CODES.index(f.code)))
