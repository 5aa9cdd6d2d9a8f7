from django.urls import path

from luodi.college import views

app_name = "college"

urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("logo", views.logo, name="logo"),
]
