"""Writes to the unit registry; each one validated and audited."""

from dangjian.core.audit import save_tracked
from dangjian.units.models import Unit


def save_unit(*, actor, unit: Unit) -> Unit:
    """Create or update a unit. A unit under a head company inherits its industry if none is given."""
    if unit.parent_id and not unit.industry:
        unit.industry = unit.parent.industry
    if unit.community_id and not unit.street_id:
        # The community determines the street: enter each fact once.
        unit.street_id = unit.community.parent_id
    save_tracked(unit, actor=actor)
    return unit
