"""Models of the membership app."""

from django.db import models  # noqa: F401
