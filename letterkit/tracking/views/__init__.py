"""Dispatches, replies and reply deadlines: record them, watch the dashboard, export them.

One blueprint (:data:`~letterkit.tracking.views.common.bp`); its pages are split by what they
show: :mod:`.lists`, :mod:`.dispatch`, :mod:`.feeds`.
"""

from . import dispatch, feeds, lists
from .common import bp

__all__ = ["bp", "dispatch", "feeds", "lists"]
