"""The bounded tagged cache: hits, misses, dropping by tag or all, the age and size bounds, and fills that raced a
drop kept out."""

from __future__ import annotations

from coursehost.kit.cache import TaggedCache


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_stored_entry_is_a_hit_and_anything_else_a_miss() -> None:
    cache: TaggedCache[str, int] = TaggedCache(10, 60)
    assert cache.get("a") is None
    cache.put("a", 1, "t", cache.ticket())
    assert cache.get("a") == 1
    assert cache.get("b") is None


def test_dropping_a_tag_forgets_its_entries_only() -> None:
    cache: TaggedCache[str, int] = TaggedCache(10, 60)
    for key, tag in (("a1", "A"), ("a2", "A"), ("b1", "B")):
        cache.put(key, 1, tag, cache.ticket())
    cache.drop("A")
    assert (cache.get("a1"), cache.get("a2"), cache.get("b1")) == (None, None, 1)
    cache.drop(None)
    assert cache.get("b1") is None
    assert len(cache) == 0


def test_a_fill_that_began_before_a_drop_is_not_kept() -> None:
    cache: TaggedCache[str, int] = TaggedCache(10, 60)
    ticket = cache.ticket()  # a request reads the database...
    cache.drop("A")  # ...a rotation commits meanwhile...
    cache.put("a", 1, "A", ticket)  # ...and what it read is stale
    assert cache.get("a") is None
    cache.put("a", 2, "A", cache.ticket())
    assert cache.get("a") == 2


def test_entries_expire_after_their_age() -> None:
    clock = Clock()
    cache: TaggedCache[str, int] = TaggedCache(10, 60, clock=clock)
    cache.put("a", 1, "A", cache.ticket())
    clock.now += 59.9
    assert cache.get("a") == 1
    clock.now += 0.1
    assert cache.get("a") is None


def test_the_oldest_entries_go_beyond_the_bound() -> None:
    cache: TaggedCache[int, int] = TaggedCache(3, 60)
    for key in range(5):
        cache.put(key, key, "t", cache.ticket())
    assert len(cache) == 3
    assert [cache.get(key) for key in range(5)] == [None, None, 2, 3, 4]
    cache.put(2, 20, "t", cache.ticket())  # stored again: the newest now
    cache.put(5, 5, "t", cache.ticket())
    assert [cache.get(key) for key in range(6)] == [None, None, 20, None, 4, 5]


def test_a_cache_of_no_entries_holds_nothing() -> None:
    cache: TaggedCache[str, int] = TaggedCache(0, 60)
    cache.put("a", 1, "A", cache.ticket())
    assert cache.get("a") is None
