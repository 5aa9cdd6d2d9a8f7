"""Printable and downloadable documents of a class: timetable, class archive."""

from django.urls import path

from luodi.training import export_views

app_name = "exports"
urlpatterns = [
    path("<id:pk>/timetable.pdf", export_views.timetable_pdf, name="timetable-pdf"),
    path("<id:pk>/timetable.xlsx", export_views.timetable_xlsx, name="timetable-xlsx"),
    path("<id:pk>/archive.pdf", export_views.archive_pdf, name="archive-pdf"),
    path("<id:pk>/archive.xlsx", export_views.archive_xlsx, name="archive-xlsx"),
]
