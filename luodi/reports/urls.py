"""Reports' pages that sit beside other apps' URLs: a class's archive, a community's page."""

from django.urls import path

from luodi.reports import (
    archive_views,
    community_views,
    personal_views,
    stats_views,
    work_views,
)

app_name = "reports"
urlpatterns = [
    path("work/to-do/", work_views.todo, name="work-todo"),
    path("work/classes/", work_views.classes, name="work-classes"),
    path("work/sessions/", work_views.sessions, name="work-sessions"),
    path("work/city/", work_views.city, name="work-city"),
    path("classes/<id:pk>/archive.pdf", archive_views.archive_pdf, name="class-archive-pdf"),
    path("classes/<id:pk>/archive.xlsx", archive_views.archive_xlsx, name="class-archive-xlsx"),
    path("communities/<id:pk>/", community_views.community_detail, name="community-detail"),
    path(
        "cadres/<id:pk>/personal-data.xlsx",
        personal_views.cadre_data_export,
        name="cadre-data-export",
    ),
    path("cadres/<id:pk>/anonymise/", personal_views.cadre_anonymise, name="cadre-anonymise"),
    path("statistics/", stats_views.statistics, name="statistics"),
    path("statistics/documents/", stats_views.statistics_document, name="statistics-document"),
]
