"""Coordinates of a location, as the build publishes them.

A location gets coordinates in one of two ways, and the ``coordinates_source`` code
says which:

- ``record``: the record itself gives them (``coordinates``), as curated;
- ``geonames``: the record gives a GeoNames ID and no coordinates, and the gazetteer
  (:mod:`conflictdata.core.gazetteer`) holds that place: its latitude and longitude are
  taken as GeoNames gives them.

A location with neither stays without coordinates: none are ever invented, guessed from
a place name or taken from a country's centre.
"""

from __future__ import annotations

from conflictdata.core import gazetteer

#: Where published coordinates come from, with their meanings.
COORDINATE_SOURCES = {
    "record": "Given in the record itself, as curated.",
    "geonames": "The GeoNames gazetteer's latitude and longitude for the location's GeoNames ID.",
}


def coordinates(location: dict) -> tuple[float | None, float | None, str | None]:
    """(latitude, longitude, coordinates_source) of a location as JSON data; all three
    None when neither the record nor the gazetteer gives coordinates."""
    given = location.get("coordinates")
    if given:
        return given["lat"], given["lon"], "record"
    geonames_id = location.get("geonames_id")
    if geonames_id is not None:
        found = gazetteer.cities().coordinates(geonames_id)
        if found is not None:
            return found[0], found[1], "geonames"
    return None, None, None
