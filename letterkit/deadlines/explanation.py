"""Human sentences for a :class:`DueResult`, in any language the caller's ``gettext`` knows.

Each step's template is passed through ``gettext`` first and formatted after, so catalogues hold
the templates with their ``{placeholders}``; parameters that are themselves user-facing text
(rule titles, conditions, notes, units, events) are translated the same way. Amounts are always
written as "{amount} ({unit})" so no plural forms are needed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from letterkit.deadlines.compute import DueResult, ResultKind, Step
from letterkit.markers import N_

Gettext = Callable[[str], str]


def identity(message: str) -> str:
    """Return ``message`` untranslated (the default ``gettext``)."""
    return message


WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
UNITS = {
    "calendar_days": N_("calendar days"),
    "working_days": N_("working days"),
    "months": N_("months"),
}
EVENTS = {
    "receipt": N_("receipt of the letter"),
    "registration": N_("registration of the letter"),
    "day_after_registration": N_("registration of the letter; the law counts from the day after"),
    "submission": N_("submission of the letter"),
    "presentation": N_("presentation of the petition in the House"),
}
CONFIDENCE = {"High": N_("high"), "Med": N_("medium"), "Low": N_("low")}
FIELDS = {
    "article": N_("article"),
    "term": N_("term"),
    "day_type": N_("day type"),
    "start": N_("start of counting"),
    "registration_lag": N_("registration time limit"),
    "extension": N_("extension"),
    "end_day": N_("end day"),
    "alternative": N_("alternative term"),
    "scope": N_("who is covered"),
}
WEEKEND = N_("weekend")
NO_ARTICLE = N_("article not given")
DAY = N_("{date} ({weekday})")

TEMPLATES: Mapping[str, str] = {
    "rule": N_("Rule: {title}. {law}, {article}. Confidence: {confidence}."),
    "rule_no_article": N_("Rule: {title}. {law}. Confidence: {confidence}."),
    "in_force": N_("Rule in force on {day}, the day the letter was delivered ({period})."),
    "kind": N_("Kind of authority or proceeding: {kind}."),
    "kind_fallback": N_("There is no separate rule for “{kind}” here; the general rule applies."),
    "no_term": N_(
        "There is no statutory term for a reply, so there is no legal due date. "
        "A coordinator can set a target instead."
    ),
    "term_unknown": N_(
        "The term for a reply was not found in the law (unverified), so no due date is shown. "
        "A coordinator can set a target instead."
    ),
    "guidance": N_("This is a non-statutory guidance target, not a legal deadline."),
    "term": N_("Term: {amount} ({unit}), counted from {event}."),
    "variant": N_("This term applies because: {condition}"),
    "delivered_not_working": N_(
        "The letter was delivered on {day}, which is not a working day ({reason})."
    ),
    "registered": N_("The letter was registered on {day} (delivered on {delivered})."),
    "registration_late": N_(
        "Registration on {day} was later than the limit of {amount} ({unit}) after receipt, "
        "which ended on {limit}."
    ),
    "registration_estimate": N_(
        "The law counts from registration, which must happen within {amount} ({unit}) of "
        "receipt ({source}). The registration date is not known, so the latest possible "
        "registration day, {day}, is used: this due date is an estimate until the registration "
        "date is entered."
    ),
    "registration_same_day": N_(
        "The law counts from registration, which must happen on the day of receipt ({source}), "
        "so {day} is used: this due date is an estimate until the registration date is entered."
    ),
    "registration_assumed": N_(
        "The law counts from registration, and no time limit for registering is known. The "
        "registration date is not known, so the delivery day {day} is used: this is the earliest "
        "possible due date, an estimate until the registration date is entered."
    ),
    "registration_not_used": N_(
        "The term runs from {event}; the registration date does not change it."
    ),
    "start": N_("Day 0 is {day} ({event}); counting starts on the next day, {first}."),
    "count_calendar_days": N_(
        "Calendar days: weekends and holidays count. {from_day} + {amount} ({unit}) = {day}."
    ),
    "count_months": N_(
        "Months are added as calendar months: {from_day} + {amount} ({unit}) = {day}."
    ),
    "month_clamped": N_(
        "The end month has no day matching {from_day}, so the term ends on the last day of that "
        "month, {day}."
    ),
    "count_working_days": N_(
        "Only working days count: {amount} ({unit}) after {from_day} ends on {day}; "
        "days off skipped: {skipped}."
    ),
    "skipped_weekend": N_("Skipped {from_day} – {to_day}: weekend."),
    "skipped_weekend_day": N_("Skipped {from_day}: weekend."),
    "skipped_holiday": N_("Skipped {day}: public holiday ({holiday})."),
    "counted_working_weekend": N_(
        "Counted {day} as a working day: a weekend day made a working day by a transfer of "
        "days off."
    ),
    "end_moved": N_(
        "The term ends on {day}, a day off ({reason}); the law moves it to the next working day, "
        "{next_day}."
    ),
    "end_not_working_unverified": N_(
        "The end day {day} is not a working day ({reason}). Whether the deadline moves to the next "
        "working day ({next_day}) is unverified, so it is not moved."
    ),
    "end_not_working": N_(
        "The end day {day} is not a working day ({reason}). No rule moving it to the next working "
        "day ({next_day}) is known, so it is not moved."
    ),
    "end_working_weekend": N_(
        "The end day {day} falls on a weekend day that a transfer of days off made a working day."
    ),
    "due": N_("Due date: {day}."),
    "due_estimate": N_("Due date (an estimate until the registration date is entered): {day}."),
    "alternative": N_("Other term: {amount} ({unit}), due {day}, when: {condition}"),
    "alternative_default": N_("Without that condition, the term is {amount} ({unit}): due {day}."),
    "extension_add": N_(
        "Extension possible by up to {amount} ({unit}) ({article}): {condition} "
        "Latest due date: {day}."
    ),
    "extension_total": N_(
        "Extension possible to at most {amount} ({unit}) in total ({article}): {condition} "
        "Latest due date: {day}."
    ),
    "extension_no_max": N_(
        "Extension possible ({article}): {condition} Its maximum is unverified."
    ),
    "extension_notice": N_(
        "Notice of that extension must be given by {day} ({amount} ({unit}) before the term ends)."
    ),
    "extension_none": N_("The rule provides no extension."),
    "extension_unverified": N_("The extension rule is unverified."),
    "extension_not_stated": N_("The reference states no extension."),
    "extension_applied": N_("Extended by {amount} ({unit}) to {day} ({article}): {condition}"),
    "unverified": N_("Unverified ({field}): {text}"),
    "note": N_("Note: {text}"),
    "calendar": N_(
        "Public holidays and transferred working days: holidays package {version}, "
        "calendar {calendar}."
    ),
    "calendar_weekends_only": N_(
        "No public-holiday calendar is available: only weekends are treated as days off."
    ),
    "target": N_(
        "Target set by the coordinator, not a legal deadline: {amount} ({unit}) from {day}."
    ),
    "due_target": N_("Target date: {day}."),
}
PERIODS = {
    (True, True): N_("in force {effective_from} – {effective_to}"),
    (True, False): N_("in force from {effective_from}"),
    (False, True): N_("in force until {effective_to}"),
}

_DATE_KEYS = frozenset(
    {"day", "from_day", "to_day", "first", "delivered", "limit", "next_day"}
    | {"effective_from", "effective_to"}
)
_TEXT_KEYS = frozenset({"title", "law", "condition", "text", "kind"})


def format_day(value: str | date, gettext: Gettext = identity) -> str:
    """Write a day as ``2026-02-04 (Wednesday)``, the weekday translated."""
    day = value if isinstance(value, date) else date.fromisoformat(value)
    return gettext(DAY).format(date=day.isoformat(), weekday=gettext(WEEKDAYS[day.weekday()]))


def _values(step: Step, gettext: Gettext) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in step.params:
        if value is None:
            out[key] = ""
        elif key in _DATE_KEYS:
            out[key] = format_day(str(value), gettext)
        elif key in _TEXT_KEYS:
            out[key] = gettext(str(value))
        elif key == "unit":
            out[key] = gettext(UNITS[str(value)])
        elif key == "event":
            out[key] = gettext(EVENTS[str(value)])
        elif key == "confidence":
            out[key] = gettext(CONFIDENCE[str(value)])
        elif key == "field":
            out[key] = gettext(FIELDS[str(value)])
        elif key == "article":
            out[key] = gettext(str(value)) if value else gettext(NO_ARTICLE)
        else:
            out[key] = value
    args = step.args
    if "holiday" in args:
        out["reason"] = args["holiday"] or gettext(WEEKEND)
    return out


def _template(step: Step) -> str:
    args = step.args
    if step.code == "due" and args.get("estimate"):
        return TEMPLATES["due_estimate"]
    if step.code == "rule" and not args.get("article"):
        return TEMPLATES["rule_no_article"]
    if step.code == "skipped_weekend" and args.get("from_day") == args.get("to_day"):
        return TEMPLATES["skipped_weekend_day"]
    return TEMPLATES[step.code]


def render_step(step: Step, gettext: Gettext = identity) -> str:
    """Render one step: translate the template first, then format it."""
    values = _values(step, gettext)
    if step.code == "in_force":
        args = step.args
        period = PERIODS[(bool(args.get("effective_from")), bool(args.get("effective_to")))]
        values["period"] = gettext(period).format(**values)
    return gettext(_template(step)).format(**values)


def explain(result: DueResult, gettext: Gettext = identity) -> list[str]:
    """Return the explanation of a result as sentences, translated with ``gettext``."""
    return [render_step(step, gettext) for step in result.steps]


HEADINGS = {
    ResultKind.STATUTORY: N_("Reply due by law: {day}"),
    ResultKind.GUIDANCE: N_("Reply expected under guidance (not law): {day}"),
    ResultKind.TARGET: N_("Coordinator's target (not a legal deadline): {day}"),
    ResultKind.NO_TERM: N_("No statutory term for a reply"),
    ResultKind.TERM_UNKNOWN: N_("Term for a reply not found (unverified)"),
}
TITLE = N_("Reply deadline: {country}")
ESTIMATE = N_("(estimate until the registration date is entered)")


def format_text(result: DueResult, gettext: Gettext = identity) -> str:
    """Return a plain-text printout of the result and its explanation (for the CLI)."""
    lines = [gettext(TITLE).format(country=gettext(result.country_name))]
    heading = gettext(HEADINGS[result.kind])
    day = format_day(result.due, gettext) if result.due else ""
    heading = heading.format(day=day)
    if result.estimate:
        heading = f"{heading} {gettext(ESTIMATE)}"
    lines.append(heading)
    lines.append("")
    lines += [f"- {sentence}" for sentence in explain(result, gettext)]
    return "\n".join(lines) + "\n"
