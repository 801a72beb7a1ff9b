from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangjian.core.choices import JobType
from dangjian.core.crypto import blind_index
from dangjian.core.fields import BlindIndexField, EncryptedTextField
from dangjian.core.masking import mask_id_number, mask_mobile


class Person(models.Model):
    """One real person, one record (matched by ID number): workers, secretaries, investors."""

    class PoliticalStatus(models.TextChoices):
        MASSES = "masses", _("the masses")
        LEAGUE_MEMBER = "league_member", _("Communist Youth League member")
        PROBATIONARY_MEMBER = "probationary_member", _("probationary party member")
        FULL_MEMBER = "full_member", _("full party member")
        OTHER_PARTY = "other_party", _("member of another party")
        UNDISCLOSED = "undisclosed", _("not disclosed")

    class Gender(models.TextChoices):
        MALE = "male", _("male")
        FEMALE = "female", _("female")

    name = models.CharField(_("name"), max_length=40)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    # Encrypted at rest; look-up and uniqueness go through the keyed blind index.
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_index = BlindIndexField(unique=True, null=True, blank=True)
    mobile = EncryptedTextField(_("mobile phone"), blank=True)
    mobile_index = BlindIndexField(null=True, blank=True)
    # Disclosure of party membership is voluntary: "not disclosed" is the default.
    political_status = models.CharField(
        _("political status"),
        max_length=24,
        choices=PoliticalStatus.choices,
        default=PoliticalStatus.UNDISCLOSED,
    )
    # The one organization a party member belongs to (隶属); mobile members take part in others
    # too (membership.MobileMember). Empty for non-members and members not yet brought in.
    party_organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_members",
        verbose_name=_("party organization"),
    )
    ethnicity = models.CharField(_("ethnic group"), max_length=20, blank=True)
    education = models.CharField(_("education"), max_length=20, blank=True)
    household_registration = models.CharField(_("household registration"), max_length=120, blank=True)
    residence = models.CharField(_("residential address"), max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("account"),
    )
    history = HistoricalRecords(excluded_fields=["id_number", "mobile"])

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"])]  # the default ordering, at a million rows
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.id_number_index = blind_index(self.id_number, "id_number") if self.id_number else None
        self.mobile_index = blind_index(self.mobile, "mobile") if self.mobile else None
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class Employment(models.Model):
    """A person working at a unit as one of the new employment groups."""

    JobType = JobType  # the shared list: ledgers and reports count by it too

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="employments", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="employments", verbose_name=_("unit")
    )
    job_type = models.CharField(_("job type"), max_length=24, choices=JobType.choices)
    full_time = models.BooleanField(_("full time"), default=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        indexes = [models.Index(fields=["unit", "end_date"])]
        constraints = [
            # The key an entry registration is matched on, whatever the channel: one person,
            # one unit, one start date. Importing the same sheet twice finds the same rows.
            models.UniqueConstraint(fields=["person", "unit", "start_date"], name="employment_unique_start"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="employment_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.person} @ {self.unit}"


class Investor(models.Model):
    """A person who owns or finances a unit (出资人), the ledger's fourth part."""

    class Role(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_representative", _("legal representative")
        ACTUAL_CONTROLLER = "actual_controller", _("actual controller")
        SHAREHOLDER = "shareholder", _("shareholder")
        OTHER = "other", _("other investor")

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, related_name="investors", verbose_name=_("unit")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="investments", verbose_name=_("person")
    )
    role = models.CharField(_("investor role"), max_length=24, choices=Role.choices)
    share_percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    # Deputy to a people's congress, CPPCC member, federation of industry and commerce post...
    representative_roles = models.CharField(_("representative roles"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit", "role", "id"]
        verbose_name = _("investor")
        verbose_name_plural = _("investors")
        constraints = [models.UniqueConstraint(fields=["unit", "person"], name="investor_unique_per_unit")]

    def __str__(self):
        return f"{self.person} · {self.unit}"


class DisclosureFollowUp(models.Model):
    """A worker disclosed party membership at registration: the covering organization (or, with
    none, the street) brings them into organizational life by the due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("unit")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        verbose_name=_("responsible organization"),
    )
    street = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        verbose_name=_("responsible street/town"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("closed by"),
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "due_on", "id"]
        verbose_name = _("disclosure follow-up")
        verbose_name_plural = _("disclosure follow-ups")
        constraints = [
            # One open follow-up per person and unit: registering twice does not double the work.
            models.UniqueConstraint(
                fields=["person", "unit"], condition=models.Q(status="open"), name="one_open_follow_up"
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.unit} · {self.due_on}"
