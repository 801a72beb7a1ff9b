"""Entry registration (入职登记): public pages, mounted at /register/."""

from django.urls import path

from dangjian.people import views

app_name = "registration"
urlpatterns = [
    path("", views.register, name="form"),
    path("units/", views.registration_units, name="units"),
]
