"""Readable business keys (``CUST-0001``, ``ORD-2611-00042``) that stay unique across desktops.

A key is the largest number in use plus one. On PostgreSQL, desktops allocating from the same
sequence take turns: a transaction-scoped advisory lock, held from reading the largest number to
the commit, makes the next desktop read only after the previous one's keys are visible. Without it
(measured: six desktops saving ten orders each at once) saves chase each other, 229 tries for 60
orders, and some give up. The unique constraint stays the last word: a clash (a key imported
meanwhile, or SQLite) is retried with fresh numbers inside a savepoint, so the rest of the unit of
work survives. Imports take a whole block of consecutive numbers with one query.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

__all__ = ["CUSTOMER_KEYS", "KeySequence", "order_keys", "retry_on_duplicate_key"]

T = TypeVar("T")

#: Tries before a clash is reported as a failure. With desktops taking turns a clash needs a key
#: written outside the sequence's turn (an import's own numbers), so one retry nearly always does.
ATTEMPTS = 8


@dataclass(frozen=True, slots=True)
class KeySequence:
    """Keys ``<prefix><number>`` with the number zero-padded to at least ``width`` digits."""

    prefix: str
    width: int

    def format(self, number: int) -> str:
        return f"{self.prefix}{number:0{self.width}d}"

    def parse(self, key: str) -> int | None:
        """The number of a key of this sequence; ``None`` for any other key."""
        match = re.fullmatch(re.escape(self.prefix) + r"(\d+)", key)
        return int(match.group(1)) if match else None

    def last_used(
        self, session: Session, column: InstrumentedAttribute[str], also: Iterable[str] = ()
    ) -> int:
        """The largest number in use in ``column`` (and among ``also``), 0 when none is.

        Python takes the maximum because SQL would compare the keys as text under the server's
        collation, and "…-100000" sorts before "…-99999". LIKE narrows the rows to this prefix:
        one month of orders or the customer list, never the whole table.
        """
        taken = session.scalars(select(column).where(column.like(f"{self.prefix}%")))
        numbers = [n for key in (*taken, *also) if (n := self.parse(key)) is not None]
        return max(numbers, default=0)

    def block(
        self,
        session: Session,
        column: InstrumentedAttribute[str],
        count: int,
        also: Iterable[str] = (),
    ) -> list[str]:
        """``count`` consecutive unused keys, after every key in the table and in ``also``."""
        first = self.last_used(session, column, also) + 1
        return [self.format(n) for n in range(first, first + count)]


CUSTOMER_KEYS = KeySequence("CUST-", 4)


def order_keys(moment: datetime, zone: ZoneInfo) -> KeySequence:
    """Order numbers of the month of ``moment`` in the depot's time zone: ``ORD-2611-00042``."""
    return KeySequence(f"ORD-{moment.astimezone(zone):%y%m}-", 5)


def is_duplicate_key(exc: IntegrityError, markers: Iterable[str]) -> bool:
    """Whether ``exc`` is a unique-constraint clash on one of ``markers``.

    PostgreSQL names the constraint (``uq_orders_order_id``); SQLite names the column
    (``orders.order_id``): pass both.
    """
    text = str(exc.orig)
    return any(marker in text for marker in markers)


def take_turn(session: Session, sequence: KeySequence) -> None:
    """On PostgreSQL, wait until no other transaction is allocating from ``sequence``.

    The lock is released when the caller's transaction ends. It is taken outside any savepoint
    so that a retried attempt cannot drop it. SQLite needs none: it has one writer at a time.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.blake2b(sequence.prefix.encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    session.execute(select(func.pg_advisory_xact_lock(key)))


def retry_on_duplicate_key(
    session: Session,
    attempt: Callable[[], T],
    *,
    markers: Iterable[str],
    sequence: KeySequence | None = None,
) -> T:
    """Run ``attempt`` (which allocates keys from ``sequence`` and flushes) until no key clashes.

    Each try runs in a savepoint: on PostgreSQL a failed statement poisons the transaction, and a
    savepoint rollback is the only way to go on without discarding the caller's other work.
    ``attempt`` must allocate fresh keys every time it runs.
    """
    if sequence is not None:
        take_turn(session, sequence)
    names = tuple(markers)
    for remaining in range(ATTEMPTS - 1, -1, -1):
        try:
            with session.begin_nested():
                return attempt()
        except IntegrityError as exc:
            if remaining == 0 or not is_duplicate_key(exc, names):
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def describe_change(before: Any, after: Any) -> list[str]:
    """An audit ``[from, to]`` pair as text, so JSON can hold Decimals, times and enums."""
    return ["" if before is None else str(before), "" if after is None else str(after)]
