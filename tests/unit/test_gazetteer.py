"""Tests for the offline gazetteer of Kenyan towns and for locating the bundled resources."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from senga_desktop import paths
from senga_desktop.gazetteer import (
    KENYA_BOUNDS,
    Gazetteer,
    Town,
    haversine_km,
    in_kenya,
    load_gazetteer,
)

HEADER = "name,county,latitude,longitude,aliases\n"


@pytest.fixture
def towns() -> Gazetteer:
    return load_gazetteer()


def write_csv(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "towns.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def town_at(towns: Gazetteer, name: str) -> Town:
    town = towns.get(name)
    assert town is not None, name
    return town


# --- the bundled file ---


def test_bundled_file_loads_with_at_least_40_towns(towns: Gazetteer) -> None:
    assert len(towns) >= 40
    assert load_gazetteer() is towns  # cached


def test_bundled_towns_lie_inside_kenya(towns: Gazetteer) -> None:
    min_lat, max_lat, min_lon, max_lon = KENYA_BOUNDS
    for town in towns:
        assert min_lat <= town.latitude <= max_lat, town
        assert min_lon <= town.longitude <= max_lon, town
        assert in_kenya(town.latitude, town.longitude), town


def test_bundled_towns_are_sorted_and_complete(towns: Gazetteer) -> None:
    names = towns.names()
    assert names == sorted(names, key=str.casefold)
    assert tuple(town.name for town in towns.towns) == tuple(names)
    assert all(town.county for town in towns)


@pytest.mark.parametrize(
    "name",
    [
        "Nairobi",
        "Mombasa",
        "Voi",
        "Nakuru",
        "Eldoret",
        "Malaba",
        "Busia",
        "Kisumu",
        "Namanga",
        "Isebania",
        "Moyale",
        "Lokichoggio",
        "Garissa",
        "Nyeri",
        "Malindi",
    ],
)
def test_freight_towns_are_present(towns: Gazetteer, name: str) -> None:
    assert name in towns


def test_bundled_file_is_sorted_on_disk() -> None:
    lines = paths.resource_path("towns.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER.strip()
    names = [line.split(",", 1)[0] for line in lines[1:]]
    assert names == sorted(names, key=str.casefold)


def test_coordinates_have_sensible_geography(towns: Gazetteer) -> None:
    # Catch sign slips: the coast is south-east of Nairobi, the north-east is north-east.
    nairobi = town_at(towns, "Nairobi")
    assert town_at(towns, "Mombasa").latitude < nairobi.latitude
    assert town_at(towns, "Mombasa").longitude > nairobi.longitude
    assert town_at(towns, "Mandera").latitude > 3.5
    assert town_at(towns, "Mandera").longitude > 41.0
    assert town_at(towns, "Busia").longitude < 34.5
    assert town_at(towns, "Kisumu").latitude < 0 < town_at(towns, "Eldoret").latitude


# --- lookups ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nairobi", "Nairobi"),
        ("nbi", "Nairobi"),
        ("  NAIROBI   city ", "Nairobi"),
        ("Nairobi-City", "Nairobi"),
        ("msa", "Mombasa"),
        ("Mavoko", "Athi River"),
        ("athi-river", "Athi River"),
        ("ATHI  RIVER", "Athi River"),
        ("Muranga", "Murang'a"),
        ("murang\u2019a", "Murang'a"),
        ("Mtito-Andei", "Mtito Andei"),
        ("Thomsons Falls", "Nyahururu"),
        ("lunga-lunga", "Lunga Lunga"),
    ],
)
def test_get_matches_names_and_aliases_loosely(towns: Gazetteer, text: str, expected: str) -> None:
    assert town_at(towns, text).name == expected
    assert text in towns


@pytest.mark.parametrize("text", ["Kampala", "", "   ", "--", "Nairobi Town Centre"])
def test_get_unknown_returns_none(towns: Gazetteer, text: str) -> None:
    assert towns.get(text) is None
    assert text not in towns


def test_contains_rejects_non_strings(towns: Gazetteer) -> None:
    assert 42 not in towns
    assert None not in towns


def test_suggest_finds_typos(towns: Gazetteer) -> None:
    assert towns.suggest("Nairbi")[0] == "Nairobi"
    assert "Mombasa" in towns.suggest("mombassa")
    assert "Eldoret" in towns.suggest("Eldorett")


def test_suggest_returns_canonical_names_once_within_limit(towns: Gazetteer) -> None:
    suggestions = towns.suggest("Nai", limit=3)
    assert 0 < len(suggestions) <= 3
    assert len(set(suggestions)) == len(suggestions)
    assert set(suggestions) <= set(towns.names())
    assert towns.suggest("Nairobi City")[0] == "Nairobi"


def test_suggest_gives_nothing_for_nonsense(towns: Gazetteer) -> None:
    assert towns.suggest("") == []
    assert towns.suggest("qqqqxxzz") == []
    assert towns.suggest("Nairobi", limit=0) == []


def test_gazetteer_from_list_sorts_and_rejects_clashes() -> None:
    voi = Town("Voi", "Taita-Taveta", -3.3961, 38.5561)
    emali = Town("Emali", "Makueni", -2.0807, 37.4733, ("Voi Junction",))
    gazetteer = Gazetteer([voi, emali])
    assert gazetteer.names() == ["Emali", "Voi"]
    assert gazetteer.get("voi junction") is emali
    with pytest.raises(ValueError, match="clashes"):
        Gazetteer([voi, Town("Other", "Kwale", -4.0, 39.0, ("VOI",))])


# --- reading CSV files ---


def test_from_csv_reads_a_small_file(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "Voi,Taita-Taveta,-3.3961,38.5561,\nAthi River,Machakos,-1.4560,36.9780, Mavoko ;;\n",
    )
    gazetteer = Gazetteer.from_csv(path)
    assert gazetteer.names() == ["Athi River", "Voi"]
    athi = town_at(gazetteer, "mavoko")
    assert athi.aliases == ("Mavoko",)
    assert (athi.latitude, athi.longitude) == (-1.4560, 36.9780)


def test_from_csv_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "towns.csv"
    path.write_text(HEADER + "Voi,Taita-Taveta,-3.3961,38.5561,\n", encoding="utf-8-sig")
    assert "Voi" in Gazetteer.from_csv(path)


@pytest.mark.parametrize(
    ("body", "row", "column"),
    [
        (",Kwale,-4.17,39.45,\n", 2, "name"),
        ("Voi,Taita-Taveta,-3.39,38.55,\n   ,Kwale,-4.17,39.45,\n", 3, "name"),
        ("Voi,,-3.39,38.55,\n", 2, "county"),
        ("Voi,Taita-Taveta,abc,38.55,\n", 2, "latitude"),
        ("Voi,Taita-Taveta,-3.39,,\n", 2, "longitude"),
        ("Voi,Taita-Taveta,nan,38.55,\n", 2, "latitude"),
        ("Voi,Taita-Taveta,3.39,-38.55,\n", 2, "longitude"),
        ("Voi,Taita-Taveta,38.55,-3.39,\n", 2, "latitude"),
        ("Voi,Taita-Taveta,-3.39,38.55,\nKampala,Uganda,0.3476,32.5825,\n", 3, "longitude"),
        ("Voi,Taita-Taveta,-3.39,38.55,\nVoi,Taita-Taveta,-3.39,38.55,\n", 3, "name"),
        ("Voi,Taita-Taveta,-3.39,38.55,\nVOI,Taita-Taveta,-3.39,38.55,\n", 3, "name"),
        ("Voi,Taita-Taveta,-3.39,38.55,\nEmali,Makueni,-2.08,37.47,Ndovu;voi\n", 3, "aliases"),
        ("Voi,Taita-Taveta,-3.39,38.55,Ndovu\nNdovu,Makueni,-2.08,37.47,\n", 3, "name"),
        ("Voi,Taita-Taveta,-3.39,38.55,--\n", 2, "aliases"),
    ],
)
def test_from_csv_names_row_and_column_of_bad_data(
    tmp_path: Path, body: str, row: int, column: str
) -> None:
    path = write_csv(tmp_path, body)
    with pytest.raises(ValueError, match=rf"row {row}, column '{column}'"):
        Gazetteer.from_csv(path)


def test_from_csv_rejects_a_missing_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Voi,-3.39,38.55,\n", header="name,latitude,longitude,aliases\n")
    with pytest.raises(ValueError, match=r"row 1.*county"):
        Gazetteer.from_csv(path)


def test_from_csv_rejects_extra_values(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Voi,Taita-Taveta,-3.39,38.55,,surplus\n")
    with pytest.raises(ValueError, match="row 2"):
        Gazetteer.from_csv(path)


@pytest.mark.parametrize("content", ["", HEADER])
def test_from_csv_rejects_files_without_towns(tmp_path: Path, content: str) -> None:
    path = tmp_path / "towns.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=r"towns\.csv: the file (is empty|holds no towns)"):
        Gazetteer.from_csv(path)


# --- geometry ---


def test_haversine_nairobi_mombasa(towns: Gazetteer) -> None:
    nairobi, mombasa = town_at(towns, "Nairobi"), town_at(towns, "Mombasa")
    distance = haversine_km(
        nairobi.latitude, nairobi.longitude, mombasa.latitude, mombasa.longitude
    )
    assert distance == pytest.approx(440, abs=15)
    assert nairobi.distance_km(mombasa) == pytest.approx(distance)


def test_haversine_nairobi_kisumu(towns: Gazetteer) -> None:
    assert town_at(towns, "Nairobi").distance_km(town_at(towns, "Kisumu")) == pytest.approx(
        265, abs=15
    )


def test_haversine_basics() -> None:
    assert haversine_km(-1.0, 37.0, -1.0, 37.0) == 0.0
    # One degree of latitude is about 111.2 km on a sphere of mean Earth radius.
    assert haversine_km(0.0, 37.0, 1.0, 37.0) == pytest.approx(math.pi * 6371.0088 / 180)
    assert haversine_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(math.pi * 6371.0088)
    assert haversine_km(1.0, 36.0, -2.0, 39.0) == pytest.approx(haversine_km(-2.0, 39.0, 1.0, 36.0))


def test_in_kenya() -> None:
    assert in_kenya(-1.2864, 36.8172)
    assert in_kenya(KENYA_BOUNDS[0], KENYA_BOUNDS[2])
    assert not in_kenya(0.3476, 32.5825)  # Kampala
    assert not in_kenya(-6.7924, 39.2083)  # Dar es Salaam
    assert not in_kenya(36.8172, -1.2864)  # swapped
    assert not in_kenya(math.nan, 36.0)


# --- locating resources ---


def test_resources_dir_finds_the_folder() -> None:
    folder = paths.resources_dir()
    assert folder.is_dir()
    assert (folder / "towns.csv").is_file()
    assert paths.resource_path("towns.csv") == folder / "towns.csv"


def test_migrations_dir_finds_the_folder() -> None:
    assert paths.migrations_dir().is_dir()


def test_paths_prefer_frozen_then_packaged_then_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkout = tmp_path / "checkout"
    package = checkout / "senga_desktop"
    package.mkdir(parents=True)
    monkeypatch.setattr(paths, "__file__", str(package / "paths.py"))

    (checkout / "resources").mkdir()
    assert paths.resources_dir() == checkout / "resources"

    (package / "resources").mkdir()
    assert paths.resources_dir() == package / "resources"

    bundle = tmp_path / "bundle"
    (bundle / "senga_desktop" / "resources").mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert paths.resources_dir() == bundle / "senga_desktop" / "resources"


def test_paths_report_where_they_looked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "senga_desktop"
    package.mkdir()
    monkeypatch.setattr(paths, "__file__", str(package / "paths.py"))
    with pytest.raises(FileNotFoundError, match="migrations") as excinfo:
        paths.migrations_dir()
    assert str(package / "migrations") in str(excinfo.value)
    assert str(tmp_path / "migrations") in str(excinfo.value)


def test_gazetteer_imports_neither_qt_nor_sqlalchemy() -> None:
    # A fresh interpreter, because this test session may already have loaded either library.
    code = (
        "import sys, senga_desktop.gazetteer; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy')))"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
