from django.urls import path

from luodi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password/", views.password_change, name="password-change"),
    path("password/done/", views.password_change_done, name="password-change-done"),
    path("two-step/", views.second_factor_verify, name="second-factor"),
    path("two-step/enrol/", views.second_factor_enrol, name="second-factor-enrol"),
    path("api-tokens/", views.api_tokens, name="api-tokens"),
    path("api-tokens/<id:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
]
