from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    language = models.CharField(
        _("interface language"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )
    # Set only by the demo-data command; the production profile refuses to start while any exist.
    is_demo = models.BooleanField(_("demo account"), default=False, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        # A worker's username is their mobile number: timelines, audit records and drop-downs
        # show the person's name instead, so the number is not repeated wherever they act.
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("district administrator")
    COMMITTEE_STAFF = "committee_staff", _("industry committee staff")
    STREET_STAFF = "street_staff", _("street/town staff")
    BRANCH_SECRETARY = "branch_secretary", _("branch secretary")
    ENTERPRISE_LIAISON = "enterprise_liaison", _("enterprise liaison")
    WORKER = "worker", _("worker")


# Which scope field each role is bound to; the check constraint below enforces it.
ROLE_SCOPE_FIELD = {
    Role.DISTRICT_ADMIN: "region",
    Role.STREET_STAFF: "region",
    Role.COMMITTEE_STAFF: "organization",
    Role.BRANCH_SECRETARY: "organization",
    Role.ENTERPRISE_LIAISON: "unit",
    Role.WORKER: "person",
}
SCOPE_FIELDS = ("region", "organization", "unit", "person")


def _only(field: str) -> Q:
    q = Q(**{f"{field}__isnull": False})
    for other in SCOPE_FIELDS:
        if other != field:
            q &= Q(**{f"{other}__isnull": True})
    return q


class RoleAssignment(models.Model):
    """A role a user holds, bound to the part of the district it answers for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("region")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("organization"),
    )
    unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("unit")
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("own record")
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    (Q(role__in=[r for r, f in ROLE_SCOPE_FIELD.items() if f == "region"]) & _only("region"))
                    | (
                        Q(role__in=[r for r, f in ROLE_SCOPE_FIELD.items() if f == "organization"])
                        & _only("organization")
                    )
                    | (Q(role=Role.ENTERPRISE_LIAISON) & _only("unit"))
                    | (Q(role=Role.WORKER) & _only("person"))
                ),
                name="role_bound_to_its_scope_field",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.scope_object}"

    @property
    def scope_object(self):
        return getattr(self, ROLE_SCOPE_FIELD[self.role])
