"""An organisation that is a member of two platforms: one platform's import changes what the
other platform shows too (the entry is one), and its preview says so, by name of platform —
but not for what stays within the importing platform (its membership, its own categories)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orgs.models import Membership, MembershipStatus, Organisation
from tests.orgs.files.builders import csv_bytes, make_lists, row


def preview(client, platform, rows):
    return client.post(
        reverse("orgs:import", args=[platform.slug]), {"file": SimpleUploadedFile("m.csv", csv_bytes(rows))}
    )


def shared_org(platform_a, platform_b, secretariat_a):
    make_lists(platform_a)
    response = preview(secretariat_a, platform_a, [row()])
    secretariat_a.post(
        reverse("orgs:import-confirm", args=[platform_a.slug]), {"token": response.context["token"]}
    )
    org = Organisation.objects.get(ref="T-01")
    Membership.objects.create(platform=platform_b, organisation=org, status=MembershipStatus.MEMBER)
    return org


def test_the_preview_names_the_other_platforms_that_will_see_the_change(
    platform_a, platform_b, secretariat_a, secretariat_b
):
    org = shared_org(platform_a, platform_b, secretariat_a)
    response = preview(secretariat_a, platform_a, [row(**{"受付時間": "土日 10時から"})])
    summary = response.context["summary"]
    assert summary["shared"] == 1
    assert summary["updated_rows"] == [(org.name, "受付時間", platform_b.name)]
    assert f"ほかのプラットフォームにも表示: {platform_b.name}" in response.text
    assert "1 団体はほかのプラットフォームにも参加しています" in response.text
    secretariat_a.post(
        reverse("orgs:import-confirm", args=[platform_a.slug]), {"token": response.context["token"]}
    )
    org.refresh_from_db()
    assert org.hours == "土日 10時から"  # one entry: what the preview announced for the other platform
    assert secretariat_b.get(reverse("orgs:detail", args=[platform_b.slug, org.pk])).status_code == 200


def test_changes_that_stay_in_this_platform_are_not_announced(platform_a, platform_b, secretariat_a):
    org = shared_org(platform_a, platform_b, secretariat_a)
    response = preview(
        secretariat_a, platform_a, [row(**{"悩みのカテゴリ": "外国語での相談", "コアメンバー": "○"})]
    )
    summary = response.context["summary"]
    assert summary["updated"] == 1 and summary["shared"] == 0
    assert summary["updated_rows"][0][0] == org.name and summary["updated_rows"][0][2] == ""
    assert "ほかのプラットフォームにも" not in response.text


def test_an_organisation_of_this_platform_only_gets_no_note(platform_a, secretariat_a):
    make_lists(platform_a)
    response = preview(secretariat_a, platform_a, [row()])
    secretariat_a.post(
        reverse("orgs:import-confirm", args=[platform_a.slug]), {"token": response.context["token"]}
    )
    response = preview(secretariat_a, platform_a, [row(**{"受付時間": "土日 10時から"})])
    assert response.context["summary"]["shared"] == 0
