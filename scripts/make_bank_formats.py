#!/usr/bin/env python3
"""Writes the demo's bank-format samples for October 2026 from samples/invoices-2026-10.xlsx:

- pain008-2026-10.xml   the direct debits Acme ISP sent (pain.008.001.08): one per invoice the
                         CSV bank export does not pay, collected to the collection account;
- pain002-2026-10.xml   the bank's status report (pain.002.001.03): two collections rejected;
- camt053-2026-10.xml   the collection account's statements (camt.053.001.08), numbers 41
                         and 42: the batch booked itemised, then a return and a sweep;
- mt940-2026-10.sta     a second bank's MT940 (German :86: sub-fields), statements 10 and
                         11: the two rejected customers paying by transfer, and the sweep.

Deterministic: run it again and the files come out the same. Needs openpyxl:
`pip install openpyxl && python3 scripts/make_bank_formats.py`
"""
from decimal import Decimal
from pathlib import Path

import csv
import openpyxl

HERE = Path(__file__).resolve().parent.parent / "samples"
COLLECTION_ACCOUNT = "DE77100100100123456789"
SECOND_BANK = "DE89370502990000123456"
CREDITOR_ID = "DE98ZZZ09999999999"
BLOCK = "ACME-DD-2026-10-RCUR"
MESSAGE = "ACME-DD-2026-10"


def iban(n: int) -> str:
    bban = "50010517%010d" % (5000000 + n)
    digits = "".join(str(int(c, 36)) for c in bban + "DE00")
    return "DE%02d%s" % (98 - int(digits) % 97, bban)


def as_text(value):
    """A cell as the invoice CSV export wrote it: totals with two decimals."""
    if isinstance(value, float):
        return format(Decimal(str(value)), ".2f")
    return "" if value is None else str(value)


rows = openpyxl.load_workbook(HERE / "invoices-2026-10.xlsx").active.iter_rows(values_only=True)
header = next(rows)
invoices = [dict(zip(header, map(as_text, row))) for row in rows]
# The invoices the bank CSV never pays (the generator of the CSV pays only the first 250):
# the customers who pay by direct debit.

collected = [
    i for i in invoices
    if i["Status"] == "open" and i["Invoice No"].startswith("INV")
    and i["Invoice No"] >= "INV-2026-1251"
]
rejected = {collected[3]["Invoice No"]: "AC04", collected[11]["Invoice No"]: "MD01"}
returned = collected[17]["Invoice No"]

def e2e(inv):
    return "ACME-" + inv["Invoice No"]

def amount(inv):
    return Decimal(inv["Total"])

# ---- pain.008.001.08 -------------------------------------------------------------------
total = sum(amount(i) for i in collected)
tx = []
for k, inv in enumerate(collected):
    n = int(inv["Customer No"][1:])
    tx.append(f"""      <DrctDbtTxInf>
        <PmtId><InstrId>DD-{k + 1:04d}</InstrId><EndToEndId>{e2e(inv)}</EndToEndId></PmtId>
        <InstdAmt Ccy="EUR">{inv['Total']}</InstdAmt>
        <DrctDbtTx><MndtRltdInf><MndtId>MNDT-{inv['Customer No']}</MndtId><DtOfSgntr>2025-0{1 + k % 9}-1{k % 10}</DtOfSgntr></MndtRltdInf></DrctDbtTx>
        <DbtrAgt><FinInstnId><BICFI>INGDDEFFXXX</BICFI></FinInstnId></DbtrAgt>
        <Dbtr><Nm>{inv['Customer Name']}</Nm></Dbtr>
        <DbtrAcct><Id><IBAN>{iban(n)}</IBAN></Id></DbtrAcct>
        <RmtInf><Ustrd>Invoice {inv['Invoice No']} internet October 2026</Ustrd></RmtInf>
      </DrctDbtTxInf>""")
pain008 = f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.08">
  <CstmrDrctDbtInitn>
    <GrpHdr>
      <MsgId>{MESSAGE}</MsgId>
      <CreDtTm>2026-10-09T10:00:00</CreDtTm>
      <NbOfTxs>{len(collected)}</NbOfTxs>
      <CtrlSum>{total}</CtrlSum>
      <InitgPty><Nm>Acme ISP GmbH</Nm></InitgPty>
    </GrpHdr>
    <PmtInf>
      <PmtInfId>{BLOCK}</PmtInfId>
      <PmtMtd>DD</PmtMtd>
      <BtchBookg>true</BtchBookg>
      <NbOfTxs>{len(collected)}</NbOfTxs>
      <CtrlSum>{total}</CtrlSum>
      <PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl><LclInstrm><Cd>CORE</Cd></LclInstrm><SeqTp>RCUR</SeqTp></PmtTpInf>
      <ReqdColltnDt>2026-10-15</ReqdColltnDt>
      <Cdtr><Nm>Acme ISP GmbH</Nm></Cdtr>
      <CdtrAcct><Id><IBAN>{COLLECTION_ACCOUNT}</IBAN></Id></CdtrAcct>
      <CdtrAgt><FinInstnId><BICFI>MARKDEF1100</BICFI></FinInstnId></CdtrAgt>
      <ChrgBr>SLEV</ChrgBr>
      <CdtrSchmeId><Id><PrvtId><Othr><Id>{CREDITOR_ID}</Id><SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id></CdtrSchmeId>
{chr(10).join(tx)}
    </PmtInf>
  </CstmrDrctDbtInitn>
</Document>
"""
(HERE / "pain008-2026-10.xml").write_text(pain008, encoding="utf-8")

# ---- pain.002.001.03: two collections rejected before settlement ----------------------
status = []
for k, (number, code) in enumerate(rejected.items()):
    inv = next(i for i in collected if i["Invoice No"] == number)
    status.append(f"""      <TxInfAndSts>
        <StsId>STS-{k + 1}</StsId>
        <OrgnlEndToEndId>{e2e(inv)}</OrgnlEndToEndId>
        <TxSts>RJCT</TxSts>
        <StsRsnInf><Orgtr><Id><OrgId><AnyBIC>INGDDEFFXXX</AnyBIC></OrgId></Id></Orgtr><Rsn><Cd>{code}</Cd></Rsn></StsRsnInf>
        <OrgnlTxRef><Amt><InstdAmt Ccy="EUR">{inv['Total']}</InstdAmt></Amt><ReqdColltnDt>2026-10-15</ReqdColltnDt></OrgnlTxRef>
      </TxInfAndSts>""")
pain002 = f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">
  <CstmrPmtStsRpt>
    <GrpHdr>
      <MsgId>STS-{MESSAGE}</MsgId>
      <CreDtTm>2026-10-14T07:30:00</CreDtTm>
      <DbtrAgt><FinInstnId><BIC>MARKDEF1100</BIC></FinInstnId></DbtrAgt>
    </GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>{MESSAGE}</OrgnlMsgId>
      <OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId>
      <GrpSts>PART</GrpSts>
    </OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>{BLOCK}</OrgnlPmtInfId>
      <PmtInfSts>PART</PmtInfSts>
{chr(10).join(status)}
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>
"""
(HERE / "pain002-2026-10.xml").write_text(pain002, encoding="utf-8")

# ---- camt.053.001.08 for the collection account ---------------------------------------
def bal(code, value, date):
    side = "DBIT" if value < 0 else "CRDT"
    return f"""      <Bal>
        <Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">{abs(value):.2f}</Amt>
        <CdtDbtInd>{side}</CdtDbtInd>
        <Dt><Dt>{date}</Dt></Dt>
      </Bal>"""

def entry(value, date, ref, code, details, status="BOOK"):
    side = "DBIT" if value < 0 else "CRDT"
    return f"""      <Ntry>
        <NtryRef>{ref}</NtryRef>
        <Amt Ccy="EUR">{abs(value):.2f}</Amt>
        <CdtDbtInd>{side}</CdtDbtInd>
        <Sts><Cd>{status}</Cd></Sts>
        <BookgDt><Dt>{date}</Dt></BookgDt>
        <ValDt><Dt>{date}</Dt></ValDt>
        <AcctSvcrRef>{ref}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{code[0]}</Cd><SubFmlyCd>{code[1]}</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
{details}
        </NtryDtls>
      </Ntry>"""

def txdtls(inv, value, extra=""):
    n = int(inv["Customer No"][1:])
    return f"""          <TxDtls>
            <Refs><EndToEndId>{e2e(inv)}</EndToEndId><MndtId>MNDT-{inv['Customer No']}</MndtId></Refs>
            <Amt Ccy="EUR">{abs(value):.2f}</Amt>
            <CdtDbtInd>{'DBIT' if value < 0 else 'CRDT'}</CdtDbtInd>
            <RltdPties>
              <Dbtr><Pty><Nm>{inv['Customer Name']}</Nm></Pty></Dbtr>
              <DbtrAcct><Id><IBAN>{iban(n)}</IBAN></Id></DbtrAcct>
              <Cdtr><Pty><Nm>Acme ISP GmbH</Nm></Pty></Cdtr>
              <CdtrAcct><Id><IBAN>{COLLECTION_ACCOUNT}</IBAN></Id></CdtrAcct>
            </RltdPties>
            <RmtInf><Ustrd>Invoice {inv['Invoice No']} internet October 2026</Ustrd></RmtInf>{extra}
          </TxDtls>"""

booked = [i for i in collected if i["Invoice No"] not in rejected]
batch_sum = sum(amount(i) for i in booked)
batch = "\n".join(
    [f"          <Btch><PmtInfId>{BLOCK}</PmtInfId><NbOfTxs>{len(booked)}</NbOfTxs><TtlAmt Ccy=\"EUR\">{batch_sum}</TtlAmt><CdtDbtInd>CRDT</CdtDbtInd></Btch>"]
    + [txdtls(i, amount(i)) for i in booked]
)
opening1 = Decimal("1250.00")
fee1 = Decimal("-2.30")
closing1 = opening1 + batch_sum + fee1
ret_inv = next(i for i in collected if i["Invoice No"] == returned)
charge = Decimal("3.00")
ret_value = -(amount(ret_inv) + charge)
return_details = txdtls(
    ret_inv, ret_value,
    "\n            <RtrInf><Rsn><Cd>MD06</Cd></Rsn><AddtlInf>Refund requested by the debtor</AddtlInf></RtrInf>",
)
sweep = Decimal("-1500.00")
sweep_details = f"""          <TxDtls>
            <Refs><EndToEndId>ACME-SWEEP-2026-10</EndToEndId></Refs>
            <RltdPties>
              <Cdtr><Pty><Nm>Acme ISP GmbH</Nm></Pty></Cdtr>
              <CdtrAcct><Id><IBAN>{SECOND_BANK}</IBAN></Id></CdtrAcct>
            </RltdPties>
            <RmtInf><Ustrd>Transfer to operating account</Ustrd></RmtInf>
          </TxDtls>"""
# Stripe's payouts (samples/stripe-payouts-2026-10.csv, written by make_gateway_exports.py)
# reach the bank a few days after Stripe sends them: the first on this account's statement
# of the 15th, the second on the other bank's MT940 of the 23rd.
stripe_payouts = [
    (row["payout_id"], -Decimal(row["gross"]), row["trace_id"])
    for row in csv.DictReader(open(HERE / "stripe-payouts-2026-10.csv", encoding="utf-8"))
]
stripe1, stripe2 = stripe_payouts
stripe_details = f"""          <TxDtls>
            <RltdPties>
              <Dbtr><Pty><Nm>Stripe Technology Europe Ltd</Nm></Pty></Dbtr>
              <DbtrAcct><Id><IBAN>IE17BOFI90583812345678</IBAN></Id></DbtrAcct>
            </RltdPties>
            <RmtInf><Ustrd>STRIPE {stripe1[2]}</Ustrd></RmtInf>
          </TxDtls>"""
closing1 += stripe1[1]
closing2 = closing1 + ret_value + sweep
pending = Decimal("59.90")

def statement(seq, date, opening, closing, entries):
    return f"""    <Stmt>
      <Id>STMT-{COLLECTION_ACCOUNT[-6:]}-{seq}</Id>
      <ElctrncSeqNb>{seq}</ElctrncSeqNb>
      <CreDtTm>{date}T22:00:00</CreDtTm>
      <Acct><Id><IBAN>{COLLECTION_ACCOUNT}</IBAN></Id><Ccy>EUR</Ccy><Svcr><FinInstnId><BICFI>MARKDEF1100</BICFI></FinInstnId></Svcr></Acct>
{bal('OPBD', opening, date)}
{bal('CLBD', closing, date)}
{chr(10).join(entries)}
    </Stmt>"""

fee_details = """          <TxDtls>
            <RmtInf><Ustrd>Direct debit fees 23 x 0.10</Ustrd></RmtInf>
          </TxDtls>"""
pending_details = """          <TxDtls>
            <RmtInf><Ustrd>Pending incoming transfer</Ustrd></RmtInf>
          </TxDtls>"""
camt = f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>CAMT053-{COLLECTION_ACCOUNT[-6:]}-2026-10</MsgId><CreDtTm>2026-10-20T22:00:00</CreDtTm></GrpHdr>
{statement(41, '2026-10-15', opening1, closing1, [
    entry(batch_sum, '2026-10-15', 'MARK-20261015-0001', ('IDDT', 'ESDD'), batch),
    entry(fee1, '2026-10-15', 'MARK-20261015-0002', ('CCRD', 'CHRG'), fee_details),
    entry(stripe1[1], '2026-10-15', 'MARK-20261015-0003', ('RCDT', 'ESCT'), stripe_details),
])}
{statement(42, '2026-10-20', closing1, closing2, [
    entry(ret_value, '2026-10-20', 'MARK-20261020-0001', ('IDDT', 'UPDD'), return_details),
    entry(sweep, '2026-10-20', 'MARK-20261020-0002', ('ICDT', 'ESCT'), sweep_details),
    entry(pending, '2026-10-20', 'MARK-20261020-0003', ('RCDT', 'ESCT'), pending_details, status='PDNG'),
])}
  </BkToCstmrStmt>
</Document>
"""
(HERE / "camt053-2026-10.xml").write_text(camt, encoding="utf-8")

# ---- MT940 of the second bank -----------------------------------------------------------
def mt_amount(value):
    return f"{abs(value):.2f}".replace(".", ",")

def wrap86(code, booking_text, remittance, name, bank="MARKDEF1100", account=COLLECTION_ACCOUNT):
    # German banks cut the remittance into ?20..?29 sub-fields of 27 characters each.
    parts = [remittance[i:i + 27] for i in range(0, len(remittance), 27)]
    text = f"{code}?00{booking_text}"
    for k, part in enumerate(parts):
        text += f"?{20 + k}{part}"
    text += f"?30{bank}?31{account}?32{name[:27]}"
    lines = [text[i:i + 65] for i in range(0, len(text), 65)]
    return ":86:" + "\n".join(lines)

pay = [next(i for i in collected if i["Invoice No"] == n) for n in rejected]
mt = []
opening = Decimal("8400.00")
lines1 = [
    (Decimal(pay[0]["Total"]), "1021", "N166", f"EREF+NOTPROVIDEDSVWZ+{pay[0]['Invoice No']} October, sorry for the bank", pay[0]["Customer Name"], iban(int(pay[0]["Customer No"][1:]))),
    (Decimal("-12.50"), "1021", "N805", "Kontofuehrung 10/2026", "Sparkasse", ""),
]
lines2 = [
    (Decimal(pay[1]["Total"]), "1023", "N166", f"SVWZ+Rechnung {pay[1]['Invoice No']}", pay[1]["Customer Name"], iban(int(pay[1]["Customer No"][1:]))),
    (-sweep, "1023", "N166", "EREF+ACME-SWEEP-2026-10SVWZ+Transfer to operating account", "Acme ISP GmbH", COLLECTION_ACCOUNT),
    (stripe2[1], "1023", "N166", f"SVWZ+STRIPE {stripe2[2]}", "Stripe Technology Europe Ltd", "IE17BOFI90583812345678"),
]
def statement940(number, date, opening, entries):
    out = [":20:STMT2026" + date, f":25:37050299/0000123456", f":28C:{number:05d}/001",
           f":60F:{'C' if opening >= 0 else 'D'}26{date}EUR{mt_amount(opening)}"]
    balance = opening
    for value, day, code, remittance, name, account in entries:
        balance += value
        side = "C" if value > 0 else "D"
        out.append(f":61:26{date}{day}{side}{mt_amount(value)}{code}NONREF")
        out.append(wrap86(code[1:], "SEPA-GUTSCHRIFT" if value > 0 else "ENTGELT", remittance, name, "MARKDEF1100" if account else "", account))
    out.append(f":62F:{'C' if balance >= 0 else 'D'}26{date}EUR{mt_amount(balance)}")
    return out, balance

s1, balance = statement940(10, "1021", opening, lines1)
s2, balance = statement940(11, "1023", balance, lines2)
mt940 = "\r\n".join(s1 + ["-"] + s2 + ["-"]) + "\r\n"
(HERE / "mt940-2026-10.sta").write_bytes(mt940.encode("ascii"))
print(f"{len(collected)} collections, {len(rejected)} rejected, return of {returned}")
