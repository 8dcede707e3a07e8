from django.contrib.auth.decorators import login_not_required
from django.urls import path

from trellis.web.accounts import sso, views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", sso.SignOut.as_view(), name="logout"),
    # mozilla-django-oidc's views under the names it reverses; reachable before signing in.
    path("sso/", login_not_required(sso.SignInAtIdentityProvider.as_view()), name="oidc_authentication_init"),
    path("sso/callback/", login_not_required(sso.BackFromIdentityProvider.as_view()),
         name="oidc_authentication_callback"),
]
