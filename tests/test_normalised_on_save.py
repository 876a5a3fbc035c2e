"""Phones, postal codes and numbers are stored in one form whichever way they came in: typed on
the organisation's edit screen, on a case's intake, on the settings screen, or read from an
Excel file. Half-width digits, 「-」 for every dash, 〒 dropped (860-0001), an extension (内線)
kept as the phone's note; the screens and the import store the same, and the export of what
they stored re-imports unchanged."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Case
from orgs.imports import import_plan
from orgs.models import ContactPerson, Organisation, Phone
from orgs.resources import export_file
from outreach.models import Event
from platform_site.lib.numberfields import CountField, CountInput
from tests.cases.test_plausible_input import intake
from tests.conftest import FROZEN_TODAY
from tests.orgs.files.builders import make_lists, row, xlsx_bytes
from tests.orgs.test_views_edit import payload
from tests.test_platform_settings import form_data

pytestmark = pytest.mark.usefixtures("frozen_now")

TYPED_PHONE = "０９６－１２３－４５６７ 内線１２"
TYPED_POSTAL = "〒８６０－０００１"


def _phones(org: Organisation) -> list[tuple[str, str]]:
    return list(Phone.objects.filter(organisation=org).values_list("number", "note"))


def test_the_edit_screen_stores_them_normalised(secretariat_a, platform_a, other_org_a):
    response = secretariat_a.post(
        reverse("orgs:edit", args=[platform_a.slug, other_org_a.pk]),
        payload(
            other_org_a,
            phones=[
                {"number": TYPED_PHONE, "note": "平日のみ"},
                {"number": "（０９６）１２３ー９９９９", "note": ""},
            ],
            contacts=[
                {"name": "架空 一郎", "title": "", "phone": "０９０ー１１１１ー２２２２（内）３", "email": ""}
            ],
            postal_code=TYPED_POSTAL,
        ),
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    other_org_a.refresh_from_db()
    assert other_org_a.postal_code == "860-0001"
    assert _phones(other_org_a) == [("096-123-4567", "内線12、平日のみ"), ("(096)123-9999", "")]
    assert ContactPerson.objects.get(organisation=other_org_a).phone == "090-1111-2222 内線3"
    page = secretariat_a.get(reverse("orgs:detail", args=[platform_a.slug, other_org_a.pk])).text
    assert "096-123-4567" in page and "内線12" in page and "860-0001" in page
    # what the screen stored comes back unchanged from the registry's own file
    for file_format in ("csv", "xlsx"):
        content = export_file(platform=platform_a, file_format=file_format, today=FROZEN_TODAY)[2]
        plan = import_plan(platform=platform_a, data=content, filename=f"m.{file_format}")
        assert list(plan.problems) == [] and len(plan.unchanged) == plan.row_count


def test_a_postal_code_that_is_not_one_is_refused_in_japanese(secretariat_a, platform_a, other_org_a):
    response = secretariat_a.post(
        reverse("orgs:edit", args=[platform_a.slug, other_org_a.pk]),
        payload(other_org_a, postal_code="〒86-1"),
    )
    assert response.status_code == 200
    assert "郵便番号は 860-0001 のように7桁で入力してください。" in response.text
    other_org_a.refresh_from_db()
    assert other_org_a.postal_code == ""


def test_the_screen_and_the_import_store_the_same(secretariat_a, platform_a, other_org_a):
    """The same typed values, once through the edit screen and once through a file, are stored alike."""
    make_lists(platform_a)
    content = xlsx_bytes(
        [
            row(
                **{
                    "団体コード": "N-1",
                    "団体名": "架空の相談室",
                    "法人番号": "",
                    "電話番号": TYPED_PHONE,
                    "郵便番号": TYPED_POSTAL,
                }
            )
        ]
    )
    preview = secretariat_a.post(
        reverse("orgs:import", args=[platform_a.slug]), {"file": SimpleUploadedFile("meibo.xlsx", content)}
    )
    assert preview.status_code == 200
    assert "書き方をそろえて保存する値" in preview.text
    assert f"<del>{TYPED_POSTAL}</del> → <ins>860-0001</ins>" in preview.text
    assert f"<del>{TYPED_PHONE}</del> → <ins>096-123-4567（内線12）</ins>" in preview.text
    assert not Organisation.objects.filter(ref="N-1").exists()  # the preview saves nothing
    confirm = secretariat_a.post(
        reverse("orgs:import-confirm", args=[platform_a.slug]), {"token": preview.context["token"]}
    )
    assert confirm.status_code == 302
    imported = Organisation.objects.get(ref="N-1")
    secretariat_a.post(
        reverse("orgs:edit", args=[platform_a.slug, other_org_a.pk]),
        payload(other_org_a, phones=[{"number": TYPED_PHONE, "note": ""}], postal_code=TYPED_POSTAL),
    )
    other_org_a.refresh_from_db()
    assert (imported.postal_code, _phones(imported)) == (other_org_a.postal_code, _phones(other_org_a))
    assert _phones(imported) == [("096-123-4567", "内線12")]


def test_the_intake_stores_the_contact_and_age_half_width(secretariat_a, platform_a):
    response = secretariat_a.post(
        reverse("cases:create", args=[platform_a.slug]),
        intake(contact="自宅 ０９６ー１２３ー４５６７ 内線１２", age="７８"),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.contact, case.age) == ("自宅 096-123-4567 内線12", "78")


def test_the_settings_store_the_secretariats_phone_half_width(admin_a, platform_a):
    response = admin_a.post(
        reverse("platform_settings:edit", args=[platform_a.slug]),
        form_data(platform_a, secretariat_phone="０９６ー３２８ー２３４０"),
    )
    assert response.status_code == 302
    platform_a.refresh_from_db()
    assert platform_a.secretariat_phone == "096-328-2340"


def test_the_leaflets_phone_lines_keep_their_words_with_half_width_numbers(admin_a, platform_a):
    lines = "よりそいホットライン｜０１２０ー２７９ー３３８｜24時間\n#いのちSOS | ０１２０－０６１－３３８"
    response = admin_a.post(
        reverse("platform_settings:edit", args=[platform_a.slug]),
        form_data(platform_a, leaflet_phone_lines=lines),
    )
    assert response.status_code == 302
    platform_a.refresh_from_db()
    assert (
        platform_a.leaflet_phone_lines
        == "よりそいホットライン｜0120-279-338｜24時間\n#いのちSOS | 0120-061-338"
    )


def test_counts_and_amounts_are_read_as_written_on_paper(secretariat_a, platform_a, org_a):
    """An event's budget and attendance typed 「１，１５８，１２０円」「２６人」 are stored as numbers;
    a text that is no number is refused in Japanese, nothing saved."""
    from tests.outreach.test_views import _form, url

    data = _form(budget_yen="１，１５８，１２０円", attendees_in_person="２６人", spent_yen="1,000,000")
    response = secretariat_a.post(url("create", platform_a), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    event = Event.objects.get()
    assert (event.budget_yen, event.attendees_in_person, event.spent_yen) == (1158120, 26, 1000000)
    response = secretariat_a.post(url("create", platform_a), _form(budget_yen="約百万円"))
    assert response.status_code == 200 and "整数を入力してください" in response.text
    assert Event.objects.count() == 1


@pytest.mark.parametrize(
    ("typed", "value"), [("１，２００", 1200), ("1,200円", 1200), ("12人", 12), ("３", 3), ("", None)]
)
def test_a_count_field_reads_what_people_write(typed, value):
    field = CountField(required=False, min_value=0)
    assert field.clean(typed) == value
    assert 'inputmode="numeric"' in CountInput().render("n", "")
