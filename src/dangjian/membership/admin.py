"""The membership app's back office: each part registers its own models in its own module."""

from dangjian.membership import admin_pipeline  # noqa: F401  the development rule table
