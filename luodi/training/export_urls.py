"""Printable and downloadable documents of a class: timetable, class archive."""

from django.urls import path

from luodi.training import export_views

app_name = "exports"
urlpatterns = [
    path("<int:pk>/timetable.pdf", export_views.timetable_pdf, name="timetable-pdf"),
    path("<int:pk>/timetable.xlsx", export_views.timetable_xlsx, name="timetable-xlsx"),
    path("<int:pk>/archive.pdf", export_views.archive_pdf, name="archive-pdf"),
    path("<int:pk>/archive.xlsx", export_views.archive_xlsx, name="archive-xlsx"),
]
