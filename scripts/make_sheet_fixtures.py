#!/usr/bin/env python3
"""Writes the spreadsheet fixtures under tests/fixtures/sheets/ and the demo's invoice
export samples/invoices-2026-10.xlsx. Run once, by hand; the files are checked in and the
tests never run this script or need Python.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install openpyxl xlwt odfpy
    /tmp/venv/bin/python scripts/make_sheet_fixtures.py

The same invoice table is written as XLSX (openpyxl), XLS (xlwt), ODS (odfpy) and CSV, each
value in the kind of cell a billing system's export really uses: dates as date cells, as
timestamps, as bare serial numbers and as text; amounts as numbers and as text with a
currency symbol; a merged title row, a totals row, blank trailing rows.
"""

import csv
import datetime as dt
import io
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P
from openpyxl.utils.datetime import CALENDAR_MAC_1904

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "sheets"
FIXED = dt.datetime(2026, 11, 1, 2, 0, 0)


class Date(dt.date):
    """A date cell."""


class Stamp(dt.datetime):
    """A date-and-time cell."""


class Serial(float):
    """A bare number (General format) that a date column reads as a serial date."""


class Time(dt.time):
    """A time-of-day cell."""


class Error(str):
    """An error cell such as #N/A."""


TITLE = "Invoice export — October 2026"
INVOICE_HEADER = [
    "Invoice No",
    "Customer No",
    "Customer Name",
    "Invoice Date",
    "Due Date",
    "Total",
    "Currency",
    "Status",
]

# Sheet rows from row 4 on (title in row 1, row 2 blank, header in row 3).
INVOICE_ROWS = [
    ["INV-2026-1001", 10001, "Jonas Schulz", Date(2026, 10, 1), Date(2026, 10, 15), 49.9, "EUR", "open"],
    ["INV-2026-1002", 10002, "Ben Hoffmann", Stamp(2026, 10, 1, 14, 30), Date(2026, 10, 15), 1234.56, "EUR", "open"],
    ["INV-2026-1003", 10003, "Vera Becker", Serial(46296), Serial(46310), 0.1, "EUR", "paid"],
    ["INV-2026-1004", 10004, "Tina Novak", "2026-10-02", "2026-10-16", "€1,234.56", "EUR", "open"],
    ["CN-2026-0001", 10005, "Hannes Weber", Date(2026, 10, 5), None, -19.9, "EUR", "open"],
    ["INV-2026-1005", 10006, "Müller & Söhne GmbH", Date(2026, 10, 1), Date(2026, 10, 15), "$ 12.00", "USD", "open"],
    ["INV-2026-1006", 10007, "Ida Braun", Date(2026, 10, 1), Date(2026, 10, 15), 99999999999.99, "EUR", "cancelled"],
    ["INV-2026-1007", 10008, "Piotr Novak", Date(2026, 10, 1), Date(2026, 10, 15), 0.3, "EUR", "open"],
]
TOTALS = ["Total", None, None, None, None, 100000001383.3, None, None]
BLANK = [" "] * 8

# The same table as the CSV of a billing system would write it.
CSV_ROWS = [
    ["INV-2026-1001", "10001", "Jonas Schulz", "2026-10-01", "2026-10-15", "49.90", "EUR", "open"],
    ["INV-2026-1002", "10002", "Ben Hoffmann", "2026-10-01", "2026-10-15", "1,234.56", "EUR", "open"],
    ["INV-2026-1003", "10003", "Vera Becker", "2026-10-01", "2026-10-15", "0.10", "EUR", "paid"],
    ["INV-2026-1004", "10004", "Tina Novak", "2026-10-02", "2026-10-16", "€1,234.56", "EUR", "open"],
    ["CN-2026-0001", "10005", "Hannes Weber", "2026-10-05", "", "-19.90", "EUR", "open"],
    ["INV-2026-1005", "10006", "Müller & Söhne GmbH", "2026-10-01", "2026-10-15", "$ 12.00", "USD", "open"],
    ["INV-2026-1006", "10007", "Ida Braun", "2026-10-01", "2026-10-15", "99,999,999,999.99", "EUR", "cancelled"],
    ["INV-2026-1007", "10008", "Piotr Novak", "2026-10-01", "2026-10-15", "0.30", "EUR", "open"],
]

SUMMARY = [["Billing export, October 2026"], ["The invoices are on the next sheet."]]


def invoice_sheet():
    """Rows of the "Invoices" sheet, and its merged areas as (row, col, last_row, last_col)."""
    rows = [[TITLE] + [None] * 7, [None] * 8, INVOICE_HEADER] + INVOICE_ROWS + [TOTALS, BLANK, BLANK]
    return rows, [(0, 0, 0, 7)]


# --- XLSX -------------------------------------------------------------------------------

def xlsx_value(cell, value):
    if isinstance(value, Error):
        cell.value = str(value)
        cell.data_type = "e"
    elif isinstance(value, Stamp):
        cell.value = dt.datetime(value.year, value.month, value.day, value.hour, value.minute)
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, Date):
        cell.value = dt.date(value.year, value.month, value.day)
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, Time):
        cell.value = dt.time(value.hour, value.minute)
        cell.number_format = "hh:mm"
    elif isinstance(value, Serial):
        cell.value = float(value)
        cell.number_format = "General"
    else:
        cell.value = value


def write_xlsx(path, sheets, epoch_1904=False):
    wb = openpyxl.Workbook()
    if epoch_1904:
        wb.epoch = CALENDAR_MAC_1904
    wb.remove(wb.active)
    for name, rows, merges in sheets:
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    xlsx_value(ws.cell(row=r, column=c), value)
        for r0, c0, r1, c1 in merges:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.properties.creator = "sluice fixtures"
    wb.save(path)


def patch_xlsx(path, member, old, new):
    """Replaces one piece of XML inside a saved workbook (exactly once)."""
    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            if info.filename == member:
                text = data.decode("utf-8")
                assert text.count(old) == 1, f"{old} not once in {member}"
                data = text.replace(old, new).encode("utf-8")
            z.writestr(info, data)


# --- XLS --------------------------------------------------------------------------------

def write_xls(path, sheets):
    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    stamp_style = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM")
    for name, rows, merges in sheets:
        ws = wb.add_sheet(name)
        covered = set()
        for r0, c0, r1, c1 in merges:
            ws.write_merge(r0, r1, c0, c1, rows[r0][c0])
            covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or (r, c) in covered:
                    continue
                if isinstance(value, Stamp):
                    ws.write(r, c, dt.datetime(value.year, value.month, value.day, value.hour, value.minute), stamp_style)
                elif isinstance(value, Date):
                    ws.write(r, c, dt.date(value.year, value.month, value.day), date_style)
                elif isinstance(value, Serial):
                    ws.write(r, c, float(value))
                else:
                    ws.write(r, c, value)
    wb.save(str(path))


# --- ODS --------------------------------------------------------------------------------

def ods_cell(value, span=None):
    kwargs = {}
    if span:
        rows, cols = span
        if cols > 1:
            kwargs["numbercolumnsspanned"] = cols
        if rows > 1:
            kwargs["numberrowsspanned"] = rows
    if value is None:
        return TableCell(**kwargs)
    if isinstance(value, Stamp):
        cell = TableCell(valuetype="date", datevalue=value.strftime("%Y-%m-%dT%H:%M:%S"), **kwargs)
        cell.addElement(P(text=value.strftime("%Y-%m-%d %H:%M")))
    elif isinstance(value, Date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat(), **kwargs)
        cell.addElement(P(text=value.isoformat()))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        cell = TableCell(valuetype="float", value=repr(float(value)), **kwargs)
        cell.addElement(P(text=str(value)))
    else:
        cell = TableCell(valuetype="string", **kwargs)
        cell.addElement(P(text=str(value)))
    return cell


def write_ods(path, sheets):
    doc = OpenDocumentSpreadsheet()
    for name, rows, merges in sheets:
        table = Table(name=name)
        starts = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in merges}
        covered = {
            (r, c)
            for r0, c0, r1, c1 in merges
            for r in range(r0, r1 + 1)
            for c in range(c0, c1 + 1)
            if (r, c) != (r0, c0)
        }
        for r, row in enumerate(rows):
            tr = TableRow()
            for c, value in enumerate(row):
                if (r, c) in covered:
                    tr.addElement(CoveredTableCell())
                else:
                    tr.addElement(ods_cell(value, starts.get((r, c))))
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))


# --- the fixtures -----------------------------------------------------------------------

def invoices():
    rows, merges = invoice_sheet()
    sheets = [("Summary", SUMMARY, []), ("Invoices", rows, merges)]
    write_xlsx(OUT / "invoices.xlsx", sheets)
    write_xls(OUT / "invoices.xls", sheets)
    write_ods(OUT / "invoices.ods", sheets)
    with open(OUT / "invoices.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([TITLE] + [""] * 7)
        w.writerow([""] * 8)
        w.writerow(INVOICE_HEADER)
        w.writerows(CSV_ROWS)
        w.writerow(["Total", "", "", "", "", "100,000,001,383.30", "", ""])
        w.writerow([" "] * 8)
        w.writerow([" "] * 8)


def merged_header():
    # One header row: "Amount" merged over the amount and its currency.
    one = [
        ["Booking Date", "Amount", None, "Text"],
        [Date(2026, 10, 1), 49.9, "EUR", "INV-2026-1001"],
        [Date(2026, 10, 2), -4.5, "EUR", "fees"],
    ]
    # Two header rows: "Date" and "Text" merged down, "Amount" across "Value" and "Currency".
    two = [
        ["Date", "Amount", None, "Text"],
        [None, "Value", "Currency", None],
        [Date(2026, 10, 1), 49.9, "EUR", "INV-2026-1001"],
        [Date(2026, 10, 2), -4.5, "EUR", "fees"],
    ]
    sheets = [
        ("Statement", one, [(0, 1, 0, 2)]),
        ("Two header rows", two, [(0, 0, 1, 0), (0, 1, 0, 2), (0, 3, 1, 3)]),
    ]
    write_xlsx(OUT / "merged-header.xlsx", sheets)
    write_xls(OUT / "merged-header.xls", sheets)
    write_ods(OUT / "merged-header.ods", sheets)


def bank_statement():
    header = ["Buchungstag", "Valuta", "Auftraggeber/Empfänger", "IBAN", "Verwendungszweck", "Soll", "Haben", "Währung"]
    rows = [
        ["Kontoauszug Oktober 2026", None, None, None, None, None, None, None],
        header,
        [Stamp(2026, 10, 1, 9, 15), Serial(46296), "Ada Lovelace", "DE02100100100006820101", "INV-2026-1001", None, 49.9, "EUR"],
        [Stamp(2026, 10, 2, 0, 0), Serial(46297), "Stadtwerke", "DE02100100100006820102", "Strom Oktober", "1.234,56 €", None, "EUR"],
        [Date(2026, 10, 3), Serial(46298.5), "Demo Bank", None, "Gebühren", -4.5, None, "EUR"],
        [Date(2026, 10, 4), None, "Ben", None, "Abo", None, "EUR 12,00", "EUR"],
        ["Summe", None, None, None, None, 1239.06, 61.9, None],
        [None] * 8,
    ]
    write_xlsx(OUT / "bank-statement.xlsx", [("Umsätze", rows, [])])


def dates_1904():
    rows = [
        INVOICE_HEADER,
        ["INV-2026-2001", "C1", "Ada", Date(2026, 10, 1), Serial(46310 - 1462), 10.0, "EUR", "open"],
        ["INV-2026-2002", "C2", "Alan", Stamp(2026, 10, 2, 23, 59), Date(2026, 10, 16), 20.0, "EUR", "open"],
    ]
    write_xlsx(OUT / "dates-1904.xlsx", [("Invoices", rows, [])], epoch_1904=True)


def refusals():
    def sheet(name, row):
        return (name, [INVOICE_HEADER, ["INV-2026-3001", "C1", "Ada", Date(2026, 10, 1), Date(2026, 10, 15), 10.0, "EUR", "open"], row], [])

    base = ["INV-2026-3002", "C2", "Alan", Date(2026, 10, 1), Date(2026, 10, 15), 20.0, "EUR", "open"]

    def with_(col, value):
        row = list(base)
        row[col] = value
        return row

    sheets = [
        sheet("Error cell", with_(5, Error("#N/A"))),
        sheet("Formula noise", with_(5, 0.1 + 0.2)),
        sheet("Serial out of range", with_(3, Serial(12))),
        sheet("Time as date", with_(3, Time(14, 30))),
        sheet("Date as amount", with_(5, Date(2026, 10, 1))),
        sheet("Symbol contradicts", with_(5, "$ 20.00")),
        sheet("Error in date", with_(4, Error("#VALUE!"))),
        sheet("Error in name", with_(2, Error("#REF!"))),
        sheet("Flag as amount", with_(5, True)),
    ]
    write_xlsx(OUT / "refusals.xlsx", sheets)
    # openpyxl shortens floats to 15 significant digits; Excel writes a formula's result
    # in full, binary noise included, as `=0.1+0.2` gives it.
    patch_xlsx(
        OUT / "refusals.xlsx",
        "xl/worksheets/sheet2.xml",
        '<c r="F3" t="n"><v>0.3</v></c>',
        '<c r="F3" t="n"><f>0.1+0.2</f><v>0.30000000000000004</v></c>',
    )
    rows = [INVOICE_HEADER, ["INV-2026-3001", "C1", "Ada", Date(2026, 10, 1), Date(2026, 10, 15), "#N/A", "EUR", "open"]]
    write_ods(OUT / "error-cell.ods", [("Invoices", rows, [])])


def not_a_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        info = zipfile.ZipInfo("invoices.csv", date_time=(2026, 11, 1, 2, 0, 0))
        z.writestr(info, "Invoice No,Total\nINV-1,1.00\n")
    (OUT / "zipped-csv.xlsx").write_bytes(buf.getvalue())


# The commit whose samples/invoices-2026-10.csv the demo's workbook replaces.
DEMO_CSV_COMMIT = "ab2d5e7"


def demo_invoices():
    """The demo's invoice export, from the CSV it replaces: the same rows, typed cells."""
    text = subprocess.run(
        ["git", "show", f"{DEMO_CSV_COMMIT}:samples/invoices-2026-10.csv"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8")
    records = list(csv.reader(io.StringIO(text, newline="")))
    header, data = records[0], records[1:]
    rows = [header]
    for number, customer, name, issued, due, total, currency, status in data:
        rows.append([
            number,
            customer,
            name,
            Date.fromisoformat(issued),
            Date.fromisoformat(due) if due else None,
            float(total),
            currency,
            status,
        ])
    write_xlsx(ROOT / "samples" / "invoices-2026-10.xlsx", [("Invoices", rows, [])])


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    invoices()
    merged_header()
    bank_statement()
    dates_1904()
    refusals()
    not_a_workbook()
    demo_invoices()
