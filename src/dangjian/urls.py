from django.contrib import admin
from django.urls import include, path

from dangjian.api.urls import api

urlpatterns = [
    path("", include("dangjian.dashboard.urls")),
    path("accounts/", include("dangjian.accounts.urls")),
    path("regions/", include("dangjian.regions.urls")),
    path("units/", include("dangjian.units.urls")),
    path("organizations/", include("dangjian.organizations.urls")),
    path("people/", include("dangjian.people.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
