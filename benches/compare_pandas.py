#!/usr/bin/env python3
"""The pandas baseline for claimmap-bench: read an ACLED CSV with pandas, keep one month of it,
and (where geopandas and matplotlib are installed) draw that month to a 1920x1080 PNG.

    python3 benches/compare_pandas.py FILE [--from 2021-05-01 --to 2021-05-31] [--png OUT.png]

Install `pip install pandas pyarrow`: without pyarrow, pandas 3 keeps strings as Python objects
and read_csv is 15-20x slower (118 s instead of 6 s on the million-row file), no fair baseline.

Prints one JSON line: read_s, filter_s, total_s (read + filter), rows, window_rows,
peak_rss_mb (ru_maxrss, 10^6 bytes), and render_1080p_s or why it was not measured.
"""

import argparse
import json
import resource
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--from", dest="date_from", default="2021-05-01")
    parser.add_argument("--to", dest="date_to", default="2021-05-31")
    parser.add_argument("--png", default=None, help="where to write the rendered window")
    args = parser.parse_args()

    try:
        import pandas as pd
    except ImportError:
        print(json.dumps({"error": "pandas is not installed (pip install pandas)"}))
        return 1

    started = time.perf_counter()
    frame = pd.read_csv(args.file, low_memory=False)
    read_s = time.perf_counter() - started

    started = time.perf_counter()
    # ACLED writes ISO dates in new exports and "26 May 2021" in older ones; "mixed" reads both.
    dates = pd.to_datetime(frame["event_date"], format="mixed", dayfirst=True, errors="coerce")
    window = frame[(dates >= pd.Timestamp(args.date_from)) & (dates <= pd.Timestamp(args.date_to))]
    filter_s = time.perf_counter() - started

    try:
        import pyarrow

        arrow = pyarrow.__version__
    except ImportError:
        arrow = None
    out = {
        "rows": int(len(frame)),
        "pyarrow": arrow,
        "window_rows": int(len(window)),
        "read_s": round(read_s, 3),
        "filter_s": round(filter_s, 3),
        "total_s": round(read_s + filter_s, 3),
        "pandas": pd.__version__,
    }

    try:
        import geopandas as gpd
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        started = time.perf_counter()
        points = gpd.GeoDataFrame(
            window,
            geometry=gpd.points_from_xy(window["longitude"], window["latitude"]),
            crs="EPSG:4326",
        )
        fig = plt.figure(figsize=(19.2, 10.8), dpi=100)
        ax = fig.add_axes((0, 0, 1, 1))
        points.plot(ax=ax, markersize=6)
        ax.set_title(f"{args.date_from} – {args.date_to}")
        fig.savefig(args.png or "/tmp/compare_pandas.png", dpi=100)
        plt.close(fig)
        out["render_1080p_s"] = round(time.perf_counter() - started, 3)
    except ImportError as e:
        out["render_1080p_s"] = None
        out["render_skipped"] = f"not installed: {e.name}"

    # Linux reports ru_maxrss in KiB.
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6, 1)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
