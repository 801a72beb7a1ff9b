from django.urls import path

from dangjian.coverage import pledge_views, proposal_views, status_views

app_name = "coverage"
urlpatterns = []

# One-to-one help (一对一帮扶)
urlpatterns += [
    path("pledges/", pledge_views.pledge_list, name="pledges"),
    path("pledges/export.xlsx", pledge_views.pledge_export, name="pledge_export"),
    path("pledges/new/", pledge_views.pledge_new, name="pledge_new"),
    path("pledges/unit-options/", pledge_views.unit_options, name="pledge_unit_options"),
    path("pledges/without/", pledge_views.members_without_pledge, name="pledges_missing"),
    path(
        "pledges/without/export.xlsx",
        pledge_views.members_without_pledge_export,
        name="pledges_missing_export",
    ),
    path("pledges/<int:pledge_pk>/", pledge_views.pledge_detail, name="pledge_detail"),
    path("pledges/<int:pledge_pk>/edit/", pledge_views.pledge_edit, name="pledge_edit"),
    path("pledges/<int:pledge_pk>/progress/", pledge_views.pledge_progress, name="pledge_progress"),
    path("pledges/<int:pledge_pk>/result/", pledge_views.pledge_result, name="pledge_result"),
    path("pledges/<int:pledge_pk>/withdraw/", pledge_views.pledge_withdraw, name="pledge_withdraw"),
    path("pledges/members/<int:committeemember_pk>/", pledge_views.member_pledges, name="member_pledges"),
]

# The joint-build planner (联合建/区域建): proposals and their groups
urlpatterns += [
    path("planner/", proposal_views.proposal_list, name="proposals"),
    path("planner/run/", proposal_views.proposal_run, name="proposal_run"),
    path("planner/<int:jointbuildproposal_pk>/", proposal_views.proposal_detail, name="proposal_detail"),
    path(
        "planner/<int:jointbuildproposal_pk>/export.xlsx",
        proposal_views.proposal_export,
        name="proposal_export",
    ),
    path("planner/groups/<int:proposedgroup_pk>/", proposal_views.group_detail, name="group_detail"),
    path("planner/groups/<int:proposedgroup_pk>/add/", proposal_views.group_add_unit, name="group_add_unit"),
    path(
        "planner/groups/<int:proposedgroup_pk>/remove/",
        proposal_views.group_remove_unit,
        name="group_remove_unit",
    ),
    path("planner/groups/<int:proposedgroup_pk>/accept/", proposal_views.group_accept, name="group_accept"),
    path(
        "planner/groups/<int:proposedgroup_pk>/decline/", proposal_views.group_decline, name="group_decline"
    ),
]

# Coverage status, lists, campaign progress and the map
urlpatterns += [
    path("units/", status_views.coverage_list, name="units"),
    path("units/export.xlsx", status_views.coverage_export, name="units_export"),
    path("progress/", status_views.progress_page, name="progress"),
    path("progress/export.xlsx", status_views.progress_export, name="progress_export"),
    path("map/", status_views.map_page, name="map"),
    path("map/points.json", status_views.map_points, name="map_points"),
]
