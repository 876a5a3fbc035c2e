"""The fast bulk writer on model instances (platform_site.lib.bulk), on the core's own model."""

import datetime as dt

from django.utils import timezone

from platform_site.lib.bulk import insert_objects, update_objects
from platform_site.models import Platform


def platform(n: int) -> Platform:
    return Platform(slug=f"bulk-{n}", name=f"バルク市{n}", municipality="バルク市", secretariat="福祉課")


def test_insert_objects_sets_ids_in_order_and_update_objects_writes_only_named_fields(db):
    now = timezone.now()
    new = [platform(n) for n in range(3)]
    insert_objects(new, now=now, returning=True)
    assert [p.pk for p in new] == sorted(p.pk for p in new)
    assert list(
        Platform.objects.filter(slug__startswith="bulk-").order_by("pk").values_list("pk", "slug")
    ) == [(p.pk, p.slug) for p in new]
    new[0].name, new[0].municipality = "新しい名前", "書かれない市"
    new[1].secretariat = "総務課"
    update_objects([(new[0], ["name"]), (new[1], ["secretariat"])])
    first, second = Platform.objects.get(pk=new[0].pk), Platform.objects.get(pk=new[1].pk)
    assert (first.name, first.municipality) == ("新しい名前", "バルク市")
    assert (second.name, second.secretariat) == ("バルク市1", "総務課")


def test_insert_objects_without_ids(db):
    insert_objects([platform(9)], now=timezone.now() - dt.timedelta(days=1))
    assert Platform.objects.filter(slug="bulk-9").exists()


def test_gc_paused_turns_the_collector_back_on_only_if_it_was_on():
    import gc

    from platform_site.lib.bulk import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
