"""Django admin for superusers: the platforms, and roles read-only (they change on the team screen,
which records who granted what). Audit rows are never added, changed or deleted here.

`SheetImportExportMixin` gives a reference list's admin django-import-export's import and export
pages (the apps use it for their lists), the way the staff screens read and write spreadsheets.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from import_export.admin import ImportExportMixin
from import_export.tmp_storages import CacheStorage

from .lib import formats
from .lib.tabular import ImportRejected
from .models import Platform, PlatformChange, PlatformRole, RoleChange


class ReadOnlyMixin:
    """View only: edits go through the screens and services so history is kept."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PendingUploadStorage(CacheStorage):
    """Between the admin's import preview and its confirm, the upload waits in the cache (as the
    registry import's does, see orgs/views_io.py), never in the temp folder, and for 15 minutes."""

    CACHE_LIFETIME = 15 * 60
    CACHE_PREFIX = "admin-import:"


class SheetImportExportMixin(ImportExportMixin):
    """Import (preview, then confirm) and export of the admin's list with its `SheetResource`,
    for superusers only: CSV in UTF-8 or CP932 (written UTF-8 with BOM), XLSX read with the
    zip-bomb guard (XLSX written in memory); every file goes in whole or not at all, with row-numbered Japanese messages,
    and each imported row leaves an admin log entry."""

    import_formats = [formats.CSV, formats.XLSX]
    export_formats = [formats.CSV, formats.XLSX]
    tmp_storage_class = PendingUploadStorage
    skip_admin_log = False

    def has_import_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def add_data_read_fail_error_to_form(self, form: Any, e: Exception) -> None:
        if isinstance(e, ImportRejected):
            for problem in e.problems:
                form.add_error("import_file", problem)
            return
        super().add_data_read_fail_error_to_form(form, e)


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "municipality", "is_public")
    search_fields = ("name", "slug", "municipality")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(PlatformRole)
class PlatformRoleAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Roles change on the team screen, which keeps its own change record."""

    list_display = ("user", "platform", "role", "organisation")
    list_filter = ("platform", "role")
    list_select_related = ("user", "platform", "organisation")
    raw_id_fields = ("user", "organisation")
    search_fields = ("user__username",)


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("at", "platform", "action", "actor", "target")
    list_filter = ("platform", "action")
    list_select_related = ("platform", "actor", "target")


@admin.register(PlatformChange)
class PlatformChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The settings screen's record (name, contact, leaflet texts, targets)."""

    list_display = ("at", "platform", "action", "actor")
    list_filter = ("platform", "action")
    list_select_related = ("platform", "actor")
