from django.urls import path

from luodi.curriculum import views

app_name = "curriculum"
urlpatterns = [
    path("", views.course_list, name="course-list"),
    path("courses.xlsx", views.course_list_xlsx, name="course-list-xlsx"),
    path("<id:pk>/", views.course_detail, name="course-detail"),
]
