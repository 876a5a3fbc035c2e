"""Where feature apps plug into the core's screens without the core importing them.

Each app registers from its `AppConfig.ready()`:
- a **home panel** (a template and a function giving its context, or None to hide it);
- a **dashboard panel** (the same, for the secretariat's dashboard of one 年度: figures only,
  no personal data, a fixed number of queries whatever the volume);
- a **demo loader** (`load_demo` runs them in `order`, inside one transaction);
- the **coordinator's organisations** (the choices of the team screen's organisation picker);
- **links per team member** (e.g. the ledger's access log of that user);
- **the registry's last change** (when the platform's printed registry last changed: the
  leaflet's automatic 作成年月, computed by the app that keeps the history).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from .http import PlatformRequest
from .models import Platform, PlatformRole


@dataclasses.dataclass(frozen=True)
class HomePanel:
    order: int
    template: str
    context: Callable[[PlatformRequest], dict[str, Any] | None]


@dataclasses.dataclass(frozen=True)
class DemoLoader:
    order: int
    name: str
    load: Callable[..., object]
    describe: Callable[[], list[str]] | None = None  # lines printed after loading (e.g. the demo users)


@dataclasses.dataclass(frozen=True)
class DashboardPanel:
    order: int
    template: str
    context: Callable[[PlatformRequest, int], dict[str, Any] | None]


_HOME_PANELS: dict[str, HomePanel] = {}
_DASHBOARD_PANELS: dict[str, DashboardPanel] = {}
_DEMO_LOADERS: dict[str, DemoLoader] = {}
_MEMBER_LINKS: dict[str, Callable[[PlatformRequest, PlatformRole], list[tuple[str, str]]]] = {}
_COORDINATOR_ORGS: list[Callable[[Platform], QuerySet]] = []
_REGISTRY_LAST_CHANGE: list[Callable[[Platform], dt.datetime | None]] = []


def register_home_panel(
    *, order: int, template: str, context: Callable[[PlatformRequest], dict[str, Any] | None]
) -> None:
    _HOME_PANELS[template] = HomePanel(order=order, template=template, context=context)


def home_panels(request: PlatformRequest) -> list[dict[str, Any]]:
    """The panels this person sees on the platform home, in order, each with its context."""
    shown = []
    for panel in sorted(_HOME_PANELS.values(), key=lambda p: p.order):
        ctx = panel.context(request)
        if ctx is not None:
            shown.append({"template": panel.template, "context": ctx})
    return shown


def register_dashboard_panel(
    *, order: int, template: str, context: Callable[[PlatformRequest, int], dict[str, Any] | None]
) -> None:
    """A panel of the platform dashboard; `context(request, fiscal_year)` gives its figures."""
    _DASHBOARD_PANELS[template] = DashboardPanel(order=order, template=template, context=context)


def dashboard_panels(request: PlatformRequest, fiscal_year: int) -> list[dict[str, Any]]:
    shown = []
    for panel in sorted(_DASHBOARD_PANELS.values(), key=lambda p: p.order):
        ctx = panel.context(request, fiscal_year)
        if ctx is not None:
            shown.append({"template": panel.template, "context": ctx})
    return shown


def register_demo(
    *, order: int, name: str, load: Callable[..., object], describe: Callable[[], list[str]] | None = None
) -> None:
    _DEMO_LOADERS[name] = DemoLoader(order=order, name=name, load=load, describe=describe)


def demo_loaders() -> list[DemoLoader]:
    return sorted(_DEMO_LOADERS.values(), key=lambda d: d.order)


def register_member_links(
    name: str, links: Callable[[PlatformRequest, PlatformRole], list[tuple[str, str]]]
) -> None:
    _MEMBER_LINKS[name] = links


def member_links(request: PlatformRequest, role: PlatformRole) -> list[tuple[str, str]]:
    return [link for fn in _MEMBER_LINKS.values() for link in fn(request, role)]


def register_coordinator_organisations(choices: Callable[[Platform], QuerySet]) -> None:
    if choices not in _COORDINATOR_ORGS:
        _COORDINATOR_ORGS.append(choices)


def coordinator_organisations(platform: Platform) -> QuerySet:
    """The organisations a coordinator of this platform may act for (the app that owns them says)."""
    if not _COORDINATOR_ORGS:
        related = PlatformRole._meta.get_field("organisation").related_model
        return related._default_manager.none()
    return _COORDINATOR_ORGS[0](platform)


def register_registry_last_change(last_change: Callable[[Platform], dt.datetime | None]) -> None:
    if last_change not in _REGISTRY_LAST_CHANGE:
        _REGISTRY_LAST_CHANGE.append(last_change)


def registry_last_change(platform: Platform) -> dt.datetime | None:
    """When the platform's registry last changed (None: no history, or no app keeps one)."""
    times = [t for fn in _REGISTRY_LAST_CHANGE if (t := fn(platform)) is not None]
    return max(times, default=None)
