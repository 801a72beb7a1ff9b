from django.urls import path

from dangjian.core import views

app_name = "core"
urlpatterns = [
    path("inbox/", views.inbox_list, name="inbox"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:notification_pk>/read/", views.inbox_read, name="inbox_read"),
]
