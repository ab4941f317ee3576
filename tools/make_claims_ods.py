#!/usr/bin/env python3
"""Writes tests/fixtures/claims.ods, the OpenDocument claims sheet of tests/claims_workbooks.rs.

Made with odfpy (`pip install odfpy`; the ODF library pandas writes .ods with), so the fixture is
an OpenDocument spreadsheet written by a maintained ODF implementation, not by claimmap. It holds
the same rows the test writes as .xlsx: a first sheet with only a note, then "Claims" with a
title row, a blank row, the header on row 3, date cells (office:value-type="date") and text
dates, a quote with a line break, a blank row and a row with a bad date (row 10).

Run from the repository root: python3 tools/make_claims_ods.py
"""

from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableRow, TableCell
from odf.text import P

DATE = object()


def cell(value):
    if value is None:
        return TableCell()
    if isinstance(value, tuple) and value[0] is DATE:
        c = TableCell(valuetype="date", datevalue=value[1])
        c.addElement(P(text=value[1]))
        return c
    c = TableCell(valuetype="string")
    for line in str(value).split("\n"):
        c.addElement(P(text=line))
    return c


def row(values):
    r = TableRow()
    for v in values:
        r.addElement(cell(v))
    return r


def d(iso):
    return (DATE, iso)


ROWS = [
    ["Border incidents, November 2021 and February 2022 (test fixture)"],
    [],
    ["Incident", "Date", "Place", "Claimant", "Side", "Said on", "Quote", "Outlet"],
    ["sotk", d("2021-11-16"), "Sotk", "Ministry of Defence of Armenia", "Armenia", d("2021-11-16"),
     "Azerbaijani units attacked Armenian positions near Sotk.", "Armenpress"],
    ["sotk", d("2021-11-16"), "Sotk", "Ministry of Defence of Azerbaijan", "Azerbaijan", d("2021-11-16"),
     "Armenian armed forces committed a provocation\nin the direction of the Kalbajar region.", "AZERTAC"],
    ["zeylik", "10 February 2022", "Zeylik", "Ministry of Defence of Azerbaijan", "Azerbaijan", "2022-02-10",
     "Positions in Zeylik came under fire.", "Trend"],
    ["zeylik", "2022-02-10", "Zeylik", "Ministry of Defence of Armenia", "Armenia", d("2022-02-10"),
     "The Azerbaijani statement is disinformation.", "news.am"],
    [],
    ["verin-shorzha", d("2021-05-26"), "Verin Shorzha", "Foreign Ministry of Russia", "Russia (not a party)", None,
     "We call on both sides to show restraint.", "TASS"],
    ["bad", "sometime", "Sotk", "Ministry of Defence of Armenia", "Armenia", None,
     "A claim with a bad date.", None],
]


def main():
    doc = OpenDocumentSpreadsheet()
    note = Table(name="Read me")
    note.addElement(row(["Claims kept for the border incidents; the sheet Claims holds them."]))
    doc.spreadsheet.addElement(note)
    claims = Table(name="Claims")
    for values in ROWS:
        claims.addElement(row(values))
    doc.spreadsheet.addElement(claims)
    doc.save("tests/fixtures/claims.ods")


if __name__ == "__main__":
    main()
