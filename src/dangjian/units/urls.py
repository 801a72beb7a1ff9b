from django.urls import path

from dangjian.units import ledger_views, views, visit_views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("export.xlsx", views.unit_export, name="export"),
    path("template.xlsx", views.unit_template, name="template"),
    path("no-street/", views.units_without_street, name="without_street"),
    path("<int:unit_pk>/", views.unit_detail, name="detail"),
    # Return visits (定期回访)
    path("visits/overdue/", visit_views.overdue_visits, name="visits_overdue"),
    path("visits/overdue/export.xlsx", visit_views.overdue_visits_export, name="visits_overdue_export"),
    path("<int:unit_pk>/visits/new/", visit_views.record_visit, name="visit_new"),
    path("<int:unit_pk>/visits/interval/", visit_views.visit_interval, name="visit_interval"),
    path(
        "visit-actions/<int:visitaction_pk>/close/", visit_views.close_visit_action, name="visit_action_close"
    ),
    # The five-clears ledger (五个清台账)
    path("ledger/", ledger_views.ledger, name="ledger"),
    path("ledger/export.xlsx", ledger_views.ledger_export, name="ledger_export"),
    path("<int:unit_pk>/ledger/operations/", ledger_views.edit_operations, name="ledger_operations"),
    path("<int:unit_pk>/ledger/workforce/", ledger_views.report_workforce, name="ledger_workforce"),
    path("<int:unit_pk>/ledger/investors/new/", ledger_views.add_investor, name="ledger_investor_new"),
    path("investors/<int:investor_pk>/", ledger_views.edit_investor, name="ledger_investor_edit"),
    path("investors/<int:investor_pk>/remove/", ledger_views.delete_investor, name="ledger_investor_remove"),
    path("<int:unit_pk>/ledger/instructors/new/", ledger_views.add_instructor, name="ledger_instructor_new"),
    path(
        "instructors/<int:instructorassignment_pk>/end/",
        ledger_views.end_instructor,
        name="ledger_instructor_end",
    ),
]
