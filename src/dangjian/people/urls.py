from django.urls import path

from dangjian.people import views

app_name = "people"
urlpatterns = [
    path("me/", views.my_record, name="me"),
    path("<int:person_pk>/", views.person_detail, name="detail"),
]
