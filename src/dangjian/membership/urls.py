from django.urls import path

from dangjian.membership import mobile_views, quota_views, share_views
from dangjian.membership import views as pipeline_views

app_name = "membership"
urlpatterns = []

# Quotas (发展党员指标)
urlpatterns += [
    path("quotas/", quota_views.quota_list, name="quota_list"),
    path("quotas/export.xlsx", quota_views.quota_export, name="quota_export"),
    path("quotas/district/", quota_views.quota_district, name="quota_district"),
    path("quotas/<int:developmentquota_pk>/", quota_views.quota_detail, name="quota_detail"),
    path("quotas/<int:developmentquota_pk>/allocate/", quota_views.quota_allocate, name="quota_allocate"),
]

# The development pipeline (发展党员)
urlpatterns += [
    path("", pipeline_views.record_list, name="records"),
    path("todo/", pipeline_views.todo, name="todo"),
    path("organizations/<int:organization_pk>/board/", pipeline_views.board, name="board"),
    path(
        "organizations/<int:organization_pk>/applications/new/",
        pipeline_views.application_new,
        name="application_new",
    ),
    path("records/<int:developmentrecord_pk>/", pipeline_views.record_detail, name="record"),
    path("records/<int:developmentrecord_pk>/sheet.xlsx", pipeline_views.record_export, name="record_export"),
    path("records/<int:developmentrecord_pk>/steps/new/", pipeline_views.step_new, name="step_new"),
]

# Mobile party members (流动党员)
urlpatterns += [
    path("mobile/", mobile_views.mobile_list, name="mobile_list"),
    path("mobile/export.xlsx", mobile_views.mobile_export, name="mobile_export"),
    path("mobile/new/", mobile_views.mobile_new, name="mobile_new"),
    path("mobile/follow-ups/", mobile_views.follow_ups_to_match, name="mobile_follow_ups"),
    path("mobile/follow-ups/<int:disclosurefollowup_pk>/", mobile_views.bring_in, name="mobile_bring_in"),
    path("mobile/<int:mobilemember_pk>/", mobile_views.mobile_detail, name="mobile_detail"),
    path("mobile/<int:mobilemember_pk>/edit/", mobile_views.mobile_edit, name="mobile_edit"),
    path("mobile/<int:mobilemember_pk>/contact/", mobile_views.mobile_contact, name="mobile_contact"),
    path(
        "mobile/<int:mobilemember_pk>/participations/new/",
        mobile_views.participation_new,
        name="mobile_participation_new",
    ),
    path(
        "participations/<int:participation_pk>/end/", mobile_views.participation_end, name="participation_end"
    ),
]

# The members' share (党员占比)
urlpatterns += [
    path("share/", share_views.share_page, name="share"),
    path("share/export.xlsx", share_views.share_export, name="share_export"),
]
