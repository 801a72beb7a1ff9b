"""Development quotas (发展党员指标): allocation, use, and what is left.

The district sets its yearly total on the two-new working committee (the root of the
organization tree); it allocates to committees (comprehensive, street and town committees), and
committees allocate onward to committees below them. Admitting a probationary member uses one
unit of the quota of the nearest committee at or above the admitting organization that holds a
quota for the year (a committee given no quota of its own admits on the quota above it).

Decision: units allocated onward leave the giver. What a committee may still use itself is

    remaining = amount - allocated onward - used

so however the units are passed down, the admissions of the whole district never exceed the
district's total, and a committee cannot allocate a unit onward and use it too.

Concurrency: every write locks the quota rows it checks (``SELECT ... FOR UPDATE``) before
counting, always the giver before the receiver (top-down, the same order everywhere, so two
writers never wait on each other in a circle), and writes inside the caller's transaction: an
admission and its quota use commit together or not at all, and two admissions racing for the
last unit are serialized by the lock, so only one of them gets it (tests/membership/
test_quota_concurrency.py proves it on PostgreSQL). On SQLite the whole database is locked by
the first write of a transaction (``transaction_mode = IMMEDIATE``), which serializes too.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Length
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import scope_of, visible_to
from dangjian.core.audit import save_tracked
from dangjian.membership.models import DevelopmentQuota, QuotaUse
from dangjian.organizations.models import Organization

HOLDER_KINDS = DevelopmentQuota.HOLDER_KINDS


class QuotaError(ValidationError):
    """A quota write refused; ``messages`` say why, in the user's language."""


class NoQuota(QuotaError):
    """No committee at or above the organization holds a quota for the year."""


class QuotaExhausted(QuotaError):
    """The committee's quota for the year is used up (or allocated onward)."""


# --- reading the tree -----------------------------------------------------------------------------


def _path_ids(organization: Organization) -> list[int]:
    """The ids from the root down to ``organization`` itself, from its materialized path."""
    return [int(part) for part in organization.path.strip("/").split("/")]


def holder_quota(
    organization: Organization, year: int, *, above_only: bool = False
) -> DevelopmentQuota | None:
    """The quota of the nearest committee at (unless ``above_only``) or above ``organization``
    holding one for ``year``; not locked."""
    ids = _path_ids(organization)
    if above_only:
        ids = ids[:-1]
    return (
        DevelopmentQuota.objects.filter(year=year, organization_id__in=ids)
        .order_by(Length("organization__path").desc())
        .select_related("organization")
        .first()
    )


def _lock(quota_pk: int) -> DevelopmentQuota:
    # of=("self",): lock the quota row only, not the organization row the select_related joins.
    return (
        DevelopmentQuota.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=quota_pk)
    )


def _figures(quota: DevelopmentQuota, *, excluding_allocation: int | None = None) -> dict:
    """{"amount", "onward", "used", "remaining"} read now (after the lock: committed rows)."""
    allocations = DevelopmentQuota.objects.filter(parent=quota)
    if excluding_allocation is not None:
        allocations = allocations.exclude(pk=excluding_allocation)
    onward = allocations.aggregate(total=Sum("amount"))["total"] or 0
    used = QuotaUse.objects.filter(quota=quota, released_on__isnull=True).count()
    return {"amount": quota.amount, "onward": onward, "used": used, "remaining": quota.amount - onward - used}


def remaining(quota: DevelopmentQuota) -> int:
    """Units the committee may still use itself (or allocate onward)."""
    return _figures(quota)["remaining"]


# --- who may allocate ----------------------------------------------------------------------------


def _managed_paths(user) -> list[str]:
    """Organization subtrees whose quotas the user passes on: committee staff and branch
    secretaries their organization's subtree, street/town staff their street or town committee's."""
    scope = scope_of(user)
    paths = list(scope.organization_paths)
    if scope.street_ids:
        paths += Organization.objects.filter(
            street_id__in=scope.street_ids,
            kind__in=[Organization.Kind.STREET_COMMITTEE, Organization.Kind.TOWN_COMMITTEE],
        ).values_list("path", flat=True)
    return paths


def may_allocate(user, giver: DevelopmentQuota | None) -> bool:
    """Whether ``user`` may pass units of ``giver`` on (None: set the district's own total,
    which only the district may do)."""
    scope = scope_of(user)
    if scope.everything:
        return True
    if giver is None:
        return False
    path = giver.organization.path
    return any(path.startswith(managed) for managed in _managed_paths(user))


# --- writes ----------------------------------------------------------------------------------------


def allocate_quota(
    *, actor, organization: Organization, year: int, amount: int, note: str = ""
) -> DevelopmentQuota:
    """Set ``organization``'s quota for ``year`` to ``amount``: the district's own total when
    ``organization`` is the root, else units allocated from the quota of the nearest committee
    above it. The giver's allocations onward plus its own uses never exceed its amount, and a
    quota is never set below what was already allocated onward from it and used. ``actor`` None
    is the system (demo data, data migrations); people must have the right (``may_allocate``)."""
    if amount is None or amount < 0:
        raise QuotaError({"amount": _("The quota cannot be negative.")})
    if organization.kind not in HOLDER_KINDS:
        raise QuotaError(
            {"organization": _("Only the district's working committee and committees hold quotas.")}
        )
    with transaction.atomic():
        existing = DevelopmentQuota.objects.filter(organization=organization, year=year).first()
        giver = None
        if organization.parent_id is not None:
            giver = (
                existing.parent if existing is not None else holder_quota(organization, year, above_only=True)
            )
            if giver is None:
                raise NoQuota(
                    _(
                        "No committee above %(organization)s holds a development quota for %(year)s "
                        "to allocate from."
                    )
                    % {"organization": organization, "year": year}
                )
        if actor is not None and not may_allocate(actor, giver):
            raise PermissionDenied(_("You may not allocate this development quota."))
        if giver is not None:
            giver = _lock(giver.pk)  # the giver first, then the receiver: top-down everywhere
        if existing is not None:
            existing = _lock(existing.pk)
            own = _figures(existing)
            if amount < own["onward"] + own["used"]:
                raise QuotaError(
                    _(
                        "The quota of %(committee)s for %(year)s cannot be less than %(taken)s: "
                        "%(onward)s allocated onward and %(used)s used."
                    )
                    % {
                        "committee": organization,
                        "year": year,
                        "taken": own["onward"] + own["used"],
                        "onward": own["onward"],
                        "used": own["used"],
                    }
                )
        if giver is not None:
            given = _figures(giver, excluding_allocation=existing.pk if existing else None)
            available = given["remaining"]
            if amount > available:
                raise QuotaError(
                    _(
                        "%(giver)s has only %(available)s units of its %(year)s quota left to allocate "
                        "(quota %(amount)s, allocated onward %(onward)s, used %(used)s); "
                        "%(requested)s were asked for %(committee)s."
                    )
                    % {
                        "giver": giver.organization,
                        "available": max(available, 0),
                        "year": year,
                        "amount": given["amount"],
                        "onward": given["onward"],
                        "used": given["used"],
                        "requested": amount,
                        "committee": organization,
                    }
                )
        quota = existing or DevelopmentQuota(organization=organization, year=year, parent=giver)
        quota.amount = amount
        quota.note = (note or "").strip()
        if actor is not None and actor.is_authenticated:
            quota._history_user = actor
        save_tracked(quota, actor=actor)
    return quota


def use_quota(
    *, organization: Organization, year: int, person, actor, used_on: datetime.date | None = None
) -> QuotaUse:
    """Count the admission of ``person`` by ``organization`` (the branch) against the quota of the
    nearest committee at or above it for ``year``; refuse (QuotaExhausted, NoQuota) when none is
    left. Call it inside the transaction that records the admission: the quota row stays locked
    until that transaction ends, so a concurrent admission waits and then sees this use."""
    with transaction.atomic():
        found = holder_quota(organization, year)
        if found is None:
            raise NoQuota(
                _(
                    "No committee above %(organization)s holds a development quota for %(year)s: "
                    "no admission without a quota."
                )
                % {"organization": organization, "year": year}
            )
        quota = _lock(found.pk)
        if QuotaUse.objects.filter(person=person, quota__year=year, released_on__isnull=True).exists():
            raise QuotaError(
                _("%(person)s's admission already uses a unit of the %(year)s development quota.")
                % {"person": person, "year": year}
            )
        figures = _figures(quota)
        if figures["remaining"] <= 0:
            raise QuotaExhausted(
                _(
                    "The %(year)s development quota of %(committee)s is used up (quota %(amount)s, "
                    "allocated onward %(onward)s, used %(used)s): no admission without a quota."
                )
                % {"year": year, "committee": quota.organization, **figures}
            )
        use = QuotaUse(
            quota=quota,
            person=person,
            organization=organization,
            used_on=used_on or timezone.localdate(),
            actor=actor if actor is not None and actor.is_authenticated else None,
        )
        if actor is not None and actor.is_authenticated:
            use._history_user = actor
        save_tracked(use, actor=actor)
    return use


def release_quota_use(*, actor, use: QuotaUse, reason: str) -> QuotaUse:
    """Give an admission's unit back (e.g. the admission was entered in error or not approved);
    the row stays, with the date and the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise QuotaError({"release_reason": _("Say why the quota unit is given back.")})
    with transaction.atomic():
        _lock(use.quota_id)
        use = QuotaUse.objects.select_for_update().get(pk=use.pk)
        if use.released_on is not None:
            raise QuotaError(_("This quota unit was already given back."))
        use.released_on = timezone.localdate()
        use.release_reason = reason
        if actor is not None and actor.is_authenticated:
            use._history_user = actor
        save_tracked(use, actor=actor)
    return use


# --- reads -----------------------------------------------------------------------------------------


def with_figures(quotas):
    """Quotas annotated with ``onward``, ``used`` and ``remaining``, in SQL."""
    onward = (
        DevelopmentQuota.objects.filter(parent=OuterRef("pk"))
        .order_by()
        .values("parent")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    used = (
        QuotaUse.objects.filter(quota=OuterRef("pk"), released_on__isnull=True)
        .order_by()
        .values("quota")
        .annotate(n=Count("pk"))
        .values("n")
    )
    zero = Value(0, output_field=IntegerField())
    return quotas.annotate(
        onward=Coalesce(Subquery(onward, output_field=IntegerField()), zero),
        used=Coalesce(Subquery(used, output_field=IntegerField()), zero),
    ).annotate(remaining=F("amount") - F("onward") - F("used"))


def visible_quotas(user):
    return visible_to(user, DevelopmentQuota.objects.all())


def quota_table(user, *, year: int):
    """The quotas of ``year`` the user may see, with their figures, in tree order."""
    quotas = visible_quotas(user).filter(year=year).select_related("organization", "parent__organization")
    return with_figures(quotas).order_by("organization__path")


def quota_years(user) -> list[int]:
    """Years with a quota the user may see, newest first, and always this year."""
    this_year = timezone.localdate().year
    years = set(visible_quotas(user).values_list("year", flat=True).distinct())
    return sorted(years | {this_year}, reverse=True)


def quota_detail(user, pk: int) -> DevelopmentQuota:
    quotas = visible_quotas(user).select_related("organization", "parent__organization")
    return get_object_or_404(with_figures(quotas), pk=pk)


def allocations_of(user, quota: DevelopmentQuota):
    return with_figures(visible_quotas(user).filter(parent=quota).select_related("organization")).order_by(
        "organization__path"
    )


def uses_of(user, quota: DevelopmentQuota):
    """The admissions counted against ``quota``, as the user may see them (party-work roles)."""
    return (
        visible_to(user, QuotaUse.objects.filter(quota=quota))
        .select_related("person", "organization", "actor")
        .order_by("-used_on", "-pk")
    )


def committees_to_allocate_to(user, giver: DevelopmentQuota):
    """Committees below the giver's that the user may see, to receive units: those already
    given units from this quota, and those holding no quota for the year yet."""
    taken_elsewhere = (
        DevelopmentQuota.objects.filter(year=giver.year).exclude(parent=giver).values("organization")
    )
    return (
        visible_to(user, Organization.objects.all())
        .filter(path__startswith=giver.organization.path, kind__in=HOLDER_KINDS)
        .exclude(pk=giver.organization_id)
        .exclude(pk__in=taken_elsewhere)
        .exclude(status=Organization.Status.DISSOLVED)
        .order_by("path")
    )


def district_root() -> Organization | None:
    return Organization.objects.filter(parent__isnull=True).first()


def dashboard_quotas(user, *, year: int, limit: int = 8):
    """The card on the home page: the user's top quota holders of the year (the shallowest
    visible ones first), with use and remaining, plus how many more there are."""
    rows = quota_table(user, year=year).order_by(Length("organization__path"), "organization__path")
    return rows[:limit], max(rows.count() - limit, 0)


__all__ = [
    "NoQuota",
    "QuotaError",
    "QuotaExhausted",
    "allocate_quota",
    "holder_quota",
    "may_allocate",
    "release_quota_use",
    "remaining",
    "use_quota",
]
