from django.urls import path

from dangjian.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("export.xlsx", views.organization_export, name="export"),
    path("reelection/", views.reelection_due, name="reelection_due"),
    path("offices/", views.office_list, name="offices"),
    path("<int:organization_pk>/", views.organization_detail, name="detail"),
]
