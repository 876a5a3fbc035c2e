from django.urls import path

from platform_site.placeholder import not_yet

app_name = "orgs"

urlpatterns = [
    path("", not_yet, name="list"),
    path("pipeline/", not_yet, name="pipeline"),
    path("leaflet.pdf", not_yet, name="leaflet"),
]
