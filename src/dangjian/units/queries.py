from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from dangjian.accounts.scope import visible_to
from dangjian.units.models import Unit


def visible_units(user):
    return visible_to(user, Unit.objects.all())


def unit_list(user, *, text="", street_id=None, industry="", key_area="", kind=""):
    units = visible_units(user).select_related("street", "community", "parent")
    if text:
        units = units.filter(Q(name__icontains=text) | Q(uscc__iexact=text) | Q(address__icontains=text))
    if street_id:
        units = units.filter(street_id=street_id)
    if industry:
        units = units.filter(industry=industry)
    if key_area:
        units = units.filter(key_area=key_area)
    if kind:
        units = units.filter(kind=kind)
    return units


def units_without_street(user):
    """The fallback rule's gaps: units no street or town answers for."""
    return visible_units(user).filter(street__isnull=True).select_related("parent")


def unit_detail(user, pk: int) -> Unit:
    return get_object_or_404(
        visible_units(user).select_related("street", "community", "industry_authority", "parent"), pk=pk
    )


def branches_of(user, unit: Unit):
    return visible_units(user).filter(parent=unit).select_related("street")


def unit_counts_by_street(user):
    """Visible units per street/town, and how many of them are outlets."""
    return (
        visible_units(user)
        .values("street_id", "street__name")
        .annotate(units=Count("id"), outlets=Count("id", filter=Q(kind=Unit.Kind.OUTLET)))
        .order_by("street__path")
    )
