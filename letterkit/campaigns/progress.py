"""How far a campaign's targets have got: the numbers behind its progress bar.

Each target is counted once, at the furthest step it reached: answered (a reply that answers
was recorded), sent (the letter went out, no answer yet), final (the letter is final but not
sent: no dispatch, or one only planned), drafted (a draft letter), or no letter yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from letterkit.models import CampaignTarget, Dispatch, DispatchState, Letter

STEPS = ("answered", "sent", "final", "drafted", "none")


@dataclass(frozen=True)
class Progress:
    """Targets per step; ``total`` is every target of the campaign."""

    answered: int = 0
    sent: int = 0
    final: int = 0
    drafted: int = 0
    none: int = 0

    @property
    def total(self) -> int:
        return self.answered + self.sent + self.final + self.drafted + self.none

    def parts(self) -> list[tuple[str, int]]:
        """(step, targets) from the furthest step to the least."""
        return [(step, getattr(self, step)) for step in STEPS]


def step_of(letter: Letter | None, dispatch: Dispatch | None) -> str:
    """The furthest step one target reached."""
    if dispatch is not None and (
        dispatch.answered_on is not None or dispatch.state is DispatchState.ANSWERED
    ):
        return "answered"
    if dispatch is not None and dispatch.sent_on is not None:
        return "sent"
    if letter is None:
        return "none"
    return "final" if letter.is_final else "drafted"


def progress(rows: Iterable[tuple[CampaignTarget, Letter | None, Dispatch | None]]) -> Progress:
    """Count a campaign page's rows (target, its letter, its dispatch) per step."""
    counts = dict.fromkeys(STEPS, 0)
    for _target, letter, dispatch in rows:
        counts[step_of(letter, dispatch)] += 1
    return Progress(**counts)
