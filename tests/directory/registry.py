"""A small registry with every case the public outputs must handle (shared by the leaflet,
directory and open-data tests): listed members, an unlisted member, a candidate, a withdrawn
member, a shelter with a hidden address, a contact person, and another platform's member."""

from __future__ import annotations

from dataclasses import dataclass

from orgs.models import (
    ActivityField,
    ContactPerson,
    Language,
    MembershipStatus,
    Organisation,
    Phone,
    WorryCategory,
)
from orgs.searchtext import search_text_refresh
from platform_site.models import Platform
from tests import factories as f

SECRET_WORDS = (
    "山田花子",
    "090-9999-0000",
    "hanako@example.org",
    "秘密町9-9-9",
    "ひみつの会",
    "こうほ団体",
    "やめた団体",
)


@dataclass
class Registry:
    lonely: WorryCategory
    money: WorryCategory
    housing: WorryCategory
    english: Language
    listed: Organisation
    other_listed: Organisation
    shelter: Organisation
    unlisted: Organisation
    candidate: Organisation
    withdrawn: Organisation


def build(platform_a: Platform, org_a: Organisation, other_org_a: Organisation) -> Registry:
    lonely = f.make_category(platform_a, name="孤独・孤立", description="ひとりぼっちと感じる", order=0)
    money = f.make_category(platform_a, name="生活に困窮", description="お金や食べ物に困っている", order=1)
    housing = f.make_category(platform_a, name="住まい", order=2)
    field = ActivityField.objects.create(platform=platform_a, name="相談", mark="相", order=0)
    english, _ = Language.objects.get_or_create(code="en", defaults={"name": "英語"})
    org_a.website = "https://aozora.example.jp/"
    org_a.email = "info@aozora.example.jp"
    org_a.hours = "平日 9:00～17:00"
    org_a.activity = "電話で話を聞きます。"
    org_a.address = "熊本市中央区手取本町1-1"
    org_a.lgbtq_support = True
    org_a.save()
    org_a.worry_categories.set([lonely, money])
    org_a.activity_fields.set([field])
    org_a.languages.set([english])
    Phone.objects.create(organisation=org_a, number="096-111-2222", note="LINE相談も可")
    ContactPerson.objects.create(
        organisation=org_a, name="山田花子", phone="090-9999-0000", email="hanako@example.org"
    )
    other_org_a.worry_categories.set([money])
    shelter = f.make_org(
        platform_a,
        name="あんしんシェルター",
        name_kana="アンシンシェルター",
        address="秘密町9-9-9",
        address_private=True,
        hours="24時間",
    )
    shelter.worry_categories.set([lonely])
    unlisted = f.make_org(platform_a, name="ひみつの会", name_kana="ヒミツノカイ", public_listing=False)
    unlisted.worry_categories.set([lonely])
    candidate = f.make_org(
        platform_a,
        name="こうほ団体",
        name_kana="コウホダンタイ",
        membership={"status": MembershipStatus.CANDIDATE},
    )
    candidate.worry_categories.set([lonely])
    withdrawn = f.make_org(
        platform_a,
        name="やめた団体",
        name_kana="ヤメタダンタイ",
        membership={"status": MembershipStatus.WITHDRAWN},
    )
    withdrawn.worry_categories.set([money])
    search_text_refresh(ids=[org_a.pk, other_org_a.pk])  # changed above through the ORM
    return Registry(
        lonely, money, housing, english, org_a, other_org_a, shelter, unlisted, candidate, withdrawn
    )
