from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path

from . import views
from .forms import LoginForm

platform_urls: list[URLPattern | URLResolver] = [
    path("", views.platform_home, name="platform-home"),
    path("dashboard/", views.platform_dashboard, name="platform-dashboard"),
    path("orgs/", include("orgs.urls")),
    path("cases/", include("cases.urls")),
    path("council/", include("councils.urls")),
    path("surveys/", include("surveys.urls")),
    path("outreach/", include("outreach.urls")),
    path("consultations/", include("consultations.urls")),
    path("team/", include("platform_site.team.urls")),
    path("settings/", include("platform_site.platform_settings.urls")),
    path("jobs/", include("platform_site.jobs.urls")),
    path("audit/", include("platform_site.trail.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("platform_site.signin.urls")),
    path("p/<slug:platform>/", include(platform_urls)),
    path("d/<slug:platform>/events/", include("outreach.urls_public")),
    path("d/<slug:platform>/api/", include("orgs.urls_api")),  # HSDS 3.0 API: data, not a page to translate
    path("check/", include("orgs.checks.urls_public")),
    path("admin/", admin.site.urls),
]
# The residents' directory in Japanese at /d/… and in English at /en/d/… (settings.LANGUAGES):
# the language is part of the address, so a shared link opens in the reader's language.
urlpatterns += i18n_patterns(path("d/", include("orgs.urls_public")), prefix_default_language=False)
