"""Turning one cell into a typed value, or a message saying how to write it.

Pure functions over :data:`~senga_desktop.controllers.imports.table.Cell` values, shared by every
import. Each raises :class:`CellValueError` with a message for the person fixing the file.

Dates: ISO 8601 (``2026-11-25T14:00``, ``2026-11-25 14:00+03:00``) and the Kenyan day-first
spellings (``25/11/2026 14:00``, ``25-11-2026 2:00 PM``, ``25.11.26``, ``25 Nov 2026 14:00``).
A time without an offset is in the depot's time zone. A date without a time means the start of
that day, or for the end of a window (``end_of_day``) the end of it, so a window from
``25/11/2026`` to ``25/11/2026`` is the whole of the 25th.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from senga_desktop.controllers.imports.table import Cell

__all__ = [
    "CellValueError",
    "cell_text",
    "is_blank",
    "parse_choice",
    "parse_choices",
    "parse_datetime",
    "parse_decimal",
    "parse_float",
    "parse_int",
    "parse_text",
    "parse_time_of_day",
]

E = TypeVar("E", bound=StrEnum)

_CURRENCY = re.compile(r"^(?:kes|kshs?|ksh\.?|sh\.?)\s*|\s*(?:kes|kshs?|/=|/-)$", re.IGNORECASE)
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_DAY_FIRST = re.compile(
    r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})"
    r"(?:[ T,]+(?P<time>.+))?$"
)
_NAMED_MONTH = re.compile(
    r"^(?P<d>\d{1,2})[ \-](?P<m>[a-z]{3,9})\.?[ \-,]+(?P<y>\d{4})(?:[ T,]+(?P<time>.+))?$",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"^(?P<h>\d{1,2})(?:[:.h](?P<min>\d{2})(?::(?P<s>\d{2}))?)?\s*(?P<ampm>[ap]\.?\s?m\.?)?$",
    re.IGNORECASE,
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
DATE_EXAMPLE = "write it as 25/11/2026 14:00 or 2026-11-25T14:00"


class CellValueError(ValueError):
    """A cell's value cannot be read as what its column holds; the message says how to fix it."""


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Cell) -> str:
    """How a cell looks to the user, for previews: whole floats without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value).strip()


def parse_text(value: Cell) -> str:
    """The cell as one line of text, spaces collapsed (numbers as the user sees them)."""
    return " ".join(cell_text(value).split())


def parse_decimal(value: Cell) -> Decimal:
    """A number: ``2.5``, ``18,500``, ``KES 18,500.00``. A decimal comma is refused (ambiguous)."""
    if isinstance(value, (bool, datetime | date | time)):
        raise CellValueError(f"{cell_text(value)!r} is not a number.")
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # repr is the shortest text that reads back the same
    else:
        raw = str(value).strip()
        text = _CURRENCY.sub("", raw.replace("\u2212", "-").replace("\u00a0", " ")).strip()
        text = text.replace(" ", "")
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        elif "," in text:
            raise CellValueError(
                f"{raw!r}: write decimals with a point (2.5), thousands with commas (18,500)."
            )
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellValueError(f"{raw!r} is not a number.") from None
    if not number.is_finite():
        raise CellValueError(f"{cell_text(value)!r} is not a number.")
    return number


def parse_float(value: Cell) -> float:
    return float(parse_decimal(value))


def parse_int(value: Cell) -> int:
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise CellValueError(f"{cell_text(value)!r} is not a whole number.")
    return int(number)


def _clock(text: str, original: str) -> time:
    match = _TIME.match(text.strip())
    if match is None:
        raise CellValueError(
            f"{original!r}: the time {text.strip()!r} is not a time of day (14:00 or 2:00 PM)."
        )
    hour, minute = int(match["h"]), int(match["min"] or 0)
    second = int(match["s"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise CellValueError(f"{original!r}: with AM/PM the hour goes from 1 to 12.")
        pm = match["ampm"].lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise CellValueError(
            f"{original!r}: {text.strip()!r} is not a time of day (00:00 to 23:59)."
        )
    return time(hour, minute, second)


def _calendar(day: int, month: int, year: int, original: str) -> date:
    if year < 100:
        year += 2000
    if not 1 <= month <= 12:
        hint = " Dates are day first: 25/11/2026." if 1 <= day <= 12 else ""
        raise CellValueError(f"{original!r}: {month} is not a month.{hint}")
    try:
        return date(year, month, day)
    except ValueError:
        raise CellValueError(f"{original!r}: there is no day {day} in that month.") from None


def _at(day: date, clock: time | None, zone: tzinfo, end_of_day: bool) -> datetime:
    if clock is None:
        moment = datetime.combine(day, time(0), zone)
        return moment + timedelta(days=1) if end_of_day else moment
    return datetime.combine(day, clock, zone)


def parse_datetime(value: Cell, zone: tzinfo, *, end_of_day: bool = False) -> datetime:
    """An aware datetime; naive values are taken in ``zone`` (the depot's)."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return _at(value, None, zone, end_of_day)
    if not isinstance(value, str):
        raise CellValueError(f"{cell_text(value)!r} is not a date: {DATE_EXAMPLE}.")
    raw = value.strip()
    match = _DAY_FIRST.match(raw)
    if match is not None:
        day = _calendar(int(match["d"]), int(match["m"]), int(match["y"]), raw)
        clock = _clock(match["time"], raw) if match["time"] else None
        return _at(day, clock, zone, end_of_day)
    match = _NAMED_MONTH.match(raw)
    if match is not None:
        month = _MONTHS.get(match["m"].lower())
        if month is None:
            raise CellValueError(f"{raw!r}: {match['m']!r} is not a month.")
        day = _calendar(int(match["d"]), month, int(match["y"]), raw)
        clock = _clock(match["time"], raw) if match["time"] else None
        return _at(day, clock, zone, end_of_day)
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise CellValueError(f"{raw!r} is not a date and time: {DATE_EXAMPLE}.") from None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return _at(parsed.date(), None, zone, end_of_day)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)


def parse_time_of_day(value: Cell) -> time:
    """``06:00``, ``6:00 AM``, ``14h30``, ``6pm``; an Excel time cell or day fraction."""
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if isinstance(value, datetime):  # some writers store a time as 1899-12-30 06:00
        return value.time()
    if isinstance(value, float | Decimal) and 0 <= value < 1:
        seconds = round(float(value) * 86400)
        return time(seconds // 3600, seconds // 60 % 60)
    if not isinstance(value, str | int):
        raise CellValueError(f"{cell_text(value)!r} is not a time of day (06:00 or 6:00 AM).")
    return _clock(str(value), str(value).strip())


def _choice_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.strip().casefold()).strip("_")


def parse_choice(value: Cell, choices: type[E], synonyms: dict[str, E] | None = None) -> E:
    """One of ``choices`` by value (case, spaces and ``-`` ignored) or by a synonym."""
    key = _choice_key(cell_text(value))
    for member in choices:
        if _choice_key(member.value) == key:
            return member
    if synonyms and key in synonyms:
        return synonyms[key]
    allowed = ", ".join(member.value for member in choices)
    raise CellValueError(f"{cell_text(value)!r} is not one of: {allowed}.")


def parse_choices(
    value: Cell, choices: type[E], synonyms: dict[str, E] | None = None
) -> frozenset[E]:
    """Several of ``choices`` separated by ``;`` (or ``,`` or ``|``); blank is none."""
    parts = [p for p in re.split(r"[;,|]", cell_text(value)) if p.strip()]
    return frozenset(parse_choice(part, choices, synonyms) for part in parts)
