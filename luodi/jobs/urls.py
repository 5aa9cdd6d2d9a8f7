from django.urls import path

from luodi.jobs import views

app_name = "jobs"
urlpatterns = [
    path("<int:pk>/", views.status, name="status"),
    path("<int:pk>/download/", views.download, name="download"),
]
