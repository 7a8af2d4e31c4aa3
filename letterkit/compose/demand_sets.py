"""Which demand set a draft is using, so the demands step shows that set, not the first one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from letterkit.catalogue import DemandSet


@dataclass(frozen=True)
class InUse:
    """The set the draft's demands come from; ``changed`` when demands were added or removed."""

    slug: str
    changed: bool


def set_in_use(demand_slugs: Sequence[str], sets: Iterable[DemandSet]) -> InUse | None:
    """The set with exactly the draft's demands (in any order); else the set sharing the most of
    them, marked as changed; ``None`` when the draft has no demand of any set."""
    chosen = set(demand_slugs)
    if not chosen:
        return None
    best: tuple[int, int, str] | None = None
    for position, demand_set in enumerate(sets):
        slugs = set(demand_set.slugs)
        if slugs == chosen:
            return InUse(demand_set.slug, changed=False)
        shared = len(slugs & chosen)
        if shared and (best is None or (shared, -position) > (best[0], -best[1])):
            best = (shared, position, demand_set.slug)
    return InUse(best[2], changed=True) if best else None
