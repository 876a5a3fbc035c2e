"""Docs that must stay true: every environment variable and the rights matrix."""

import re
from pathlib import Path

from orgs.models import Role
from orgs.permissions import CAPABILITY_LABELS, GRANTABLE, ROLE_CAPABILITIES

ROOT = Path(__file__).resolve().parent.parent


def test_every_environment_variable_is_documented():
    settings_src = (ROOT / "platform_site" / "settings.py").read_text()
    names = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_src))
    assert {"SECRET_KEY", "DATABASE_URL", "APP_ENV"} <= names
    doc = (ROOT / "docs" / "configuration.md").read_text()
    missing = sorted(n for n in names if f"`{n}`" not in doc)
    assert not missing, f"undocumented in docs/configuration.md: {missing}"


def rights_matrix_markdown() -> str:
    """The table in docs/roles.md, generated from the one permission map."""
    roles = [Role.ADMIN, Role.SECRETARIAT, Role.COORDINATOR]
    lines = ["| capability | meaning | " + " | ".join(str(r.label) for r in roles) + " |",
             "|---|---|" + "---|" * len(roles)]
    for cap, label in CAPABILITY_LABELS.items():
        cells = ["○" if cap in ROLE_CAPABILITIES[r] else ("grant" if cap in GRANTABLE else "—") for r in roles]
        lines.append(f"| `{cap}` | {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def test_roles_doc_shows_the_permission_map():
    doc = (ROOT / "docs" / "roles.md").read_text()
    assert rights_matrix_markdown() in doc, "regenerate: python -c 'from tests.test_docs import *; print(rights_matrix_markdown())'"


def test_every_capability_has_a_label():
    used = set().union(*ROLE_CAPABILITIES.values()) | GRANTABLE
    assert used <= set(CAPABILITY_LABELS)
