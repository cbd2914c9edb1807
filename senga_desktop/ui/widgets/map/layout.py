"""Screen-space layout of the map: symbols sharing a town, and labels that do not pile up.

Both work in pixels, because that is where crowding happens: ten stops in Nairobi are one point
in kilometres but must be ten distinct circles on screen. The view calls these after every zoom.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF

__all__ = ["LabelCandidate", "cluster_radius", "place_labels", "ring_offsets"]


def ring_offsets(count: int, spacing: float, *, inner: float = 0.0) -> list[QPointF]:
    """Pixel offsets for ``count`` symbols around one point, ``spacing`` pixels apart.

    With a free centre (``inner`` 0) the first sits on the point itself; otherwise the rings
    start outside a disc of radius ``inner`` (the depot's symbol, or the highlighted route's
    stops). Consecutive symbols sit side by side on concentric rings, so consecutive stops of
    one route stay neighbours and its line does not zig-zag through the cluster.
    """
    offsets: list[QPointF] = []
    if count <= 0:
        return offsets
    if inner <= 0:
        offsets.append(QPointF(0, 0))
    ring = 0
    while len(offsets) < count:
        ring += 1
        radius = spacing * ring if inner <= 0 else inner + spacing * (ring - 0.4)
        slots = max(1, int(2 * math.pi * radius / spacing))
        take = min(slots, count - len(offsets))
        # A partly filled outer ring is spread evenly, starting at the top, clockwise.
        for i in range(take):
            angle = -math.pi / 2 + 2 * math.pi * i / take
            offsets.append(QPointF(radius * math.cos(angle), radius * math.sin(angle)))
    return offsets


def cluster_radius(offsets: Sequence[QPointF], symbol_radius: float) -> float:
    """How far from the point the cluster's symbols reach, in pixels."""
    reach = max((math.hypot(o.x(), o.y()) for o in offsets), default=0.0)
    return reach + symbol_radius


@dataclass(slots=True)
class LabelCandidate:
    """A label that may show: where it could go (viewport pixels, preferred first), its rank
    (lower is placed first) and what it may overlap."""

    rank: tuple[float, ...]
    rects: tuple[QRectF, ...]
    index: int  # the caller's own reference
    own_obstacle: int = -1  # an obstacle the label may touch (its own cluster)
    always: bool = False  # shown whatever it overlaps (the depot's name)
    over_dimmed: bool = False  # may cover dimmed obstacles (a highlighted route's town)


def place_labels(
    candidates: Sequence[LabelCandidate],
    obstacles: Sequence[QRectF],
    viewport: QRectF | None = None,
    *,
    dimmed: frozenset[int] = frozenset(),
    gap: float = 2.0,
) -> dict[int, int]:
    """Greedy, rank-ordered placement: a label shows in the first of its positions that
    overlaps no shown label or symbol.

    With a ``viewport``, labels not wholly inside it are dropped; without one, placement covers
    the whole map, so panning does not change which labels show.

    Returns ``{index: position}`` for every label to show. A uniform grid of buckets keeps the
    overlap tests near-linear, which matters with a few hundred candidates on every zoom step.
    """
    cell = 64.0
    grid: dict[tuple[int, int], list[QRectF]] = {}

    def cells(rect: QRectF) -> list[tuple[int, int]]:
        x0, x1 = int(rect.left() // cell), int(rect.right() // cell)
        y0, y1 = int(rect.top() // cell), int(rect.bottom() // cell)
        return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]

    obstacle_cells: dict[tuple[int, int], list[tuple[int, QRectF]]] = {}
    for number, rect in enumerate(obstacles):
        for key in cells(rect):
            obstacle_cells.setdefault(key, []).append((number, rect))

    def free(candidate: LabelCandidate, rect: QRectF, keys: list[tuple[int, int]]) -> bool:
        if any(r.intersects(rect) for key in keys for r in grid.get(key, ())):
            return False
        return not any(
            number != candidate.own_obstacle
            and not (candidate.over_dimmed and number in dimmed)
            and r.intersects(rect)
            for key in keys
            for number, r in obstacle_cells.get(key, ())
        )

    shown: dict[int, int] = {}
    for candidate in sorted(candidates, key=lambda c: c.rank):
        for position, wanted in enumerate(candidate.rects):
            if viewport is not None and not viewport.contains(wanted):
                continue
            rect = wanted.adjusted(-gap, -gap, gap, gap)
            keys = cells(rect)
            if candidate.always or free(candidate, rect, keys):
                shown[candidate.index] = position
                for key in keys:
                    grid.setdefault(key, []).append(rect)
                break
    return shown
