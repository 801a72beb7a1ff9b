"""Models of the coverage app."""

from django.db import models  # noqa: F401
