"""Django admin for superusers: the platforms, and roles read-only (they change on the team screen,
which records who granted what). Audit rows are never added, changed or deleted here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Platform, PlatformChange, PlatformRole, RoleChange


class ReadOnlyMixin:
    """View only: edits go through the screens and services so history is kept."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
