from django.urls import path

from luodi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("api-tokens/", views.api_tokens, name="api-tokens"),
    path("api-tokens/<id:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
]
