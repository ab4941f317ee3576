#!/usr/bin/env python3
"""Builds assets/basemap.json, the embedded vector basemap, from Natural Earth (public domain).

    python3 tools/build_basemap.py [--geodata ../shared/geodata] [--out assets/basemap.json]

Layers, bottom to top: the whole world's land and country borders at 1:110m and 1:50m (world-atlas
TopoJSON of Natural Earth; the window picks one by zoom), then the detailed Caucasus at 1:10m —
land (the Caspian is the background), lakes, coastline, rivers, country borders — and two
historical layers that the window shows only on request: the 1994 cease-fire line and the outline
of the Soviet-era Nagorno-Karabakh Autonomous Oblast (1991). Rayon and marz outlines come from the
gazetteer, which carries their polygons. Standard library only; deterministic output.

World layers are packed to keep the compiled-in file small: each ring or line is a flat list of
integers in thousandths of a degree, the first point absolute and every later one the difference
from the one before ("rings_e3", "lines_e3"); points that round onto their predecessor are dropped.
"""

import argparse
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

RIVERS = {"Aras", "Kura"}

# West, south, east, north: the box the Caucasus sources were clipped to (geodata MANIFEST.md).
# The window paints it over the world layers, so the two scales never show at once.
CAUCASUS_BOX = (43.0, 37.0, 51.0, 43.0)

# World layers switch from 1:110m to 1:50m at this zoom: below it a pixel spans more than the
# 1:50m detail, above it the 1:110m coast visibly cuts corners.
WORLD_DETAIL_ZOOM = 3.5

# Douglas–Peucker tolerance per scale, in degrees: 0.01° (about 1 km, under a pixel up to zoom 7)
# is well inside what 1:50m generalisation already moved, and saves a sixth of the file; 1:110m
# is small enough as it is.
SIMPLIFY_DEGREES = {"110m": 0.0, "50m": 0.01}

# Lines are cut into pieces of at most this many points so the window can skip those out of view.
LINE_PIECE = 200


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


def simplified(points, tolerance):
    """Douglas–Peucker in degrees; the ends are kept, so arcs still meet where they met."""
    if tolerance <= 0 or len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = (dx * dx + dy * dy) ** 0.5
        worst, worst_at = -1.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                d = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                d = abs(dx * (ay - py) - dy * (ax - px)) / length
            if d > worst:
                worst, worst_at = d, i
        if worst_at is not None and worst > tolerance:
            keep[worst_at] = True
            stack.append((first, worst_at))
            stack.append((worst_at, last))
    return [p for p, k in zip(points, keep) if k]


def topology(path, tolerance):
    """The arcs of a quantized TopoJSON file in lon/lat, each simplified once, and its objects."""
    with open(path, encoding="utf-8") as f:
        topo = json.load(f)
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(simplified(points, tolerance))
    return arcs, topo["objects"]


def arc_points(arcs, index):
    # A negative index is the one's complement of an arc walked backwards.
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def ring_points(arcs, ring):
    points = []
    for index in ring:
        part = arc_points(arcs, index)
        # Consecutive arcs share their joining point.
        points.extend(part[1:] if points else part)
    return points


def unwrapped(points):
    """A ring made continuous across the antimeridian: world-atlas's merged land joins the two
    halves of Chukotka and Fiji across it, and Antarctica's ring runs once around the pole.

    Longitudes jump by 360 where the ring crosses, so a crossing ring runs past 180°; one that
    circles a pole instead is closed through it.
    """
    out = [points[0]]
    shift = 0.0
    for (lon0, _), (lon, lat) in zip(points, points[1:]):
        if lon - lon0 > 180:
            shift -= 360
        elif lon0 - lon > 180:
            shift += 360
        out.append((lon + shift, lat))
    if shift:
        pole = -90.0 if sum(lat for _, lat in points) < 0 else 90.0
        out += [(out[-1][0], pole), (out[0][0], pole), out[0]]
    return out


def clipped(ring, keep_west, meridian):
    """Sutherland–Hodgman: the part of a closed ring west (or east) of a meridian, closed along it."""
    def inside(p):
        return p[0] <= meridian if keep_west else p[0] >= meridian

    def crossing(a, b):
        t = (meridian - a[0]) / (b[0] - a[0])
        return (meridian, a[1] + t * (b[1] - a[1]))

    out = []
    for a, b in zip(ring, ring[1:]):
        if inside(b):
            if not inside(a):
                out.append(crossing(a, b))
            out.append(b)
        elif inside(a):
            out.append(crossing(a, b))
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def world_polygons(rings):
    """A polygon's rings unwrapped, and a polygon that runs past ±180° cut there, its far part
    moved 360° back, so each end of the world shows its own piece."""
    rings = [unwrapped(r) for r in rings]
    lons = [lon for lon, _ in rings[0]]
    if max(lons) <= 180 and min(lons) >= -180:
        return [rings]
    meridian, offset = (180.0, -360.0) if max(lons) > 180 else (-180.0, 360.0)
    near = [clipped(r, meridian > 0, meridian) for r in rings]
    far = [[(lon + offset, lat) for lon, lat in clipped(r, meridian < 0, meridian)] for r in rings]
    return [[r for r in part if len(r) >= 4] for part in (near, far) if len(part[0]) >= 4]


def e3(points):
    """A line packed as thousandths of a degree, deltas after the first point; None if degenerate."""
    out = []
    last = None
    for lon, lat in points:
        q = (round(lon * 1000), round(lat * 1000))
        if q == last:
            continue
        if last is None:
            out.extend(q)
        else:
            out.extend((q[0] - last[0], q[1] - last[1]))
        last = q
    return out if len(out) >= 4 else None


def world_layers(geodata, scale):
    arcs, objects = topology(os.path.join(geodata, "world", f"countries-{scale}.json"),
                             SIMPLIFY_DEGREES[scale])
    land = objects["land"]["geometries"][0]
    assert land["type"] == "MultiPolygon"
    polygons = []
    for polygon in land["arcs"]:
        for copy in world_polygons([ring_points(arcs, ring) for ring in polygon]):
            rings = [e3(ring) for ring in copy]
            rings = [r for r in rings if r is not None and len(r) >= 8]
            if rings:
                polygons.append(rings)
    # A country border is an arc two different countries share (TopoJSON's mesh with a != b).
    owners = {}
    for n, country in enumerate(objects["countries"]["geometries"]):
        def walk(x):
            if isinstance(x, int):
                owners.setdefault(x if x >= 0 else ~x, set()).add(n)
            else:
                for y in x:
                    walk(y)
        walk(country.get("arcs", []))
    borders = []
    for index in sorted(i for i, o in owners.items() if len(o) > 1):
        points = arcs[index]
        for start in range(0, len(points) - 1, LINE_PIECE - 1):
            piece = e3(points[start:start + LINE_PIECE])
            if piece is not None:
                borders.append(piece)
    zoom = [0.0, WORLD_DETAIL_ZOOM] if scale == "110m" else [WORLD_DETAIL_ZOOM, 30.0]
    # One feature per polygon, so the window can skip those out of view.
    return [
        {"id": f"world_land_{scale}", "kind": "fill", "historical": False, "zoom": zoom,
         "features": [{"name": None, "rings_e3": p} for p in polygons]},
        {"id": f"world_borders_{scale}", "kind": "line", "historical": False, "zoom": zoom,
         "features": [{"name": None, "lines_e3": borders}]},
    ]


def countries(geodata):
    """Each country's outline at 1:110m with its ISO 3166 numeric code and name, in degrees (not
    drawn): enough to tell a row whose point lies far outside the country it states."""
    arcs, objects = topology(os.path.join(geodata, "world", "countries-110m.json"),
                             SIMPLIFY_DEGREES["110m"])
    out = []
    for country in objects["countries"]["geometries"]:
        shapes = {"Polygon": [country.get("arcs", [])],
                  "MultiPolygon": country.get("arcs", [])}.get(country["type"], [])
        polygons = []
        for polygon in shapes:
            rings = [e3(ring_points(arcs, ring)) for ring in polygon]
            rings = [r for r in rings if r is not None and len(r) >= 8]
            if rings:
                polygons.append(rings)
        if polygons:
            out.append({"iso": country.get("id"), "name": country["properties"]["name"],
                        "rings_e3": polygons})
    return sorted(out, key=lambda c: c["name"])


def build(geodata):
    layers = world_layers(geodata, "110m") + world_layers(geodata, "50m")

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
                       "the 1994 cease-fire line and the 1991 NKAO outline; world land and borders at "
                       "1:50m and 1:110m through world-atlas 2.0.2 (ISC, Michael Bostock)",
        "caucasus_box": list(CAUCASUS_BOX),
        "countries": countries(geodata),
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
