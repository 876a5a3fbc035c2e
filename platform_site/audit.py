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
  with a database-level SET NULL plus the subject's name kept on the row;
- every row is tamper-evident: it carries its place in its platform's chain (`chain_seq`) and a
  SHA-256 over the previous entry's hash and its own content (`chain_hash`). All audit tables of a
  platform share one chain, whose head (`AuditChainHead`: last place and hash) is locked while an
  entry is appended, so concurrent writers queue instead of forking the chain. A row changed or
  deleted in the database, even the last one, breaks the chain (`manage.py verify_audit`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise

from .lib import jsonlists  # noqa: F401  (registers `__has_element`, used by about_organisation)


class AuditEntryImmutable(PermissionError):
    """Raised on any attempt to change or delete an audit row."""


class AppendOnlyQuerySet(models.QuerySet):
    """Rows written once: no queryset update or delete (the audit tables, and the few other
    append-only records such as a consent's withdrawal corrections)."""

    def update(self, **kwargs: Any) -> int:
        raise AuditEntryImmutable(f"{self.model._meta.label} rows cannot be changed")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AuditEntryImmutable(f"{self.model._meta.label} rows cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditEntryImmutable(f"{self.model._meta.label} rows cannot be deleted")


class AppendOnly(models.Model):
    """Abstract base of a table whose rows are written once: saving an existing row or deleting
    one is refused, as are the queryset's update and delete (the audit tables; a consent's
    withdrawal corrections). Each gives itself a manager from an `AppendOnlyQuerySet`."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditEntryImmutable(f"{self._meta.label} rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditEntryImmutable(f"{self._meta.label} rows cannot be deleted")


class AuditQuerySet(AppendOnlyQuerySet):
    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        """Many entries at once (an export's one entry per case): chained in one lock."""
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            chain_entries(objs)
            return super().bulk_create(objs, *args, **kwargs)


class AuditEntry(AppendOnly):
    """Abstract base of every audit table: when, who, what (a registered dotted code)."""

    at = models.DateTimeField(default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=60)
    # The entry's place in its platform's chain and its hash (see the module docstring).
    chain_seq = models.PositiveBigIntegerField(null=True, editable=False)
    chain_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditEntryImmutable(f"{self._meta.label} rows cannot be changed")
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            if self.chain_seq is None:
                chain_entries([self])
            super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return action_label(self.action)

    @classmethod
    def about_organisation(cls, organisation_id: int) -> models.Q | None:
        """The entries of this table about an organisation (the trail's organisation filter), or
        None when the table never names one. By default: the table's own `organisation` link, or
        `data["organisation"]`; a table that names organisations otherwise says so itself."""
        names = {f.name for f in cls._meta.get_fields()}
        if "organisation" in names:
            return models.Q(organisation_id=organisation_id)
        if "data" in names:
            return models.Q(data__organisation=organisation_id)
        return None


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


# ---- the chain -------------------------------------------------------------------------------

GLOBAL_CHAIN = 0  # entries with no platform (an organisation changed outside any platform)


class AuditChainHead(models.Model):
    """The last place and hash of one platform's chain; its row is the lock appenders queue on."""

    chain = models.PositiveBigIntegerField(primary_key=True)  # the platform's id, or GLOBAL_CHAIN
    seq = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        app_label = "platform_site"
        verbose_name = "audit chain head"

    def __str__(self) -> str:
        return f"{self.chain}: {self.seq}"


def chain_key(entry: Any) -> int:
    return getattr(entry, "platform_id", None) or GLOBAL_CHAIN


def chain_fields(model: Any) -> list[Any]:
    """The fields an entry's hash covers: all but its id, its chain columns, and links the database
    may set to NULL when their subject is deleted (the row keeps the subject's name instead)."""
    out = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in ("chain_seq", "chain_hash"):
            continue
        if field.is_relation and field.remote_field.on_delete is not models.PROTECT:
            continue
        out.append(field)
    return out


def _has_non_text_keys(value: Any) -> bool:
    if isinstance(value, dict):
        return any(type(k) is not str or _has_non_text_keys(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_non_text_keys(v) for v in value)
    return False


def _canonical(field: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        # what the database gives back: int keys become strings (tuples become lists, which
        # serialise the same); only such values need the round trip
        if field.encoder is not None or _has_non_text_keys(value):
            return json.loads(json.dumps(value, cls=field.encoder))
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool | int | float):
        return value
    return str(value)


_PLANS: dict[Any, tuple[str, list[tuple[str, Any]]]] = {}


def _plan(model: Any) -> tuple[str, list[tuple[str, Any]]]:
    """The table label and hashed fields of a model, worked out once per model class."""
    plan = _PLANS.get(model)
    if plan is None:
        plan = _PLANS[model] = (model._meta.label_lower, [(f.attname, f) for f in chain_fields(model)])
    return plan


def entry_digest(entry: Any, *, seq: int, previous: str) -> str:
    """SHA-256 over the previous hash, the table, the place in the chain and the entry's content.

    Also used by the migration that chained the rows written before chaining existed (with
    historical models), so it reads fields only through `_meta`.
    """
    table, fields = _plan(type(entry))
    content = {name: _canonical(field, getattr(entry, name)) for name, field in fields}
    payload = json.dumps(
        {"table": table, "seq": seq, "content": content},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{previous}\n{payload}".encode()).hexdigest()


def _lock_head(key: int) -> AuditChainHead:
    """The chain's head, locked until the transaction ends (PostgreSQL: a row lock, so writers of
    one platform queue; SQLite serialises writers of the whole database anyway)."""
    heads = AuditChainHead.objects.select_for_update(no_key=True)
    head = heads.filter(chain=key).first()
    if head is None:
        # Two first writers may race here: ON CONFLICT DO NOTHING lets the loser wait, then lock.
        AuditChainHead.objects.bulk_create([AuditChainHead(chain=key)], ignore_conflicts=True)
        head = heads.get(chain=key)
    return head


def chain_entries(entries: Sequence[Any]) -> None:
    """Give unsaved entries their places and hashes, in order, and move their chains' heads.

    Must run inside the transaction that saves them (AuditEntry.save and bulk_create do this; the
    fast bulk writer's callers call it themselves). Heads are locked in key order, so two
    transactions touching two chains cannot deadlock on them.
    """
    groups: dict[int, list[Any]] = {}
    for entry in entries:
        groups.setdefault(chain_key(entry), []).append(entry)
    for key in sorted(groups):
        head = _lock_head(key)
        seq, previous = head.seq, head.head_hash
        for entry in groups[key]:
            seq += 1
            entry.chain_seq = seq
            entry.chain_hash = previous = entry_digest(entry, seq=seq, previous=previous)
        moved = AuditChainHead.objects.filter(chain=key, seq=head.seq).update(seq=seq, head_hash=previous)
        if not moved:  # cannot happen under the lock; refuse rather than fork the chain
            raise RuntimeError("audit chain head moved while appending")


def audit_models() -> list[type[AuditEntry]]:
    """Every concrete audit table of the project (each app's subclasses of AuditEntry)."""
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, AuditEntry)]


def _rows_of(model: Any, key: int) -> Any:
    qs = model._base_manager.all()
    return qs.filter(platform__isnull=True) if key == GLOBAL_CHAIN else qs.filter(platform_id=key)


def chain_keys(models_: Sequence[Any]) -> list[int]:
    keys: set[int] = set()
    for model in models_:
        keys.update(
            k or GLOBAL_CHAIN for k in model._base_manager.values_list("platform_id", flat=True).distinct()
        )
    return sorted(keys)


def chain_unchained(models_: Sequence[Any], head_model: Any, *, batch: int = 1000) -> int:
    """Append the rows that have no place yet to their chains, oldest first (by time, then table,
    then id). The migration that introduced chaining runs this with historical models."""
    done = 0
    for key in chain_keys(models_):
        pending: list[tuple[Any, str, int, Any]] = []
        for model in models_:
            for row in _rows_of(model, key).filter(chain_seq__isnull=True).iterator():
                pending.append((row.at, model._meta.label_lower, row.pk, row))
        if not pending:
            continue
        pending.sort(key=lambda t: t[:3])
        head, _created = head_model.objects.get_or_create(chain=key)
        seq, previous = head.seq, head.head_hash
        changed: dict[Any, list[Any]] = {}
        for _at, _label, _pk, row in pending:
            seq += 1
            row.chain_seq = seq
            row.chain_hash = previous = entry_digest(row, seq=seq, previous=previous)
            changed.setdefault(type(row), []).append(row)
        for model, rows in changed.items():
            # the plain base manager: the one write an audit row ever gets, from this migration
            model._base_manager.bulk_update(rows, ["chain_seq", "chain_hash"], batch_size=batch)
        head_model.objects.filter(chain=key).update(seq=seq, head_hash=previous)
        done += len(pending)
    return done


def _describe(row: Any) -> str:
    return f"{row._meta.label}#{row.pk} (chain {chain_key(row)}, place {row.chain_seq})"


def verify_chain(models_: Sequence[Any], key: int) -> str | None:
    """None if the chain is whole, else a sentence naming its first broken entry.

    Reads each table in chain order with an iterator and merges them, so memory stays flat.
    """
    import heapq

    for model in models_:
        loose = _rows_of(model, key).filter(chain_seq__isnull=True).order_by("pk").first()
        if loose is not None:
            return f"{_describe(loose)}: not in the chain (written around the audit mechanism)"
    streams = [_rows_of(model, key).order_by("chain_seq").iterator(chunk_size=2000) for model in models_]
    expected, previous, last = 1, "", None
    for row in heapq.merge(*streams, key=lambda r: r.chain_seq):
        if row.chain_seq != expected:
            what = (
                "the entry before it is missing (deleted?)" if row.chain_seq > expected else "duplicate place"
            )
            return f"{_describe(row)}: {what}"
        if entry_digest(row, seq=row.chain_seq, previous=previous) != row.chain_hash:
            return f"{_describe(row)}: its content or hash was changed"
        expected, previous, last = expected + 1, row.chain_hash, row
    head = AuditChainHead.objects.filter(chain=key).first()
    if head is not None and (head.seq != expected - 1 or head.head_hash != previous):
        after = _describe(last) if last is not None else "the start"
        return f"chain {key}: entries after {after} are missing (the head records place {head.seq})"
    return None


def verify_all() -> dict[int, str | None]:
    """Every chain of the database (each platform's, and the one of entries with no platform)."""
    models_ = audit_models()
    keys = set(chain_keys(models_)) | set(AuditChainHead.objects.values_list("chain", flat=True))
    return {key: verify_chain(models_, key) for key in sorted(keys)}
