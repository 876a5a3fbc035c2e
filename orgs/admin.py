"""Django admin for superusers: read-mostly.

Organisations, phones, contact persons and memberships are written through orgs.services (which
record OrgChange history and check versions), so the admin only shows them; the registry's own
import is the staff screen's (orgs.imports). Reference lists (categories, fields, languages) may
be edited here, and imported or exported as CSV/XLSX with their Resources (orgs.resources), by
superusers (platforms and roles: platform_site.admin). OrgChange rows can never be added,
changed or deleted.
"""

from __future__ import annotations

from django.contrib import admin

from platform_site.admin import ReadOnlyMixin, SheetImportExportMixin

from .models import (
    ActivityField,
    ContactPerson,
    Language,
    Membership,
    MembershipPeriod,
    Organisation,
    OrgChange,
    Phone,
    RolePeriod,
    WorryCategory,
)
from .resources import ActivityFieldResource, LanguageResource, WorryCategoryResource


@admin.register(WorryCategory)
class WorryCategoryAdmin(SheetImportExportMixin, admin.ModelAdmin):
    resource_classes = [WorryCategoryResource]
    list_display = ("name", "platform", "order")
    list_filter = ("platform",)
    list_select_related = ("platform",)


@admin.register(ActivityField)
class ActivityFieldAdmin(SheetImportExportMixin, admin.ModelAdmin):
    resource_classes = [ActivityFieldResource]
    list_display = ("name", "mark", "platform", "order")
    list_filter = ("platform",)
    list_select_related = ("platform",)


@admin.register(Language)
class LanguageAdmin(SheetImportExportMixin, admin.ModelAdmin):
    resource_classes = [LanguageResource]
    list_display = ("code", "name", "order")


class PhoneInline(ReadOnlyMixin, admin.TabularInline):
    model = Phone
    fields = ("number", "note", "order")
    extra = 0


class ContactInline(ReadOnlyMixin, admin.TabularInline):
    model = ContactPerson
    fields = ("name", "title", "phone", "email")
    extra = 0


class MembershipInline(ReadOnlyMixin, admin.TabularInline):
    model = Membership
    fields = ("platform", "status", "is_core", "pf_role", "joined_on", "left_on", "source")
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "legal_form", "ref", "verified_on", "updated_at")
    search_fields = ("name", "name_kana", "ref")
    ordering = ("sort_key", "id")
    raw_id_fields = ("verified_by",)
    inlines = (PhoneInline, ContactInline, MembershipInline)


class PeriodInline(ReadOnlyMixin, admin.TabularInline):
    model = MembershipPeriod
    fields = ("joined_on", "left_on", "leave_reason")
    extra = 0


class RolePeriodInline(ReadOnlyMixin, admin.TabularInline):
    model = RolePeriod
    fields = ("pf_role", "is_core", "started_on", "ended_on")
    extra = 0


@admin.register(Membership)
class MembershipAdmin(ReadOnlyMixin, admin.ModelAdmin):
    inlines = (PeriodInline, RolePeriodInline)
    list_display = ("organisation", "platform", "status", "is_core", "joined_on", "left_on")
    list_filter = ("platform", "status", "is_core")
    list_select_related = ("organisation", "platform")
    raw_id_fields = ("organisation",)
    search_fields = ("organisation__name",)


@admin.register(OrgChange)
class OrgChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("at", "organisation", "platform", "action", "source", "actor_label")
    list_filter = ("action", "source", "platform")
    list_select_related = ("organisation", "platform")
    raw_id_fields = ("organisation", "actor")
    date_hierarchy = "at"  # no delete permission, so no bulk delete action either
