from django.urls import include, path

from platform_site import converters  # noqa: F401  (registers <id:…>)

from . import urls_io, urls_leaflet, views, views_categories
from .checks import urls as checks_urls
from .members import urls as members_urls

app_name = "orgs"

org_urls = [
    path("", views.org_detail, name="detail"),
    path("edit/", views.org_edit, name="edit"),
    path("verify/", views.org_verify, name="verify"),
    path("membership/", views.membership_edit, name="membership"),
    path("history/", views.org_history, name="history"),
]

urlpatterns = [
    path("", views.org_list, name="list"),
    path("new/", views.org_create, name="create"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("lists/<slug:kind>/", views_categories.category_list, name="categories"),
    *members_urls.urlpatterns,
    path("<id:pk>/", include(org_urls)),
    *urls_io.urlpatterns,
    *urls_leaflet.urlpatterns,
    *checks_urls.urlpatterns,
]
