"""The settings screen: fetch, validate, call one service, redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..capabilities import SETTINGS_MANAGE
from ..http import PlatformRequest
from ..lib.forms import add_service_errors
from ..permissions import platform_view
from ..selectors import automatic_issued_label, membership_targets, public_site_url
from . import services
from .forms import BaseTargetFormSet, PlatformSettingsForm, TargetFormSet
from .selectors import settings_history


def _context(
    request: PlatformRequest, form: PlatformSettingsForm, targets: BaseTargetFormSet, status: int
) -> dict[str, Any]:
    platform = request.platform
    return {
        "form": form,
        "conflict": status == 409,
        "targets": targets,
        "history": settings_history(platform=platform),
        "automatic_label": automatic_issued_label(platform=platform, today=timezone.localdate()),
        "site_url_in_use": public_site_url(platform),
        "site_url_is_platforms": bool(platform.site_url),
    }


@platform_view(SETTINGS_MANAGE)
def settings_edit(request: PlatformRequest) -> HttpResponse:
    platform = request.platform
    data = request.POST if request.method == "POST" else None
    form = PlatformSettingsForm(data, initial=PlatformSettingsForm.initial_for(platform))
    initial = [{"fiscal_year": y, "target": t} for y, t in membership_targets(platform=platform).items()]
    targets = TargetFormSet(data, initial=initial, prefix="targets")
    status = 200
    if data is not None and all([form.is_valid(), targets.is_valid()]):  # both: show every error
        try:
            changes = services.platform_settings_update(
                platform=platform,
                actor=request.user,
                data=form.settings_data(),
                targets=targets.targets(),
                expected_version=form.cleaned_data["version"],
            )
        except services.ConcurrentEdit as error:
            form.add_error(None, error)
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("設定を保存しました。") if changes else _("変更はありませんでした。"))
            return redirect("platform_settings:edit", platform=platform.slug)
    return render(
        request, "platform_settings/edit.html", _context(request, form, targets, status), status=status
    )
