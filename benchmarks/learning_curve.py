"""How fast the engine learns a depot's real travel times: a simulated month at the demo depot.

A hidden "true" travel model differs from today's defaults the way a real depot would:

* some corridors run 30-50 % longer than the default road factor says (the engine's travel model
  has one factor per town pair for km and minutes alike, so a slower corridor is one whose road
  is longer: the escarpment to Nakuru, the Thika Road detours, ...); the other corridors vary a
  little around the default;
* light trucks drive 20 % faster than planning assumes;
* unloading takes twice the default service time at the customers with heavy goods.

Routes of 1-6 stops leave the demo depot (Nairobi) for the demo destinations (towns from the
gazetteer the app ships), stops spread a few km around each town centre, and are driven under the
truth with noise (traffic on each leg, a queue at each gate, odometer rounding). The belief
learns route by route; after every batch the mean absolute error of its predicted route duration
is measured on a held-out set of routes it never learns from. Two ways of recording outcomes:

* "recorded on screen": each leg's driving minutes and each stop's minutes are measured;
* "bulk import": only each route's totals (distance, duration, cost).

A few rows carry a 10x typo in the distance, to show that they are flagged and not learned from.
Prints the learning curve as a table and draws it to a PNG (QtGui only, offscreen).

    .venv/bin/python benchmarks/learning_curve.py [--routes 200] [--seed 1] [--batch 10]
        [--held-out 300] [--typos 5] [--output learning_curve.png]

Target: after 200 routes the mean absolute duration error is at least 50 % lower than before.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import random
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen

from senga_desktop.controllers.demo_data import (
    CUSTOMERS,
    DEMO_DEPOT,
    DESTINATIONS,
    JITTER_KM,
    TRUCK_TYPES,
)
from senga_desktop.controllers.planning_state import speed_for_capacity
from senga_desktop.engine.learning import (
    LearnedBelief,
    Leg,
    Prior,
    RouteObservation,
    Visit,
    corridor_key,
)
from senga_desktop.gazetteer import Town, haversine_km, load_gazetteer

DEPOT_TOWN = "Nairobi"
SLOW_CORRIDORS = {  # town: how much longer (and slower) the road from the depot really is
    "Nakuru": 1.45, "Naivasha": 1.40, "Thika": 1.35, "Nyeri": 1.50, "Machakos": 1.30,
    "Mombasa": 1.30, "Kisumu": 1.35,
}  # fmt: skip
FAST_TYPE, FAST_BY = "light", 1.20
SLOW_CUSTOMERS = (  # heavy goods: unloading takes twice the time
    "Simba Bora Cement Distributors",
    "Kilimo Grain Millers Ltd",
    "Maji Safi Water Bottlers",
    "Pwani Beverages Distributors",
)
TYPE_WEIGHTS = {"light": 3, "medium": 4, "heavy": 2, "semi": 1}
NEARBY_KM = 120.0  # a route's next town is near its last one, as a planner would chain them
SAME_TOWN = 0.4  # chance that the next stop is in the same town (another consignee)
LEG_NOISE = 0.10  # log std: traffic on one leg
DWELL_NOISE = 0.25  # a queue at the gate
ODOMETER_NOISE = 0.02
COST_NOISE = 0.06
MODES = ("recorded on screen", "bulk import")


@dataclass(frozen=True)
class Stop:
    """A delivery point: its town (for the corridor), where exactly, and whose goods."""

    town: str
    lat: float
    lon: float
    customer: str


@dataclass(frozen=True)
class Truth:
    """The hidden travel model of the simulated depot."""

    factors: Mapping[str, float]  # per corridor key; missing: the default
    default_factor: float
    speeds: Mapping[str, float]
    service: Mapping[str, float]  # per customer
    cost_factor: float = 1.1  # fuel dearer than the rates assume

    def factor(self, a: str, b: str) -> float:
        return self.factors.get(corridor_key(a, b), self.default_factor)


def make_prior() -> Prior:
    """Today's defaults, as planning uses them: speeds by truck size, the default factors."""
    speeds = {kind: speed_for_capacity(t.tonnes) for kind, t in TRUCK_TYPES.items()}
    return Prior(road_factor=1.3, speeds_kmh=speeds, service_minutes=20.0, loading_minutes=30.0)


def make_truth(prior: Prior, towns: Sequence[str], rng: random.Random) -> Truth:
    factors: dict[str, float] = {}
    for a, b in itertools.combinations_with_replacement(sorted({DEPOT_TOWN, *towns}), 2):
        factors[corridor_key(a, b)] = prior.road_factor * math.exp(rng.gauss(0.0, 0.04))
    for town, slower in SLOW_CORRIDORS.items():
        factors[corridor_key(DEPOT_TOWN, town)] = prior.road_factor * slower
    speeds = {kind: prior.speed_kmh(kind) for kind in TYPE_WEIGHTS}
    speeds[FAST_TYPE] *= FAST_BY
    service = {
        c.name: prior.service_minutes * (2.0 if c.name in SLOW_CUSTOMERS else 1.0)
        for c in CUSTOMERS
    }
    return Truth(factors, prior.road_factor, speeds, service)


class Depot:
    """Draws routes at the demo depot and drives them under the truth."""

    def __init__(self, truth: Truth, rng: random.Random) -> None:
        gazetteer = load_gazetteer()
        self.truth = truth
        self.rng = rng
        self.towns: dict[str, Town] = {}
        for name in DESTINATIONS:
            found = gazetteer.get(name)
            assert found is not None, name
            self.towns[name] = found
        self.depot = Stop(DEPOT_TOWN, DEMO_DEPOT.lat, DEMO_DEPOT.lon, "")
        self.customers = [c.name for c in CUSTOMERS]
        self.customer_weights = [c.share for c in CUSTOMERS]
        self.count = 0

    def _stop(self, town: str) -> Stop:
        place = self.towns[town]
        # Consignees spread around the town centre: ~JITTER_KM in each direction.
        d_lat = self.rng.uniform(-1, 1) * JITTER_KM / 111.0
        d_lon = (
            self.rng.uniform(-1, 1) * JITTER_KM / (111.0 * math.cos(math.radians(place.latitude)))
        )
        customer = self.rng.choices(self.customers, self.customer_weights)[0]
        return Stop(town, place.latitude + d_lat, place.longitude + d_lon, customer)

    def _stops(self) -> list[Stop]:
        names = list(DESTINATIONS)
        town = self.rng.choices(names, [DESTINATIONS[n] for n in names])[0]
        stops = [self._stop(town)]
        for _ in range(self.rng.randint(1, 6) - 1):
            last = self.towns[stops[-1].town]
            near = [n for n in names if self.towns[n].distance_km(last) <= NEARBY_KM]
            if self.rng.random() >= SAME_TOWN and near:
                town = self.rng.choices(near, [DESTINATIONS[n] for n in near])[0]
            stops.append(self._stop(stops[-1].town if town is None else town))
        return stops

    def _noisy(self, value: float, std: float) -> float:
        return value * math.exp(self.rng.gauss(0.0, std))

    def route(self) -> RouteObservation:
        """One route as recorded on screen: every leg's and stop's minutes measured."""
        truth, rng = self.truth, self.rng
        kind = rng.choices(list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values()))[0]
        path = [self.depot, *self._stops(), self.depot]
        legs: list[Leg] = []
        road_km = minutes_total = 0.0
        for a, b in itertools.pairwise(path):
            km = haversine_km(a.lat, a.lon, b.lat, b.lon)
            road = km * truth.factor(a.town, b.town)
            minutes = self._noisy(road / truth.speeds[kind] * 60.0, LEG_NOISE)
            road_km += road
            minutes_total += minutes
            legs.append(Leg(a.town, b.town, km, round(minutes)))  # recorded to the minute
        visits: list[Visit] = []
        for stop in path[1:-1]:
            dwell = self._noisy(truth.service[stop.customer], DWELL_NOISE)
            minutes_total += dwell
            visits.append(Visit(stop.customer, max(1, round(dwell))))
        rate = float(TRUCK_TYPES[kind].fuel_kes_per_km)
        distance = self._noisy(road_km, ODOMETER_NOISE)
        self.count += 1
        return RouteObservation(
            key=f"OUT-{self.count:05d}",
            vehicle_type=kind,
            legs=tuple(legs),
            visits=tuple(visits),
            loadings=1,
            distance_km=round(distance, 1),
            duration_minutes=round(minutes_total + 30.0),
            km_cost_kes=round(self._noisy(rate * truth.cost_factor * distance, COST_NOISE)),
            cost_per_km_kes=rate,
        )


def totals_only(obs: RouteObservation) -> RouteObservation:
    """The route as a bulk import states it: its totals, no leg or stop times."""
    return replace(
        obs,
        legs=tuple(replace(leg, minutes=None) for leg in obs.legs),
        visits=tuple(replace(visit, dwell_minutes=None) for visit in obs.visits),
    )


def errors(belief: LearnedBelief, held_out: Sequence[RouteObservation]) -> tuple[float, float]:
    """Mean absolute error of the predicted duration: minutes, and % of the actual."""
    minutes, shares = [], []
    for obs in held_out:
        assert obs.duration_minutes is not None
        error = abs(belief.predict(obs).duration_minutes - obs.duration_minutes)
        minutes.append(error)
        shares.append(error / obs.duration_minutes * 100)
    return statistics.fmean(minutes), statistics.fmean(shares)


def floor(truth: Truth, held_out: Sequence[RouteObservation]) -> float:
    """MAE (%) of the truth's own noise-free durations: the least error any belief can have."""
    shares = []
    for obs in held_out:
        assert obs.duration_minutes is not None
        speed = truth.speeds[obs.vehicle_type]
        drive = sum(leg.great_circle_km * truth.factor(leg.town_a, leg.town_b) for leg in obs.legs)
        stops = sum(truth.service[visit.customer_id] for visit in obs.visits)
        expected = drive / speed * 60.0 + stops + obs.loadings * 30.0
        shares.append(abs(expected - obs.duration_minutes) / obs.duration_minutes * 100)
    return statistics.fmean(shares)


@dataclass
class Curve:
    """One mode's learning curve: (routes completed, MAE minutes, MAE %) per batch."""

    mode: str
    points: list[tuple[int, float, float]]
    flagged_typos: int
    flagged_other: int
    belief: LearnedBelief


def learn(
    mode: str,
    *,
    stream: Sequence[RouteObservation],
    typos: set[int],
    held_out: Sequence[RouteObservation],
    prior: Prior,
    batch: int,
) -> Curve:
    belief = LearnedBelief.start(prior)
    points = [(0, *errors(belief, held_out))]
    flagged_typos = flagged_other = 0
    for n, recorded in enumerate(stream, start=1):
        obs = totals_only(recorded) if mode == "bulk import" else recorded
        if n - 1 in typos:
            assert obs.distance_km is not None
            obs = replace(obs, distance_km=obs.distance_km * 10)
        result = belief.update(obs)
        if result.flags and n - 1 in typos:
            flagged_typos += 1
        elif result.flags:
            flagged_other += 1
        if n % batch == 0 or n == len(stream):
            points.append((n, *errors(belief, held_out)))
    return Curve(mode, points, flagged_typos, flagged_other, belief)


# --- the picture ---

WIDTH, HEIGHT = 960, 560
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 90, 40, 70, 70
COLOURS = {"recorded on screen": QColor("#1f6fb2"), "bulk import": QColor("#d9822b")}
RIGHT_MIDDLE = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def nice_step(span: float, ticks: int = 6) -> float:
    """A round tick step (1, 2 or 5 x 10^k) giving about ``ticks`` ticks over ``span``."""
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def pen(
    colour: QColor | str, width: float = 1.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine
) -> QPen:
    result = QPen(QColor(colour))
    result.setWidthF(width)
    result.setStyle(style)
    return result


class Chart:
    """A line chart of MAE (%) against routes completed, painted on a QImage."""

    def __init__(self, painter: QPainter, x_max: float, y_max: float) -> None:
        self.painter = painter
        self.plot = QRectF(
            MARGIN_LEFT,
            MARGIN_TOP,
            WIDTH - MARGIN_LEFT - MARGIN_RIGHT,
            HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        )
        self.x_max, self.y_max = x_max, y_max
        self.font = QFont()
        self.font.setPointSize(10)
        painter.setFont(self.font)

    def at(self, x: float, y: float) -> QPointF:
        plot = self.plot
        return QPointF(
            plot.left() + x / self.x_max * plot.width(),
            plot.bottom() - y / self.y_max * plot.height(),
        )

    def axes(self, x_step: float, y_step: float) -> None:
        painter, plot = self.painter, self.plot
        grid, axis = pen("#e3e3e3"), pen("#333333", 1.5)
        for tick in range(round(self.y_max / y_step) + 1):
            y = tick * y_step
            painter.setPen(grid)
            painter.drawLine(self.at(0, y), self.at(self.x_max, y))
            painter.setPen(axis)
            label = QRectF(0, self.at(0, y).y() - 10, MARGIN_LEFT - 10, 20)
            painter.drawText(label, RIGHT_MIDDLE, f"{y:g} %")
        for tick in range(round(self.x_max / x_step) + 1):
            x = tick * x_step
            painter.setPen(grid)
            painter.drawLine(self.at(x, 0), self.at(x, self.y_max))
            painter.setPen(axis)
            label = QRectF(self.at(x, 0).x() - 30, plot.bottom() + 6, 60, 20)
            painter.drawText(label, Qt.AlignmentFlag.AlignHCenter, f"{x:g}")
        painter.setPen(axis)
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())

    def target(self, y: float, text: str, colour: str = "#2e8b57", *, below: bool = False) -> None:
        self.painter.setPen(pen(colour, 1.5, Qt.PenStyle.DashLine))
        self.painter.drawLine(self.at(0, y), self.at(self.x_max, y))
        right = self.at(self.x_max, y)
        self.painter.drawText(
            QRectF(right.x() - 320, right.y() + (4 if below else -22), 316, 20),
            Qt.AlignmentFlag.AlignRight,
            text,
        )

    def line(self, colour: QColor, points: Sequence[tuple[float, float]]) -> None:
        self.painter.setPen(pen(colour, 2.5))
        corners = [self.at(x, y) for x, y in points]
        for a, b in itertools.pairwise(corners):
            self.painter.drawLine(a, b)
        for corner in corners:
            self.painter.drawEllipse(corner, 2.5, 2.5)

    def legend(self, entries: Sequence[tuple[QColor, str]]) -> None:
        painter = self.painter
        box = QRectF(self.plot.right() - 250, self.plot.top() + 10, 240, 14 + 22 * len(entries))
        painter.setPen(pen("#bbbbbb"))
        painter.setBrush(QColor(255, 255, 255, 230))
        painter.drawRect(box)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for row, (colour, text) in enumerate(entries):
            y = box.top() + 18 + row * 22
            painter.setPen(pen(colour, 2.5))
            painter.drawLine(QPointF(box.left() + 10, y), QPointF(box.left() + 40, y))
            painter.setPen(pen("#333333"))
            painter.drawText(QPointF(box.left() + 50, y + 4), text)

    def labels(self, title: str, x_label: str, y_label: str) -> None:
        painter, plot = self.painter, self.plot
        bold = QFont(self.font)
        bold.setPointSize(13)
        bold.setBold(True)
        painter.setPen(pen("#333333"))
        painter.setFont(bold)
        painter.drawText(QRectF(0, 12, WIDTH, 30), Qt.AlignmentFlag.AlignHCenter, title)
        painter.setFont(self.font)
        below = QRectF(plot.left(), HEIGHT - 32, plot.width(), 20)
        painter.drawText(below, Qt.AlignmentFlag.AlignHCenter, x_label)
        painter.save()
        painter.translate(22, plot.center().y())
        painter.rotate(-90)
        beside = QRectF(-plot.height() / 2, -10, plot.height(), 20)
        painter.drawText(beside, Qt.AlignmentFlag.AlignHCenter, y_label)
        painter.restore()


def draw(curves: Sequence[Curve], before: float, least: float, path: Path) -> None:
    """The MAE (%) of both modes against routes completed, with the 50 % target line."""
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    x_max = max(p[0] for c in curves for p in c.points)
    y_step = nice_step(before * 1.1)
    chart = Chart(painter, x_max, math.ceil(before * 1.1 / y_step) * y_step)
    chart.axes(nice_step(x_max, 10), y_step)
    chart.target(before / 2, "target: half the error before learning")
    chart.target(least, "noise floor: the true model's own error", "#888888", below=True)
    for curve in curves:
        chart.line(COLOURS[curve.mode], [(x, pct) for x, _, pct in curve.points])
    chart.legend([(COLOURS[c.mode], f"{c.mode} ({c.points[-1][2]:.1f} %)") for c in curves])
    chart.labels(
        "Route duration prediction error while the engine learns (held-out routes)",
        "routes completed and learned from",
        "mean absolute error, % of the actual duration",
    )
    painter.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path)):
        raise SystemExit(f"could not write {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--routes", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--held-out", type=int, default=300)
    parser.add_argument("--typos", type=int, default=5, help="rows with a 10x distance typo")
    parser.add_argument("--output", type=Path, default=Path("learning_curve.png"))
    args = parser.parse_args()

    rng = random.Random(args.seed)
    prior = make_prior()
    truth = make_truth(prior, list(DESTINATIONS), rng)
    depot = Depot(truth, rng)
    stream = [depot.route() for _ in range(args.routes)]
    held_out = [depot.route() for _ in range(args.held_out)]
    typos = set(rng.sample(range(args.routes), min(args.typos, args.routes)))
    curves = [
        learn(mode, stream=stream, typos=typos, held_out=held_out, prior=prior, batch=args.batch)
        for mode in MODES
    ]

    app = QGuiApplication.instance() or QGuiApplication([])  # fonts for the picture
    least = floor(truth, held_out)
    draw(curves, curves[0].points[0][2], least, args.output)
    del app

    stops = [len(o.visits) for o in stream]
    print(f"Learning curve: {args.routes} routes from {DEPOT_TOWN} ({min(stops)}-{max(stops)} "
          f"stops, {statistics.fmean(stops):.1f} on average), held-out set of {len(held_out)} "
          f"routes, seed {args.seed}")  # fmt: skip
    print(f"  truth: {len(SLOW_CORRIDORS)} corridors 30-50 % slower, {FAST_TYPE} trucks "
          f"{(FAST_BY - 1) * 100:.0f} % faster, "
          f"service x2 at {len(SLOW_CUSTOMERS)} customers")  # fmt: skip
    header = "".join(f"  {mode:>26}" for mode in MODES)
    print(f"\n  {'routes':>6}{header}")
    print(f"  {'':>6}" + "".join(f"  {'MAE min':>13} {'MAE %':>12}" for _ in MODES))
    for row in zip(*(c.points for c in curves), strict=True):
        cells = "".join(f"  {m:>13,.1f} {p:>11.1f}%" for _, m, p in row)
        print(f"  {row[0][0]:>6}{cells}")
    print(f"\n  noise floor (the true model's own error on the held-out set): {least:.1f} %")
    for curve in curves:
        (_, m0, p0), (n, m1, p1) = curve.points[0], curve.points[-1]
        cut_m, cut_p = (1 - m1 / m0) * 100, (1 - p1 / p0) * 100
        verdict = "meets" if cut_m >= 50 and cut_p >= 50 else "MISSES"
        print(f"  {curve.mode:<19} after {n} routes: MAE {m0:,.1f} -> {m1:,.1f} min "
              f"({cut_m:.0f} % lower), {p0:.1f} -> {p1:.1f} % ({cut_p:.0f} % lower): "
              f"{verdict} the 50 % target")  # fmt: skip
        print(f"  {'':<19} 10x distance typos flagged {curve.flagged_typos} of {len(typos)}; "
              f"other routes flagged {curve.flagged_other}")  # fmt: skip
    screen = curves[0].belief
    nakuru = screen.corridor_factor(DEPOT_TOWN, "Nakuru")
    print(f"\n  learned on screen: {DEPOT_TOWN}\u2013Nakuru x{nakuru:.2f} "
          f"(truth x{truth.factor(DEPOT_TOWN, 'Nakuru'):.2f}), {FAST_TYPE} "
          f"{screen.speed_kmh(FAST_TYPE):.0f} km/h (truth {truth.speeds[FAST_TYPE]:.0f}), "
          f"{SLOW_CUSTOMERS[0]} {screen.service_minutes(SLOW_CUSTOMERS[0]):.0f} min "
          f"(truth {truth.service[SLOW_CUSTOMERS[0]]:.0f})")  # fmt: skip
    print(f"  picture: {args.output}")


if __name__ == "__main__":
    main()
