from django.contrib import admin
from django.urls import include, path

from trellis.web import views
from trellis.web.api import api
from trellis.web.ladders import views as ladder_views

urlpatterns = [
    path("", views.home, name="home"),
    path("ladder/", ladder_views.ladder_page, name="ladder"),
    path("ladder/versions/", ladder_views.versions_page, name="ladder-versions"),
    path("ladder/versions/<int:number>/activate/", ladder_views.activate, name="ladder-activate"),
    path("accounts/", include("trellis.web.accounts.urls")),
    path("org/", include("trellis.web.org.urls")),
    path("health/", include("trellis.web.health.urls")),
    path("growth/", include("trellis.web.growth.urls")),
    path("promotions/", include("trellis.web.promotions.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
