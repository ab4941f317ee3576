#!/usr/bin/env python3
"""Builds assets/basemap.json, the embedded vector basemap, from Natural Earth (public domain).

    python3 tools/build_basemap.py [--geodata ../shared/geodata] [--out assets/basemap.json]

Layers, bottom to top: land (the Caspian is the background), lakes, coastline, rivers, country
borders, and two historical layers that the window shows only on request: the 1994 cease-fire
line and the outline of the Soviet-era Nagorno-Karabakh Autonomous Oblast (1991). Rayon and marz
outlines come from the gazetteer, which carries their polygons. Standard library only;
deterministic output.
"""

import argparse
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

RIVERS = {"Aras", "Kura"}


def load(geodata, path):
    with open(os.path.join(geodata, path), encoding="utf-8") as f:
        return json.load(f)["features"]


def r(coords):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], 4), round(coords[1], 4)]
    return [r(c) for c in coords]


def polygons(geometry):
    if geometry["type"] == "Polygon":
        return [r(geometry["coordinates"])]
    if geometry["type"] == "MultiPolygon":
        return [r(p) for p in geometry["coordinates"]]
    return []


def lines(geometry):
    if geometry["type"] == "LineString":
        return [r(geometry["coordinates"])]
    if geometry["type"] == "MultiLineString":
        return [r(l) for l in geometry["coordinates"]]
    return []


def build(geodata):
    layers = []

    def fill(layer_id, features, name_key=None, historical=False):
        layers.append({
            "id": layer_id,
            "kind": "fill",
            "historical": historical,
            "features": [
                {"name": (f["properties"].get(name_key) if name_key else None), "polygons": polygons(f["geometry"])}
                for f in features
            ],
        })

    def line(layer_id, features, name_key=None, historical=False):
        layers.append({
            "id": layer_id,
            "kind": "line",
            "historical": historical,
            "features": [
                {"name": (f["properties"].get(name_key) if name_key else None), "lines": lines(f["geometry"])}
                for f in features
            ],
        })

    fill("land", load(geodata, "physical/ne_10m_land_caucasus.geojson"))
    fill("lakes", load(geodata, "physical/ne_10m_lakes_caucasus.geojson"), "name")
    line("coastline", load(geodata, "physical/ne_10m_coastline_caucasus.geojson"))
    rivers = [f for f in load(geodata, "physical/ne_10m_rivers_lake_centerlines_caucasus.geojson")
              if f["properties"].get("featurecla") == "River"]
    line("rivers", rivers, "name")
    line("borders", load(geodata, "boundaries/ne_10m_admin_0_boundary_lines_land_caucasus.geojson"))
    disputed = load(geodata, "boundaries/ne_10m_admin_0_boundary_lines_disputed_areas_caucasus.geojson")
    line("ceasefire_1994", [f for f in disputed if f["properties"]["name"] == "Ceasefire Line 1994"], "name", True)
    line("nkao_1991", [f for f in disputed if f["properties"]["name"] == "Former USSR oblast in 1991"], "name", True)
    return {
        "attribution": "Natural Earth (public domain): land, coastline, lakes, rivers, country borders, "
                       "the 1994 cease-fire line and the 1991 NKAO outline",
        "generator": "tools/build_basemap.py",
        "layers": layers,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geodata", default=os.path.join(ROOT, "..", "shared", "geodata"))
    parser.add_argument("--out", default=os.path.join(ROOT, "assets", "basemap.json"))
    args = parser.parse_args()
    text = json.dumps(build(args.geodata), ensure_ascii=False, separators=(",", ":")) + "\n"
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, args.out)
    print(f"wrote {args.out} ({len(text)} bytes)")


if __name__ == "__main__":
    main()
