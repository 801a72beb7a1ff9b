from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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

    class JobType(models.TextChoices):
        RIDER = "rider", _("delivery rider")
        COURIER = "courier", _("courier")
        RIDE_HAILING_DRIVER = "ride_hailing_driver", _("ride-hailing driver")
        TRUCK_DRIVER = "truck_driver", _("truck driver")
        LIVESTREAMER = "livestreamer", _("livestreamer")
        OTHER = "other", _("other")

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
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="employment_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.person} @ {self.unit}"
