from django.urls import path

from luodi.checkin import login_views

app_name = "first-login"
urlpatterns = [
    path("", login_views.code_request, name="request"),
    path("verify/", login_views.code_verify, name="verify"),
]
