#!/usr/bin/env python3
"""Writes the ACLED-style file the README's figure section exports: 56 synthetic rows of
exchanges of fire on 12-14 September 2022 at real places on both sides of the Armenia-Azerbaijan
border, in ACLED's current 31-column layout.

The places and their coordinates are real (copied from tests/fixtures/border_places.csv, i.e.
GeoNames, CC BY 4.0); the events, their sources, notes and fatalities are invented for the
demonstration and are NOT ACLED data. Deterministic: the same file every run.

    python3 tools/acled_border_demo.py /tmp/acled-border-sep2022.csv
"""

import csv
import random
import sys

# (place, lat, lon, country, iso, admin1, district-precision row possible)
PLACES = [
    ("Sotk", 40.20007, 45.86951, "Armenia", 51, "Gegharkunik"),
    ("Kut", 40.18055, 45.89625, "Armenia", 51, "Gegharkunik"),
    ("Norabak", 40.147561, 45.852009, "Armenia", 51, "Gegharkunik"),
    ("Verin Shorzha", 40.08893, 45.83612, "Armenia", 51, "Gegharkunik"),
    ("Vardenis", 40.18329, 45.73053, "Armenia", 51, "Gegharkunik"),
    ("Jermuk", 39.84168, 45.66949, "Armenia", 51, "Vayots Dzor"),
    ("Goris", 39.51111, 46.34168, "Armenia", 51, "Syunik"),
    ("Khoznavar", 39.624187, 46.33496, "Armenia", 51, "Syunik"),
    ("Tegh", 39.55826, 46.48054, "Armenia", 51, "Syunik"),
    ("Kapan", 39.20755, 46.40576, "Armenia", 51, "Syunik"),
    ("Chakaten", 39.14728, 46.44452, "Armenia", 51, "Syunik"),
    ("Nerkin Hand", 39.04131, 46.51623, "Armenia", 51, "Syunik"),
    ("Srashen", 39.072736, 46.509687, "Armenia", 51, "Syunik"),
    ("Shurnukh", 39.38131, 46.39808, "Armenia", 51, "Syunik"),
    ("Vorotan", 39.42502, 46.37586, "Armenia", 51, "Syunik"),
    ("Kalbajar", 40.10984, 46.04446, "Azerbaijan", 31, "Kalbajar"),
    ("Yellija", 40.09474, 45.9509, "Azerbaijan", 31, "Kalbajar"),
    ("Istisu", 39.94628, 45.96062, "Azerbaijan", 31, "Kalbajar"),
    ("Alibayramli", 39.98586, 45.94366, "Azerbaijan", 31, "Kalbajar"),
    ("Yukhari Ayrim", 40.14513, 46.0007, "Azerbaijan", 31, "Kalbajar"),
    ("Zeylik", 40.02094, 45.93412, "Azerbaijan", 31, "Kalbajar"),
    ("Lachin", 39.63742, 46.54977, "Azerbaijan", 31, "Lachin"),
    ("Zabukh", 39.59115, 46.54302, "Azerbaijan", 31, "Lachin"),
    ("Sus", 39.62661, 46.51419, "Azerbaijan", 31, "Lachin"),
    ("Qubadli", 39.34441, 46.58183, "Azerbaijan", 31, "Qubadli"),
    ("Zangilan", 39.08371, 46.65988, "Azerbaijan", 31, "Zangilan"),
]

ARMENIAN_SOURCES = ["Armenpress", "news.am", "CivilNet", "Hetq"]
AZERBAIJANI_SOURCES = ["APA", "Trend", "Azertac", "Report.az"]
PRESS = ["Reuters", "OC Media", "JAMnews", "Eurasianet", "Caucasian Knot", "RFE/RL", "Interfax"]

HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp"
).split(",")


def main(out):
    rng = random.Random(2022_09_13)
    rows = []
    for n in range(56):
        place, lat, lon, country, iso, admin1 = PLACES[n % len(PLACES)]
        day = 12 + (n * 7) % 3
        district = n % 9 == 4
        kind = n % 4
        if kind == 0:
            sources = ["Armenia Ministry of Defence", "Azerbaijan Ministry of Defence"]
        elif kind == 1:
            sources = ["Azerbaijan Ministry of Defence", rng.choice(AZERBAIJANI_SOURCES)]
        elif kind == 2:
            sources = ["Armenia Ministry of Defence", rng.choice(ARMENIAN_SOURCES)]
        else:
            sources = [rng.choice(PRESS)]
        location = admin1 if district else place
        rows.append(
            {
                "event_id_cnty": f"DEMO{n + 1}",
                "event_date": f"{day} September 2022",
                "year": "2022",
                "time_precision": "1",
                "disorder_type": "Political violence",
                "event_type": "Battles",
                "sub_event_type": "Armed clash",
                "actor1": "Military Forces of Azerbaijan (2003-)",
                "inter1": "State forces",
                "actor2": "Military Forces of Armenia (2018-)",
                "inter2": "State forces",
                "interaction": "State forces-State forces",
                "iso": str(iso),
                "region": "Caucasus and Central Asia",
                "country": country,
                "admin1": admin1,
                "location": location,
                "latitude": f"{lat:.4f}",
                "longitude": f"{lon:.4f}",
                "geo_precision": "2" if district else "1",
                "source": "; ".join(sources),
                "source_scale": "National",
                "notes": (
                    f"[Synthetic demonstration row, not ACLED data.] On {day} September 2022, "
                    f"exchanges of fire were reported near {location}; "
                    f"{' and '.join(sources)} gave differing accounts of who fired first."
                ),
                "fatalities": str(rng.choice([0, 0, 0, 1, 2, 3])),
                "timestamp": "1663200000",
            }
        )
    with open(out, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=HEADER, restval="")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "acled-border-sep2022.csv")
