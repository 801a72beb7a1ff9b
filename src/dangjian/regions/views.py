from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dangjian.regions.models import Region
from dangjian.units.queries import unit_counts_by_street


@login_required
def region_tree(request):
    counts = {row["street_id"]: row["units"] for row in unit_counts_by_street(request.user)}
    regions = list(Region.objects.all())
    for region in regions:
        region.unit_count = counts.get(region.pk, 0) if region.is_township else None
    return render(request, "regions/region_tree.html", {"regions": regions})
