from django.urls import path

from luodi.training import views

app_name = "training"
urlpatterns = [
    path("", views.class_list, name="class-list"),
    path("<int:pk>/", views.class_detail, name="class-detail"),
]
