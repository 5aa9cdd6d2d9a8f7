from django.urls import path

from luodi.curriculum import views

app_name = "curriculum"
urlpatterns = [
    path("", views.course_list, name="course-list"),
    path("<id:pk>/", views.course_detail, name="course-detail"),
]
