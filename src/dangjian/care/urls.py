from django.urls import path  # noqa: F401

from dangjian.care import fund_views, legal_views, station_views

app_name = "care"
urlpatterns = []

# Red rider stations (红色骑手驿站), staff pages; the public finder is at /stations/ (station_urls.py).
urlpatterns += [
    path("stations/", station_views.station_list, name="stations"),
    path("stations/export.xlsx", station_views.station_export, name="station_export"),
    path("stations/new/", station_views.station_new, name="station_new"),
    path("stations/usage/", station_views.station_usage, name="station_usage"),
    path("stations/usage/export.xlsx", station_views.station_usage_export, name="station_usage_export"),
    path("stations/<int:station_pk>/", station_views.station_detail, name="station_detail"),
    path("stations/<int:station_pk>/edit/", station_views.station_edit, name="station_edit"),
    path("stations/<int:station_pk>/listing/", station_views.station_listing, name="station_listing"),
    path("stations/<int:station_pk>/closures/new/", station_views.closure_new, name="station_closure_new"),
    path("stations/<int:station_pk>/photos/new/", station_views.photo_new, name="station_photo_new"),
    path("stations/<int:station_pk>/qr.svg", station_views.station_qr, name="station_qr"),
    path("stations/<int:station_pk>/poster/", station_views.station_poster, name="station_poster"),
    path(
        "stations/<int:station_pk>/check-in-code/",
        station_views.check_in_code_new,
        name="station_check_in_code",
    ),
    path(
        "stations/closures/<int:stationclosure_pk>/remove/",
        station_views.closure_remove,
        name="station_closure_remove",
    ),
    path("stations/photos/<int:stationphoto_pk>/", station_views.photo_file, name="station_photo"),
    path(
        "stations/photos/<int:stationphoto_pk>/remove/",
        station_views.photo_remove,
        name="station_photo_remove",
    ),
]

# Care fund (关爱基金) and legal aid (法律援助): part "carefund".
urlpatterns += [
    path("fund/", fund_views.application_list, name="fund_list"),
    path("fund/export.xlsx", fund_views.application_export, name="fund_export"),
    path("fund/apply/", fund_views.apply, name="fund_apply"),
    path("fund/apply/<int:person_pk>/", fund_views.apply_for, name="fund_apply_for"),
    path("fund/funds/", fund_views.fund_list, name="fund_funds"),
    path("fund/reports/", fund_views.reports, name="fund_reports"),
    path("fund/reports/export.xlsx", fund_views.report_export, name="fund_report_export"),
    path("fund/<int:careapplication_pk>/", fund_views.application_detail, name="fund_detail"),
    path("fund/<int:careapplication_pk>/review/", fund_views.review, name="fund_review"),
    path("fund/<int:careapplication_pk>/decide/", fund_views.decide, name="fund_decide"),
    path("fund/<int:careapplication_pk>/pay/", fund_views.pay, name="fund_pay"),
    path("fund/<int:careapplication_pk>/documents/", fund_views.add_document, name="fund_document_new"),
    path("fund/documents/<int:caredocument_pk>/", fund_views.document, name="fund_document"),
    path("legal/", legal_views.request_list, name="legal_list"),
    path("legal/new/", legal_views.new_request, name="legal_new"),
    path("legal/new/<int:person_pk>/", legal_views.new_request_for, name="legal_new_for"),
    path("legal/<int:legalaidrequest_pk>/", legal_views.request_detail, name="legal_detail"),
    path("legal/<int:legalaidrequest_pk>/check/", legal_views.check, name="legal_check"),
    path("legal/<int:legalaidrequest_pk>/refer/", legal_views.refer, name="legal_refer"),
    path("legal/<int:legalaidrequest_pk>/close/", legal_views.close, name="legal_close"),
]
