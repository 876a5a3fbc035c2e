"""The one audit mechanism of the product: an append-only base, one writer, one label registry.

Each domain keeps its own table with real foreign keys (the registry's change history, role and
settings changes, the ledger's access log, and the coming surveys/outreach records); every one of
them derives from `AuditEntry`, so they share one guarantee:

- a row is written once, inside the caller's transaction (`audit_write`), and never changed or
  deleted — not through the instance, not through the queryset (pretix's LogEntry);
- its action is a dotted code (`cases.referral.sent`) registered by the app that owns it and
  translated only when shown (pretix's logentrytypes); an unregistered code is refused, so a typo
  cannot write a row nobody can read;
- history is never deleted with its object: subclasses point at their subject with PROTECT, or
  with a database-level SET NULL plus the subject's name kept on the row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise


class AuditEntryImmutable(PermissionError):
    """Raised on any attempt to change or delete an audit row."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AuditEntryImmutable("audit entries cannot be changed")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AuditEntryImmutable("audit entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditEntryImmutable("audit entries cannot be deleted")


class AuditEntry(models.Model):
    """Abstract base of every audit table: when, who, what (a registered dotted code)."""

    at = models.DateTimeField(default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=60)

    objects = AuditQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditEntryImmutable("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditEntryImmutable("audit entries cannot be deleted")

    @property
    def label(self) -> str:
        return action_label(self.action)


# Dotted action code → label (lazy translation). Apps register theirs from AppConfig.ready().
_ACTIONS: dict[str, str | Promise] = {}


def register_actions(actions: Mapping[str, str | Promise]) -> None:
    for code, label in actions.items():
        if code in _ACTIONS and _ACTIONS[code] != label:
            raise ValueError(f"audit action {code!r} is registered twice with different labels")
        _ACTIONS[code] = label


def registered_actions() -> dict[str, str | Promise]:
    return dict(_ACTIONS)


def action_label(code: str) -> str:
    label = _ACTIONS.get(code)
    return str(label) if label is not None else code


def audit_write[E: AuditEntry](model: type[E], *, action: str, actor: Any = None, **fields: Any) -> E:
    """Append one entry to `model`'s table. Call it inside the service's transaction.

    An anonymous or missing actor is stored as no actor (the system).
    """
    if action not in _ACTIONS:
        raise ValueError(f"unregistered audit action {action!r}")
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    entry = model(action=action, actor=actor_obj, **fields)
    entry.save(force_insert=True)
    return entry
