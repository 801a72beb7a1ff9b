from django.urls import path

from dangjian.spreadsheets import views

app_name = "spreadsheets"
urlpatterns = [
    path("", views.import_list, name="imports"),
    path("new/", views.import_new, name="import_new"),
    path("template.xlsx", views.import_template, name="import_template"),
    path("<int:importjob_pk>/", views.import_detail, name="import_detail"),
    path("<int:importjob_pk>/commit/", views.import_commit, name="import_commit"),
    path("<int:importjob_pk>/discard/", views.import_discard, name="import_discard"),
    path("<int:importjob_pk>/errors.xlsx", views.import_errors, name="import_errors"),
]
