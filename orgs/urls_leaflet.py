"""Leaflet PDF routes (namespace orgs)."""

from django.urls import path

from . import views_leaflet

urlpatterns = [
    path("leaflet/", views_leaflet.leaflet_options, name="leaflet-options"),
    path("leaflet.pdf", views_leaflet.leaflet_download, name="leaflet"),
]
