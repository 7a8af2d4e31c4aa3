"""Signals by which a lower layer tells features above it that something happened.

A feature that must react to another's event connects a receiver here (in ``create_app``), so
the feature that sends never imports the one that reacts: dependencies keep pointing down.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent by accounts when a new installation's first group was set up, inside the request, before
#: it commits. Keyword arguments: ``membership`` (the coordinator's) and ``with_examples`` (the
#: coordinator asked for the example campaigns).
group_set_up = _signals.signal("group-set-up")

#: Sent by the home page to ask the features what the group should do next. Positional argument:
#: the group. Each receiver returns a sequence of :class:`letterkit.core.home.HomePanel`.
home_panels = _signals.signal("home-panels")
