"""Printable and downloadable documents of a class: timetable, class archive."""

from django.urls import path  # noqa: F401

urlpatterns = []
