"""Due-date arithmetic: from a rule, a delivery day and a calendar to a due date and its steps.

Every decision taken on the way is recorded as a :class:`Step` (a code and plain parameters), so
the explanation can be rendered in any language later (see ``explanation.py``) and stored as JSON.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from importlib.metadata import version
from typing import Any

from letterkit.deadlines.calendars import (
    DEFAULT_LANGUAGE,
    DayInfo,
    WorkCalendar,
    add_months,
    calendar_for,
    check_subdiv,
)
from letterkit.deadlines.errors import (
    ExtensionError,
    InvalidInputError,
    TargetNotAllowedError,
    UnknownVariantError,
)
from letterkit.deadlines.results import (
    AlternativeDue,
    DueResult,
    ExtensionOption,
    ResultKind,
    SkippedDay,
    Step,
    skipped_days,
    skipped_steps,
)
from letterkit.deadlines.results import (
    make_step as _step,
)
from letterkit.deadlines.rulefile import load_rules
from letterkit.deadlines.rules import (
    Alternative,
    Country,
    EndDayRule,
    Rule,
    RuleBook,
    Status,
    Term,
    Unit,
)
from letterkit.markers import N_

__all__ = [
    "AlternativeDue",
    "DueResult",
    "ExtensionOption",
    "ResultKind",
    "SkippedDay",
    "Step",
    "apply_extension",
    "compute_due",
    "compute_target",
]

# Largest amounts accepted from callers (targets, extensions): far beyond any law here, small
# enough that a typo cannot make the engine count for a long time.
MAX_AMOUNT = {Unit.CALENDAR_DAYS: 1000, Unit.WORKING_DAYS: 700, Unit.MONTHS: 36}
MIN_YEAR, MAX_YEAR = 1950, 2100
#: The version of the holiday calendars (the ``holidays`` package), recorded with each result.
HOLIDAYS_VERSION = version("holidays")


# --- helpers -------------------------------------------------------------------------------------


def _as_date(name: str, value: object) -> date:
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        raise InvalidInputError(N_("{name} must be a date, not {value}"), name=name, value=value)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise InvalidInputError(
            N_("{name} {value} is outside the years {first}–{last}"),
            name=name,
            value=value.isoformat(),
            first=MIN_YEAR,
            last=MAX_YEAR,
        )
    return value


def _as_term(amount: object, unit: object, name: str) -> Term:
    try:
        if not isinstance(unit, str):
            raise ValueError(unit)
        unit_ = Unit(unit)
    except ValueError:
        raise InvalidInputError(
            N_("Unknown unit {unit}: use calendar_days, working_days or months"), unit=unit
        ) from None
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        raise InvalidInputError(
            N_("{name} must be a whole number of at least 1, not {value}"), name=name, value=amount
        )
    if amount > MAX_AMOUNT[unit_]:
        raise InvalidInputError(
            N_("{name} may be at most {max} ({unit})"),
            name=name,
            max=MAX_AMOUNT[unit_],
            unit=unit_.value,
        )
    return Term(amount, unit_)


def _calendar(country: Country, subdiv: str | None, language: str | None) -> WorkCalendar:
    chosen = check_subdiv(country.holidays, country.code, subdiv)
    if chosen is None:
        chosen = country.default_subdiv
    return calendar_for(country.holidays, chosen, language)


def _add(cal: WorkCalendar, day: date, term: Term) -> tuple[date, tuple[DayInfo, ...], bool]:
    """Count ``term`` after ``day``: (end, noted days, month clamped)."""
    if term.unit is Unit.CALENDAR_DAYS:
        return day + timedelta(days=term.amount), (), False
    if term.unit is Unit.MONTHS:
        end, clamped = add_months(day, term.amount)
        return end, (), clamped
    end, noted = cal.add_working_days(day, term.amount)
    return end, noted, False


def _end_day(cal: WorkCalendar, rule: Rule | None, day: date, unit: Unit) -> date:
    """Move a calendar-day or month end off a day off only where the rule says the law does."""
    if (
        rule is not None
        and unit is not Unit.WORKING_DAYS
        and rule.end_on_non_working_day is EndDayRule.NEXT_WORKING_DAY
        and not cal.is_working_day(day)
    ):
        return cal.next_working_day(day)
    return day


def _count_steps(
    cal: WorkCalendar, day0: date, term: Term
) -> tuple[date, tuple[SkippedDay, ...], list[Step]]:
    end, noted, clamped = _add(cal, day0, term)
    steps: list[Step] = []
    skipped = skipped_days(noted)
    if term.unit is Unit.CALENDAR_DAYS:
        steps.append(
            _step("count_calendar_days", amount=term.amount, unit=term.unit, from_day=day0, day=end)
        )
    elif term.unit is Unit.MONTHS:
        steps.append(
            _step("count_months", amount=term.amount, unit=term.unit, from_day=day0, day=end)
        )
        if clamped:
            steps.append(_step("month_clamped", from_day=day0, day=end))
    else:
        off = sum(1 for s in skipped if s.reason != "working_weekend")
        steps.append(
            _step(
                "count_working_days",
                amount=term.amount,
                unit=term.unit,
                from_day=day0,
                day=end,
                skipped=off,
            )
        )
        steps.extend(skipped_steps(skipped))
    return end, skipped, steps


def _end_steps(
    cal: WorkCalendar, rule: Rule | None, end: date, unit: Unit, *, target: bool = False
) -> tuple[date, bool, list[Step]]:
    """Check the end day of a calendar-day or month term; return (due, left on a day off, steps)."""
    if unit is Unit.WORKING_DAYS:
        return end, False, []
    info = cal.info(end)
    if info.working:
        steps = [_step("end_working_weekend", day=end)] if info.weekend else []
        return end, False, steps
    following = cal.next_working_day(end)
    if (
        not target
        and rule is not None
        and rule.end_on_non_working_day is EndDayRule.NEXT_WORKING_DAY
    ):
        return (
            following,
            False,
            [_step("end_moved", day=end, holiday=info.holiday, next_day=following)],
        )
    unverified = rule is not None and "end_day" in rule.unverified_fields() and not target
    code = "end_not_working_unverified" if unverified else "end_not_working"
    return end, True, [_step(code, day=end, holiday=info.holiday, next_day=following)]


def _header(rule: Rule, book: RuleBook, delivered: date, kind: str | None) -> list[Step]:
    steps = [
        _step(
            "rule",
            title=rule.title,
            law=rule.law,
            article=rule.article,
            confidence=rule.confidence.value,
        )
    ]
    if rule.effective_from or rule.effective_to:
        steps.append(
            _step(
                "in_force",
                day=delivered,
                effective_from=rule.effective_from,
                effective_to=rule.effective_to,
            )
        )
    if kind is not None:
        label = book.kinds[kind]
        steps.append(_step("kind" if rule.kind == kind else "kind_fallback", kind=label))
    return steps


_FOOTER_CODES = frozenset({"unverified", "note", "calendar", "calendar_weekends_only"})


def _footer(rule: Rule, cal: WorkCalendar | None) -> list[Step]:
    """Unverified parts, notes, and (when days were counted) the calendar used."""
    steps = [_step("unverified", field=u.field, text=u.text) for u in rule.unverified]
    steps += [_step("note", text=n) for n in rule.notes]
    if cal is None:
        return steps
    if cal.label:
        steps.append(_step("calendar", calendar=cal.label, version=HOLIDAYS_VERSION))
    else:
        steps.append(_step("calendar_weekends_only"))
    return steps


def _result(**fields: Any) -> DueResult:
    defaults: dict[str, Any] = {
        "registered_on": None,
        "start_day": None,
        "estimate": False,
        "term": None,
        "variant": None,
        "base_due": None,
        "due": None,
        "end_on_non_working_day": False,
        "alternatives": (),
        "extensions": (),
        "max_extended_due": None,
        "extended_by": (),
        "skipped": (),
    }
    defaults.update(fields)
    return DueResult(**defaults)


def _start_day(
    cal: WorkCalendar, rule: Rule, delivered: date, registered: date | None, steps: list[Step]
) -> tuple[date, bool]:
    """Find day 0, the event the law counts from; return it and whether it is an estimate."""
    assert rule.start is not None
    estimate = False
    info = cal.info(delivered)
    if not info.working:
        steps.append(_step("delivered_not_working", day=delivered, holiday=info.holiday))
    if rule.start.needs_registration:
        lag = rule.registration_lag
        limit = None
        if lag is not None:
            limit = _add(cal, delivered, lag.term)[0] if lag.term.amount else delivered
        if registered is not None:
            day0 = registered
            steps.append(_step("registered", day=registered, delivered=delivered))
            if limit is not None and lag is not None and registered > limit:
                steps.append(
                    _step(
                        "registration_late",
                        day=registered,
                        limit=limit,
                        amount=lag.term.amount,
                        unit=lag.term.unit,
                    )
                )
        elif lag is not None and limit is not None:
            estimate = True
            day0 = limit
            code = "registration_estimate" if lag.term.amount else "registration_same_day"
            steps.append(
                _step(
                    code,
                    delivered=delivered,
                    day=limit,
                    amount=lag.term.amount,
                    unit=lag.term.unit,
                    source=lag.source,
                )
            )
        else:
            estimate = True
            day0 = delivered
            steps.append(_step("registration_assumed", day=delivered))
    else:
        day0 = delivered
        if registered is not None:
            steps.append(_step("registration_not_used", event=rule.start.value))
    return day0, estimate


def _alternatives(
    cal: WorkCalendar, rule: Rule, day0: date, variant: str | None, steps: list[Step]
) -> list[AlternativeDue]:
    """Compute the other terms of the same rule, counted from the same day 0."""
    assert rule.term is not None
    alternatives: list[AlternativeDue] = []
    if variant is not None:
        base_end = _end_day(cal, rule, _add(cal, day0, rule.term)[0], rule.term.unit)
        alternatives.append(AlternativeDue("default", "", rule.term, base_end))
        steps.append(
            _step(
                "alternative_default",
                amount=rule.term.amount,
                unit=rule.term.unit,
                day=base_end,
            )
        )
    for alt_ in rule.alternatives:
        if alt_.code == variant:
            continue
        alt_end = _end_day(cal, rule, _add(cal, day0, alt_.term)[0], alt_.term.unit)
        alternatives.append(AlternativeDue(alt_.code, alt_.condition, alt_.term, alt_end))
        steps.append(
            _step(
                "alternative",
                code=alt_.code,
                condition=alt_.condition,
                amount=alt_.term.amount,
                unit=alt_.term.unit,
                day=alt_end,
            )
        )
    return alternatives


def _extension_options(
    cal: WorkCalendar, rule: Rule, day0: date, due: date, steps: list[Step]
) -> list[ExtensionOption]:
    """Compute what the law allows beyond the due date, with the latest day of each option."""
    options: list[ExtensionOption] = []
    for ext in rule.extensions:
        if ext.add is not None:
            max_due: date | None = _end_day(cal, rule, _add(cal, due, ext.add)[0], ext.add.unit)
        elif ext.total is not None:
            max_due = _end_day(cal, rule, _add(cal, day0, ext.total)[0], ext.total.unit)
        else:
            max_due = None
        notify_by = None
        if ext.notice_before is not None:
            n = ext.notice_before
            notify_by = (
                cal.subtract_working_days(due, n.amount)
                if n.unit is Unit.WORKING_DAYS
                else due - timedelta(days=n.amount)
            )
        options.append(
            ExtensionOption(ext.condition, ext.article, ext.add, ext.total, max_due, notify_by)
        )
        how = ext.add or ext.total
        if max_due is None:
            steps.append(_step("extension_no_max", condition=ext.condition, article=ext.article))
        else:
            steps.append(
                _step(
                    "extension_add" if ext.add else "extension_total",
                    condition=ext.condition,
                    article=ext.article,
                    amount=how.amount if how else None,
                    unit=how.unit if how else None,
                    day=max_due,
                )
            )
        if notify_by is not None and ext.notice_before is not None:
            steps.append(
                _step(
                    "extension_notice",
                    day=notify_by,
                    amount=ext.notice_before.amount,
                    unit=ext.notice_before.unit,
                )
            )
    if not rule.extensions:
        steps.append(_step("extension_" + rule.extension_status.value))
    return options


def _check_dates(delivered_on: date, registered_on: date | None) -> tuple[date, date | None]:
    """Check the delivery and registration days given by the caller."""
    delivered = _as_date("delivered_on", delivered_on)
    registered = None if registered_on is None else _as_date("registered_on", registered_on)
    if registered is not None and registered < delivered:
        raise InvalidInputError(
            N_("The registration date {registered} is before the delivery date {delivered}"),
            registered=registered.isoformat(),
            delivered=delivered.isoformat(),
        )
    return delivered, registered


def _common(
    book: RuleBook,
    ctry: Country,
    rule: Rule,
    cal: WorkCalendar,
    authority_kind: str | None,
    delivered: date,
    registered: date | None,
) -> dict[str, Any]:
    """The fields every result of ``compute_due`` has, whatever the rule's status."""
    return {
        "country": ctry.code,
        "country_name": ctry.name,
        "subdiv": cal.subdiv,
        "authority_kind": authority_kind,
        "rule": rule,
        "delivered_on": delivered,
        "registered_on": registered,
        "calendar_code": cal.code,
        "holiday_language": cal.language,
        "rules_version": book.version,
        "holidays_version": HOLIDAYS_VERSION,
    }


# --- public --------------------------------------------------------------------------------------


def compute_due(
    country: str,
    delivered_on: date,
    *,
    registered_on: date | None = None,
    authority_kind: str | None = None,
    subdiv: str | None = None,
    variant: str | None = None,
    target_days: int | None = None,
    target_unit: str | Unit | None = None,
    holiday_language: str | None = DEFAULT_LANGUAGE,
    rules: RuleBook | None = None,
) -> DueResult:
    """Compute when a reply is due for a letter delivered on ``delivered_on``.

    The rule is the one in force on the delivery day for the country and ``authority_kind``.
    ``registered_on`` matters where the law counts from registration; without it the result is
    an estimate. ``variant`` picks one of the rule's alternative terms (e.g.
    ``"additional-study"``). ``target_days`` (with ``target_unit``, default calendar days) sets a
    coordinator target where there is no statutory term.
    """
    book = rules if rules is not None else load_rules()
    delivered, registered = _check_dates(delivered_on, registered_on)
    ctry = book.country(country)
    rule = book.rule_for(ctry.code, authority_kind, on=delivered)
    if target_days is not None:
        return compute_target(
            ctry.code,
            delivered,
            target_days,
            target_unit if target_unit is not None else Unit.CALENDAR_DAYS,
            subdiv=subdiv,
            authority_kind=authority_kind,
            holiday_language=holiday_language,
            rules=book,
        )
    if target_unit is not None:
        raise InvalidInputError(N_("A target unit was given without a target number of days"))
    cal = _calendar(ctry, subdiv, holiday_language)
    steps = _header(rule, book, delivered, authority_kind)
    common = _common(book, ctry, rule, cal, authority_kind, delivered, registered)

    alt = None if variant is None else rule.alternative(variant)
    if variant is not None and alt is None:
        known = ", ".join(a.code for a in rule.alternatives) or "-"
        raise UnknownVariantError(rule.id, variant, known)

    if rule.term is None or rule.start is None:
        kind = ResultKind.TERM_UNKNOWN if rule.status is Status.TERM_UNKNOWN else ResultKind.NO_TERM
        steps.append(_step(kind.value))
        steps += _footer(rule, None)
        return _result(kind=kind, steps=tuple(steps), **common)

    return _counted(rule, alt, cal, delivered, registered, steps, common)


def _counted(
    rule: Rule,
    alt: Alternative | None,
    cal: WorkCalendar,
    delivered: date,
    registered: date | None,
    steps: list[Step],
    common: dict[str, Any],
) -> DueResult:
    """Count the rule's term (or the chosen alternative's) and explain every step."""
    assert rule.term is not None and rule.start is not None
    variant = alt.code if alt is not None else None
    term = rule.term if alt is None else alt.term
    if rule.status is Status.GUIDANCE:
        steps.append(_step("guidance"))
    steps.append(_step("term", amount=term.amount, unit=term.unit, event=rule.start.value))
    if alt is not None:
        steps.append(_step("variant", condition=alt.condition))

    day0, estimate = _start_day(cal, rule, delivered, registered, steps)
    steps.append(_step("start", event=rule.start.value, day=day0, first=day0 + timedelta(days=1)))

    end, skipped, count_steps = _count_steps(cal, day0, term)
    steps += count_steps
    due, left_off, end_steps = _end_steps(cal, rule, end, term.unit)
    steps += end_steps
    steps.append(_step("due", day=due, estimate=estimate))

    alternatives = _alternatives(cal, rule, day0, variant, steps)

    options = _extension_options(cal, rule, day0, due, steps)
    caps = [o.max_due for o in options if o.max_due is not None]

    steps += _footer(rule, cal)
    kind = ResultKind.GUIDANCE if rule.status is Status.GUIDANCE else ResultKind.STATUTORY
    return _result(
        kind=kind,
        start_day=day0,
        estimate=estimate,
        term=term,
        variant=variant,
        base_due=due,
        due=due,
        end_on_non_working_day=left_off,
        alternatives=tuple(alternatives),
        extensions=tuple(options),
        max_extended_due=max(caps) if caps else None,
        skipped=skipped,
        steps=tuple(steps),
        **common,
    )


def compute_target(
    country: str,
    start: date,
    amount: int,
    unit: str | Unit = Unit.CALENDAR_DAYS,
    *,
    subdiv: str | None = None,
    authority_kind: str | None = None,
    holiday_language: str | None = DEFAULT_LANGUAGE,
    rules: RuleBook | None = None,
) -> DueResult:
    """Compute a coordinator's target: ``amount`` of ``unit`` after ``start``, not a legal deadline.

    Only where the rule sets no statutory term (no term, term not found, or a guidance target);
    elsewhere :class:`TargetNotAllowedError`.
    """
    book = rules if rules is not None else load_rules()
    day0 = _as_date("start", start)
    term = _as_term(amount, unit, "target_days")
    ctry = book.country(country)
    rule = book.rule_for(ctry.code, authority_kind, on=day0)
    if rule.status is Status.STATUTORY:
        raise TargetNotAllowedError(ctry.code, rule.id)
    cal = _calendar(ctry, subdiv, holiday_language)
    steps = _header(rule, book, day0, authority_kind)
    steps.append(_step(rule.status.value))
    steps.append(_step("target", amount=term.amount, unit=term.unit, day=day0))
    end, skipped, count_steps = _count_steps(cal, day0, term)
    steps += count_steps
    due, left_off, end_steps = _end_steps(cal, rule, end, term.unit, target=True)
    steps += end_steps
    steps.append(_step("due_target", day=due))
    steps += _footer(rule, cal)
    return _result(
        country=ctry.code,
        country_name=ctry.name,
        subdiv=cal.subdiv,
        authority_kind=authority_kind,
        rule=rule,
        kind=ResultKind.TARGET,
        delivered_on=day0,
        start_day=day0,
        term=term,
        base_due=due,
        due=due,
        end_on_non_working_day=left_off,
        skipped=skipped,
        steps=tuple(steps),
        calendar_code=cal.code,
        holiday_language=cal.language,
        rules_version=book.version,
        holidays_version=HOLIDAYS_VERSION,
    )


_NO_EXTENSION = {
    "none": N_("The rule {rule} provides no extension"),
    "unverified": N_("The extension rule for {rule} is unverified, so no extension can be applied"),
    "not_stated": N_("The reference states no extension for {rule}"),
}


def apply_extension(
    result: DueResult, amount: int | date, unit: str | Unit | None = None
) -> DueResult:
    """Extend the due date by ``amount`` (default unit: the unit the law's extension uses).

    ``amount`` may also be the new due date itself, as authorities usually announce it. The new
    date may not pass the latest date the law allows; asking for more raises
    :class:`ExtensionError` naming that date. Extensions add up across calls.
    """
    rule = result.rule
    if result.kind != ResultKind.STATUTORY or result.due is None:
        raise ExtensionError(
            N_("Only a statutory deadline can be extended (rule {rule})"), rule=rule.id
        )
    if not result.extensions:
        raise ExtensionError(_NO_EXTENSION[rule.extension_status.value], rule=rule.id)
    capped = [o for o in result.extensions if o.max_due is not None]
    if not capped:
        raise ExtensionError(
            N_(
                "The law allows an extension ({condition}) but its maximum is unverified, "
                "so none can be applied"
            ),
            condition=result.extensions[0].condition,
        )
    cal = calendar_for(result.calendar_code, result.subdiv, result.holiday_language)
    if isinstance(amount, date) and not isinstance(amount, datetime):
        new_due = _as_date("amount", amount)
        if new_due <= result.due:
            raise InvalidInputError(
                N_("The new due date {day} must be after the current one, {due}"),
                day=new_due.isoformat(),
                due=result.due.isoformat(),
            )
        term = Term((new_due - result.due).days, Unit.CALENDAR_DAYS)
    else:
        if unit is None:
            first = capped[0].add or capped[0].total
            unit = first.unit if first is not None else Unit.CALENDAR_DAYS
        term = _as_term(amount, unit, "extension")
        new_due = _end_day(cal, rule, _add(cal, result.due, term)[0], term.unit)
    allowed = [o for o in capped if o.max_due is not None and new_due <= o.max_due]
    if not allowed:
        latest = max(o.max_due for o in capped if o.max_due is not None)
        raise ExtensionError(
            N_(
                "An extension to {day} goes beyond what the law allows: the latest possible "
                "due date is {latest}"
            ),
            day=new_due.isoformat(),
            latest=latest.isoformat(),
        )
    chosen = min(allowed, key=lambda o: o.max_due or date.max)
    _, left_off, end_steps = _end_steps(cal, rule, new_due, term.unit)
    # The new steps go before the footer (unverified parts, notes, calendar).
    cut = len(result.steps)
    while cut and result.steps[cut - 1].code in _FOOTER_CODES:
        cut -= 1
    steps = [
        *result.steps[:cut],
        _step(
            "extension_applied",
            amount=term.amount,
            unit=term.unit,
            day=new_due,
            condition=chosen.condition,
            article=chosen.article,
        ),
        *end_steps,
        *result.steps[cut:],
    ]
    return dataclasses.replace(
        result,
        due=new_due,
        end_on_non_working_day=left_off,
        extended_by=(*result.extended_by, term),
        steps=tuple(steps),
    )
