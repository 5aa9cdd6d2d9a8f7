from django.urls import path

from luodi.research import views

app_name = "research"
urlpatterns = [
    path("", views.index, name="index"),
    path("projects/", views.project_list, name="project-list"),
    path("projects.xlsx", views.project_list_xlsx, name="project-list-xlsx"),
    path("projects/new/", views.project_new, name="project-new"),
    path("projects/<id:pk>/", views.project_detail, name="project-detail"),
    path("projects/<id:pk>/edit/", views.project_edit, name="project-edit"),
    path("publications/", views.publication_list, name="publication-list"),
    path("publications.xlsx", views.publication_list_xlsx, name="publication-list-xlsx"),
    path("publications/new/", views.publication_new, name="publication-new"),
    path("publications/<id:pk>/edit/", views.publication_edit, name="publication-edit"),
    path("advisory/", views.advisory_list, name="advisory-list"),
    path("advisory.xlsx", views.advisory_list_xlsx, name="advisory-list-xlsx"),
    path("advisory/new/", views.advisory_new, name="advisory-new"),
    path("advisory/<id:pk>/edit/", views.advisory_edit, name="advisory-edit"),
]
