"""Choice lists shared by several apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    EXPRESS = "express", _("express delivery")
    FOOD_DELIVERY = "food_delivery", _("food delivery")
    RIDE_HAILING = "ride_hailing", _("ride-hailing")
    FREIGHT = "freight", _("freight")
    LIVESTREAMING = "livestreaming", _("livestreaming")
    OTHER = "other", _("other")


class JobType(models.TextChoices):
    RIDER = "rider", _("delivery rider")
    COURIER = "courier", _("courier")
    RIDE_HAILING_DRIVER = "ride_hailing_driver", _("ride-hailing driver")
    TRUCK_DRIVER = "truck_driver", _("truck driver")
    LIVESTREAMER = "livestreamer", _("livestreamer")
    OTHER = "other", _("other")


JOB_TYPE_CHOICES = JobType.choices
