from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangjian.core.choices import Industry
from dangjian.core.tree import PathTreeModel
from dangjian.core.validators import validate_uscc


class Unit(PathTreeModel):
    """An enterprise or outlet; the head company guides its branches, stores and outlets (measure 1)."""

    class Kind(models.TextChoices):
        HEAD_COMPANY = "head_company", _("head company")
        BRANCH = "branch", _("branch company")
        CHAIN_STORE = "chain_store", _("chain store")
        FRANCHISE_STORE = "franchise_store", _("franchise store")
        OUTLET = "outlet", _("outlet")

    class KeyArea(models.TextChoices):
        NONE = "", _("none")
        OFFICE_BUILDING = "office_building", _("office building / business district")
        INDUSTRIAL_PARK = "industrial_park", _("industrial park")
        DELIVERY_STATION = "delivery_station", _("delivery station")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices, db_index=True)
    is_platform = models.BooleanField(_("platform enterprise"), default=False)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_uscc],
        help_text=_("Outlets without their own registration may leave it empty."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    # Territorial and fallback responsibility: required in practice, nullable so a unit that
    # arrives without one is kept and listed on the "no responsible street" page.
    street = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        limit_choices_to={"kind__in": ["street", "town"]},
        verbose_name=_("territorial street/town"),
    )
    community = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="community_units",
        limit_choices_to={"kind": "community"},
        verbose_name=_("community"),
    )
    industry_authority = models.ForeignKey(
        "organizations.Office",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        limit_choices_to={"kind": "industry_authority"},
        verbose_name=_("industry authority"),
    )
    key_area = models.CharField(_("key area"), max_length=20, choices=KeyArea.choices, blank=True, default="")
    history = HistoricalRecords(excluded_fields=["path"])

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [models.Index(fields=["street", "industry"])]
        constraints = [
            # A head company heads its own tree; branches, stores and outlets may stand alone.
            models.CheckConstraint(
                condition=~models.Q(kind="head_company", parent__isnull=False),
                name="unit_head_company_is_a_root",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.community_id and self.street_id and self.community.parent_id != self.street_id:
            raise ValidationError({"community": _("The community is not in the chosen street or town.")})
