"""Models of the care app."""

from django.db import models  # noqa: F401
