"""The rules of member development (发展党员), as pure functions.

Two kinds of check decide whether a step may be recorded:

* the order of the pipeline (``problems``): which steps a stage allows, which steps must come
  first, dates not in the future and not before the current stage began. These are the shape of
  the process; nobody overrides them (a missing step is recorded first).
* the time limits and conditions of the rule table (``violations``): ``RuleSpec``s built from
  ``DevelopmentRule`` rows as they apply to one organization. A step that breaks one is refused
  with a message naming the rule and the dates; a district administrator may record it all the
  same with a reason (``membership.services``).

Nothing here reads the database: the caller passes the record's facts, the proposed step and the
rules, so every transition is tested with fixed dates (tests/membership/test_pipeline_rules.py).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dangjian.membership.models import DevelopmentRecord, DevelopmentRule, DevelopmentStep

Stage = DevelopmentRecord.Stage
Kind = DevelopmentStep.Kind
Check = DevelopmentRule.Check
Unit = DevelopmentRule.Unit

# The policy counts three days of training as 24 class hours.
HOURS_PER_TRAINING_DAY = 8
FULL_MEMBER = "full_member"  # Person.PoliticalStatus.FULL_MEMBER, without importing people here

# Which steps each open stage allows.
ALLOWED_STEPS: dict[str, tuple[str, ...]] = {
    Stage.APPLICANT: (Kind.FIRST_TALK, Kind.ACTIVIST, Kind.WITHDRAWAL),
    Stage.ACTIVIST: (Kind.CONTACTS, Kind.REVIEW, Kind.TARGET, Kind.WITHDRAWAL),
    Stage.DEVELOPMENT_TARGET: (
        Kind.POLITICAL_REVIEW,
        Kind.TRAINING,
        Kind.INTRODUCERS,
        Kind.PLAN,
        Kind.VOTE,
        Kind.WITHDRAWAL,
    ),
    Stage.PROBATIONARY_MEMBER: (Kind.APPROVAL, Kind.EXTENSION, Kind.FULL_MEMBERSHIP, Kind.CANCELLATION),
}
# Steps that must be on record before another may be recorded.
REQUIRED_BEFORE: dict[str, tuple[str, ...]] = {
    Kind.ACTIVIST: (Kind.FIRST_TALK,),
    Kind.TARGET: (Kind.CONTACTS,),
    Kind.VOTE: (Kind.POLITICAL_REVIEW, Kind.TRAINING, Kind.INTRODUCERS),
    Kind.EXTENSION: (Kind.APPROVAL,),
    Kind.FULL_MEMBERSHIP: (Kind.APPROVAL,),
}
# Steps recorded once per record.
ONCE = (Kind.FIRST_TALK, Kind.PLAN, Kind.APPROVAL)
# The steps that move a record to another stage.
NEXT_STAGE: dict[str, str] = {
    Kind.ACTIVIST: Stage.ACTIVIST,
    Kind.TARGET: Stage.DEVELOPMENT_TARGET,
    Kind.VOTE: Stage.PROBATIONARY_MEMBER,
    Kind.FULL_MEMBERSHIP: Stage.FULL_MEMBER,
    Kind.CANCELLATION: Stage.CANCELLED,
    Kind.WITHDRAWAL: Stage.WITHDRAWN,
}
# Steps that name full members.
PEOPLE_STEPS = (Kind.CONTACTS, Kind.INTRODUCERS)

# How a step's date is called in a message ("申请日期 2026-01-05").
DATE_LABELS = {
    Kind.APPLICATION: gettext_lazy("application date"),
    Kind.FIRST_TALK: gettext_lazy("first talk date"),
    Kind.ACTIVIST: gettext_lazy("activist designation date"),
    Kind.CONTACTS: gettext_lazy("contacts assignment date"),
    Kind.REVIEW: gettext_lazy("half-year review date"),
    Kind.TARGET: gettext_lazy("development-target designation date"),
    Kind.PLAN: gettext_lazy("development plan date"),
    Kind.POLITICAL_REVIEW: gettext_lazy("political review date"),
    Kind.TRAINING: gettext_lazy("training date"),
    Kind.INTRODUCERS: gettext_lazy("introducers date"),
    Kind.VOTE: gettext_lazy("branch general meeting vote date"),
    Kind.APPROVAL: gettext_lazy("higher committee approval date"),
    Kind.PROBATION_START: gettext_lazy("probation start date"),
    Kind.EXTENSION: gettext_lazy("extension date"),
    Kind.FULL_MEMBERSHIP: gettext_lazy("full membership date"),
    Kind.CANCELLATION: gettext_lazy("cancellation date"),
    Kind.WITHDRAWAL: gettext_lazy("withdrawal date"),
}


# --- the facts a check needs ------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSpec:
    """One active development rule as it applies to one organization."""

    key: str
    name: str
    kind: str  # DevelopmentRule.Check
    from_step: str
    to_step: str
    min_value: int | None
    max_value: int | None
    unit: str
    source: str = ""


@dataclass(frozen=True)
class Member:
    """A person named in a step: a contact or an introducer."""

    pk: int
    name: str
    political_status: str


@dataclass(frozen=True)
class PastStep:
    kind: str
    on: datetime.date
    months: int | None = None


@dataclass(frozen=True)
class Candidate:
    """What the checks need to know about a record and its person."""

    person_pk: int
    stage: str
    stage_since: datetime.date
    birth_date: datetime.date | None
    steps: tuple[PastStep, ...] = ()

    def latest(self, kind: str) -> datetime.date | None:
        dates = [step.on for step in self.steps if step.kind == kind]
        return max(dates) if dates else None

    def count(self, kind: str) -> int:
        return sum(1 for step in self.steps if step.kind == kind)

    def extension_months(self) -> int:
        return sum(step.months or 0 for step in self.steps if step.kind == Kind.EXTENSION)


@dataclass(frozen=True)
class Proposal:
    """A step someone wants to record."""

    kind: str
    on: datetime.date
    hours: int | None = None
    days: int | None = None
    months: int | None = None
    people: tuple[Member, ...] = ()


@dataclass(frozen=True)
class Violation:
    rule: str  # the rule's key
    message: str


@dataclass(frozen=True)
class Decision:
    problems: tuple[str, ...] = ()  # the pipeline's order: never overridden
    violations: tuple[Violation, ...] = field(default_factory=tuple)  # rule table: may be overridden

    @property
    def allowed(self) -> bool:
        return not self.problems and not self.violations


# --- dates ----------------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (or earlier); the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_interval(day: datetime.date, amount: int, unit: str) -> datetime.date:
    if unit == Unit.DAYS:
        return day + datetime.timedelta(days=amount)
    if unit == Unit.MONTHS:
        return add_months(day, amount)
    if unit == Unit.YEARS:
        return add_months(day, 12 * amount)
    raise ValueError(f"not a time unit: {unit!r}")


def age_on(birth: datetime.date, day: datetime.date) -> int:
    """Full years of age on ``day`` (someone born on 29 February turns a year older on 1 March)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birthday(birth: datetime.date, years: int) -> datetime.date:
    """The day someone born on ``birth`` turns ``years`` old (1 March for 29 February in common years)."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return datetime.date(birth.year + years, 3, 1)


def amount_text(amount: int, unit: str) -> str:
    """'1 month', '15 days', '24 class hours' in the reader's language."""
    texts = {
        Unit.DAYS: ngettext("%(n)d day", "%(n)d days", amount),
        Unit.MONTHS: ngettext("%(n)d month", "%(n)d months", amount),
        Unit.YEARS: ngettext("%(n)d year", "%(n)d years", amount),
        Unit.HOURS: ngettext("%(n)d class hour", "%(n)d class hours", amount),
        Unit.PEOPLE: ngettext("%(n)d person", "%(n)d people", amount),
    }
    return texts[unit] % {"n": amount}


def _interval_text(amount: int, unit: str, extra_months: int = 0) -> str:
    text = amount_text(amount, unit)
    if extra_months:
        text = _("%(interval)s plus the extension of %(extension)s") % {
            "interval": text,
            "extension": amount_text(extra_months, Unit.MONTHS),
        }
    return text


def _label(kind: str) -> str:
    return str(DATE_LABELS[kind])


# --- the order of the pipeline (not overridable) ----------------------------------------------------


def step_problems(candidate: Candidate, proposal: Proposal, *, today: datetime.date) -> list[str]:
    """Why the step cannot be recorded at all, whatever the rule table says."""
    problems = []
    kind = Kind(proposal.kind)
    stage = Stage(candidate.stage)
    if kind not in ALLOWED_STEPS.get(stage, ()):
        return [
            _("A %(step)s cannot be recorded for a record at the stage “%(stage)s”.")
            % {"step": kind.label, "stage": stage.label}
        ]
    if proposal.on > today:
        problems.append(_("The date cannot be in the future."))
    if proposal.on < candidate.stage_since:
        problems.append(
            _("The %(step)s (%(date)s) cannot be dated before the record reached its stage (%(since)s).")
            % {
                "step": kind.label,
                "date": proposal.on.isoformat(),
                "since": candidate.stage_since.isoformat(),
            }
        )
    if kind in ONCE and candidate.count(kind):
        problems.append(_("A %(step)s is already on record.") % {"step": kind.label})
    for required in REQUIRED_BEFORE.get(kind, ()):
        on = candidate.latest(required)
        if on is None:
            problems.append(
                _("Record the %(required)s before the %(step)s.")
                % {"required": Kind(required).label, "step": kind.label}
            )
        elif proposal.on < on:
            problems.append(
                _("The %(step)s (%(date)s) cannot be dated before the %(required)s (%(required_date)s).")
                % {
                    "step": kind.label,
                    "date": proposal.on.isoformat(),
                    "required": Kind(required).label,
                    "required_date": on.isoformat(),
                }
            )
    if kind in PEOPLE_STEPS:
        if not proposal.people:
            problems.append(_("Name the full members for the %(step)s.") % {"step": kind.label})
        if any(member.pk == candidate.person_pk for member in proposal.people):
            problems.append(
                _("The person in development cannot be named for their own %(step)s.") % {"step": kind.label}
            )
    if kind == Kind.TRAINING and not (proposal.hours or proposal.days):
        problems.append(_("Enter the class hours or the days of the training."))
    if kind == Kind.EXTENSION and not proposal.months:
        problems.append(_("Enter the length of the extension in months."))
    return problems


def application_problems(
    *, applied_on: datetime.date, today: datetime.date, political_status: str
) -> list[str]:
    problems = []
    if applied_on > today:
        problems.append(_("The date cannot be in the future."))
    if political_status in ("full_member", "probationary_member"):
        problems.append(_("This person is already a party member."))
    return problems


# --- the rule table (overridable) -------------------------------------------------------------------


def _interval_violations(rule: RuleSpec, candidate: Candidate, proposal: Proposal) -> list[Violation]:
    start = candidate.latest(rule.from_step)
    if start is None:
        return []
    # The probation runs from its start, plus any extension.
    extra = candidate.extension_months() if rule.from_step == Kind.PROBATION_START else 0
    values = {
        "rule": rule.name,
        "from_label": _label(rule.from_step),
        "from_date": start.isoformat(),
        "to_label": _label(proposal.kind),
        "to_date": proposal.on.isoformat(),
    }
    found = []
    if rule.min_value is not None:
        earliest = add_months(add_interval(start, rule.min_value, rule.unit), extra)
        if proposal.on < earliest:
            found.append(
                Violation(
                    rule.key,
                    _(
                        "Breaks the rule “%(rule)s”: %(from_label)s %(from_date)s, %(to_label)s %(to_date)s; "
                        "they must be at least %(interval)s apart (not before %(limit)s)."
                    )
                    % {
                        **values,
                        "interval": _interval_text(rule.min_value, rule.unit, extra),
                        "limit": earliest.isoformat(),
                    },
                )
            )
    if rule.max_value is not None:
        latest = add_months(add_interval(start, rule.max_value, rule.unit), extra)
        if proposal.on > latest:
            found.append(
                Violation(
                    rule.key,
                    _(
                        "Breaks the rule “%(rule)s”: %(from_label)s %(from_date)s, %(to_label)s %(to_date)s; "
                        "they may be at most %(interval)s apart (no later than %(limit)s)."
                    )
                    % {
                        **values,
                        "interval": _interval_text(rule.max_value, rule.unit, extra),
                        "limit": latest.isoformat(),
                    },
                )
            )
    return found


def _every_violations(rule: RuleSpec, candidate: Candidate, proposal: Proposal) -> list[Violation]:
    """Half-year reviews: from the stage's start (``from_step``) through every review to the
    proposed step, no gap longer than ``max_value``."""
    start = candidate.latest(rule.from_step)
    if start is None or rule.max_value is None:
        return []
    reviews = sorted(s.on for s in candidate.steps if s.kind == Kind.REVIEW and start <= s.on <= proposal.on)
    chain = [(rule.from_step, start)] + [(Kind.REVIEW, on) for on in reviews] + [(proposal.kind, proposal.on)]
    for (before_kind, before), (after_kind, after) in zip(chain, chain[1:], strict=False):
        limit = add_interval(before, rule.max_value, rule.unit)
        if after > limit:
            return [
                Violation(
                    rule.key,
                    _(
                        "Breaks the rule “%(rule)s”: %(from_label)s %(from_date)s, %(to_label)s %(to_date)s; "
                        "they may be at most %(interval)s apart (no later than %(limit)s)."
                    )
                    % {
                        "rule": rule.name,
                        "from_label": _label(before_kind),
                        "from_date": before.isoformat(),
                        "to_label": _label(after_kind),
                        "to_date": after.isoformat(),
                        "interval": amount_text(rule.max_value, rule.unit),
                        "limit": limit.isoformat(),
                    },
                )
            ]
    return []


def _age_violations(rule: RuleSpec, birth_date: datetime.date | None, on: datetime.date) -> list[Violation]:
    if rule.min_value is None:
        return []
    if birth_date is None:
        return [
            Violation(
                rule.key,
                _("Breaks the rule “%(rule)s”: no valid ID number is on record to read the birth date from.")
                % {"rule": rule.name},
            )
        ]
    if age_on(birth_date, on) < rule.min_value:
        return [
            Violation(
                rule.key,
                _(
                    "Breaks the rule “%(rule)s”: born %(birth)s, application date %(on)s; "
                    "the applicant must be at least %(age)s old (from %(limit)s)."
                )
                % {
                    "rule": rule.name,
                    "birth": birth_date.isoformat(),
                    "on": on.isoformat(),
                    "age": amount_text(rule.min_value, Unit.YEARS),
                    "limit": birthday(birth_date, rule.min_value).isoformat(),
                },
            )
        ]
    return []


def _count_violations(rule: RuleSpec, proposal: Proposal) -> list[Violation]:
    found = []
    count = len(proposal.people)
    low, high = rule.min_value, rule.max_value
    if (low is not None and count < low) or (high is not None and count > high):
        if low is not None and high is not None and low != high:
            wanted = _("%(low)s to %(high)s") % {"low": low, "high": amount_text(high, Unit.PEOPLE)}
        else:
            wanted = amount_text(low if low is not None else high, Unit.PEOPLE)
        found.append(
            Violation(
                rule.key,
                _("Breaks the rule “%(rule)s”: %(count)s named on %(date)s; %(wanted)s required.")
                % {
                    "rule": rule.name,
                    "count": amount_text(count, Unit.PEOPLE),
                    "date": proposal.on.isoformat(),
                    "wanted": wanted,
                },
            )
        )
    not_full = [member.name for member in proposal.people if member.political_status != FULL_MEMBER]
    if not_full:
        found.append(
            Violation(
                rule.key,
                _("Breaks the rule “%(rule)s”: %(names)s is not a full party member.")
                % {"rule": rule.name, "names": "、".join(not_full)},
            )
        )
    return found


def _training_violations(rule: RuleSpec, proposal: Proposal) -> list[Violation]:
    if rule.min_value is None:
        return []
    hours = max(proposal.hours or 0, (proposal.days or 0) * HOURS_PER_TRAINING_DAY)
    if hours >= rule.min_value:
        return []
    return [
        Violation(
            rule.key,
            _(
                "Breaks the rule “%(rule)s”: training of %(days)s days and %(hours)s class hours "
                "ending %(date)s; "
                "at least %(minimum)s required (a day counts as %(per_day)s class hours)."
            )
            % {
                "rule": rule.name,
                "days": proposal.days or 0,
                "hours": proposal.hours or 0,
                "date": proposal.on.isoformat(),
                "minimum": amount_text(rule.min_value, Unit.HOURS),
                "per_day": HOURS_PER_TRAINING_DAY,
            },
        )
    ]


def _extension_violations(rule: RuleSpec, candidate: Candidate, proposal: Proposal) -> list[Violation]:
    found = []
    months = proposal.months or 0
    if (rule.min_value is not None and months < rule.min_value) or (
        rule.max_value is not None and months > rule.max_value
    ):
        found.append(
            Violation(
                rule.key,
                _(
                    "Breaks the rule “%(rule)s”: an extension of %(months)s from %(date)s; %(low)s "
                    "to %(high)s allowed."
                )
                % {
                    "rule": rule.name,
                    "months": amount_text(months, Unit.MONTHS),
                    "date": proposal.on.isoformat(),
                    "low": rule.min_value if rule.min_value is not None else 0,
                    "high": amount_text(rule.max_value, Unit.MONTHS) if rule.max_value is not None else "—",
                },
            )
        )
    earlier = candidate.latest(Kind.EXTENSION)
    if earlier is not None:
        found.append(
            Violation(
                rule.key,
                _(
                    "Breaks the rule “%(rule)s”: the probation was already extended on %(earlier)s; "
                    "it may be extended once."
                )
                % {"rule": rule.name, "earlier": earlier.isoformat()},
            )
        )
    return found


def rule_violations(candidate: Candidate, proposal: Proposal, rules: list[RuleSpec]) -> list[Violation]:
    """The active rules the proposed step breaks, each with its message."""
    found: list[Violation] = []
    for rule in rules:
        if rule.to_step != proposal.kind:
            continue
        if rule.kind == Check.INTERVAL:
            found += _interval_violations(rule, candidate, proposal)
        elif rule.kind == Check.EVERY:
            found += _every_violations(rule, candidate, proposal)
        elif rule.kind == Check.AGE:
            found += _age_violations(rule, candidate.birth_date, proposal.on)
        elif rule.kind == Check.COUNT:
            found += _count_violations(rule, proposal)
        elif rule.kind == Check.TRAINING:
            found += _training_violations(rule, proposal)
        elif rule.kind == Check.EXTENSION:
            found += _extension_violations(rule, candidate, proposal)
    return found


def check_step(
    candidate: Candidate, proposal: Proposal, rules: list[RuleSpec], *, today: datetime.date
) -> Decision:
    """Whether a step may be recorded: the pipeline's order first (a step out of order is not
    checked against the rule table), then the rule table."""
    problems = step_problems(candidate, proposal, today=today)
    if problems:
        return Decision(problems=tuple(problems))
    return Decision(violations=tuple(rule_violations(candidate, proposal, rules)))


def check_application(
    *,
    birth_date: datetime.date | None,
    applied_on: datetime.date,
    political_status: str,
    rules: list[RuleSpec],
    today: datetime.date,
    person_pk: int = 0,
) -> Decision:
    """Whether an application may be recorded (the first step, which opens a record)."""
    problems = application_problems(applied_on=applied_on, today=today, political_status=political_status)
    if problems:
        return Decision(problems=tuple(problems))
    candidate = Candidate(
        person_pk=person_pk, stage=Stage.APPLICANT, stage_since=applied_on, birth_date=birth_date
    )
    proposal = Proposal(kind=Kind.APPLICATION, on=applied_on)
    return Decision(violations=tuple(rule_violations(candidate, proposal, rules)))


def next_stage(stage: str, kind: str) -> str:
    """The record's stage after the step."""
    return NEXT_STAGE.get(kind, stage)


def steps_allowed(stage: str) -> tuple[str, ...]:
    return ALLOWED_STEPS.get(stage, ())


# --- what is due ----------------------------------------------------------------------------------


class Due:
    FIRST_TALK = "first_talk"
    REVIEW = "review"
    APPROVAL = "approval"
    PROBATION_END = "probation_end"


DUE_LABELS = {
    Due.FIRST_TALK: gettext_lazy("first talk"),
    Due.REVIEW: gettext_lazy("half-year review"),
    Due.APPROVAL: gettext_lazy("higher committee approval"),
    Due.PROBATION_END: gettext_lazy("end of probation"),
}


@dataclass(frozen=True)
class DueItem:
    what: str  # Due.*
    due_on: datetime.date
    since: datetime.date  # when the clock started
    overdue: bool

    @property
    def label(self) -> str:
        return str(DUE_LABELS[self.what])


def _rule(rules, kind: str, from_step: str, to_step: str, bound: str) -> RuleSpec | None:
    """The active rule of this shape with the tightest bound (``min_value``/``max_value``)."""
    found = [
        r
        for r in rules
        if r.kind == kind
        and r.from_step == from_step
        and r.to_step == to_step
        and getattr(r, bound) is not None
    ]
    if not found:
        return None
    # Tightest: the earliest deadline (a maximum) or the latest start (a minimum), in days.
    reference = datetime.date(2000, 1, 31)
    key = lambda r: add_interval(reference, getattr(r, bound), r.unit)  # noqa: E731
    return min(found, key=key) if bound == "max_value" else max(found, key=key)


def due_items(
    candidate: Candidate, rules: list[RuleSpec], *, today: datetime.date, days_ahead: int = 0
) -> list[DueItem]:
    """The steps due (within ``days_ahead``) or overdue for a record, from the active rules:
    the first talk, the next half-year review, the higher committee's approval, the end of
    probation. A rule switched off sets no due date."""
    horizon = today + datetime.timedelta(days=days_ahead)
    items = []

    def add(what, since, due):
        if due <= horizon:
            items.append(DueItem(what=what, due_on=due, since=since, overdue=due < today))

    stage = candidate.stage
    if stage == Stage.APPLICANT and not candidate.count(Kind.FIRST_TALK):
        rule = _rule(rules, Check.INTERVAL, Kind.APPLICATION, Kind.FIRST_TALK, "max_value")
        applied = candidate.latest(Kind.APPLICATION) or candidate.stage_since
        if rule:
            add(Due.FIRST_TALK, applied, add_interval(applied, rule.max_value, rule.unit))
    elif stage == Stage.ACTIVIST:
        rule = _rule(rules, Check.EVERY, Kind.ACTIVIST, Kind.TARGET, "max_value")
        start = candidate.latest(Kind.ACTIVIST) or candidate.stage_since
        last = max([start] + [s.on for s in candidate.steps if s.kind == Kind.REVIEW and s.on >= start])
        if rule:
            add(Due.REVIEW, last, add_interval(last, rule.max_value, rule.unit))
    elif stage == Stage.PROBATIONARY_MEMBER:
        vote = candidate.latest(Kind.VOTE) or candidate.stage_since
        if not candidate.count(Kind.APPROVAL):
            rule = _rule(rules, Check.INTERVAL, Kind.VOTE, Kind.APPROVAL, "max_value")
            if rule:
                add(Due.APPROVAL, vote, add_interval(vote, rule.max_value, rule.unit))
        rule = _rule(rules, Check.INTERVAL, Kind.PROBATION_START, Kind.FULL_MEMBERSHIP, "min_value")
        start = candidate.latest(Kind.PROBATION_START) or vote
        if rule:
            end = add_months(add_interval(start, rule.min_value, rule.unit), candidate.extension_months())
            add(Due.PROBATION_END, start, end)
    return sorted(items, key=lambda item: item.due_on)
