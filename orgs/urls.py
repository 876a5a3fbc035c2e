from django.urls import path

from platform_site.placeholder import not_yet

from . import urls_io, urls_leaflet

app_name = "orgs"

urlpatterns = [
    path("", not_yet, name="list"),
    path("pipeline/", not_yet, name="pipeline"),
    *urls_io.urlpatterns,
    *urls_leaflet.urlpatterns,
]
