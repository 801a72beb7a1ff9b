from django.urls import path

from dangjian.people import list_views, views

app_name = "people"
urlpatterns = [
    path("", list_views.person_list, name="list"),
    path("export.xlsx", list_views.person_export, name="export"),
    path("registrations.xlsx", list_views.registration_export, name="registration_export"),
    path("me/", views.my_record, name="me"),
    path("follow-ups/", views.follow_up_list, name="follow_ups"),
    path("follow-ups/<int:disclosurefollowup_pk>/close/", views.follow_up_close, name="follow_up_close"),
    path("<int:person_pk>/", views.person_detail, name="detail"),
]
