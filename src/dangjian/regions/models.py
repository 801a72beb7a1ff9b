from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.tree import PathTreeModel


class Region(PathTreeModel):
    """District > town/street > community (measure 1)."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("district")
        STREET = "street", _("street")
        TOWN = "town", _("town")
        COMMUNITY = "community", _("community")

    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    code = models.CharField(_("division code"), max_length=12, blank=True)
    # A rough outline point so maps can draw a label without tiles.
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    TOWNSHIP_KINDS = (Kind.STREET, Kind.TOWN)

    class Meta:
        ordering = ["path"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_in_parent"),
            models.CheckConstraint(
                condition=models.Q(kind="district", parent__isnull=True) | models.Q(parent__isnull=False),
                name="region_only_district_is_root",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_township(self) -> bool:
        return self.kind in self.TOWNSHIP_KINDS


def townships():
    """Streets and towns: the level that carries territorial and fallback responsibility."""
    return Region.objects.filter(kind__in=Region.TOWNSHIP_KINDS)
