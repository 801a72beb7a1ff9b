from django.urls import path

from dangjian.regions import views

app_name = "regions"
urlpatterns = [path("", views.region_tree, name="tree")]
