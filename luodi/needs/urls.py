from django.urls import path

from luodi.needs import views

app_name = "needs"
urlpatterns = [
    path("records/", views.record_list, name="record-list"),
    path("records/new/", views.record_new, name="record-new"),
    path("records/<id:pk>/", views.record_detail, name="record-detail"),
    path("records/<id:pk>/edit/", views.record_edit, name="record-edit"),
    path("analysis/", views.needs_analysis, name="analysis"),
    path("plan/", views.class_plan, name="plan"),
    path("classes/<id:pk>/", views.loop, name="class-loop"),
]
