"""The care app's back office: each part registers its models in its own module."""

from dangjian.care import (
    fund_admin,  # noqa: F401
    station_admin,  # noqa: F401
)
