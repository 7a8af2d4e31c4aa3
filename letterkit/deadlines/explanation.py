"""Human sentences for a :class:`DueResult`, in the language of the caller's :class:`Speech`.

Each step's template is passed through ``gettext`` first and formatted after, so catalogues hold
the templates with their ``{placeholders}``; parameters that are themselves user-facing text
(rule titles, conditions, notes, events) are translated the same way. A term is written with the
plural form its number needs («30 календарных дней», «3 робочі дні») through ``ngettext``; days
and holiday names follow the speech's locale (see ``speech.py``). A bare ``gettext`` may stand
for a speech: ISO dates, English plurals, holiday names as computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from letterkit.deadlines.calendars import WorkCalendar
from letterkit.deadlines.compute import DueResult, ResultKind, Step
from letterkit.deadlines.speech import (
    Gettext,
    Speech,
    as_speech,
    format_day,
    holiday_calendar,
    holiday_name,
    identity,
    term_text,
)
from letterkit.markers import N_

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
    "term": N_("Term: {term}, counted from {event}."),
    "variant": N_("This term applies because: {condition}"),
    "delivered_not_working": N_(
        "The letter was delivered on {day}, which is not a working day ({reason})."
    ),
    "registered": N_("The letter was registered on {day} (delivered on {delivered})."),
    "registration_late": N_(
        "Registration on {day} was later than the limit of {term} after receipt, "
        "which ended on {limit}."
    ),
    "registration_estimate": N_(
        "The law counts from registration, which must happen within {term} of "
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
        "Calendar days: weekends and holidays count. {from_day} + {term} = {day}."
    ),
    "count_months": N_("Months are added as calendar months: {from_day} + {term} = {day}."),
    "month_clamped": N_(
        "The end month has no day matching {from_day}, so the term ends on the last day of that "
        "month, {day}."
    ),
    "count_working_days": N_(
        "Only working days count: {term} after {from_day} ends on {day}; "
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
    "alternative": N_("Other term: {term}, due {day}, when: {condition}"),
    "alternative_default": N_("Without that condition, the term is {term}: due {day}."),
    "extension_add": N_(
        "Extension possible by up to {term} ({article}): {condition} Latest due date: {day}."
    ),
    "extension_total": N_(
        "Extension possible to at most {term} in total ({article}): {condition} "
        "Latest due date: {day}."
    ),
    "extension_no_max": N_(
        "Extension possible ({article}): {condition} Its maximum is unverified."
    ),
    "extension_notice": N_(
        "Notice of that extension must be given by {day} ({term} before the term ends)."
    ),
    "extension_none": N_("The rule provides no extension."),
    "extension_unverified": N_("The extension rule is unverified."),
    "extension_not_stated": N_("The reference states no extension."),
    "extension_applied": N_("Extended by {term} to {day} ({article}): {condition}"),
    "unverified": N_("Unverified ({field}): {text}"),
    "note": N_("Note: {text}"),
    "calendar": N_(
        "Public holidays and transferred working days: holidays package {version}, "
        "calendar {calendar}."
    ),
    "calendar_weekends_only": N_(
        "No public-holiday calendar is available: only weekends are treated as days off."
    ),
    "target": N_("Target set by the coordinator, not a legal deadline: {term} from {day}."),
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


def _values(step: Step, speech: Speech, calendar: WorkCalendar | None) -> dict[str, object]:
    gettext = speech.gettext
    out: dict[str, object] = {}
    args = step.args
    for key, value in step.params:
        if value is None:
            out[key] = ""
        elif key in _DATE_KEYS:
            out[key] = format_day(str(value), speech)
        elif key in _TEXT_KEYS:
            out[key] = gettext(str(value))
        elif key == "event":
            out[key] = gettext(EVENTS[str(value)])
        elif key == "confidence":
            out[key] = gettext(CONFIDENCE[str(value)])
        elif key == "field":
            out[key] = gettext(FIELDS[str(value)])
        elif key == "article":
            out[key] = gettext(str(value)) if value else gettext(NO_ARTICLE)
        elif key == "holiday":
            out[key] = holiday_name(str(value), _day(args), calendar)
        else:
            out[key] = value
    amount, unit = args.get("amount"), args.get("unit")
    out["term"] = term_text(amount, str(unit), speech) if isinstance(amount, int) and unit else ""
    if "holiday" in args:
        holiday = args["holiday"]
        out["reason"] = out["holiday"] if holiday else gettext(WEEKEND)
    return out


def _day(args: Mapping[str, object]) -> str | None:
    day = args.get("day")
    return day if isinstance(day, str) else None


def _template(step: Step) -> str:
    args = step.args
    if step.code == "due" and args.get("estimate"):
        return TEMPLATES["due_estimate"]
    if step.code == "rule" and not args.get("article"):
        return TEMPLATES["rule_no_article"]
    if step.code == "skipped_weekend" and args.get("from_day") == args.get("to_day"):
        return TEMPLATES["skipped_weekend_day"]
    return TEMPLATES[step.code]


def render_step(
    step: Step, speech: Speech | Gettext = identity, calendar: WorkCalendar | None = None
) -> str:
    """Render one step: translate the template first, then format it.

    ``calendar`` (see :func:`holiday_calendar`) names holidays in the speech's language.
    """
    speech = as_speech(speech)
    values = _values(step, speech, calendar)
    if step.code == "in_force":
        args = step.args
        period = PERIODS[(bool(args.get("effective_from")), bool(args.get("effective_to")))]
        values["period"] = speech.gettext(period).format(**values)
    return speech.gettext(_template(step)).format(**values)


def explain(result: DueResult, speech: Speech | Gettext = identity) -> list[str]:
    """Return the explanation of a result as sentences, in ``speech``'s language."""
    speech = as_speech(speech)
    calendar = holiday_calendar(result.calendar_code, result.subdiv, speech)
    return [render_step(step, speech, calendar) for step in result.steps]


def explain_data(data: Mapping[str, Any] | None, speech: Speech | Gettext = identity) -> list[str]:
    """Explain a stored result (``DueResult.to_dict()``), step by step, in ``speech``'s language.

    A step this version cannot render (a stored code or parameter it does not know) is shown
    by its code rather than failing the page.
    """
    if not data:
        return []
    speech = as_speech(speech)
    calendar = holiday_calendar(data.get("calendar"), data.get("subdiv"), speech)
    lines = []
    for stored in data.get("steps", []):
        try:
            step = Step(stored["code"], tuple(stored.get("params", {}).items()))
            lines.append(render_step(step, speech, calendar))
        except (KeyError, ValueError, TypeError):
            lines.append(str(stored.get("code", "")))
    return lines


HEADINGS = {
    ResultKind.STATUTORY: N_("Reply due by law: {day}"),
    ResultKind.GUIDANCE: N_("Reply expected under guidance (not law): {day}"),
    ResultKind.TARGET: N_("Coordinator's target (not a legal deadline): {day}"),
    ResultKind.NO_TERM: N_("No statutory term for a reply"),
    ResultKind.TERM_UNKNOWN: N_("Term for a reply not found (unverified)"),
}
TITLE = N_("Reply deadline: {country}")
ESTIMATE = N_("(estimate until the registration date is entered)")


def format_text(result: DueResult, speech: Speech | Gettext = identity) -> str:
    """Return a plain-text printout of the result and its explanation (for the CLI)."""
    speech = as_speech(speech)
    gettext = speech.gettext
    lines = [gettext(TITLE).format(country=gettext(result.country_name))]
    heading = gettext(HEADINGS[result.kind])
    day = format_day(result.due, speech) if result.due else ""
    heading = heading.format(day=day)
    if result.estimate:
        heading = f"{heading} {gettext(ESTIMATE)}"
    lines.append(heading)
    lines.append("")
    lines += [f"- {sentence}" for sentence in explain(result, speech)]
    return "\n".join(lines) + "\n"
