from django.urls import path

from luodi.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.community_list, name="community-list"),
]
