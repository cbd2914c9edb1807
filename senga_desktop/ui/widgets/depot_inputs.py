"""Inputs for depot times and exact figures, shared by the fleet and order dialogs.

- :class:`DepotDateTimeEdit` — a date and time picked as wall-clock time in the depot's zone
  (whatever zone the desk's computer is set to), read back as an aware ``datetime``: in the
  depot's zone (:meth:`~DepotDateTimeEdit.local_value`) or in UTC
  (:meth:`~DepotDateTimeEdit.value`).
- :class:`ExactSpin` — a figure whose value reads back as a ``Decimal`` with exactly the decimals
  shown, so a cost typed as 85.50 is stored as 85.50; each screen styles its own (units, buttons).
- :func:`zone_caption` — which clock a time means ("Nairobi time").
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone
from PySide6.QtWidgets import QDateTimeEdit, QDoubleSpinBox, QWidget

__all__ = ["DATE_TIME_FORMAT", "DepotDateTimeEdit", "ExactSpin", "zone_caption"]

#: How the order screens show a date and time (the fleet's dialogs spell the month out).
DATE_TIME_FORMAT = "ddd dd/MM/yyyy HH:mm"


def zone_caption(zone: ZoneInfo) -> str:
    """ "Nairobi time" for Africa/Nairobi: which clock a time means."""
    return f"{zone.key.rsplit('/', 1)[-1].replace('_', ' ')} time"


class DepotDateTimeEdit(QDateTimeEdit):
    """A date and time shown and picked in the depot's zone; :meth:`value` is aware UTC."""

    def __init__(
        self,
        *,
        name: str,
        zone: ZoneInfo,
        display_format: str = DATE_TIME_FORMAT,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.zone = zone
        # The wall-clock time is kept as UTC so the desk's own zone (and its daylight-saving
        # gaps) never shifts it; the depot's zone is applied in value() and set_value().
        self.setTimeZone(QTimeZone.utc())
        self.setDisplayFormat(display_format)
        self.setCalendarPopup(True)

    def local_value(self) -> datetime:
        """The picked time as an aware datetime in the depot's zone."""
        picked = self.dateTime()
        day, clock = picked.date(), picked.time()
        return datetime(
            day.year(), day.month(), day.day(), clock.hour(), clock.minute(), tzinfo=self.zone
        )

    def value(self) -> datetime:
        """The picked time as an aware UTC datetime."""
        return self.local_value().astimezone(UTC)

    def set_value(self, moment: datetime) -> None:
        """Show ``moment`` (any aware datetime) as the depot's wall-clock time, to the minute."""
        local = moment.astimezone(self.zone)
        self.setDateTime(
            QDateTime(
                QDate(local.year, local.month, local.day),
                QTime(local.hour, local.minute),
                QTimeZone.utc(),
            )
        )


class ExactSpin(QDoubleSpinBox):
    """A figure from 0 to ``maximum`` whose value reads back as an exact ``Decimal``.

    Subclasses add the look (unit, alignment, buttons); the reading back is what must not differ.
    """

    def __init__(
        self, *, name: str, decimals: int, maximum: float, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setDecimals(decimals)
        self.setRange(0, maximum)
        self.setGroupSeparatorShown(True)
        # The value changes on leaving the field (or Enter), not on every key typed.
        self.setKeyboardTracking(False)

    def decimal(self) -> Decimal:
        """The value with exactly the decimals shown (a float would carry binary noise)."""
        return Decimal(f"{self.value():.{self.decimals()}f}")

    def set_decimal(self, value: Decimal) -> None:
        self.setValue(float(value))
