"""The shared cache is sized for national scale, not Django's default of 300 entries."""

from django.core.cache import cache


def test_the_shared_cache_keeps_far_more_than_300_entries(db):
    keys = [f"portal:size-test:{n}" for n in range(400)]
    cache.set_many(dict.fromkeys(keys, "x"))
    assert len(cache.get_many(keys)) == len(keys)
