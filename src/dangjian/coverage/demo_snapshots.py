"""Demo coverage snapshots: twelve past months of the campaign, derived from the demo's state now.

The current month is computed live from the demo's units; the months before are made up from it,
going back in time: each (street, industry, key area) group had fewer units (units keep being
registered), and fewer covered, at a pace drawn per group from the seed, so the trend climbs
towards today's figures the way a campaign does. Deterministic from the seed; one bulk insert.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from dangjian.coverage.models import CoverageSnapshot
from dangjian.coverage.snapshots import GROUP_FIELDS, add_months, district_counts, month_start

MONTHS = 12


def _past(now: dict, months_ago: int, pace: float, growth: float, rng: random.Random) -> dict:
    """The counts of one group ``months_ago`` months back, from the counts ``now``."""
    units = max(0, round(now["units"] * (1 - growth * months_ago)))
    share = max(0.0, 1 - pace * months_ago)  # of today's organizational coverage
    org = min(units, round(now["org_covered"] * share))
    preparing = min(org, round(now["org_preparing"] * share))
    # Units organized since then were mostly work-covered (an instructor) before.
    work_share = max(0.0, 1 - pace * 0.6 * months_ago)
    work = min(units - org, round(now["work_covered"] * work_share + (now["org_covered"] - org) * 0.4))
    none = units - org - work
    organized_since = now["org_covered"] - org
    return {
        "units": units,
        "org_covered": org,
        "org_preparing": preparing,
        "work_covered": work,
        "not_covered": none,
        "should_build_own": min(units, now["should_build_own"] + round(organized_since * 0.08)),
        "term_expired": min(org, round(now["term_expired"] * (0.6 + 0.8 * rng.random()))),
        "joint_over_max": min(org, now["joint_over_max"]),
        "members_without_organization": min(
            none + work, now["members_without_organization"] + round(organized_since * 0.5)
        ),
    }


def load(*, seed: int, large: bool, stdout) -> dict[str, int]:
    today = timezone.localdate()
    current = month_start(today)
    rng = random.Random(seed * 7919 + 4)
    groups = district_counts(on=today)
    paces: dict = {}
    rows = []
    for group in sorted(groups, key=lambda g: (g["street_id"] or 0, g["industry"], g["key_area"])):
        street = group["street_id"]
        # One pace per street (the campaign moves faster in some), varied per group.
        street_pace = paces.setdefault(street, rng.uniform(0.02, 0.05))
        pace = street_pace * rng.uniform(0.8, 1.2)
        growth = rng.uniform(0.0, 0.015)
        for months_ago in range(1, MONTHS + 1):
            month = add_months(current, -months_ago)
            counts = _past(group, months_ago, pace, growth, rng)
            if counts["units"] == 0:
                continue
            rows.append(
                CoverageSnapshot(
                    month=month,
                    taken_on=add_months(month, 1) - datetime.timedelta(days=1),  # the month's last day
                    **{field: group[field] for field in GROUP_FIELDS},
                    **counts,
                )
            )
    CoverageSnapshot.objects.bulk_create(rows, batch_size=2000)
    if stdout is not None:
        stdout.write(f"  coverage snapshots: {len(rows):,} rows over {MONTHS} months")
    return {"coverage.CoverageSnapshot": len(rows)}
