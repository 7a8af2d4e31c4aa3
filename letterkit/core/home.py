"""The home page's panels: what the group should do next.

Core knows no feature, so the features fill the page: each connects a receiver to
:data:`letterkit.core.signals.home_panels` in ``create_app`` that returns its panels (tracking:
replies due and overdue, final letters not yet sent; compose: drafts). The page shows them in
the order of :attr:`HomePanel.order`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from letterkit.core import signals
from letterkit.models import Group

#: How many items a panel lists before "see all".
PANEL_ROWS = 5


@dataclass(frozen=True)
class HomeItem:
    """One thing to do: a line of text, where to do it, and a detail (a date, a state)."""

    text: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class HomePanel:
    """A section of the home page: a title, how many, the first few items, and a link to all."""

    order: int
    key: str  # the section's id on the page
    title: str
    count: int
    items: Sequence[HomeItem]
    more_url: str
    more_text: str
    urgent: bool = False  # shown as needing attention when it holds anything
    links: Sequence[tuple[str, str]] = field(default_factory=tuple)  # (text, url) besides "more"


def panels(group: Group) -> list[HomePanel]:
    """Every feature's panels for ``group``, in their order."""
    found: list[HomePanel] = []
    for _receiver, result in signals.home_panels.send(group):
        found.extend(result or ())
    return sorted(found, key=lambda panel: panel.order)
