from django.urls import path

from luodi.cadres import views

app_name = "cadres"
urlpatterns = [
    path("", views.cadre_list, name="cadre-list"),
    path("me/", views.my_archive, name="my-archive"),
    path("<id:pk>/", views.cadre_detail, name="cadre-detail"),
]
