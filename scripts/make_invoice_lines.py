#!/usr/bin/env python3
"""Writes samples/billing/invoice-lines-2026-10.csv: a billing system's line-level invoice
export for October 2026, one row per invoice line, the document's fields repeated on every
line (as billing systems export it), prices net of VAT:

- monthly services (fibre plans, router rental, static IPs) at 19 % VAT, with their period;
- a loyalty discount line (negative unit price, category "discount");
- a one-time installation fee and a prorated first month (quantity 0.5);
- a magazine subscription at the reduced 7 % rate beside a 19 % service;
- a credit note (negative quantity) for an outage, at 19 %;
- a deleted invoice (Deleted = 1), lines and all;
- an invoice without lines: its line columns empty, total 0.00.

VAT is computed per line and rounded half up to the cent; Invoice Total is the lines' net
plus their VAT. Not in pipelines/demo.toml: the demo reads only the files directly in
samples/. Deterministic, standard library only: `python3 scripts/make_invoice_lines.py`
"""
import csv
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "samples" / "billing" / "invoice-lines-2026-10.csv"

HEADER = [
    "Invoice No", "Customer No", "Customer Name", "Invoice Date", "Due Date", "Currency",
    "Status", "Deleted", "Item", "Qty", "Unit Price", "VAT %", "VAT", "Line Total",
    "Category", "Period From", "Period To", "Invoice Total",
]

OCT = ("2026-10-01", "2026-10-31")
NOV = ("2026-11-01", "2026-11-30")

# (number, customer, name, issue, due, status, deleted, [(item, qty, unit, rate, category, period)])
DOCUMENTS = [
    ("INV-2026-2001", "C10001", "Ada Lovelace", "2026-10-01", "2026-10-15", "paid", False, [
        ("Fibre 100 (monthly)", "1", "34.90", "19", "service", OCT),
        ("Router rental", "1", "4.99", "19", "service", OCT),
    ]),
    ("INV-2026-2002", "C10002", "Grace Hopper", "2026-10-01", "2026-10-15", "open", False, [
        ("Fibre 250 (monthly)", "1", "49.90", "19", "service", OCT),
        ("Loyalty discount 10 %", "1", "-4.99", "19", "discount", OCT),
    ]),
    ("INV-2026-2003", "C10003", "Alan Turing", "2026-10-16", "2026-10-30", "open", False, [
        ("Installation fee", "1", "69.00", "19", "one-time", None),
        ("Fibre 100 (16-31 Oct, prorated)", "0.5", "34.90", "19", "service", ("2026-10-16", "2026-10-31")),
        ("Router rental", "1", "4.99", "19", "service", NOV),
    ]),
    ("INV-2026-2004", "C10004", "Katherine Johnson", "2026-10-01", "2026-10-15", "open", False, [
        ("Fibre 50 (monthly)", "1", "24.90", "19", "service", OCT),
        ("Static IPv4 address", "2", "5.00", "19", "service", OCT),
        ("Tech Monthly magazine", "1", "9.90", "7", "subscription", OCT),
    ]),
    ("CN-2026-0007", "C10002", "Grace Hopper", "2026-10-20", None, "open", False, [
        ("Credit: outage 3-5 Oct", "-1", "4.99", "19", "credit", ("2026-10-03", "2026-10-05")),
    ]),
    ("INV-2026-2005", "C10005", "Edsger Dijkstra", "2026-10-01", "2026-10-15", "cancelled", True, [
        ("Fibre 100 (monthly)", "1", "34.90", "19", "service", OCT),
    ]),
    ("INV-2026-2006", "C10006", "Barbara Liskov", "2026-10-01", "2026-10-15", "open", False, []),
    ("INV-2026-2007", "C10007", "Donald Knuth", "2026-10-01", "2026-10-15", "open", False, [
        ("Fibre 1000 (monthly)", "1", "79.90", "19", "service", OCT),
        ("Mesh Wi-Fi extender", "3", "2.50", "19", "service", OCT),
        ("Late payment fee", "1", "5.00", "0", "one-time", None),
    ]),
]

CENT = Decimal("0.01")


def money(value):
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def main():
    OUT.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    for number, customer, name, issue, due, status, deleted, lines in DOCUMENTS:
        figures = []
        for item, qty, unit, rate, category, period in lines:
            net = (Decimal(qty) * Decimal(unit)).quantize(CENT, rounding=ROUND_HALF_UP)
            vat = (net * Decimal(rate) / 100).quantize(CENT, rounding=ROUND_HALF_UP)
            figures.append((item, qty, unit, rate, vat, net, category, period))
        total = sum((net + vat for *_, vat, net, _, _ in figures), Decimal("0"))
        head = [number, customer, name, issue, due or "", "EUR", status, "1" if deleted else "0"]
        if not figures:
            rows.append(head + [""] * 9 + [money(total)])
        for item, qty, unit, rate, vat, net, category, period in figures:
            start, end = period or ("", "")
            rows.append(head + [item, qty, unit, rate, money(vat), money(net), category, start, end, money(total)])
    with OUT.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)


if __name__ == "__main__":
    main()
