from django.urls import path

from luodi.cadres import views

app_name = "cadres"
urlpatterns = [
    path("", views.cadre_list, name="cadre-list"),
    path("export/", views.cadre_list_export, name="cadre-list-export"),
]
