"""HSDS 3.0 API routes (namespace hsds): /d/<platform>/api/…, the paths of the standard's openapi.json."""

from django.urls import path

from . import views_api

app_name = "hsds"

urlpatterns = [
    path("", views_api.api_root, name="root"),
    path("services", views_api.services, name="services"),
    path("services/<uuid:pk>", views_api.service, name="service"),
    path("organizations", views_api.organizations, name="organizations"),
    path("organizations/<uuid:pk>", views_api.organization, name="organization"),
    path("taxonomies", views_api.taxonomies, name="taxonomies"),
    path("taxonomies/<uuid:pk>", views_api.taxonomy, name="taxonomy"),
    path("taxonomy_terms", views_api.taxonomy_terms, name="taxonomy-terms"),
    path("taxonomy_terms/<uuid:pk>", views_api.taxonomy_term, name="taxonomy-term"),
]
