from django.urls import path

from luodi.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.community_list, name="community-list"),
    path("communities.xlsx", views.community_list_xlsx, name="community-list-xlsx"),
]
