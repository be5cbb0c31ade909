#!/usr/bin/env python3
"""Writes the demo's customer export samples/customers-2026-10.csv from the customers the
demo's invoice export samples/invoices-2026-10.xlsx bills. Run once, by hand; the file is
checked in and the tests never run this script or need Python.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install openpyxl
    /tmp/venv/bin/python scripts/make_customer_export.py

One row per customer, as a billing system exports them: id, login, name, email, phone,
address, partner (reseller), status, IBAN, SEPA mandate and its signature date, VAT id.
IBANs and mandates are the ones the demo's pain.008 (and, where its IBAN is a valid one, the
bank CSV) uses for the same customer, so the export agrees with the payments; the others get
an IBAN made up from their number (valid check digits, a bank code no real bank uses). Every tenth customer came
through a reseller (`Reseller North` or `Reseller South`); the demo pipeline does not list
them in `partners_ignore`, so its outbox is the same with or without this file. A handful of
business customers have a VAT id.

Deterministic: run it again and the file comes out the same.
"""

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.08"}
STREETS = ["Hauptstraße", "Bahnhofstraße", "Gartenweg", "Lindenallee", "Schulstraße"]
CITIES = [("10115", "Berlin"), ("20095", "Hamburg"), ("50667", "Köln"), ("80331", "München")]


def iban_check(country, bban):
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def customers_billed():
    sheet = openpyxl.load_workbook(SAMPLES / "invoices-2026-10.xlsx").active
    customers = {}
    for row in list(sheet.iter_rows(values_only=True))[1:]:
        customers.setdefault(row[1], row[2])
    return customers


def valid(iban):
    return iban_check(iban[:2], iban[4:]) == iban


def ibans_from_bank_csv():
    """Customer number → IBAN, where the remittance text names the customer number and the
    IBAN holds its check digits (the bank sample's made-up IBANs mostly do not)."""
    found = {}
    with open(SAMPLES / "bank-2026-10.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for word in row["Remittance Information"].split():
                if word.startswith("C1") and valid(row["Counterparty IBAN"]):
                    found.setdefault(word, row["Counterparty IBAN"])
    return found


def mandates_from_pain008():
    """Customer number → (IBAN, mandate id, signature date)."""
    tree = ET.parse(SAMPLES / "pain008-2026-10.xml")
    found = {}
    for tx in tree.getroot().iter(f"{{{NS['p']}}}DrctDbtTxInf"):
        mandate = tx.find("p:DrctDbtTx/p:MndtRltdInf/p:MndtId", NS).text
        signed = tx.find("p:DrctDbtTx/p:MndtRltdInf/p:DtOfSgntr", NS).text
        iban = tx.find("p:DbtrAcct/p:Id/p:IBAN", NS).text
        found[mandate.removeprefix("MNDT-")] = (iban, mandate, signed)
    return found


def main():
    billed = customers_billed()
    bank = ibans_from_bank_csv()
    mandates = mandates_from_pain008()
    out = SAMPLES / "customers-2026-10.csv"
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([
            "Customer No", "Login", "Name", "Email", "Phone", "Street", "City", "ZIP",
            "Country", "Partner", "Status", "IBAN", "Mandate ID", "Mandate Signed", "VAT ID",
        ])
        for n, (number, name) in enumerate(sorted(billed.items())):
            first, _, last = name.partition(" ")
            login = f"{first[0]}{last}".lower().replace("ü", "ue").replace("ö", "oe")
            iban, mandate, signed = mandates.get(number, ("", "", ""))
            iban = iban or bank.get(number) or iban_check("DE", f"99999999{number[1:]:0>10}")
            zip_code, city = CITIES[n % len(CITIES)]
            partner = ""
            if n % 10 == 7:
                partner = "Reseller North" if n % 20 == 7 else "Reseller South"
            w.writerow([
                number,
                login,
                name,
                f"{login}@example.net",
                f"+49 30 {5550000 + n}",
                f"{STREETS[n % len(STREETS)]} {n % 90 + 1}",
                city,
                zip_code,
                "DE",
                partner,
                "suspended" if n % 50 == 49 else "active",
                iban,
                mandate,
                signed,
                f"DE{100000000 + n * 7919}" if n % 25 == 3 else "",
            ])
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
