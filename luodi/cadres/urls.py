from django.urls import path

from luodi.cadres import views

app_name = "cadres"
urlpatterns = [
    path("", views.cadre_list, name="cadre-list"),
]
