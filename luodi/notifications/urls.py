from django.urls import path

from luodi.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<id:pk>/open/", views.notification_open, name="open"),
    path("read-all/", views.notification_read_all, name="read-all"),
]
