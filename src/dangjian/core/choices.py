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
