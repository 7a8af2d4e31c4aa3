"""What tracking accepts: dates that happened, files, targets, kinds of proceeding; the one
error type of tracking's verbs (:class:`TrackingError`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from letterkit import deadlines
from letterkit.markers import N_
from letterkit.models import (
    DispatchMethod,
)
from letterkit.tracking import files

#: Events that happened may be dated at most this far ahead (time zones), never more.
FUTURE_TOLERANCE = timedelta(days=1)
FIRST_DAY = date(1990, 1, 1)
MAX_SUMMARY = 4000
MAX_TARGET_DAYS = 1000


class TrackingError(Exception):
    """A domain rule refused the action.

    ``message`` is an untranslated template marked with ``N_()``; the view translates it first
    and formats it with ``params`` after, translating the params named in ``translate``.
    ``field`` names the form field the message belongs next to.
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        translate: Sequence[str] = (),
        **params: Any,
    ) -> None:
        super().__init__(message.format(**params))
        self.message = message
        self.field = field
        self.params = params
        self.translate = tuple(translate)


def today() -> date:
    """The current day on the server."""
    return date.today()


def check_happened(day: date | None, field: str, *, now: date | None = None) -> None:
    """Refuse a date of something that happened if it lies in the future or before 1990."""
    if day is None:
        return
    now = now or today()
    if day > now + FUTURE_TOLERANCE:
        raise TrackingError(
            N_("This date is in the future ({day}). Enter the day it happened."),
            field=field,
            day=day.isoformat(),
        )
    if day < FIRST_DAY:
        raise TrackingError(
            N_("This date is too far in the past ({day})."), field=field, day=day.isoformat()
        )


def check_dispatch_dates(
    *,
    sent_on: date | None,
    delivered_on: date | None,
    registered_on: date | None,
    now: date | None = None,
    letter_date: date | None = None,
) -> None:
    """Refuse dates that cannot be: in the future, a dispatch before the letter's date, a
    delivery before sending, a registration before delivery."""
    check_happened(sent_on, "sent_on", now=now)
    if sent_on is not None and letter_date is not None and sent_on < letter_date:
        raise TrackingError(
            N_(
                "The letter cannot have been sent ({day}) before the date it bears ({letter_date})."
            ),
            field="sent_on",
            day=sent_on.isoformat(),
            letter_date=letter_date.isoformat(),
        )
    check_happened(delivered_on, "delivered_on", now=now)
    check_happened(registered_on, "registered_on", now=now)
    if delivered_on is not None and sent_on is not None and delivered_on < sent_on:
        raise TrackingError(
            N_("The letter cannot have arrived ({day}) before it was sent ({sent})."),
            field="delivered_on",
            day=delivered_on.isoformat(),
            sent=sent_on.isoformat(),
        )
    received = delivered_on or sent_on
    if registered_on is not None:
        if received is None:
            raise TrackingError(
                N_("A letter that has not been sent cannot be registered yet."),
                field="registered_on",
            )
        if registered_on < received:
            raise TrackingError(
                N_(
                    "The registration date ({day}) cannot be before the letter reached the "
                    "authority ({received})."
                ),
                field="registered_on",
                day=registered_on.isoformat(),
                received=received.isoformat(),
            )


def check_not_refused(method: DispatchMethod, registered_on: date | None, number: str) -> None:
    """Refuse a registration for a letter the authority would not take."""
    if method is DispatchMethod.REFUSED and (registered_on is not None or number):
        raise TrackingError(
            N_("A letter refused at the door was not registered. Record how it was sent after."),
            field="registered_on" if registered_on is not None else "registration_number",
        )


def check_file(data: bytes, field: str) -> str:
    """Return the content type of an uploaded proof or scan; refuse other files and big ones."""
    if len(data) > files.MAX_FILE_BYTES:
        raise TrackingError(
            N_("The file is larger than {limit} MB. Scan it at a lower resolution."),
            field=field,
            limit=files.MAX_FILE_BYTES // (1024 * 1024),
        )
    if not data:
        raise TrackingError(N_("The file is empty."), field=field)
    content_type = files.sniff(data)
    if content_type is None:
        raise TrackingError(
            N_("Only a photo (JPEG or PNG) or a PDF can be kept here."), field=field
        )
    return content_type


def check_target(target_days: int | None) -> None:
    """Refuse a target that is not a sensible number of days."""
    if target_days is not None and not 1 <= target_days <= MAX_TARGET_DAYS:
        raise TrackingError(
            N_("A target is a number of days from 1 to {max}."),
            field="target_days",
            max=MAX_TARGET_DAYS,
        )


def check_proceeding_kind(kind: str | None, country: str) -> None:
    """Refuse a kind of proceeding without a rule of its own in the authority's country (a
    Moldovan authority is not answered under a British or Russian rule)."""
    if kind is not None and kind not in deadlines.load_rules().kinds_for(country):
        raise TrackingError(
            N_("Choose a kind of proceeding from the list."), field="proceeding_kind"
        )
