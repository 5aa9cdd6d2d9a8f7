"""The personal archive's pages, under /cadres/ beside the cadre list."""

from django.urls import path

from luodi.training import archive_views, candidate_views

app_name = "archive"
urlpatterns = [
    path("me/", archive_views.my_archive, name="my-archive"),
    path("me/archive.pdf", archive_views.my_archive_pdf, name="my-archive-pdf"),
    path("<id:pk>/", archive_views.cadre_detail, name="cadre-detail"),
    path("<id:pk>/archive.pdf", archive_views.cadre_archive_pdf, name="cadre-archive-pdf"),
    path("<id:pk>/full-numbers/", archive_views.cadre_reveal, name="cadre-reveal"),
    # From trainee to teacher: alumni who stood out, and making one a part-time teacher.
    path("teacher-candidates/", candidate_views.teacher_candidates, name="teacher-candidates"),
    path("<id:pk>/promote-to-teacher/", candidate_views.cadre_promote, name="cadre-promote"),
]
