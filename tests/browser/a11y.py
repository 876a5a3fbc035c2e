"""Checks a person with a screen reader, a keyboard or a magnifier relies on, run in the page.

Each returns a list of findings (empty when the page is fine), short enough to read in a failure:
`axe_violations` (axe-core with the WCAG 2.2 A/AA tags), `dangling_references`,
`unnamed_groups`, `unmarked_required`, `small_targets`, `horizontal_overflow`, `off_screen_in_tables` and, after a failed
submit, `error_pattern_problems`. They run in chromium through Playwright (tests/browser/).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import AXE

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ERROR_TITLE = "入力エラー："

# A short description of an element for the findings: tag#id.class "text".
_DESCRIBE = """
const describe = (el) => {
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  if (el.name) s += '[name=' + el.name + ']';
  const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 30);
  return text ? s + ' "' + text + '"' : s;
};
"""

_DANGLING = (
    "() => {"
    + _DESCRIBE
    + """
  const bad = [];
  for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls', 'aria-errormessage']) {
    for (const el of document.querySelectorAll('[' + attr + ']')) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) bad.push(describe(el) + ' ' + attr + '=' + id);
      }
    }
  }
  for (const label of document.querySelectorAll('label[for]')) {
    if (!document.getElementById(label.htmlFor)) bad.push(describe(label) + ' for=' + label.htmlFor);
  }
  for (const label of document.querySelectorAll('label:not([for])')) {
    if (!label.querySelector('input, select, textarea')) bad.push(describe(label) + ' labels nothing');
  }
  for (const a of document.querySelectorAll('a[href^="#"]')) {
    const id = decodeURIComponent(a.getAttribute('href').slice(1));
    if (id && !document.getElementById(id)) bad.push(describe(a) + ' links to a missing #' + id);
  }
  return bad;
}"""
)

# A checkbox or radio group (two or more of one name in one form, or any radio) is named by its
# fieldset's legend or a role=group/radiogroup with a name.
_GROUPS = (
    "() => {"
    + _DESCRIBE
    + """
  const groups = new Map();
  for (const el of document.querySelectorAll('input[type=checkbox], input[type=radio]')) {
    const key = Array.from(document.forms).indexOf(el.form) + '|' + el.name;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(el);
  }
  const bad = [];
  for (const els of groups.values()) {
    if (els.length < 2 && els[0].type !== 'radio') continue;
    const el = els[0];
    const fieldset = el.closest('fieldset');
    const legend = fieldset && fieldset.querySelector(':scope > legend');
    const role = el.closest('[role=group], [role=radiogroup]');
    const named = (legend && legend.textContent.trim()) ||
      (role && (role.getAttribute('aria-label') || role.getAttribute('aria-labelledby')));
    if (!named) bad.push(describe(el) + ' (' + els.length + ' in the group) has no group name');
  }
  return bad;
}"""
)

# A control the form requires says 必須 in its label or its group's legend.
_REQUIRED = (
    "() => {"
    + _DESCRIBE
    + """
  const bad = [];
  for (const el of document.querySelectorAll('input[required], select[required], textarea[required]')) {
    const labels = Array.from(el.labels || []).map(l => l.textContent).join(' ');
    const fieldset = el.closest('fieldset');
    const legend = fieldset && fieldset.querySelector(':scope > legend');
    if (!(labels + ' ' + (legend ? legend.textContent : '')).includes('必須')) bad.push(describe(el));
  }
  return bad;
}"""
)

# Every visible target is at least `min` × `min` CSS px, or the whole label of its checkbox/radio
# is. A link inside a sentence is exempt (WCAG 2.5.8's inline exception): its size is set by the
# line of text around it. The skip link (off screen until focused) is measured elsewhere.
_TARGETS = (
    "(min) => {"
    + _DESCRIBE
    + """
  const big = (r) => r.width >= min - 0.5 && r.height >= min - 0.5;
  const bad = [];
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  for (const el of document.querySelectorAll(sel)) {
    if (el.disabled || el.getClientRects().length === 0) continue;
    const r = el.getBoundingClientRect();
    if (r.right <= 0 || r.bottom <= 0) continue;
    if (big(r)) continue;
    if (el.labels && Array.from(el.labels).some(l => big(l.getBoundingClientRect()))) continue;
    if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') {
      let block = el.parentElement;
      while (block && getComputedStyle(block).display === 'inline') block = block.parentElement;
      if (block && block.innerText.trim().length > el.innerText.trim().length + 2) continue;
    }
    bad.push(describe(el) + ' ' + Math.round(r.width) + '×' + Math.round(r.height));
  }
  return bad;
}"""
)

_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && el.getClientRects().length) {
      wide.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '') +
        ' right=' + Math.round(r.right));
      if (wide.length >= 3) break;
    }
  }
  return ['page ' + document.documentElement.scrollWidth + ' px wide at ' + width + ' px: ' + wide.join(', ')];
}"""

_SQUEEZED = (
    "(min) => {"
    + _DESCRIBE
    + """
  const bad = [];
  const sel = 'input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=submit]), select, textarea';
  for (const el of document.querySelectorAll(sel)) {
    if (el.getClientRects().length === 0) continue;
    const w = el.getBoundingClientRect().width;
    if (w < min) bad.push(describe(el) + ' ' + Math.round(w) + ' px wide');
  }
  return bad;
}"""
)

# After a failed submit: the title says so, the summary has the focus and links every error to
# its field, every invalid field (or its group) has a link there, and every invalid field points
# at messages that exist.
_ERROR_PATTERN = (
    "(prefix) => {"
    + _DESCRIBE
    + """
  const bad = [];
  if (!document.title.startsWith(prefix)) bad.push('title "' + document.title + '"');
  const summary = document.querySelector('.error-summary[role=alert]');
  if (!summary) return bad.concat(['no error summary']);
  if (document.activeElement !== summary) bad.push('focus on ' + describe(document.activeElement));
  if (!summary.querySelector('li')) bad.push('the summary lists no error');
  for (const a of summary.querySelectorAll('a[href^="#"]')) {
    if (!document.getElementById(a.getAttribute('href').slice(1))) bad.push('summary link ' + a.getAttribute('href'));
  }
  // every invalid field, or the group (fieldset) it belongs to, is reached by a summary link
  const links = Array.from(summary.querySelectorAll('a[href^="#"]'))
    .map(a => document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1))))
    .filter(Boolean);
  const invalid = new Set();
  for (const el of document.querySelectorAll('[aria-invalid=true]')) {
    const group = el.hasAttribute('aria-describedby') ? null : el.closest('fieldset[aria-describedby]');
    const spot = group || el;
    if (!invalid.has(spot) && !links.some(t => t === spot || spot.contains(t)))
      bad.push(describe(el) + ' is invalid but no summary link reaches it');
    invalid.add(spot);
  }
  if (links.length < invalid.size)
    bad.push(links.length + ' summary links for ' + invalid.size + ' invalid fields or groups');
  for (const el of document.querySelectorAll('[aria-invalid=true]')) {
    const holder = el.hasAttribute('aria-describedby') ? el : el.closest('fieldset[aria-describedby]');
    const ids = holder ? holder.getAttribute('aria-describedby').split(/\\s+/).filter(Boolean) : [];
    if (!ids.length) bad.push(describe(el) + ' is invalid without aria-describedby');
    if (!ids.some(id => { const m = document.getElementById(id); return m && m.textContent.trim(); }))
      bad.push(describe(el) + ' describes no message');
  }
  return bad;
}"""
)

# Make the first POST form that asks for something fail: empty every field a person fills in
# and skip the browser's own checks, so the server's answer is what we see.
SUBMIT_EMPTY = """(index) => {
  const form = document.querySelectorAll('form[method=post]')[index];
  form.noValidate = true;
  for (const el of form.elements) {
    if (el.type === 'hidden' || el.type === 'submit' || el.type === 'button') continue;
    if (el.type === 'checkbox' || el.type === 'radio') el.checked = false;
    else if (el.tagName === 'SELECT') el.selectedIndex = -1;
    else if (el.type === 'file') el.value = '';
    else el.value = '';
  }
  const button = form.querySelector('button[type=submit], button:not([type]), input[type=submit]');
  form.requestSubmit(button);
}"""

# The POST forms of the page that can fail: they ask for something a person must fill in.
FAILABLE_FORMS = """() => Array.from(document.querySelectorAll('form[method=post]'))
  .map((form, index) => [form, index])
  .filter(([form]) => form.querySelector('[required], input[type=file]'))
  .map(([form, index]) => index)"""


# Each of those forms with what tells it apart from the page's other forms (its action and the
# names of its fields), so a form several personas see on one page is sent once.
FAILABLE_FORM_KEYS = """() => Array.from(document.querySelectorAll('form[method=post]'))
  .map((form, index) => [form, index])
  .filter(([form]) => form.querySelector('[required], input[type=file]'))
  .map(([form, index]) => [index, new URL(form.action, location.href).pathname + ' ' +
    Array.from(form.elements).map(el => el.name).filter(Boolean).sort().join(',')])"""

# A button or link in a scrolling table that lies outside the window: a person on a phone has
# to find it by scrolling the table sideways (stack the table instead: table.stack).
_OFF_SCREEN = (
    "() => {"
    + _DESCRIBE
    + """
  const width = document.documentElement.clientWidth;
  const bad = [];
  for (const el of document.querySelectorAll('.table-wrap a[href], .table-wrap button, .table-wrap input:not([type=hidden]), .table-wrap select')) {
    if (el.getClientRects().length === 0) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > width + 1 || r.left < -1) bad.push(describe(el) + ' at x=' + Math.round(r.left) + '..' + Math.round(r.right));
    if (bad.length >= 5) break;
  }
  return bad;
}"""
)


def axe_violations(page) -> list[str]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run scripts/test-deps.sh (make test does)")
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


def dangling_references(page) -> list[str]:
    return page.evaluate(_DANGLING)


def unnamed_groups(page) -> list[str]:
    return page.evaluate(_GROUPS)


def unmarked_required(page) -> list[str]:
    return page.evaluate(_REQUIRED)


def small_targets(page, minimum: int) -> list[str]:
    return page.evaluate(_TARGETS, minimum)


def horizontal_overflow(page) -> list[str]:
    return page.evaluate(_OVERFLOW)


def squeezed_inputs(page, minimum: int = 120) -> list[str]:
    """Controls a person types into or picks from keep a usable width (a squeezed table cell
    passes the page-width check but leaves a 33 px input)."""
    return page.evaluate(_SQUEEZED, minimum)


def off_screen_in_tables(page) -> list[str]:
    """Buttons and links of a .table-wrap outside the window (run at 320 px)."""
    return page.evaluate(_OFF_SCREEN)


def error_pattern_problems(page) -> list[str]:
    return page.evaluate(_ERROR_PATTERN, ERROR_TITLE)


def page_findings(page, *, target: int) -> dict[str, Any]:
    """Every check of one loaded page at its current viewport (the reflow check is separate)."""
    found = {
        "axe": axe_violations(page),
        "references": dangling_references(page),
        "groups": unnamed_groups(page),
        "required": unmarked_required(page),
        f"targets<{target}": small_targets(page, target),
    }
    return {k: v for k, v in found.items() if v}
