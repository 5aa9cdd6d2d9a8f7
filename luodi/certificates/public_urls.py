"""The public verification page, reached from the QR code printed on every certificate."""

from django.urls import path

from luodi.certificates import views

app_name = "verify"
urlpatterns = [
    path("", views.verify_lookup, name="lookup"),
    path("<str:serial>/", views.verify, name="certificate"),
]
