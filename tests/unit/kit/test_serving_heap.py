"""kit/serving.freeze_heap: what is alive when a process has built its application leaves the collector's passes."""

from __future__ import annotations

import gc

from coursehost.kit.serving import freeze_heap


def test_freeze_heap_moves_every_live_object_to_the_permanent_generation() -> None:
    marker = [object()]  # a container the collector tracks
    try:
        freeze_heap()
        assert gc.get_freeze_count() > 0
        assert gc.is_tracked(marker)
        assert not any(found is marker for generation in range(3) for found in gc.get_objects(generation))
    finally:
        gc.unfreeze()
