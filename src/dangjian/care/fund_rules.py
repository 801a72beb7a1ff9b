"""Care fund (关爱基金) eligibility and money: pure functions, no database.

The rules themselves are data (``CareEligibilityRule`` rows, editable by the district); this
module says what each kind of rule means. ``evaluate`` takes the facts about one application and
the rules that apply to its category, and returns the reasons it fails, each with a message the
worker can read. Money is integer fen everywhere; ``yuan_to_fen`` and ``format_yuan`` are the
only conversions.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

# Rule kinds (the values stored in CareEligibilityRule.kind).
MIN_MONTHS_REGISTERED = "min_months_registered"
NO_RECENT_PAYMENT = "no_recent_payment"
WITHIN_CAP = "within_cap"
DOCUMENTS_COMPLETE = "documents_complete"
RULE_KINDS = (MIN_MONTHS_REGISTERED, NO_RECENT_PAYMENT, WITHIN_CAP, DOCUMENTS_COMPLETE)
# Kinds that need a number of months.
MONTH_RULE_KINDS = (MIN_MONTHS_REGISTERED, NO_RECENT_PAYMENT)


# --- money ------------------------------------------------------------------------------------


def yuan_to_fen(value) -> int:
    """Yuan as typed (a Decimal, an int or a string such as "3000.50") to integer fen, exactly.

    More than two decimals, a negative amount or something that is not a number raises
    ValueError: an amount of money is never rounded silently."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"not an amount: {value!r}")
    fen = amount * 100
    if fen != fen.to_integral_value(rounding=ROUND_DOWN):
        raise ValueError(f"more than two decimals: {value!r}")
    return int(fen)


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(int(fen)) / 100).quantize(Decimal("0.01"))


def format_yuan(fen: int | None) -> str:
    """Integer fen as yuan with two decimals and thousands separators: 300000 -> "3,000.00"."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}"


# --- dates ------------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (earlier when negative); the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    """An employment: from ``start`` to ``end`` (inclusive), open-ended when ``end`` is None."""

    start: datetime.date
    end: datetime.date | None = None


def registered_since(periods: Iterable[Period], today: datetime.date) -> datetime.date | None:
    """The first day of the unbroken registration that reaches ``today``, or None if the worker
    is not registered today.

    Employments that overlap or follow one another without a day's gap count as one
    registration: a rider who moves from one outlet to another the next day has been registered
    all along. Employments starting after today are ignored."""
    spans = sorted(
        (p.start, today if p.end is None or p.end > today else p.end) for p in periods if p.start <= today
    )
    since, reach = None, None
    for start, end in spans:
        if end < start:
            continue
        if reach is None or start > reach + datetime.timedelta(days=1):
            since, reach = start, end  # a gap: a new run begins
        elif end > reach:
            reach = end
    return since if reach == today else None


# --- the rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSpec:
    """One eligibility rule as the district set it: its kind and number of months."""

    kind: str
    months: int | None = None
    enabled: bool = True
    category_id: int | None = None  # None: applies to every category


@dataclass(frozen=True)
class Facts:
    """What is known about an application when a rule is checked."""

    today: datetime.date
    employments: Sequence[Period] = ()
    last_payment_on: datetime.date | None = None  # the worker's latest care-fund payment
    amount_fen: int = 0
    cap_fen: int = 0
    required_documents: Sequence[str] = ()
    attached_documents: Sequence[str] = ()
    document_labels: dict = field(default_factory=dict)  # kind -> label, for the message


@dataclass(frozen=True)
class Failure:
    kind: str
    message: str

    def __str__(self):
        return str(self.message)


def check_registration(periods: Iterable[Period], today: datetime.date, months: int) -> Failure | None:
    """Registered worker of a unit in the district for at least ``months`` months, up to today."""
    since = registered_since(periods, today)
    if since is not None and add_months(since, months) <= today:
        return None
    if since is None:
        message = _("You are not registered as working at a unit in the district.")
    else:
        message = _(
            "You must have been registered at a unit in the district for at least %(months)s months "
            "(registered since %(since)s)."
        ) % {"months": months, "since": since.isoformat()}
    return Failure(MIN_MONTHS_REGISTERED, message)


def check_no_recent_payment(
    last_payment_on: datetime.date | None, today: datetime.date, months: int
) -> Failure | None:
    """No payment from the care fund within the last ``months`` months."""
    if last_payment_on is None or add_months(last_payment_on, months) <= today:
        return None
    message = _(
        "The care fund paid you on %(date)s; a new payment is possible from %(next)s "
        "(one payment within %(months)s months)."
    ) % {
        "date": last_payment_on.isoformat(),
        "next": add_months(last_payment_on, months).isoformat(),
        "months": months,
    }
    return Failure(NO_RECENT_PAYMENT, message)


def check_within_cap(amount_fen: int, cap_fen: int) -> Failure | None:
    """A positive amount no larger than the category's cap."""
    if amount_fen <= 0:
        return Failure(WITHIN_CAP, _("The amount must be more than zero."))
    if amount_fen > cap_fen:
        message = _("The amount is more than this category's cap of %(cap)s yuan.") % {
            "cap": format_yuan(cap_fen)
        }
        return Failure(WITHIN_CAP, message)
    return None


def missing_documents(required: Iterable[str], attached: Iterable[str]) -> list[str]:
    """The required document kinds not attached, in the order the category lists them."""
    have = set(attached)
    return [kind for kind in dict.fromkeys(required) if kind not in have]


def check_documents(required, attached, labels: dict | None = None) -> Failure | None:
    missing = missing_documents(required, attached)
    if not missing:
        return None
    names = "、".join(str((labels or {}).get(kind, kind)) for kind in missing)
    return Failure(DOCUMENTS_COMPLETE, _("Documents missing: %(documents)s.") % {"documents": names})


def applicable_rules(rules: Iterable[RuleSpec], category_id: int | None) -> list[RuleSpec]:
    """The rules for one category: a rule set for the category replaces the general rule of the
    same kind; switched-off rules drop out."""
    chosen: dict[str, RuleSpec] = {}
    for rule in rules:
        if rule.category_id is not None and rule.category_id != category_id:
            continue
        if rule.kind not in chosen or rule.category_id is not None:
            chosen[rule.kind] = rule
    return [chosen[kind] for kind in RULE_KINDS if kind in chosen and chosen[kind].enabled]


def evaluate(facts: Facts, rules: Iterable[RuleSpec], *, only: Iterable[str] | None = None) -> list[Failure]:
    """The reasons the application fails the rules (empty: eligible). ``only``: check just these kinds."""
    wanted = set(only) if only is not None else set(RULE_KINDS)
    failures = []
    for rule in rules:
        if rule.kind not in wanted:
            continue
        if rule.kind == MIN_MONTHS_REGISTERED:
            failure = check_registration(facts.employments, facts.today, rule.months or 0)
        elif rule.kind == NO_RECENT_PAYMENT:
            failure = check_no_recent_payment(facts.last_payment_on, facts.today, rule.months or 0)
        elif rule.kind == WITHIN_CAP:
            failure = check_within_cap(facts.amount_fen, facts.cap_fen)
        elif rule.kind == DOCUMENTS_COMPLETE:
            failure = check_documents(
                facts.required_documents, facts.attached_documents, facts.document_labels
            )
        else:  # pragma: no cover - kinds are validated by the model's choices
            raise ValueError(f"unknown rule kind {rule.kind!r}")
        if failure is not None:
            failures.append(failure)
    return failures


def available_fen(*, budget_fen: int, reserved_fen: int, paid_fen: int) -> int:
    """What a fund can still approve: approval reserves the money, payment spends the reservation."""
    return budget_fen - reserved_fen - paid_fen


def fits_budget(*, amount_fen: int, budget_fen: int, reserved_fen: int, paid_fen: int) -> bool:
    return (
        0 < amount_fen <= available_fen(budget_fen=budget_fen, reserved_fen=reserved_fen, paid_fen=paid_fen)
    )
