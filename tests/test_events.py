"""The events table against the nested tables, and coordinates from the gazetteer.

Every expectation here is worked out again from the other published tables (records,
locations, parties, claims, sources, actors and the kind tables), read with the csv
module, so the events table cannot drift from them without a failure naming the record
and the column.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest

from conflictdata.core import gazetteer, vocab

ROOT = Path(__file__).resolve().parents[1]
PRECISION_ORDER = list(vocab.GEO_PRECISIONS)
COUNTS = {
    "incidents": ("fatalities", "injured", "captured"),
    "arrests": ("detained", "at_large"),
    "recruitment": ("recruits",),
}


def _table(name: str) -> list[dict]:
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def t():
    names = [
        r["name"]
        for r in json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["resources"]
        if r.get("format") == "csv"
    ]
    return {n: _table(n) for n in names}


def _by(rows, key):
    out = defaultdict(list)
    for r in rows:
        out[r[key]].append(r)
    return out


def test_the_events_table_has_one_row_per_record(t):
    assert [e["id"] for e in t["events"]] == [r["id"] for r in t["records"]]


def test_every_event_agrees_with_the_nested_tables(t):
    records = {r["id"]: r for r in t["records"]}
    locations = _by(t["locations"], "record_id")
    parties = _by(t["parties"], "record_id")
    claims = _by(t["claims"], "record_id")
    sources = {s["id"]: s for s in t["sources"]}
    actors = {a["id"]: a for a in t["actors"]}
    kind_rows = {name: {r["id"]: r for r in t[name]} for name in COUNTS}
    for e in t["events"]:
        rid = e["id"]
        rec = records[rid]

        def check(column, expected, rid=rid, e=e):
            assert e[column] == expected, f"{rid}.{column}: {e[column]!r} != {expected!r}"

        for col in ("kind", "title", "status", "date_earliest", "date_latest", "date_precision"):
            check(col, rec[col])
        check("date_year_inferred", rec["date_year_inferred"])
        # primary location: the most precise, first listed among equals
        locs = sorted(locations[rid], key=lambda r: int(r["position"]))
        best = min(locs, key=lambda r: PRECISION_ORDER.index(r["precision"]))
        assert all(
            PRECISION_ORDER.index(best["precision"]) <= PRECISION_ORDER.index(loc["precision"])
            for loc in locs
        )
        check("country", best["country"])
        check("countries", ";".join(dict.fromkeys(loc["country"] for loc in locs)))
        check("admin1", best["region"])
        check("place", best["place"])
        check("geonames_id", best["geonames_id"])
        check("latitude", best["latitude"])
        check("longitude", best["longitude"])
        check("coordinates_source", best["coordinates_source"])
        check("location_precision", best["precision"])
        check("locations", str(len(locs)))
        # actors: whoever is named holds the role the row gives, in the record's parties
        ps = sorted(parties[rid], key=lambda r: int(r["position"]))
        chosen = []
        for side in ("1", "2"):
            role = e[f"actor{side}_role"]
            if not role:
                assert not e[f"actor{side}_id"] and not e[f"actor{side}_name"], rid
                continue
            match = [
                p
                for p in ps
                if p["role"] == role
                and p["actor"] == e[f"actor{side}_id"]
                and (
                    e[f"actor{side}_name"]
                    == (actors[p["actor"]]["name"] if p["actor"] else p["description"])
                )
            ]
            assert match, f"{rid}: actor{side} is not a party of the record in that role"
            assert role in vocab.ROLES
            chosen.append(match[0]["position"])
        assert len(set(chosen)) == len(chosen), f"{rid}: actor 1 and actor 2 are one party"
        # counts
        table = {"INC": "incidents", "ARR": "arrests", "REC": "recruitment"}.get(rid[:3])
        for name, fields in COUNTS.items():
            for field in fields:
                for part in ("low", "best", "high"):
                    col = f"{field}_{part}"
                    expected = kind_rows[name][rid][col] if name == table else ""
                    check(col, expected)
        # evidence
        cs = claims[rid]
        check("n_claims", str(len(cs)))
        check("n_sources", str(len({c["source"] for c in cs})))
        check(
            "n_challenging",
            str(sum(c["stance"] in ("denies", "disputes", "doubts", "retracts") for c in cs)),
        )
        grades = sorted(c["grade_source_reliability"] + c["grade_credibility"] for c in cs)
        check("grade_strongest", grades[0])
        check("grade_weakest", grades[-1])
        cs.sort(key=lambda c: int(c["position"]))
        urls = dict.fromkeys(sources[c["source"]]["url"] for c in cs if sources[c["source"]]["url"])
        check("source_urls", " ".join(urls))


def test_actor_1_takes_the_first_role_of_its_side():
    from conflictdata.publish.events import primary_parties

    record = {
        "id": "INC-2015-00001",
        "parties": [
            {"actor": "islamic-state", "role": "other"},
            {"actor": "kyrgyzstan-gknb", "role": "authority"},
            {"description": "suspects", "role": "member"},
            {"actor": "janbolat-amirov", "role": "leader"},
        ],
    }
    one, two = primary_parties(record)
    assert one["actor"] == "kyrgyzstan-gknb"  # authority comes before leader on side 1
    assert two["actor"] == "janbolat-amirov"  # leader before member on side 2


def test_the_most_precise_location_is_primary_and_ties_go_to_the_first():
    from conflictdata.publish.events import primary_location

    locs = [
        {"country": "UA", "precision": "country"},
        {"country": "SY", "precision": "near", "place": "Aleppo"},
        {"country": "TR", "precision": "near", "place": "Gaziantep"},
    ]
    assert primary_location({"locations": locs})["place"] == "Aleppo"


def test_every_location_with_a_geonames_id_has_the_gazetteers_coordinates(t):
    index = gazetteer.cities()
    with_id = [loc for loc in t["locations"] if loc["geonames_id"]]
    assert with_id, "the release has no location with a GeoNames ID"
    for loc in with_id:
        where = f"{loc['record_id']} location {loc['position']}"
        if loc["coordinates_lat"]:  # given in the record: published as given
            assert loc["coordinates_source"] == "record", where
            continue
        lat, lon = index.coordinates(int(loc["geonames_id"]))
        assert (float(loc["latitude"]), float(loc["longitude"])) == (lat, lon), where
        assert loc["coordinates_source"] == "geonames", where


def test_a_location_without_id_or_coordinates_stays_without(t):
    bare = [loc for loc in t["locations"] if not loc["geonames_id"] and not loc["coordinates_lat"]]
    assert bare
    for loc in bare:
        assert loc["latitude"] == loc["longitude"] == loc["coordinates_source"] == "", loc


def test_coordinates_given_in_a_record_win_over_the_gazetteer():
    from conflictdata.publish.places import coordinates

    given = {"geonames_id": 1528675, "coordinates": {"lat": 42.9, "lon": 74.6}}
    assert coordinates(given) == (42.9, 74.6, "record")
    assert coordinates({"geonames_id": 1528675})[2] == "geonames"
    assert coordinates({"place": "Bishkek"}) == (None, None, None)  # a name is not looked up


def test_the_events_table_is_in_the_package_with_its_keys():
    desc = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    events = next(r for r in desc["resources"] if r["name"] == "events")
    assert desc["resources"][0]["name"] == "events"  # the flat table comes first
    schema = events["schema"]
    assert schema["primaryKey"] == ["id"]
    refs = {tuple(fk["fields"]): fk["reference"]["resource"] for fk in schema["foreignKeys"]}
    assert refs == {("id",): "records", ("actor1_id",): "actors", ("actor2_id",): "actors"}
