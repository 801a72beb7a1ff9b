from django.urls import path

from dangjian.units import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("export.xlsx", views.unit_export, name="export"),
    path("template.xlsx", views.unit_template, name="template"),
    path("no-street/", views.units_without_street, name="without_street"),
    path("<int:unit_pk>/", views.unit_detail, name="detail"),
]
