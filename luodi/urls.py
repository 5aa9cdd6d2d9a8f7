from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from luodi.accounts.access import public
from luodi.api import api
from luodi.reports import views as report_views

admin.site.site_header = admin.site.site_title = "Luodi 落地"
admin.site.index_title = admin.site.site_header

urlpatterns = [
    path("", report_views.home, name="home"),
    path("dashboard/", report_views.dashboard, name="dashboard"),
    path("healthz", report_views.healthz, name="healthz"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("accounts/", include("luodi.accounts.urls")),
    path("accounts/code/", include("luodi.checkin.login_urls")),
    path("classes/", include("luodi.training.urls")),
    path("classes/", include("luodi.training.export_urls")),
    path("checkin/", include("luodi.checkin.urls")),
    path("certificates/", include("luodi.certificates.urls")),
    path("verify/", include("luodi.certificates.public_urls")),
    path("cadres/", include("luodi.cadres.urls")),
    path("cadres/", include("luodi.training.archive_urls")),
    path("jobs/", include("luodi.jobs.urls")),
    path("notifications/", include("luodi.notifications.urls")),
    path("courses/", include("luodi.curriculum.urls")),
    path("faculty/", include("luodi.faculty.urls")),
    path("communities/", include("luodi.regions.urls")),
    path("imports/", include("luodi.imports.urls")),
    path("needs/", include("luodi.needs.urls")),
    path("timetabling/", include("luodi.timetabling.urls")),
    path("college/", include("luodi.college.urls")),
    path("surveys/", include("luodi.surveys.urls")),
    path("assessments/", include("luodi.assessments.urls")),
    path("research/", include("luodi.research.urls")),
    path("", include("luodi.reports.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
