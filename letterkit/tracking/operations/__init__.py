"""Domain verbs for tracking dispatches, one module per part of a dispatch's life:

- :mod:`.checks`: what is accepted, and :class:`TrackingError`;
- :mod:`.due`: due dates, stored with their rule and explanation, recomputed, overdue;
- :mod:`.dispatches`: record, mark sent, registration, target, extension, the state machine;
- :mod:`.replies`: files, replies, closing, forwarding;
- :mod:`.follow_ups`: follow-up letters that cite the law;
- :mod:`.feeds`: the calendar feed's secret link.

They flush; the request (or CLI command) commits. The names below are the verbs the views, the
CLI and other features use.
"""

from __future__ import annotations

from .checks import (
    FIRST_DAY,
    FUTURE_TOLERANCE,
    MAX_SUMMARY,
    MAX_TARGET_DAYS,
    TrackingError,
    check_dispatch_dates,
    check_file,
    check_happened,
    check_not_refused,
    check_proceeding_kind,
    check_target,
    today,
)
from .dispatches import (
    DispatchInput,
    can_move,
    mark_sent,
    members_of,
    move,
    record_dispatch,
    record_extension,
    set_registration,
    set_target,
)
from .due import (
    compute,
    current_versions,
    deadline_error,
    due_result,
    is_overdue,
    is_stale,
    is_very_overdue,
    recompute,
    recompute_stale,
    stale_count,
    stale_ranges,
    subdiv_of,
    very_overdue_day,
)
from .feeds import (
    active_feed,
    create_feed,
    find_feed,
    revoke_feed,
)
from .follow_ups import (
    FOLLOW_UP_TEMPLATE,
    create_follow_up,
    follow_up_fields,
)
from .replies import (
    close,
    forward,
    record_reply,
    store_file,
)

__all__ = [
    "DispatchInput",
    "FIRST_DAY",
    "FOLLOW_UP_TEMPLATE",
    "FUTURE_TOLERANCE",
    "MAX_SUMMARY",
    "MAX_TARGET_DAYS",
    "TrackingError",
    "active_feed",
    "can_move",
    "check_dispatch_dates",
    "check_file",
    "check_happened",
    "check_not_refused",
    "check_proceeding_kind",
    "check_target",
    "close",
    "compute",
    "create_feed",
    "create_follow_up",
    "current_versions",
    "deadline_error",
    "due_result",
    "find_feed",
    "follow_up_fields",
    "forward",
    "is_overdue",
    "is_stale",
    "is_very_overdue",
    "mark_sent",
    "members_of",
    "move",
    "recompute",
    "recompute_stale",
    "record_dispatch",
    "record_extension",
    "record_reply",
    "revoke_feed",
    "set_registration",
    "set_target",
    "stale_count",
    "stale_ranges",
    "store_file",
    "subdiv_of",
    "today",
    "very_overdue_day",
]
