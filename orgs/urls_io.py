"""Excel/CSV import and export routes (namespace orgs)."""

from django.urls import path

from . import views_io

urlpatterns = [
    path("import/", views_io.import_upload, name="import"),
    path("import/confirm/", views_io.import_confirm, name="import-confirm"),
    path("export/", views_io.export_download, name="export"),
]
