"""Demo data for development quotas (发展党员指标, measure 5): this year's quota of the district,
allocated to the comprehensive and street/town committees in proportion to the units under them,
with a reserve kept by the district; and last year's, allocated in full.

Admissions already in the development records (probationary members admitted this year, if the
pipeline's demo wrote any) are counted against the quota of their organization's committee, as
``quotas.use_quota`` would, as far as the units allow. Deterministic from the seed; bulk inserts.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter

from django.db.models import Exists, OuterRef
from django.utils import timezone

from dangjian.core.bulk import write_history
from dangjian.membership.models import DevelopmentQuota, QuotaUse
from dangjian.organizations.models import Organization
from dangjian.people.models import Employment
from dangjian.units.models import Unit

SEED_OFFSET = 5_051
RESERVE_SHARE = 0.15  # kept by the district for where it is needed during the year


def _district_amount(workers: int) -> int:
    """About one admission a year per hundred workers, within a plausible range for a district."""
    return max(30, min(workers // 100, 800))


def _weights(committees: list[Organization]) -> dict[int, int]:
    """Units covered under each committee (its subtree), at least 1: the share of the quota."""
    links = Organization.covered_units.through.objects.values_list("organization__path", "unit_id")
    units: dict[int, set[int]] = {c.pk: set() for c in committees}
    by_path = sorted(((c.path, c.pk) for c in committees), key=lambda item: -len(item[0]))
    for path, unit_id in links:
        for committee_path, pk in by_path:
            if path.startswith(committee_path):
                units[pk].add(unit_id)
                break
    return {pk: max(1, len(found)) for pk, found in units.items()}


def _split(total: int, weights: dict[int, int]) -> dict[int, int]:
    """``total`` in whole units in proportion to ``weights`` (largest remainders), at least one
    each when there are enough."""
    floor = 1 if weights and total >= len(weights) else 0
    total -= floor * len(weights)
    whole = sum(weights.values())
    shares = {pk: total * w / whole for pk, w in weights.items()}
    result = {pk: int(share) for pk, share in shares.items()}
    left = total - sum(result.values())
    for pk in sorted(shares, key=lambda pk: (result[pk] - shares[pk], pk))[:left]:
        result[pk] += 1
    return {pk: floor + units for pk, units in result.items()}


def load(*, seed: int, large: bool, stdout) -> dict[str, int]:
    rng = random.Random(seed + SEED_OFFSET)
    today = timezone.localdate()
    # History rows only when the census wrote them (not for the large size or ``with_history=False``).
    with_history = Unit.history.model.objects.exists()
    root = Organization.objects.filter(parent__isnull=True).first()
    if root is None:
        return {}
    committees = list(
        Organization.objects.filter(
            parent=root,
            kind__in=DevelopmentQuota.HOLDER_KINDS,
            status=Organization.Status.ACTIVE,
        ).order_by("path")
    )
    holders = {root.pk, *(c.pk for c in committees)}
    workers = Employment.objects.filter(end_date__isnull=True).values("person_id").distinct().count()
    weights = _weights(committees)
    # Recorded at the start of today: the same on every run of one day (same seed, same data).
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    years = ((today.year - 1, 0.0), (today.year, RESERVE_SHARE))
    votes = _votes([year for year, _reserve in years], holders)
    needed = Counter((day.year, holder) for _person, _organization, holder, day in votes)

    # The district's rows first (no explicit keys: PostgreSQL's sequences would not move), so
    # the committees' rows can point at them. Every committee gets at least the units its
    # admissions of the year took, so the demo's admissions all have their unit.
    districts, amounts = [], {}
    for year, reserve in years:
        base = _district_amount(workers)
        share = _split(base - round(base * reserve), weights) if committees else {}
        amounts[year] = {pk: max(units, needed[(year, pk)]) for pk, units in share.items()}
        total = sum(amounts[year].values()) + needed[(year, root.pk)] + round(base * reserve)
        districts.append(
            DevelopmentQuota(year=year, organization=root, amount=max(base, total), note="区委组织部下达")
        )
    DevelopmentQuota.objects.bulk_create(districts)
    allocations = []
    by_year: dict[int, dict[int, DevelopmentQuota]] = {}
    for (year, _reserve), district in zip(years, districts, strict=True):
        held = {root.pk: district}
        for committee in committees:
            quota = DevelopmentQuota(
                year=year,
                organization=committee,
                parent=district,
                amount=amounts[year][committee.pk],
                note=rng.choice(("按党员和单位数量分配", "含上年结转调整", "")),
            )
            held[committee.pk] = quota
            allocations.append(quota)
        by_year[year] = held
    DevelopmentQuota.objects.bulk_create(allocations)
    quotas = districts + allocations
    for quota in quotas:
        quota._history_date = now
    if with_history:
        write_history(DevelopmentQuota, quotas, reason="demo: development quotas")

    uses = [
        QuotaUse(
            quota=by_year[day.year][holder],
            person_id=person_id,
            organization_id=organization_id,
            used_on=min(day, today),
        )
        for person_id, organization_id, holder, day in votes
    ]
    if uses:
        QuotaUse.objects.bulk_create(uses)
        for use in uses:
            use._history_date = now
        if with_history:
            write_history(QuotaUse, uses, reason="demo: admissions")
    return {"development_quotas": len(quotas), "quota_uses": len(uses)}


def _votes(years: list[int], holders: set[int]) -> list[tuple[int, int, int, datetime.date]]:
    """The admissions in ``years`` (the branch vote, as in ``services._admit``) that have no
    quota unit yet: (person, admitting organization, nearest quota holder, day), oldest first."""
    from dangjian.membership.models import DevelopmentStep

    rows = (
        DevelopmentStep.objects.filter(kind=DevelopmentStep.Kind.VOTE, on__year__in=years)
        .exclude(
            Exists(QuotaUse.objects.filter(person_id=OuterRef("record__person_id"), released_on__isnull=True))
        )
        .order_by("on", "pk")
        .values_list("record__person_id", "record__organization_id", "record__organization__path", "on")
    )
    votes, seen = [], set()
    for person_id, organization_id, path, day in rows:
        ids = [int(part) for part in path.strip("/").split("/")]
        holder = next((i for i in reversed(ids) if i in holders), None)
        if holder is None or (person_id, day.year) in seen:
            continue
        seen.add((person_id, day.year))
        votes.append((person_id, organization_id, holder, day))
    return votes
