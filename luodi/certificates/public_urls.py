"""The public verification page, reached from the QR code printed on every certificate."""

from django.urls import path

from luodi.certificates import views

app_name = "verify"
# A serial as typed may hold any character, "/" too; it then finds no certificate (a 404 page),
# where a narrower converter would leave the lookup form's redirect with no URL to build. Only
# NUL, which no database takes, matches no URL.
urlpatterns = [
    path("", views.verify_lookup, name="lookup"),
    path("<text:serial>/", views.verify, name="certificate"),
]
