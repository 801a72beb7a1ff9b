from django.urls import path

from dangjian.organizations import leadership_views, views

app_name = "organizations"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("export.xlsx", views.organization_export, name="export"),
    path("reelection/", views.reelection_due, name="reelection_due"),
    path("offices/", views.office_list, name="offices"),
    path("<int:organization_pk>/", views.organization_detail, name="detail"),
]

# Secretaries and leadership (measure 5)
urlpatterns += [
    path("leadership/", leadership_views.leadership_list, name="leadership"),
    path("leadership/export.xlsx", leadership_views.leadership_export, name="leadership_export"),
    path("cross-appointment/", leadership_views.cross_appointment, name="cross_appointment"),
    path(
        "cross-appointment/export.xlsx",
        leadership_views.cross_appointment_export,
        name="cross_appointment_export",
    ),
    path(
        "units/<int:unit_pk>/management-posts/new/",
        leadership_views.management_post_new,
        name="management_post_new",
    ),
    path(
        "management-posts/<int:managementpost_pk>/end/",
        leadership_views.management_post_end,
        name="management_post_end",
    ),
    path("units/<int:unit_pk>/decisions/new/", leadership_views.decision_new, name="decision_new"),
    path("decisions/<int:majordecision_pk>/", leadership_views.decision_edit, name="decision_edit"),
]
