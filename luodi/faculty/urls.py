from django.urls import path

from luodi.faculty import views

app_name = "faculty"
urlpatterns = [
    path("", views.teacher_list, name="teacher-list"),
    path("teachers.xlsx", views.teacher_list_xlsx, name="teacher-list-xlsx"),
    path("<id:pk>/", views.teacher_detail, name="teacher-detail"),
]
