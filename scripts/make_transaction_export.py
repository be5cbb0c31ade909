#!/usr/bin/env python3
"""Writes samples/billing/transactions-2026-10.csv, the billing system's transaction export
(every customer's debit/credit history) for October 2026, from the demo's invoice export
samples/invoices-2026-10.xlsx. Run once, by hand; the file is checked in and the tests never
run this script or need Python.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install openpyxl
    /tmp/venv/bin/python scripts/make_transaction_export.py

What a billing system records on its customer accounts:
- a charge per invoice (debit = the invoice's total), on its issue date;
- a credit-note transaction per credit note (credit = the credit note's amount);
- a payment per invoice the billing system marks paid (credit = its total);
- a correction reversing each cancelled invoice's charge (credit = its total);
- a manual correction (a goodwill discount) on one customer's account;
- a refund (debit) of one credit note's money paid back to its customer.

The file lives in samples/billing/, which the demo's inbox (samples/) does not read, so the
demo's outbox stays the same. Deterministic: run it again and the file comes out the same.
"""

import csv
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
OUT = SAMPLES / "billing" / "transactions-2026-10.csv"
HEADER = ["ID", "Customer ID", "Date", "Type", "Debit", "Credit", "Currency",
          "Description", "Invoice", "Category"]


def money(value):
    return Decimal(str(value)).quantize(Decimal("0.01"))


def documents():
    sheet = openpyxl.load_workbook(SAMPLES / "invoices-2026-10.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))[1:]
    return [
        {
            "number": r[0],
            "customer": r[1],
            "date": r[3].date(),
            "total": money(r[5]),
            "currency": r[6],
            "status": r[7],
        }
        for r in rows
    ]


def main():
    docs = documents()
    out = []

    def add(customer, date, kind, debit, credit, currency, description, document, category):
        out.append({
            "customer": customer,
            "date": date,
            "row": [None, customer, date.isoformat(), kind,
                    f"{debit:.2f}" if debit else "",
                    f"{credit:.2f}" if credit else "",
                    currency, description, document, category],
        })

    for d in docs:
        if d["total"] < 0:
            add(d["customer"], d["date"], "Credit note", None, -d["total"], d["currency"],
                f"Credit note {d['number']}", d["number"], "Credit notes")
            continue
        add(d["customer"], d["date"], "Charge", d["total"], None, d["currency"],
            f"Internet subscription, invoice {d['number']}", d["number"], "Internet")
        if d["status"] == "paid":
            add(d["customer"], d["date"] + timedelta(days=7), "Payment", None, d["total"],
                d["currency"], f"Bank transfer for {d['number']}", d["number"], "Bank transfer")
        if d["status"] == "cancelled":
            add(d["customer"], d["date"] + timedelta(days=2), "Correction", None, d["total"],
                d["currency"], f"Invoice {d['number']} cancelled", d["number"], "Corrections")

    charged = [d for d in docs if d["total"] > 0 and d["status"] == "open"]
    goodwill = charged[4]
    add(goodwill["customer"], goodwill["date"] + timedelta(days=10), "Correction", None,
        Decimal("5.00"), goodwill["currency"], "Goodwill discount after an outage", "",
        "Corrections")
    credit_note = next(d for d in docs if d["total"] < 0)
    add(credit_note["customer"], credit_note["date"] + timedelta(days=9), "Refund",
        -credit_note["total"], None, credit_note["currency"],
        f"Credit of {credit_note['number']} paid back", credit_note["number"], "Refunds")

    out.sort(key=lambda t: (t["date"], t["customer"]))
    OUT.parent.mkdir(exist_ok=True)
    with open(OUT, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        for i, t in enumerate(out, start=1):
            t["row"][0] = f"TX-2026-{i:05d}"
            writer.writerow(t["row"])


if __name__ == "__main__":
    main()
