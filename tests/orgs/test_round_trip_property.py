"""Property: whatever the registry's screens accept comes back unchanged from the registry's own
export (CSV and XLSX) — re-importing it changes nothing. Hypothesis draws the entry's texts,
website, phones with notes and the platform's category names (「お金、借金」), each sent through
the forms the edit screen validates with (OrganisationForm, PhoneForm) and saved through the
same service; what the forms refuse is not part of the promise.

Also: the cell readers and the normalisers never fail other than with a Japanese CellError, and
a formula-like text typed on a screen ('=随時) comes back as typed.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgs import services
from orgs.forms import OrganisationForm, PhoneForm, without_control_characters
from orgs.imports import import_plan
from orgs.models import Organisation, WorryCategory
from orgs.resources import export_file
from platform_site.lib import cells
from platform_site.lib.spreadsheet import neutralise_cell
from tests.conftest import FROZEN_TODAY

SIGNS = "=+-@'\"; ;、,，（）()・ー～〜：:/\\\t\n"
ALPHABET = st.one_of(
    st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]),
    st.sampled_from(list(SIGNS)),
    st.sampled_from(list("あいうアイウ漢字髙①㈱ｶﾅＡ１")),
)
texts = st.text(alphabet=ALPHABET, max_size=40)
notes = st.text(alphabet=ALPHABET, max_size=15)
numbers = st.from_regex(r"\A(\+81 ?)?0\d{1,4}-\d{1,4}-\d{3,4}\Z", fullmatch=True)
websites = st.one_of(
    st.just(""),
    st.sampled_from(
        ["ftp://example.jp/", "https://example.jp/a?b=c;d", "http://例え.jp/パス", "mailto:x@example.jp"]
    ),
    st.builds(
        lambda path: f"https://example.jp/{path}", st.from_regex(r"\A[a-z0-9/_.~-]{0,20}\Z", fullmatch=True)
    ),
)


def _posted(form_data: dict) -> dict:
    return {k: v for k, v in form_data.items() if v not in (None, False)}


@pytest.mark.usefixtures("frozen_now")
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    hours=texts,
    activity=texts,
    address=texts,
    what=texts,
    website=websites,
    phones=st.lists(st.tuples(numbers, notes), max_size=3),
    category=st.sampled_from(["お金、借金", "孤独・孤立", "住まい; 仕事", "'=随時"]),
    file_format=st.sampled_from(["csv", "xlsx"]),
)
def test_what_the_screens_accept_round_trips(
    secretariat_a, platform_a, org_a, hours, activity, address, what, website, phones, category, file_format
):
    with transaction.atomic():
        org_a = Organisation.objects.get(pk=org_a.pk)
        category_obj, _created = WorryCategory.objects.get_or_create(platform=platform_a, name=category)
        form = OrganisationForm(
            _posted(
                {
                    "name": org_a.name,
                    "name_kana": org_a.name_kana,
                    "legal_form": org_a.legal_form,
                    "ref": "RT-1",
                    "website": website,
                    "address": address,
                    "hours": hours,
                    "activity": activity,
                    "what_to_expect": what,
                    "worry_categories": [category_obj.pk],
                    "public_listing": "on",
                }
            ),
            instance=org_a,
            platform=platform_a,
        )
        phone_forms = [PhoneForm({"number": n, "note": note}) for n, note in phones]
        accepted = form.is_valid() and all(p.is_valid() for p in phone_forms)
        if accepted:
            services.organisation_edit(
                organisation=org_a,
                platform=platform_a,
                actor=secretariat_a.user,
                data=form.service_data(),
                phones=[without_control_characters(p.cleaned_data) for p in phone_forms],
                contacts=[],
                expected_version=org_a.version,
            )
            _name, _type, content = export_file(
                platform=platform_a, file_format=file_format, today=FROZEN_TODAY
            )
            plan = import_plan(platform=platform_a, data=content, filename=f"m.{file_format}")
            assert list(plan.problems) == [], (website, hours, phones)
            assert [r.name for r in plan.updates] == [], [r.changes for r in plan.updates]
            assert len(plan.unchanged) == plan.row_count
        transaction.set_rollback(True)


def test_the_issues_examples_round_trip_or_are_refused(secretariat_a, platform_a, org_a):
    category = WorryCategory.objects.create(platform=platform_a, name="お金、借金")
    form = OrganisationForm(
        {"name": org_a.name, "name_kana": org_a.name_kana, "website": "ftp://example.jp/", "hours": "'=随時"},
        instance=org_a,
        platform=platform_a,
    )
    assert not form.is_valid() and "http:// か https://" in str(form.errors["website"])
    assert not PhoneForm({"number": "096-000-0000", "note": "平日; 土曜"}).is_valid()
    form = OrganisationForm(
        {
            "name": org_a.name,
            "name_kana": org_a.name_kana,
            "hours": "'=随時",
            "worry_categories": [category.pk],
        },
        instance=org_a,
        platform=platform_a,
    )
    assert form.is_valid(), form.errors
    services.organisation_edit(
        organisation=org_a,
        platform=platform_a,
        actor=secretariat_a.user,
        data=form.service_data(),
        phones=[],
        contacts=[],
        expected_version=Organisation.objects.get(pk=org_a.pk).version,
    )
    for file_format in ("csv", "xlsx"):
        content = export_file(platform=platform_a, file_format=file_format, today=FROZEN_TODAY)[2]
        plan = import_plan(platform=platform_a, data=content, filename=f"m.{file_format}")
        assert list(plan.problems) == [] and len(plan.unchanged) == plan.row_count == 1


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=True), st.none(), st.booleans(), st.dates()))
def test_the_cell_readers_answer_or_refuse_in_japanese(value):
    readers = [
        cells.text,
        lambda v: cells.unquote(cells.text(v)),
        lambda v: cells.unquote(cells.text(v), phone=True),
        lambda v: cells.boolean(cells.text(v)),
        cells.date,
        lambda v: cells.phones(cells.text(v)),
        lambda v: cells.postal_code(cells.text(v)),
        lambda v: cells.kana(cells.text(v)),
        lambda v: cells.corporate_number(cells.text(v)),
        lambda v: cells.url(cells.text(v)),
        lambda v: cells.email(cells.text(v)),
        lambda v: cells.integer(cells.text(v)),
        lambda v: cells.names(cells.text(v), known={"お金、借金"}),
    ]
    for read in readers:
        try:
            read(value)
        except cells.CellError as exc:
            assert str(exc) and not str(exc).isascii()


@given(st.text())
def test_neutralising_and_unquoting_give_back_the_text(text):
    value = cells.strip_invisible(text).strip()
    if cells.CONTROL_RE.search(value):
        return
    written = str(neutralise_cell(value))
    try:
        assert cells.unquote(written) == value
    except cells.CellError:  # what is refused is a formula: never what the export writes
        pytest.fail(f"the export's own cell was refused: {written!r}")


@given(st.lists(st.tuples(numbers, notes), max_size=4))
def test_phones_accepted_by_the_form_read_back_the_same(phones):
    """What the form stores (its cleaned, normalised number and note) reads back the same."""
    forms = [PhoneForm({"number": n, "note": note}) for n, note in phones]
    accepted = [(f.cleaned_data["number"], f.cleaned_data["note"]) for f in forms if f.is_valid()]
    for number, note in accepted:
        assert cells.phones(cells.format_phones([(number, note.strip())])) == [(number, note.strip())]
