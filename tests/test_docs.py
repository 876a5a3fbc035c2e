"""Docs that must stay true: every environment variable and the rights matrix."""

import re
from pathlib import Path

from platform_site.models import Role
from platform_site.permissions import NO_GRANTS, all_capabilities

ROOT = Path(__file__).resolve().parent.parent


def test_every_environment_variable_is_documented():
    settings_src = (ROOT / "platform_site" / "settings.py").read_text()
    names = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_src))
    assert {"SECRET_KEY", "DATABASE_URL", "APP_ENV"} <= names
    doc = (ROOT / "docs" / "configuration.md").read_text()
    missing = sorted(n for n in names if f"`{n}`" not in doc)
    assert not missing, f"undocumented in docs/configuration.md: {missing}"


def rights_matrix_markdown() -> str:
    """The table in docs/roles.md, generated from the capability registry (every app's, in app order)."""
    roles = [Role.ADMIN, Role.SECRETARIAT, Role.COORDINATOR, Role.EXPERT, Role.SUPPORTER]
    lines = [
        "| capability | meaning | " + " | ".join(str(r.label) for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for cap in all_capabilities():
        cells = [
            "○" if r in cap.roles else ("grant" if cap.grantable and r not in NO_GRANTS else "—")
            for r in roles
        ]
        lines.append(f"| `{cap.code}` | {cap.label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def test_roles_doc_shows_the_permission_map():
    doc = (ROOT / "docs" / "roles.md").read_text()
    assert rights_matrix_markdown() in doc, (
        "regenerate: python -c 'from tests.test_docs import *; print(rights_matrix_markdown())'"
    )


def test_every_capability_has_a_label_and_a_holder():
    for cap in all_capabilities():
        assert str(cap.label), cap.code
        assert cap.roles or cap.grantable, f"{cap.code}: no role carries it and it cannot be granted"


def test_the_architecture_doc_names_only_what_exists():
    """Every path (`app/file.py`, `dir/`) and dotted name (`orgs.selectors.x`) in docs/architecture.md exists."""
    import importlib

    doc = (ROOT / "docs" / "architecture.md").read_text()
    missing = []
    for token in re.findall(r"`([^`\s]+)`", doc):
        if re.fullmatch(r"[a-z_]+(/[\w.]+)*/?", token) and "/" in token:
            if not (ROOT / token).exists():
                missing.append(token)
        elif re.fullmatch(
            r"(platform_site|orgs|councils|cases|surveys|outreach|consultations)(\.[a-z_]\w*)+", token
        ):
            module, _, attr = token.rpartition(".")
            try:
                found = hasattr(importlib.import_module(module), attr)
            except ImportError:
                found = False
            if not found:
                try:
                    importlib.import_module(token)
                except ImportError:
                    missing.append(token)
    assert not missing, f"docs/architecture.md names what does not exist: {missing}"


def test_the_access_log_codes_in_data_protection_are_the_registered_ones():
    from platform_site.audit import registered_actions

    doc = (ROOT / "docs" / "data-protection.md").read_text()
    documented = set(re.findall(r"`(cases\.[a-z_]+(?:\.[a-z_]+)*)`", doc))
    registered = {code for code in registered_actions() if code.startswith("cases.")}
    assert registered <= documented, f"undocumented access-log codes: {sorted(registered - documented)}"


def _test_names(path: Path) -> set[str]:
    """Test functions of a module, and Class::method for methods of its test classes."""
    import ast

    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test"):
                    names.add(f"{node.name}::{item.name}")
    return names


def test_every_test_named_in_the_security_doc_exists():
    doc = (ROOT / "docs" / "security.md").read_text()
    named = re.findall(r"`(tests/[\w/]+\.py)::([\w:]+)(?:\[[^\]`]*\])?`", doc)
    assert len(named) >= 40, "docs/security.md should point at the tests that show each requirement"
    missing = []
    for path, test in named:
        file = ROOT / path
        if not file.is_file() or test not in _test_names(file):
            missing.append(f"{path}::{test}")
    assert not missing, f"docs/security.md names tests that do not exist: {sorted(set(missing))}"


def test_the_security_doc_keeps_its_sections():
    doc = (ROOT / "docs" / "security.md").read_text()
    for heading in (
        "## 総務省 guideline",
        "## 個人情報保護法 (APPI)",
        "## OWASP ASVS 5.0",
        "## サインインとセッション",
    ):
        assert heading in doc, f"docs/security.md lost its section {heading!r}"


def test_the_security_doc_lists_every_chained_audit_table(db):
    from platform_site.audit import audit_models

    doc = (ROOT / "docs" / "security.md").read_text()
    listed = re.search(r"Every audit table \(([^)]*)\)", doc)
    assert listed, "docs/security.md lost its list of audit tables"
    named = set(re.findall(r"`(\w+)`", listed.group(1)))
    assert named == {m.__name__ for m in audit_models()}


def test_the_security_doc_cites_one_asvs_edition():
    """ASVS 5.0 only: no 4.0 requirement number (2.x authentication, 3.x sessions, 8.x data)."""
    doc = (ROOT / "docs" / "security.md").read_text()
    cited = re.findall(r"ASVS ([0-9][0-9.]*)", doc)
    assert cited and set(cited) == {"5.0"}, cited


def test_every_test_named_in_the_data_protection_doc_exists():
    doc = (ROOT / "docs" / "data-protection.md").read_text()
    named = re.findall(r"`(tests/[\w/]+\.py)::([\w:]+)`", doc)
    assert named, "docs/data-protection.md should point at the tests that show where personal data may live"
    missing = [
        f"{path}::{test}"
        for path, test in named
        if not (ROOT / path).is_file() or test not in _test_names(ROOT / path)
    ]
    assert not missing, f"docs/data-protection.md names tests that do not exist: {sorted(set(missing))}"
