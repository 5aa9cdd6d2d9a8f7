"""Printable and downloadable timetables of a class."""

from django.urls import path

from luodi.training import export_views

app_name = "exports"
urlpatterns = [
    path("<id:pk>/timetable.pdf", export_views.timetable_pdf, name="timetable-pdf"),
    path("<id:pk>/timetable.xlsx", export_views.timetable_xlsx, name="timetable-xlsx"),
]
