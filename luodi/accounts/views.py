from django.contrib.auth import views as auth_views

from luodi.accounts.access import login_only, public

login = public(auth_views.LoginView.as_view(redirect_authenticated_user=True))
logout = login_only(auth_views.LogoutView.as_view())
