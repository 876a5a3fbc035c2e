"""`<json key>__has_element=value`: the list under a key of a JSON column holds `value`.

Django's `contains` lookup on a JSONField is not supported on SQLite (the features flag
`supports_json_field_contains`); this one lookup is, on both databases: PostgreSQL's jsonb
containment (`-> key @> '[value]'`), SQLite's `json_each` over the list. A key that holds no
list never matches (on either database). Registered on import: the modules that filter with it
import this one.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Lookup
from django.db.models.fields.json import KeyTransform


class HasElement(Lookup):
    lookup_name = "has_element"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"({lhs}) @> %s::jsonb", (*lhs_params, json.dumps([self.rhs]))

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        sql = (
            f"EXISTS (SELECT 1 FROM json_each({lhs}) AS e WHERE json_type({lhs}) = 'array' AND e.value = %s)"
        )
        return sql, (*lhs_params, *lhs_params, self.rhs)


KeyTransform.register_lookup(HasElement)


def outer_json_id(key: str, field: str = "data") -> Any:
    """The id under `key` of the outer row's JSON column, as a number, for a correlated subquery:
    `Exists(Referral.objects.filter(pk=outer_json_id("referral"), organisation_id=...))`."""
    from django.db.models import BigIntegerField, OuterRef
    from django.db.models.fields.json import KeyTextTransform
    from django.db.models.functions import Cast

    return Cast(KeyTextTransform(key, OuterRef(field)), BigIntegerField())
