from django.urls import path

from luodi.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("new/", views.project_new, name="project-new"),
    path("<id:pk>/", views.project_detail, name="project-detail"),
    path("<id:pk>/edit/", views.project_edit, name="project-edit"),
    path("<id:pk>/stages/<id:stage_pk>/", views.stage_edit, name="stage-edit"),
    path("<id:pk>/units/", views.unit_add, name="unit-add"),
    path("<id:pk>/units/<id:unit_pk>/remove/", views.unit_remove, name="unit-remove"),
    path("<id:pk>/units/<id:unit_pk>/score/", views.score, name="score"),
    path("<id:pk>/experts/", views.expert_add, name="expert-add"),
    path("<id:pk>/experts/<id:user_pk>/remove/", views.expert_remove, name="expert-remove"),
    path("<id:pk>/indicators/", views.indicator_system, name="indicators"),
    path("<id:pk>/indicators/copy/", views.indicators_copy, name="indicators-copy"),
    path("<id:pk>/results/", views.results, name="results"),
    path("<id:pk>/results/document/", views.results_document, name="results-document"),
    path("sheets/<id:pk>/reopen/", views.sheet_reopen, name="sheet-reopen"),
    path("evidence/<id:pk>/", views.evidence, name="evidence"),
]
