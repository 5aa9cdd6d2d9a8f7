from django.urls import path

from luodi.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("template/<slug:kind>.xlsx", views.template, name="template"),
    path("<id:pk>/", views.run_page, name="run"),
    path("<id:pk>/columns/", views.remap, name="remap"),
    path("<id:pk>/import/", views.commit, name="commit"),
]
