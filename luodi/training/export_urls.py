"""Printable and downloadable timetables of a class, its roster and the class list."""

from django.urls import path

from luodi.training import export_views

app_name = "exports"
urlpatterns = [
    path("<id:pk>/timetable.pdf", export_views.timetable_pdf, name="timetable-pdf"),
    path("<id:pk>/timetable.xlsx", export_views.timetable_xlsx, name="timetable-xlsx"),
    path("<id:pk>/roster.xlsx", export_views.roster_xlsx, name="roster-xlsx"),
    path("classes.xlsx", export_views.class_list_xlsx, name="class-list-xlsx"),
]
