"""Public directory routes (namespace directory): no login, per platform, under /d/."""

from django.urls import path

from platform_site import converters  # noqa: F401  (registers <id:…>)

from . import views_public
from .members import urls_public as members_public

app_name = "directory"

urlpatterns = [
    path("<slug:platform>/", views_public.directory_index, name="index"),
    path("<slug:platform>/print/", views_public.directory_print, name="print"),
    path("<slug:platform>/o/<id:pk>/", views_public.directory_org, name="org"),
    path("<slug:platform>/hsds.json", views_public.directory_hsds, name="hsds"),
    *members_public.urlpatterns,
]
