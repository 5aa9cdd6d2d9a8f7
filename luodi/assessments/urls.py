from django.urls import path

from luodi.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("new/", views.project_new, name="project-new"),
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("<int:pk>/stages/<int:stage_pk>/", views.stage_edit, name="stage-edit"),
    path("<int:pk>/units/", views.unit_add, name="unit-add"),
    path("<int:pk>/units/<int:unit_pk>/remove/", views.unit_remove, name="unit-remove"),
    path("<int:pk>/units/<int:unit_pk>/score/", views.score, name="score"),
    path("<int:pk>/experts/", views.expert_add, name="expert-add"),
    path("<int:pk>/experts/<int:user_pk>/remove/", views.expert_remove, name="expert-remove"),
    path("<int:pk>/indicators/", views.indicator_system, name="indicators"),
    path("<int:pk>/indicators/copy/", views.indicators_copy, name="indicators-copy"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results/document/", views.results_document, name="results-document"),
    path("sheets/<int:pk>/reopen/", views.sheet_reopen, name="sheet-reopen"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]
