"""The public station finder (no sign-in), mounted at /stations/: short enough to print and type."""

from django.urls import path

from dangjian.care import station_views

app_name = "stations"
urlpatterns = [
    path("", station_views.finder, name="finder"),
    path("<int:station_pk>/check-in/", station_views.check_in, name="check_in"),
    path("photos/<int:stationphoto_pk>/", station_views.public_photo, name="photo"),
]
