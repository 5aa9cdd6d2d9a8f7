from django.urls import path

from luodi.faculty import views

app_name = "faculty"
urlpatterns = [
    path("", views.teacher_list, name="teacher-list"),
    path("<id:pk>/", views.teacher_detail, name="teacher-detail"),
]
