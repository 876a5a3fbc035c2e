"""Admin: the access log only, read-only. Cases are not editable here (no service, no access log)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import CaseEvent


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    list_display = ("at", "platform", "actor", "action", "case")
    list_filter = ("action", "platform")
    list_select_related = ("platform", "actor")
    raw_id_fields = ("case", "actor")
    readonly_fields = ("case", "platform", "actor", "at", "action", "data")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
