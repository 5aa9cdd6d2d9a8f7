"""The personal archive's pages, under /cadres/ beside the cadre list."""

from django.urls import path

from luodi.training import archive_views

app_name = "archive"
urlpatterns = [
    path("me/", archive_views.my_archive, name="my-archive"),
    path("<id:pk>/", archive_views.cadre_detail, name="cadre-detail"),
    path("<id:pk>/full-numbers/", archive_views.cadre_reveal, name="cadre-reveal"),
]
