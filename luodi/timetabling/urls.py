from django.urls import path

from luodi.timetabling import views

app_name = "timetabling"

urlpatterns = [
    path("term/", views.term, name="term"),
    path("classes/<id:pk>/", views.class_draft, name="class-draft"),
    path("drafts/<id:pk>/", views.draft_page, name="draft"),
    path("drafts/<id:pk>/solve/", views.draft_resolve, name="draft-resolve"),
    path("drafts/<id:pk>/accept/", views.draft_accept, name="draft-accept"),
]
