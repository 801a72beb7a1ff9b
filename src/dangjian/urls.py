from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from dangjian.api.urls import api

admin.site.site_header = _("New-Employment Party-Building Platform")
admin.site.site_title = _("Back office")
admin.site.index_title = _("Back office")

urlpatterns = [
    path("", include("dangjian.dashboard.urls")),
    path("", include("dangjian.core.urls")),
    path("accounts/", include("dangjian.accounts.urls")),
    path("regions/", include("dangjian.regions.urls")),
    path("units/", include("dangjian.units.urls")),
    path("organizations/", include("dangjian.organizations.urls")),
    path("people/", include("dangjian.people.urls")),
    path("register/", include("dangjian.people.registration_urls")),
    path("imports/", include("dangjian.spreadsheets.urls")),
    path("coverage/", include("dangjian.coverage.urls")),
    path("membership/", include("dangjian.membership.urls")),
    path("care/", include("dangjian.care.urls")),
    path("stations/", include("dangjian.care.station_urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
