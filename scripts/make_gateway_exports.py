#!/usr/bin/env python3
"""Writes the demo's payment-gateway exports for October 2026 from
samples/invoices-2026-10.xlsx: Stripe's into samples/, where the demo reads them (and
make_bank_formats.py books their payouts on the bank statements), the others into
samples/gateways/:

- paypal-activity-2026-10.csv            PayPal activity download (English, dd/mm/yyyy, BOM,
                                         CRLF, every field quoted): card/PayPal payments with
                                         PayPal's fee, a customer who paid twice and got the
                                         second payment refunded, one withdrawal to the bank
                                         of everything booked until then, later payments
                                         still in the PayPal balance.
- braintree-transactions-2026-10.csv     Braintree transaction search download (mm/dd/yyyy):
                                         settled sales in two daily disbursements, a declined
                                         attempt, a duplicate sale and its credit (refund), a
                                         sale still settling at month end.
- gocardless-payments-2026-10.csv        GoCardless payments export: payments with their
- gocardless-payouts-2026-10.csv         transaction fee in two payouts, a duplicate payment
                                         refunded (amount_refunded; GoCardless deducts it
                                         from a November payout), a payment confirmed but not
                                         yet paid out; and the payouts export.
- stripe-payout-reconciliation-2026-10.csv  Stripe itemized payout reconciliation report
- stripe-payouts-2026-10.csv             (payout_reconciliation.itemized.5) with charges,
                                         Stripe's fee and a refund in two automatic payouts,
                                         and the itemized payouts report (payouts.itemized.3).

Every payout here is exactly the net of the transactions it settles. The invoices paid are
ones the demo's bank files leave unpaid (found by running the demo), so the gateway payments
close invoices that are still open. A run reads only the files directly in its inbox, so
the demo (inbox samples/) reads Stripe's exports and leaves the others to
`sluice inspect` and the tests.

Deterministic: run it again and the files come out the same.
Needs openpyxl: `pip install openpyxl && python3 scripts/make_gateway_exports.py`
"""
import openpyxl
import csv
import io
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "samples"
OUT = ROOT / "gateways"
CENT = Decimal("0.01")

rows = openpyxl.load_workbook(ROOT / "invoices-2026-10.xlsx").active.iter_rows(values_only=True)
header = [str(h) for h in next(rows)]
invoices = {
    row["Invoice No"]: row
    for row in ({h: ("" if v is None else str(v)) for h, v in zip(header, values)} for values in rows)
    if row["Invoice No"]
}

def pick(numbers):
    return [invoices[f"INV-2026-{n}"] for n in numbers]

PAYPAL = pick([1004, 1009, 1015, 1024, 1039, 1050, 1056, 1091])
BRAINTREE = pick([1093, 1104, 1107, 1110, 1120, 1124, 1128])
GOCARDLESS = pick([1137, 1159, 1164, 1166, 1170, 1187, 1199, 1214])
STRIPE = pick([1215, 1216, 1218, 1224, 1229, 1242, 1246, 1273])


def money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fee(amount, percent, fixed):
    return money(amount * Decimal(percent) / 100 + Decimal(fixed))


def email(inv):
    first, last = inv["Customer Name"].lower().split(" ", 1)
    plain = lambda s: s.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace(" ", "")
    return f"{plain(first)}.{plain(last)}@example.net"


def write_csv(name, header, rows, bom=False, crlf=False, quote_all=False, folder=OUT):
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        lineterminator="\r\n" if crlf else "\n",
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerow(header)
    for row in rows:
        assert set(row) <= set(header), set(row) - set(header)
        writer.writerow([row.get(h, "") for h in header])
    data = buffer.getvalue().encode("utf-8")
    (folder / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return len(rows)


OUT.mkdir(exist_ok=True)

# ---- PayPal activity download -----------------------------------------------------------
# The default fields of the activity download, in PayPal's order.
PAYPAL_HEADER = [
    "Date", "Time", "TimeZone", "Name", "Type", "Status", "Currency", "Gross", "Fee", "Net",
    "From Email Address", "To Email Address", "Transaction ID", "Shipping Address",
    "Address Status", "Item Title", "Item ID", "Shipping and Handling Amount",
    "Insurance Amount", "Sales Tax", "Option 1 Name", "Option 1 Value", "Option 2 Name",
    "Option 2 Value", "Reference Txn ID", "Invoice Number", "Custom Number", "Quantity",
    "Receipt ID", "Balance", "Address Line 1", "Address Line 2/District/Neighborhood",
    "Town/City", "State/Province/Region/County/Territory/Prefecture/Republic",
    "Zip/Postal Code", "Country", "Contact Phone Number", "Subject", "Note", "Country Code",
    "Balance Impact",
]
MERCHANT_EMAIL = "paypal@acme-isp.example"


def pp_amount(value):
    return f"{value:,.2f}"


paypal_rows = []
balance = Decimal("0.00")
txn = iter(range(1, 100))


def paypal_row(day, time, kind, gross, fee_, **extra):
    global balance
    net = gross - fee_
    balance += net
    row = {
        "Date": f"{day:02d}/10/2026", "Time": time, "TimeZone": "CEST" if day < 25 else "CET",
        "Type": kind, "Status": "Completed", "Currency": "EUR",
        "Gross": pp_amount(gross), "Fee": pp_amount(-fee_), "Net": pp_amount(net),
        "Transaction ID": f"7{next(txn):02d}93412KX5502{day:02d}T",
        "Balance": pp_amount(balance), "Balance Impact": "Credit" if net >= 0 else "Debit",
    }
    row.update(extra)
    paypal_rows.append(row)
    return row


def paypal_payment(inv, day, time, kind="Express Checkout Payment"):
    gross = Decimal(inv["Total"])
    return paypal_row(
        day, time, kind, gross, fee(gross, "2.49", "0.35"),
        Name=inv["Customer Name"], **{
            "From Email Address": email(inv), "To Email Address": MERCHANT_EMAIL,
            "Address Status": "Confirmed", "Item Title": "Internet access October 2026",
            "Item ID": "ISP-OCT-2026", "Quantity": "1",
            "Invoice Number": inv["Invoice No"], "Custom Number": inv["Customer No"],
            "Subject": f"Invoice {inv['Invoice No']}", "Country": "Germany",
            "Country Code": "DE",
        })


paypal_payment(PAYPAL[0], 2, "08:14:09")
paypal_payment(PAYPAL[1], 3, "19:52:41", "Subscription Payment")
paypal_payment(PAYPAL[2], 6, "07:03:55")
twice = paypal_payment(PAYPAL[2], 6, "07:04:31")
refund_gross = -Decimal(PAYPAL[2]["Total"])
paypal_row(
    8, "10:22:18", "Payment Refund", refund_gross, Decimal("0.00"),
    Name=PAYPAL[2]["Customer Name"], **{
        "From Email Address": MERCHANT_EMAIL, "To Email Address": email(PAYPAL[2]),
        "Reference Txn ID": twice["Transaction ID"],
        "Invoice Number": PAYPAL[2]["Invoice No"], "Custom Number": PAYPAL[2]["Customer No"],
        "Note": "Paid twice: second payment refunded", "Country Code": "DE",
    })
paypal_payment(PAYPAL[3], 9, "21:30:12", "Website Payment")
paypal_payment(PAYPAL[4], 12, "12:45:00")
withdrawn = balance
paypal_row(
    15, "06:00:03", "General Withdrawal", -withdrawn, Decimal("0.00"),
    **{"From Email Address": MERCHANT_EMAIL, "Name": "Bank Account"})
paypal_payment(PAYPAL[5], 20, "18:11:37")
paypal_payment(PAYPAL[6], 27, "09:09:09", "Subscription Payment")
paypal_payment(PAYPAL[7], 29, "22:40:51")
n_paypal = write_csv("paypal-activity-2026-10.csv", PAYPAL_HEADER, paypal_rows,
                     bom=True, crlf=True, quote_all=True)

# ---- Braintree transaction search download -------------------------------------------
BRAINTREE_HEADER = [
    "Transaction ID", "Subscription ID", "Transaction Type", "Transaction Status",
    "Escrow Status", "Created Datetime", "Created Timezone", "Settlement Date",
    "Disbursement Date", "Merchant Account", "Currency ISO Code", "Amount Authorized",
    "Amount Submitted For Settlement", "Service Fee", "Tax Amount", "Tax Exempt",
    "Purchase Order Number", "Order ID", "Descriptor Name", "Descriptor Phone",
    "Descriptor URL", "Refunded Transaction ID", "Payment Instrument Type", "Card Type",
    "Cardholder Name", "First Six of Credit Card", "Last Four of Credit Card",
    "Credit Card Number", "Expiration Date", "Credit Card Customer Location", "Customer ID",
    "Payment Method Token", "Credit Card Unique Identifier", "Customer First Name",
    "Customer Last Name", "Customer Company", "Customer Email", "Customer Phone",
    "Customer Fax", "Customer Website", "Billing Address ID", "Billing First Name",
    "Billing Last Name", "Billing Company", "Billing Street Address",
    "Billing Extended Address", "Billing City (Locality)", "Billing State Province (Region)",
    "Billing Postal Code", "Billing Country", "Shipping Address ID", "Shipping First Name",
    "Shipping Last Name", "Shipping Company", "Shipping Street Address",
    "Shipping Extended Address", "Shipping City (Locality)",
    "Shipping State Province (Region)", "Shipping Postal Code", "Shipping Country", "User",
    "IP Address", "Creating Using Token", "Transaction Source", "Authorization Code",
    "Processor Response Code", "Processor Response Text", "Gateway Rejection Reason",
    "Postal Code Response Code", "Street Address Response Code", "AVS Response Text",
    "CVV Response Code", "CVV Response Text", "Settlement Amount",
    "Settlement Currency ISO Code", "Settlement Currency Exchange Rate", "Fraud Detected",
    "Disputed Date", "Authorized Transaction ID", "Country of Issuance", "Issuing Bank",
    "Durbin Regulated", "Commercial", "Prepaid", "Payroll", "Healthcare",
    "Affluent Category", "Debit", "Product ID",
]
ACCOUNT = "acmeispEUR"
braintree_rows = []
bt_ids = iter(["k7m2q9xa", "p3d8w1zr", "b6n4t0ce", "x9f2h5lu", "q1v7s3mj", "e4r8y6do",
               "t2c5g9wb", "m8z1k4pf", "h5j3n7vq", "w0a6r2xs", "d7u9e1ky"])


def bt_row(inv, kind, status, created, settled=None, disbursed=None, amount=None, **extra):
    amount = Decimal(inv["Total"]) if amount is None else amount
    first, last = inv["Customer Name"].split(" ", 1)
    row = {
        "Transaction ID": next(bt_ids), "Transaction Type": kind, "Transaction Status": status,
        "Created Datetime": created, "Created Timezone": "CEST",
        "Settlement Date": settled or "", "Disbursement Date": disbursed or "",
        "Merchant Account": ACCOUNT, "Currency ISO Code": "EUR",
        "Amount Authorized": f"{amount:.2f}",
        "Amount Submitted For Settlement": f"{amount:.2f}" if status != "processor_declined" else "",
        "Order ID": inv["Invoice No"], "Descriptor Name": "ACMEISP*INTERNET",
        "Payment Instrument Type": "Credit Card", "Card Type": "Visa",
        "Cardholder Name": inv["Customer Name"], "First Six of Credit Card": "411111",
        "Last Four of Credit Card": "1111", "Expiration Date": "09/2028",
        "Credit Card Customer Location": "International", "Customer ID": inv["Customer No"],
        "Customer First Name": first, "Customer Last Name": last, "Customer Email": email(inv),
        "Transaction Source": "Recurring", "Processor Response Code": "1000",
        "Processor Response Text": "Approved", "Settlement Amount": f"{amount:.2f}",
        "Settlement Currency ISO Code": "EUR", "Settlement Currency Exchange Rate": "1",
        "Country of Issuance": "DEU", "Debit": "No", "Prepaid": "No", "Commercial": "No",
    }
    row.update(extra)
    braintree_rows.append(row)
    return row


bt_row(BRAINTREE[0], "sale", "settled", "10/02/2026 09:12:44", "10/02/2026 23:03:11", "10/05/2026")
bt_row(BRAINTREE[1], "sale", "processor_declined", "10/02/2026 09:12:51", **{
    "Processor Response Code": "2001", "Processor Response Text": "Insufficient Funds",
    "Settlement Amount": ""})
bt_row(BRAINTREE[1], "sale", "settled", "10/03/2026 14:40:02", "10/03/2026 23:02:57", "10/05/2026")
bt_row(BRAINTREE[2], "sale", "settled", "10/03/2026 16:05:33", "10/03/2026 23:02:57", "10/05/2026")
bt_row(BRAINTREE[3], "sale", "settled", "10/13/2026 08:30:19", "10/13/2026 23:04:40", "10/15/2026")
first = bt_row(BRAINTREE[4], "sale", "settled", "10/13/2026 11:47:05", "10/13/2026 23:04:40", "10/15/2026")
second = bt_row(BRAINTREE[4], "sale", "settled", "10/13/2026 11:47:52", "10/13/2026 23:04:40", "10/15/2026")
bt_row(BRAINTREE[4], "credit", "settled", "10/14/2026 10:15:00", "10/14/2026 23:01:12", "10/15/2026",
       **{"Refunded Transaction ID": second["Transaction ID"], "Transaction Source": "Control Panel"})
bt_row(BRAINTREE[5], "sale", "settled", "10/14/2026 17:21:48", "10/14/2026 23:01:12", "10/15/2026")
bt_row(BRAINTREE[6], "sale", "submitted_for_settlement", "10/31/2026 21:58:30", **{"Settlement Amount": ""})
n_braintree = write_csv("braintree-transactions-2026-10.csv", BRAINTREE_HEADER, braintree_rows)

# ---- GoCardless payments and payouts exports --------------------------------------------
GC_PAYMENTS_HEADER = [
    "id", "created_at", "charge_date", "amount", "description", "currency", "status",
    "amount_refunded", "reference", "transaction_fee", "payout_date", "app_fee",
    "links.mandate", "links.creditor", "links.customer", "links.payout",
    "links.subscription", "customers.id", "customers.created_at", "customers.email",
    "customers.given_name", "customers.family_name", "customers.company_name",
    "customers.address_line1", "customers.address_line2", "customers.address_line3",
    "customers.city", "customers.region", "customers.postal_code", "customers.country_code",
    "customers.language", "customers.swedish_identity_number", "customers.active_mandates",
    "transaction_fee_tax", "metadata.invoice_number", "metadata.customer_number",
]
GC_PAYOUTS_HEADER = [
    "id", "amount", "currency", "created_at", "reference", "status", "arrival_date",
    "transaction_fee_debit", "transaction_fee_credit", "app_fee_debit", "app_fee_credit",
    "total_payment_amount", "links.creditor_bank_account", "links.creditor",
]
CREDITOR = "CR000091ZQ8HBK"
gc_payments = []
gc_ids = iter(range(1, 100))
gc_payouts = {}


def gc_payment(inv, created, charge, status, payout=None, refunded=None):
    gross = Decimal(inv["Total"])
    fee_ = fee(gross, "1", "0.20")
    n = int(inv["Customer No"][1:])
    first, last = inv["Customer Name"].split(" ", 1)
    row = {
        "id": f"PM00{next(gc_ids):02d}7XK{n}", "created_at": created, "charge_date": charge,
        "amount": f"{gross:.2f}", "description": f"Internet October 2026 ({inv['Invoice No']})",
        "currency": "EUR", "status": status, "amount_refunded": f"{refunded or 0:.2f}",
        "reference": inv["Invoice No"], "transaction_fee": f"{fee_:.2f}",
        "app_fee": "", "links.mandate": f"MD000{n}AC", "links.creditor": CREDITOR,
        "links.customer": f"CU000{n}QP", "links.subscription": f"SB000{n}M1",
        "customers.id": f"CU000{n}QP", "customers.created_at": "2025-03-14T10:02:11.000Z",
        "customers.email": email(inv), "customers.given_name": first,
        "customers.family_name": last, "customers.city": "Berlin",
        "customers.postal_code": "10115", "customers.country_code": "DE",
        "customers.language": "de", "customers.active_mandates": "1",
        "metadata.invoice_number": inv["Invoice No"],
        "metadata.customer_number": inv["Customer No"],
    }
    if payout:
        payout_id, arrival = payout
        row["links.payout"] = payout_id
        row["payout_date"] = arrival
        gc_payouts.setdefault(payout, []).append((gross, fee_))
    gc_payments.append(row)
    return row


P1 = ("PO0000KW3F9Q2R", "2026-10-09")
P2 = ("PO0000M8D1X7TB", "2026-10-21")
gc_payment(GOCARDLESS[0], "2026-10-01T08:00:12.000Z", "2026-10-06", "paid_out", P1)
gc_payment(GOCARDLESS[1], "2026-10-01T08:00:13.000Z", "2026-10-06", "paid_out", P1)
gc_payment(GOCARDLESS[2], "2026-10-01T08:00:14.000Z", "2026-10-06", "paid_out", P1)
gc_payment(GOCARDLESS[3], "2026-10-01T08:00:15.000Z", "2026-10-07", "paid_out", P1)
# Charged twice by mistake (a one-off payment on top of the subscription): refunded on
# 28 October, to be deducted from the first payout in November.
gc_payment(GOCARDLESS[3], "2026-10-02T15:31:40.000Z", "2026-10-07", "paid_out", P1,
           refunded=Decimal(GOCARDLESS[3]["Total"]))
gc_payment(GOCARDLESS[4], "2026-10-12T08:00:09.000Z", "2026-10-19", "paid_out", P2)
gc_payment(GOCARDLESS[5], "2026-10-12T08:00:10.000Z", "2026-10-19", "paid_out", P2)
gc_payment(GOCARDLESS[6], "2026-10-12T08:00:11.000Z", "2026-10-19", "paid_out", P2)
gc_payment(GOCARDLESS[7], "2026-10-26T08:00:07.000Z", "2026-10-30", "confirmed")
n_gc = write_csv("gocardless-payments-2026-10.csv", GC_PAYMENTS_HEADER, gc_payments)
payout_rows = []
for (payout_id, arrival), parts in gc_payouts.items():
    gross = sum(g for g, _ in parts)
    fees = sum(f for _, f in parts)
    payout_rows.append({
        "id": payout_id, "amount": f"{gross - fees:.2f}", "currency": "EUR",
        "created_at": f"2026-10-{int(arrival[-2:]) - 2:02d}T11:15:02.000Z",
        "reference": f"ACMEISP-{payout_id[-6:]}", "status": "paid", "arrival_date": arrival,
        "transaction_fee_debit": f"{fees:.2f}", "transaction_fee_credit": "0.00",
        "app_fee_debit": "0.00", "app_fee_credit": "0.00",
        "total_payment_amount": f"{gross:.2f}", "links.creditor_bank_account": "BA0000Y2C4H7Z1",
        "links.creditor": CREDITOR,
    })
write_csv("gocardless-payouts-2026-10.csv", GC_PAYOUTS_HEADER, payout_rows)

# ---- Stripe itemized payout reconciliation and payouts reports -------------------------
STRIPE_HEADER = [
    "automatic_payout_id", "automatic_payout_effective_at", "balance_transaction_id",
    "created_utc", "created", "available_on_utc", "available_on", "currency", "gross", "fee",
    "net", "reporting_category", "source_id", "description", "customer_facing_amount",
    "customer_facing_currency", "customer_id", "customer_email", "customer_name",
    "charge_id", "payment_intent_id", "invoice_id", "invoice_number", "payment_method_type",
    "card_brand", "payment_metadata[customer_number]", "payment_metadata[invoice_number]",
]
STRIPE_PAYOUTS_HEADER = [
    "payout_id", "effective_at_utc", "effective_at", "currency", "gross", "fee", "net",
    "reporting_category", "description", "payout_expected_arrival_date", "payout_status",
    "payout_reversed_at_utc", "payout_reversed_at", "payout_type", "payout_description",
    "payout_destination_id", "balance_transaction_id", "trace_id", "trace_id_status",
]
stripe_rows = []
stripe_payouts = {}
st_ids = iter(range(1, 100))


def utc(local):
    # Berlin is two hours ahead of UTC in October until the 25th.
    day, time = local.split(" ")
    hour = int(time[:2]) - (2 if int(day[-2:]) < 25 else 1)
    return f"{day} {hour:02d}{time[2:]}"


def stripe_row(inv, category, created, payout, gross, fee_, charge=None):
    n = next(st_ids)
    payout_id, effective = payout
    charge = charge or f"ch_3Q{n:02d}Kd82LkqA9x0T1c"
    source = charge if category == "charge" else f"re_3Q{n:02d}Kd82LkqA9x0T1r"
    row = {
        "automatic_payout_id": payout_id, "automatic_payout_effective_at": f"{effective} 02:00:00",
        "balance_transaction_id": f"txn_3Q{n:02d}Kd82LkqA9x0T1b", "created_utc": utc(created),
        "created": created, "available_on_utc": f"{effective} 00:00:00",
        "available_on": f"{effective} 02:00:00", "currency": "eur", "gross": f"{gross:.2f}",
        "fee": f"{fee_:.2f}", "net": f"{gross - fee_:.2f}", "reporting_category": category,
        "source_id": source,
        "description": f"Invoice {inv['Invoice No']}" if category == "charge" else "Duplicate payment",
        "customer_facing_amount": f"{gross:.2f}", "customer_facing_currency": "eur",
        "customer_id": f"cus_Q{inv['Customer No']}xR", "customer_email": email(inv),
        "customer_name": inv["Customer Name"], "charge_id": charge,
        "payment_intent_id": f"pi_3Q{n:02d}Kd82LkqA9x0T1p", "payment_method_type": "card",
        "card_brand": "mastercard", "payment_metadata[customer_number]": inv["Customer No"],
        "payment_metadata[invoice_number]": inv["Invoice No"],
    }
    stripe_rows.append(row)
    stripe_payouts.setdefault(payout, []).append(gross - fee_)
    return row


def stripe_charge(inv, created, payout):
    gross = Decimal(inv["Total"])
    return stripe_row(inv, "charge", created, payout, gross, fee(gross, "1.5", "0.25"))


S1 = ("po_1Q7ab2Kd82LkqA9xJt4Wd0Ex", "2026-10-09")
S2 = ("po_1Q9cd4Kd82LkqA9xLm2Rf8Nz", "2026-10-23")
stripe_charge(STRIPE[0], "2026-10-02 10:15:31", S1)
stripe_charge(STRIPE[1], "2026-10-03 18:02:07", S1)
paid_twice = stripe_charge(STRIPE[2], "2026-10-05 09:44:18", S1)
stripe_charge(STRIPE[2], "2026-10-05 09:45:02", S1)
stripe_charge(STRIPE[3], "2026-10-06 20:30:45", S1)
stripe_row(STRIPE[2], "refund", "2026-10-14 11:20:00", S2, -Decimal(STRIPE[2]["Total"]),
           Decimal("0.00"), charge=stripe_rows[-2]["charge_id"])
stripe_charge(STRIPE[4], "2026-10-15 07:58:12", S2)
stripe_charge(STRIPE[5], "2026-10-16 13:13:13", S2)
stripe_charge(STRIPE[6], "2026-10-19 16:49:27", S2)
stripe_charge(STRIPE[7], "2026-10-20 08:05:50", S2)
n_stripe = write_csv("stripe-payout-reconciliation-2026-10.csv", STRIPE_HEADER, stripe_rows, folder=ROOT)
stripe_payout_rows = []
for k, ((payout_id, arrival), nets) in enumerate(stripe_payouts.items()):
    total = sum(nets)
    stripe_payout_rows.append({
        "payout_id": payout_id, "effective_at_utc": f"{arrival} 00:00:00",
        "effective_at": f"{arrival} 02:00:00", "currency": "eur", "gross": f"{-total:.2f}",
        "fee": "0.00", "net": f"{-total:.2f}", "reporting_category": "payout",
        "description": "STRIPE PAYOUT", "payout_expected_arrival_date": arrival,
        "payout_status": "paid", "payout_type": "bank_account",
        "payout_description": "STRIPE PAYOUT", "payout_destination_id": "ba_1PqR7sKd82LkqA9xU2fGh6Yt",
        "balance_transaction_id": f"txn_1Q{k}PyKd82LkqA9xW0o", "trace_id": f"2026100{k + 1}STRP0042{k}",
        "trace_id_status": "supported",
    })
write_csv("stripe-payouts-2026-10.csv", STRIPE_PAYOUTS_HEADER, stripe_payout_rows, folder=ROOT)

print(f"PayPal {n_paypal} rows (withdrawal {withdrawn}), Braintree {n_braintree}, "
      f"GoCardless {n_gc} payments in {len(gc_payouts)} payouts, Stripe {n_stripe} rows in {len(stripe_payouts)} payouts")
