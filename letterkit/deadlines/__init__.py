"""Reply deadlines: rules as data, working-day calendars, due dates and their explanation.

Pure Python: imports neither Flask nor SQLAlchemy. Typical use::

    from datetime import date
    from letterkit.deadlines import compute_due, explain

    result = compute_due("RU", date(2026, 1, 5), registered_on=date(2026, 1, 5))
    result.due                 # date(2026, 2, 4)
    explain(result, Speech(gettext, ngettext, "ru"))  # sentences, translated, then formatted
    result.to_dict()           # JSON-serialisable, with structured steps
"""

from letterkit.deadlines.calendars import (
    DayInfo,
    WorkCalendar,
    add_months,
    calendar_for,
    holiday_language,
)
from letterkit.deadlines.compute import (
    AlternativeDue,
    DueResult,
    ExtensionOption,
    ResultKind,
    SkippedDay,
    Step,
    apply_extension,
    compute_due,
    compute_target,
)
from letterkit.deadlines.errors import (
    DeadlineError,
    ExtensionError,
    InvalidInputError,
    InvalidSubdivisionError,
    NoRuleInForceError,
    RuleFileError,
    TargetNotAllowedError,
    UnknownCountryError,
    UnknownKindError,
    UnknownVariantError,
)
from letterkit.deadlines.explanation import explain, explain_data, format_text, render_step
from letterkit.deadlines.rulefile import load_rules
from letterkit.deadlines.rules import (
    Alternative,
    Confidence,
    Country,
    EndDayRule,
    Extension,
    ExtensionStatus,
    RegistrationLag,
    Rule,
    RuleBook,
    StartEvent,
    Status,
    Term,
    Unit,
    Unverified,
)
from letterkit.deadlines.speech import Speech, format_day, identity, term_text

__all__ = [
    "Alternative",
    "AlternativeDue",
    "Confidence",
    "Country",
    "DayInfo",
    "DeadlineError",
    "DueResult",
    "EndDayRule",
    "Extension",
    "ExtensionError",
    "ExtensionOption",
    "ExtensionStatus",
    "InvalidInputError",
    "InvalidSubdivisionError",
    "NoRuleInForceError",
    "RegistrationLag",
    "ResultKind",
    "Rule",
    "RuleBook",
    "RuleFileError",
    "SkippedDay",
    "Speech",
    "StartEvent",
    "Status",
    "Step",
    "TargetNotAllowedError",
    "Term",
    "Unit",
    "UnknownCountryError",
    "UnknownKindError",
    "UnknownVariantError",
    "Unverified",
    "WorkCalendar",
    "add_months",
    "apply_extension",
    "calendar_for",
    "compute_due",
    "compute_target",
    "explain",
    "explain_data",
    "format_day",
    "format_text",
    "holiday_language",
    "identity",
    "load_rules",
    "render_step",
    "term_text",
]
