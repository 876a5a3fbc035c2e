"""Leaflet PDF routes (namespace orgs)."""

from django.urls import path

from platform_site.placeholder import not_yet

urlpatterns = [
    path("leaflet.pdf", not_yet, name="leaflet"),
]
