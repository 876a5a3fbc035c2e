"""Laying out a repeated block once: a render asks for it by class name (``render_pdf(reuse=…)``).

The leaflet is made of cards: inline blocks of fixed width whose layout depends only on their own
content and on the styles around them, never on where they land on a page. WeasyPrint lays a
card out again every time it meets one — a second time when its row does not fit at the foot of
a page and moves to the next, again for each worry an organisation is listed under by name, and
again for every card of every later print of the leaflet, though one edit changes one card.

Here the layout of such a block is kept (per thread, as the font configuration is) under a key
that holds everything its layout can depend on:

- the block's own subtree: each element's tag, attributes, text and number of children, in
  document order (which fixes the tree), so a changed word is another key;
- each ancestor's tag and attributes (the ``class`` that selects styles, ``lang``) and the
  preceding sibling's (``.card + .card``);
- the width and height of the containing block;
- the render's scope: the author stylesheet, the base URL and the document's kind (the root's
  and the body's attributes: language, large print); the user-agent stylesheet, the fonts and
  WeasyPrint are the process's own.

A render drops the kept layouts of its scope that it did not use (an edited card's old
version), and a thread keeps at most MAX_BLOCKS.

On a hit the kept boxes are copied, moved to the new position, and their elements swapped for
the new document's (the elements of the two subtrees correspond one to one: their keys are
equal), so bookmarks and tags are built from this document as before. The output is
byte-identical to a render without reuse (tests/lib/test_pdf_blocks.py compares them).

What a stylesheet must keep for this to hold, and `stylesheet_problems` checks: no selector
that depends on more than ancestors and the preceding sibling (``:nth-child``, ``:first-child``,
``~`` and the like), and nothing page-dependent inside a reused block (counters, ``string-set``,
running elements, ``target-*``). Blocks split across pages are never reused (a skip stack), and
only inline blocks are (they are laid out atomically, in their own formatting context).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from xml.etree import ElementTree

# Kept layouts per thread, least recently used dropped first (a 300-organisation leaflet has
# 300–450 cards; 300 kept cost about 15 MB). Besides, a render drops its scope's layouts it did
# not use: an edited card's old version does not stay.
MAX_BLOCKS = 1024

_local = threading.local()
Key = tuple[Any, ...]


class _Scope:
    def __init__(self, classes: frozenset[str], scope: Key, root: ElementTree.Element) -> None:
        self.classes = classes
        self.scope = scope
        self.parents: dict[ElementTree.Element, ElementTree.Element] = {}
        self.previous: dict[ElementTree.Element, ElementTree.Element | None] = {}
        for parent in root.iter():
            last = None
            for child in parent:
                self.parents[child] = parent
                self.previous[child] = last
                last = child
        self.hits = 0
        self.misses = 0
        self.used: set[Key] = set()


def _memo() -> OrderedDict[Key, tuple[float, Any, list[ElementTree.Element]]]:
    memo = getattr(_local, "memo", None)
    if memo is None:
        memo = _local.memo = OrderedDict()
    return memo


def clear() -> None:
    """Forget this thread's kept layouts (tests; the bench's cold figure)."""
    _memo().clear()


def _forget_unused(scope: _Scope) -> None:
    """Drop the layouts of this render's scope that it did not use (old versions of cards)."""
    memo = _memo()
    for key in [k for k in memo if k[0] == scope.scope and k not in scope.used]:
        del memo[key]


def last_render() -> tuple[int, int]:
    """(hits, misses) of this thread's last render that reused blocks."""
    return getattr(_local, "last", (0, 0))


def _subtree(element: ElementTree.Element) -> tuple[Any, ...]:
    return tuple(
        (e.tag, tuple(e.attrib.items()), e.text, len(e), None if e is element else e.tail)
        for e in element.iter()
    )


def _surroundings(scope: _Scope, element: ElementTree.Element) -> tuple[Any, ...]:
    chain = []
    parent = scope.parents.get(element)
    while parent is not None:
        chain.append((parent.tag, tuple(parent.attrib.items())))
        parent = scope.parents.get(parent)
    before = scope.previous.get(element)
    previous = None if before is None else (before.tag, tuple(before.attrib.items()))
    return (tuple(chain), previous)


def _reusable(scope: _Scope | None, box: Any, skip_stack: Any) -> bool:
    if scope is None or skip_stack is not None or box.element is None:
        return False
    if "::" in (box.element_tag or ""):  # a ::before or ::after box: not the element's own
        return False
    classes = box.element.get("class")
    return bool(classes) and not scope.classes.isdisjoint(classes.split())


def _patched(layout: Callable[..., Any]) -> Callable[..., Any]:
    def inline_block_box_layout(
        context: Any,
        box: Any,
        position_x: float,
        skip_stack: Any,
        containing_block: Any,
        absolute_boxes: Any,
        fixed_boxes: Any,
    ) -> Any:
        scope: _Scope | None = getattr(_local, "scope", None)
        if not _reusable(scope, box, skip_stack):
            return layout(context, box, position_x, skip_stack, containing_block, absolute_boxes, fixed_boxes)
        assert scope is not None
        element = box.element
        key = (
            scope.scope,
            containing_block.width,
            containing_block.height,
            _surroundings(scope, element),
            _subtree(element),
        )
        memo = _memo()
        kept = memo.get(key)
        scope.used.add(key)
        if kept is not None:
            memo.move_to_end(key)
            scope.hits += 1
            x, laid, elements = kept
            copy = laid.deepcopy()
            copy.translate(position_x - x, 0)
            _rebind(copy, dict(zip(elements, element.iter(), strict=True)))
            return copy
        scope.misses += 1
        laid = layout(context, box, position_x, skip_stack, containing_block, absolute_boxes, fixed_boxes)
        memo[key] = (position_x, laid.deepcopy(), list(element.iter()))
        while len(memo) > MAX_BLOCKS:
            memo.popitem(last=False)
        return laid

    inline_block_box_layout._tsunagu_reuse = True  # type: ignore[attr-defined]
    return inline_block_box_layout


def _rebind(box: Any, elements: dict[ElementTree.Element, ElementTree.Element]) -> None:
    """Point the copied boxes at this document's elements (bookmarks and tags are per element)."""
    stack = [box]
    while stack:
        current = stack.pop()
        if current.element is not None:
            current.element = elements.get(current.element, current.element)
        stack.extend(getattr(current, "children", ()))


def install() -> None:
    """Route WeasyPrint's inline-block layout through the reuse (once per process). Renders that
    did not ask for reuse (and every render outside `reusing`) go straight to WeasyPrint's."""
    from weasyprint.layout import inline

    if not getattr(inline.inline_block_box_layout, "_tsunagu_reuse", False):
        inline.inline_block_box_layout = _patched(inline.inline_block_box_layout)


@contextmanager
def reusing(classes: tuple[str, ...], scope: Key, root: ElementTree.Element) -> Iterator[None]:
    """Within: inline blocks with one of ``classes`` are laid out once per key."""
    install()
    body = root.find("body")
    # the document's kind (its language, large print or not) is part of the scope: a render drops
    # the layouts of its own kind it did not use, not those of the English or large-print leaflet
    kind = (tuple(root.attrib.items()), None if body is None else tuple(body.attrib.items()))
    state = _local.scope = _Scope(frozenset(classes), (*scope, kind), root)
    try:
        yield
    finally:
        _local.scope = None
        _local.last = (state.hits, state.misses)
        _forget_unused(state)


# what a stylesheet may not use around reused blocks (see the module's docstring)
_POSITIONAL = re.compile(r":(?:first|last|only|nth)-|:nth|:has\(|:empty|~(?!=)")
_PAGE_DEPENDENT = re.compile(r"\b(?:counter(?:-reset|-increment|-set)?|string-set|target-\w+|running)\b")


def stylesheet_problems(css: str, inside: set[str]) -> list[str]:
    """The rules of ``css`` that would make reusing blocks unsound: positional selectors
    anywhere, and page-dependent values in a rule whose selector names a class found on or in
    a reused block (``inside``: the classes of those elements, read from the rendered page) or
    names no class at all."""
    problems = []
    body = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    body = re.sub(r"@page\s*[^{]*\{(?:[^{}]|\{[^{}]*\})*\}", "", body)  # the page's own boxes
    for selector, declarations in re.findall(r"([^{}]+)\{([^{}]*)\}", body):
        selector = selector.strip()
        if _POSITIONAL.search(selector):
            problems.append(f"{selector}: positional selector")
        names = set(re.findall(r"\.([\w-]+)", selector))
        if (not names or names & inside) and _PAGE_DEPENDENT.search(declarations):
            problems.append(f"{selector}: page-dependent value in a reused block")
    return problems
