from django.utils import timezone

from dangjian.organizations.queries import organization_counts, reelection_due
from dangjian.people.queries import follow_up_counts, worker_count
from dangjian.units.queries import unit_counts_by_street, units_without_street, visible_units


def cockpit(user) -> dict:
    """The figures on the home page, every one counted inside the user's scope."""
    by_street = list(unit_counts_by_street(user))
    return {
        "unit_total": visible_units(user).count(),
        "units_without_street": units_without_street(user).count(),
        "worker_total": worker_count(user),
        "organizations": organization_counts(user),
        "reelection_due": reelection_due(user, timezone.localdate()).count(),
        "follow_ups": follow_up_counts(user, timezone.localdate()),
        "by_street": [row for row in by_street if row["street_id"]],
    }
