//! SEPA direct debits end to end: the pain.008 we sent tells reconcile which invoice each
//! collection pays when the bank books the batch (itemised by end-to-end id, or as one sum
//! for the payment block); a pain.002 rejection marks collections failed and, when the money
//! was already booked, takes it back and reopens the invoice; a return booked in camt does
//! the same. Every change is a ledger fact with its reason, and each bank line's matches
//! still add up to its amount.

mod common;

use std::collections::BTreeMap;

use common::{Company, INVOICE_HEADER, assert_lines_add_up, run_at};
use rust_decimal::Decimal;
use sluice::ledger::Facts;
use sluice::model::MatchKind;

const PIPELINE: &str = r#"
[[sources]]
name = "bank"
format = "camt"
files = ["camt-*.xml"]

[[sources]]
name = "collections"
format = "pain008"
files = ["pain008-*.xml"]

[[sources]]
name = "status-reports"
format = "pain002"
files = ["pain002-*.xml"]

[[sources]]
name = "billing-invoices"
format = "invoice_csv"
files = ["invoices-*.csv"]
currency = "EUR"

[sources.columns]
number = "Invoice No"
customer_id = "Customer No"
customer_name = "Customer Name"
issue_date = "Invoice Date"
due_date = "Due Date"
total = "Total"
currency = "Currency"
status = "Status"

[[targets]]
name = "xero"
platform = "xero"
"#;

const OURS: &str = "DE89370400440532013000";
const BLOCK: &str = "PMT-2026-10-RCUR";

/// Three customers, each with a mandate and an invoice.
const CUSTOMERS: [(&str, &str, &str, &str, &str); 3] = [
    (
        "E2E-1001",
        "M-1001",
        "Ada Lovelace",
        "DE02120300000000202051",
        "29.90",
    ),
    (
        "E2E-1002",
        "M-1002",
        "Alan Turing",
        "DE02500105170137075030",
        "49.90",
    ),
    (
        "E2E-1003",
        "M-1003",
        "Grace Hopper",
        "DE12500105170648489890",
        "19.90",
    ),
];

fn invoices() -> String {
    let mut text = INVOICE_HEADER.to_string();
    for (n, (_, _, name, _, amount)) in CUSTOMERS.iter().enumerate() {
        text.push_str(&format!(
            "INV-2026-100{},C{},{name},2026-10-01,2026-10-05,{amount},EUR,open\n",
            n + 1,
            n + 1
        ));
    }
    text
}

fn pain008() -> String {
    let mut transactions = String::new();
    for (n, (e2e, mandate, name, iban, amount)) in CUSTOMERS.iter().enumerate() {
        transactions.push_str(&format!(
            r#"
      <DrctDbtTxInf>
        <PmtId><EndToEndId>{e2e}</EndToEndId></PmtId>
        <InstdAmt Ccy="EUR">{amount}</InstdAmt>
        <DrctDbtTx><MndtRltdInf><MndtId>{mandate}</MndtId><DtOfSgntr>2024-01-15</DtOfSgntr></MndtRltdInf></DrctDbtTx>
        <DbtrAgt><FinInstnId><BIC>DEUTDEFFXXX</BIC></FinInstnId></DbtrAgt>
        <Dbtr><Nm>{name}</Nm></Dbtr>
        <DbtrAcct><Id><IBAN>{iban}</IBAN></Id></DbtrAcct>
        <RmtInf><Ustrd>Invoice INV-2026-100{}</Ustrd></RmtInf>
      </DrctDbtTxInf>"#,
            n + 1
        ));
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.02">
  <CstmrDrctDbtInitn>
    <GrpHdr>
      <MsgId>MSG-2026-10-DD</MsgId><CreDtTm>2026-10-01T09:00:00</CreDtTm>
      <NbOfTxs>3</NbOfTxs><CtrlSum>99.70</CtrlSum><InitgPty><Nm>Acme ISP</Nm></InitgPty>
    </GrpHdr>
    <PmtInf>
      <PmtInfId>{BLOCK}</PmtInfId><PmtMtd>DD</PmtMtd><NbOfTxs>3</NbOfTxs><CtrlSum>99.70</CtrlSum>
      <PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl><LclInstrm><Cd>CORE</Cd></LclInstrm><SeqTp>RCUR</SeqTp></PmtTpInf>
      <ReqdColltnDt>2026-10-05</ReqdColltnDt>
      <Cdtr><Nm>Acme ISP</Nm></Cdtr>
      <CdtrAcct><Id><IBAN>{OURS}</IBAN></Id></CdtrAcct>
      <CdtrAgt><FinInstnId><BIC>COBADEFFXXX</BIC></FinInstnId></CdtrAgt>
      <ChrgBr>SLEV</ChrgBr>
      <CdtrSchmeId><Id><PrvtId><Othr><Id>DE98ZZZ09999999999</Id><SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id></CdtrSchmeId>{transactions}
    </PmtInf>
  </CstmrDrctDbtInitn>
</Document>
"#
    )
}

/// A rejection of one collection (pain.002.001.03), or of the whole block.
fn pain002(e2e: Option<&str>, reason: &str) -> String {
    status_report("pain.008.001.02", e2e, reason)
}

/// A rejection in a report on the message `original` names (`pain.008…`, `pain.001…`).
fn status_report(original: &str, e2e: Option<&str>, reason: &str) -> String {
    let transaction = match e2e {
        Some(e2e) => format!(
            r#"
      <TxInfAndSts>
        <StsId>1</StsId><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>RJCT</TxSts>
        <StsRsnInf><Rsn><Cd>{reason}</Cd></Rsn></StsRsnInf>
      </TxInfAndSts>"#
        ),
        None => format!(
            "\n      <PmtInfSts>RJCT</PmtInfSts><StsRsnInf><Rsn><Cd>{reason}</Cd></Rsn></StsRsnInf>"
        ),
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">
  <CstmrPmtStsRpt>
    <GrpHdr><MsgId>STS-{reason}</MsgId><CreDtTm>2026-10-06T08:00:00</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts><OrgnlMsgId>MSG-2026-10-DD</OrgnlMsgId><OrgnlMsgNmId>{original}</OrgnlMsgNmId></OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>{BLOCK}</OrgnlPmtInfId>{transaction}
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>
"#
    )
}

/// One `Ntry` of a camt.053.001.02 statement.
struct Entry {
    amount: Decimal,
    reference: &'static str,
    details: String,
}

fn tx(e2e: &str, amount: &str, returned: Option<&str>) -> String {
    let (_, mandate, name, iban, _) = CUSTOMERS.iter().find(|c| c.0 == e2e).unwrap();
    let return_info = returned
        .map(|code| format!("<RtrInf><Rsn><Cd>{code}</Cd></Rsn></RtrInf>"))
        .unwrap_or_default();
    format!(
        r#"<TxDtls><Refs><EndToEndId>{e2e}</EndToEndId><MndtId>{mandate}</MndtId></Refs><AmtDtls><TxAmt><Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls><RltdPties><Dbtr><Nm>{name}</Nm></Dbtr><DbtrAcct><Id><IBAN>{iban}</IBAN></Id></DbtrAcct></RltdPties>{return_info}</TxDtls>"#
    )
}

fn camt053(id: &str, date: &str, opening: Decimal, entries: &[Entry]) -> String {
    let closing = opening + entries.iter().map(|e| e.amount).sum::<Decimal>();
    let balance = |code: &str, amount: Decimal| {
        format!(
            r#"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{}</Amt><CdtDbtInd>{}</CdtDbtInd><Dt><Dt>{date}</Dt></Dt></Bal>"#,
            amount.abs(),
            if amount.is_sign_negative() {
                "DBIT"
            } else {
                "CRDT"
            }
        )
    };
    let mut ntry = String::new();
    for e in entries {
        ntry.push_str(&format!(
            r#"
      <Ntry><Amt Ccy="EUR">{}</Amt><CdtDbtInd>{}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{date}</Dt></BookgDt><ValDt><Dt>{date}</Dt></ValDt><AcctSvcrRef>{}</AcctSvcrRef><NtryDtls>{}</NtryDtls></Ntry>"#,
            e.amount.abs(),
            if e.amount.is_sign_negative() { "DBIT" } else { "CRDT" },
            e.reference,
            e.details
        ));
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>{id}</MsgId><CreDtTm>{date}T20:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>{id}</Id><CreDtTm>{date}T20:00:00</CreDtTm>
      <Acct><Id><IBAN>{OURS}</IBAN></Id><Ccy>EUR</Ccy></Acct>
      {}{}{ntry}
    </Stmt>
  </BkToCstmrStmt>
</Document>
"#,
        balance("OPBD", opening),
        balance("CLBD", closing)
    )
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// The batch of all three collections, itemised per end-to-end id.
fn itemised_batch() -> String {
    let details: String = [
        format!("<Btch><PmtInfId>{BLOCK}</PmtInfId><NbOfTxs>3</NbOfTxs></Btch>"),
        tx("E2E-1001", "29.90", None),
        tx("E2E-1002", "49.90", None),
        tx("E2E-1003", "19.90", None),
    ]
    .concat();
    camt053(
        "STMT-2026-10-05",
        "2026-10-05",
        dec("1000.00"),
        &[Entry {
            amount: dec("99.70"),
            reference: "BATCH-0001",
            details,
        }],
    )
}

/// What each invoice still has open, from the committed ledger.
fn open_by_invoice(facts: &Facts) -> BTreeMap<String, Decimal> {
    let mut open: BTreeMap<String, Decimal> = BTreeMap::new();
    for row in &facts.documents {
        open.insert(row.document.number.clone(), row.document.total.amount);
    }
    for row in &facts.matches {
        if let (MatchKind::Allocation | MatchKind::Reversal, Some(doc)) =
            (row.matched.kind, &row.matched.document)
        {
            *open.get_mut(doc).unwrap() -= row.matched.amount.amount;
        }
    }
    open
}

/// Invoices, their pain.008 and the statement booking it itemised, applied in one run.
fn collections_booked_as_an_itemised_batch() -> (Company, sluice::pipeline::Pipeline) {
    let company = company();
    let pipeline = pipeline(&company);
    company.drop_file("invoices-2026-10.csv", invoices());
    company.drop_file("pain008-2026-10.xml", pain008());
    company.drop_file("camt-2026-10-05.xml", itemised_batch());
    run_at(&pipeline, "2026-10-06T02:00:00Z");
    (company, pipeline)
}

fn company() -> Company {
    let company = Company::new();
    company.pipeline("archive", PIPELINE);
    company
}

fn pipeline(company: &Company) -> sluice::pipeline::Pipeline {
    sluice::pipeline::load(&company.path("pipeline.toml")).unwrap()
}

#[test]
fn an_itemised_batch_booking_pays_each_collections_invoice() {
    let company = company();
    company.drop_file("invoices-2026-10.csv", invoices());
    company.drop_file("pain008-2026-10.xml", pain008());
    company.drop_file("camt-2026-10-05.xml", itemised_batch());

    let summary = run_at(&pipeline(&company), "2026-10-06T02:00:00Z");
    assert!(summary.quarantined.is_empty(), "{:?}", summary.quarantined);
    assert_eq!(summary.direct_debits.collections_new, 3);
    assert_eq!(summary.reconciled.matched, 1);
    assert_eq!(summary.money_matched["EUR"], "99.70");
    assert_eq!(summary.invoices.paid, 3);

    let facts = company.ledger();
    assert_lines_add_up(&facts);
    let allocations: Vec<_> = facts
        .matches
        .iter()
        .filter(|m| m.matched.kind == MatchKind::Allocation)
        .collect();
    assert_eq!(allocations.len(), 3);
    let first = &allocations[0].matched;
    assert_eq!(first.rule, "direct-debit");
    assert_eq!(first.end_to_end_id, "E2E-1001");
    assert_eq!(
        first.explanation,
        "payment 1 of 3 (line 9): direct debit E2E-1001 (mandate M-1001) collects invoice INV-2026-1001 (customer C1 Ada Lovelace); EUR 29.90 pays it in full"
    );
    assert_eq!(facts.collections.len(), 3);
    assert_eq!(facts.collections[0].invoice, "INV-2026-1001");
    assert_eq!(facts.bank_lines[0].line.info.payment_information_id, BLOCK);
}

#[test]
fn a_block_booked_as_one_sum_leaves_out_the_collection_rejected_before() {
    let company = company();
    company.drop_file("invoices-2026-10.csv", invoices());
    company.drop_file("pain008-2026-10.xml", pain008());
    company.drop_file("pain002-2026-10-04.xml", pain002(Some("E2E-1002"), "AM04"));
    // 29.90 + 19.90: the bank books the block without the rejected 49.90, as one sum.
    company.drop_file(
        "camt-2026-10-05.xml",
        camt053(
            "STMT-2026-10-05",
            "2026-10-05",
            dec("1000.00"),
            &[Entry {
                amount: dec("49.80"),
                reference: "BATCH-0001",
                details: format!("<Btch><PmtInfId>{BLOCK}</PmtInfId><NbOfTxs>2</NbOfTxs></Btch>"),
            }],
        ),
    );

    let summary = run_at(&pipeline(&company), "2026-10-06T02:00:00Z");
    assert!(summary.quarantined.is_empty(), "{:?}", summary.quarantined);
    assert_eq!(summary.direct_debits.statuses, 1);
    assert_eq!(summary.direct_debits.rejected, 1);
    assert_eq!(summary.direct_debits.reversed_by_status, 0);
    assert_eq!(summary.money_matched["EUR"], "49.80");

    let facts = company.ledger();
    assert_lines_add_up(&facts);
    let open = open_by_invoice(&facts);
    assert_eq!(open["INV-2026-1001"], Decimal::ZERO);
    assert_eq!(
        open["INV-2026-1002"],
        dec("49.90"),
        "the rejected one stays open"
    );
    assert_eq!(open["INV-2026-1003"], Decimal::ZERO);
    let status = &facts.payment_statuses[0];
    assert_eq!(status.status.reason_code, "AM04");
    assert_eq!(
        status.effect,
        "rejected (AM04 (insufficient funds)): E2E-1002 not booked yet: its invoice stays open"
    );
    let explanations: Vec<&str> = facts
        .matches
        .iter()
        .map(|m| m.matched.explanation.as_str())
        .collect();
    assert!(
        explanations[0].starts_with(&format!(
            "collection 1 of 2 in block {BLOCK}: direct debit E2E-1001"
        )),
        "{explanations:?}"
    );
}

#[test]
fn a_block_that_does_not_add_up_waits_for_a_person_with_both_figures() {
    let company = company();
    company.drop_file("invoices-2026-10.csv", invoices());
    company.drop_file("pain008-2026-10.xml", pain008());
    company.drop_file(
        "camt-2026-10-05.xml",
        camt053(
            "STMT-2026-10-05",
            "2026-10-05",
            dec("1000.00"),
            &[Entry {
                amount: dec("49.80"),
                reference: "BATCH-0001",
                details: format!("<Btch><PmtInfId>{BLOCK}</PmtInfId></Btch>"),
            }],
        ),
    );
    let summary = run_at(&pipeline(&company), "2026-10-06T02:00:00Z");
    assert_eq!(summary.reconciled.unmatched, 1);
    let facts = company.ledger();
    assert_lines_add_up(&facts);
    assert_eq!(
        facts.matches[0].matched.explanation,
        format!(
            "books our direct-debit block {BLOCK}, but its 3 collections add up to EUR 99.70, not EUR 49.80 — a status report or a return is missing; pair it by hand"
        )
    );
}

#[test]
fn a_rejection_after_booking_reopens_the_invoice_and_the_later_debit_does_not_again() {
    let (company, pipeline) = collections_booked_as_an_itemised_batch();

    company.drop_file("pain002-2026-10-07.xml", pain002(Some("E2E-1002"), "MD01"));
    let summary = run_at(&pipeline, "2026-10-08T02:00:00Z");
    assert_eq!(summary.direct_debits.rejected, 1);
    assert_eq!(summary.direct_debits.reversed_by_status, 1);
    assert_eq!(summary.money_reversed["EUR"], "49.90");
    assert_eq!(summary.invoices.open, 1);
    let facts = company.ledger();
    assert_lines_add_up(&facts);
    assert_eq!(open_by_invoice(&facts)["INV-2026-1002"], dec("49.90"));
    let reversal = facts
        .matches
        .iter()
        .find(|m| m.matched.kind == MatchKind::Reversal)
        .expect("a reversal");
    assert_eq!(
        reversal.matched.explanation,
        "status report pain002-2026-10-07.xml line 8 rejected collection E2E-1002 (MD01 (no valid mandate)): the EUR 49.90 it paid to invoice INV-2026-1002 is taken back; the invoice is open again"
    );
    assert!(
        facts.payment_statuses[0]
            .effect
            .contains("E2E-1002: EUR 49.90 reversed from invoice INV-2026-1002"),
        "{}",
        facts.payment_statuses[0].effect
    );

    // The bank then debits the money back, in a statement of a later run.
    company.drop_file(
        "camt-2026-10-09.xml",
        camt053(
            "STMT-2026-10-09",
            "2026-10-09",
            dec("1099.70"),
            &[Entry {
                amount: dec("-49.90"),
                reference: "RETURN-0001",
                details: tx("E2E-1002", "49.90", Some("MD01")),
            }],
        ),
    );
    let summary = run_at(&pipeline, "2026-10-10T02:00:00Z");
    assert_eq!(summary.reconciled.returned, 1);
    assert!(
        summary.money_reversed.is_empty(),
        "{:?}",
        summary.money_reversed
    );
    let facts = company.ledger();
    assert_lines_add_up(&facts);
    assert_eq!(
        open_by_invoice(&facts)["INV-2026-1002"],
        dec("49.90"),
        "reopened once, not twice"
    );
    let debit = facts.matches.last().unwrap();
    assert_eq!(debit.matched.kind, MatchKind::Returned);
    assert!(debit.matched.explanation.starts_with("the bank debits back collection E2E-1002, whose rejection (MD01 (no valid mandate), status report pain002-2026-10-07.xml line 8) already reopened its invoice"), "{}", debit.matched.explanation);
}

#[test]
fn a_rejection_reported_on_our_credit_transfers_leaves_collections_alone() {
    let (company, pipeline) = collections_booked_as_an_itemised_batch();
    let before = open_by_invoice(&company.ledger());

    // The same message, block and end-to-end ids, but a report on a pain.001: banks send
    // transfer and collection reports alike, and ids are only unique within each kind.
    company.drop_file(
        "pain002-2026-10-07.xml",
        status_report("pain.001.001.03", Some("E2E-1002"), "AC04"),
    );
    let summary = run_at(&pipeline, "2026-10-08T02:00:00Z");
    assert_eq!(summary.direct_debits.statuses, 1);
    assert_eq!(summary.direct_debits.statuses_on_other_payments, 1);
    assert_eq!(summary.direct_debits.rejected, 0);
    assert!(summary.money_reversed.is_empty());
    let facts = company.ledger();
    assert_eq!(open_by_invoice(&facts), before);
    let status = &facts.payment_statuses[0];
    assert_eq!(status.status.original_message_name, "pain.001.001.03");
    assert_eq!(
        status.effect,
        "status RJCT on a pain.001.001.03 (payments we sent, not collections): recorded, nothing to change"
    );
}

#[test]
fn a_return_booked_in_the_statement_reopens_the_invoice() {
    let (company, pipeline) = collections_booked_as_an_itemised_batch();

    // Grace Hopper's bank returns the collection, with 3.00 return charges on top.
    company.drop_file(
        "camt-2026-10-09.xml",
        camt053(
            "STMT-2026-10-09",
            "2026-10-09",
            dec("1099.70"),
            &[Entry {
                amount: dec("-22.90"),
                reference: "RETURN-0002",
                details: tx("E2E-1003", "22.90", Some("MD06")),
            }],
        ),
    );
    let summary = run_at(&pipeline, "2026-10-10T02:00:00Z");
    assert_eq!(summary.reconciled.returned, 1);
    assert_eq!(summary.money_reversed["EUR"], "19.90");
    let facts = company.ledger();
    assert_lines_add_up(&facts);
    assert_eq!(open_by_invoice(&facts)["INV-2026-1003"], dec("19.90"));
    let of_return: Vec<_> = facts
        .matches
        .iter()
        .filter(|m| m.run_id == summary.run_id.clone().unwrap())
        .map(|m| {
            (
                m.matched.kind,
                m.matched.amount.amount,
                m.matched.explanation.clone(),
            )
        })
        .collect();
    assert_eq!(
        of_return,
        vec![
            (
                MatchKind::Reversal,
                dec("-19.90"),
                format!(
                    "return (MD06 (refund requested by the debtor)) of E2E-1003: takes back the EUR 19.90 bank line {} paid to invoice INV-2026-1003, which is open again by that much",
                    facts.bank_lines[0].line.id
                )
            ),
            (
                MatchKind::Outgoing,
                dec("-3.00"),
                "EUR -3.00 of the return (MD06 (refund requested by the debtor)) of E2E-1003 is more than was booked under it: bank charges, most likely".to_string()
            ),
        ]
    );
}

#[test]
fn a_rejection_that_arrives_before_its_pain008_applies_when_it_does() {
    let company = company();
    let pipeline = pipeline(&company);
    company.drop_file("invoices-2026-10.csv", invoices());
    company.drop_file("pain002-2026-10-04.xml", pain002(None, "AC04"));
    let summary = run_at(&pipeline, "2026-10-05T02:00:00Z");
    assert_eq!(summary.direct_debits.rejected, 0);
    assert_eq!(
        company.ledger().payment_statuses[0].effect,
        "rejected (AC04 (account closed)), but names no collection sluice knows yet; it applies when the pain.008 it answers arrives"
    );

    company.drop_file("pain008-2026-10.xml", pain008());
    company.drop_file(
        "camt-2026-10-05.xml",
        camt053(
            "STMT-2026-10-05",
            "2026-10-05",
            dec("1000.00"),
            &[Entry {
                amount: dec("99.70"),
                reference: "BATCH-0001",
                details: format!("<Btch><PmtInfId>{BLOCK}</PmtInfId></Btch>"),
            }],
        ),
    );
    let summary = run_at(&pipeline, "2026-10-06T02:00:00Z");
    // The whole block was rejected, so nothing of it can explain the 99.70.
    assert_eq!(summary.reconciled.unmatched, 1);
    assert!(
        company.ledger().matches[0]
            .matched
            .explanation
            .contains("its 0 collections (3 rejected ones left out) add up to EUR 0")
    );
}

#[test]
fn the_same_pain008_under_another_name_adds_no_collection_twice() {
    let company = company();
    let pipeline = pipeline(&company);
    company.drop_file("pain008-2026-10.xml", pain008());
    run_at(&pipeline, "2026-10-02T02:00:00Z");
    // Re-exported: same collections, one byte different.
    company.drop_file(
        "pain008-2026-10-again.xml",
        pain008().replace(
            "<Nm>Acme ISP</Nm></InitgPty>",
            "<Nm>Acme ISP GmbH</Nm></InitgPty>",
        ),
    );
    let summary = run_at(&pipeline, "2026-10-03T02:00:00Z");
    assert_eq!(summary.direct_debits.collections_new, 0);
    assert_eq!(summary.direct_debits.collections_seen_before, 3);
    let facts = company.ledger();
    assert_eq!(facts.collections.iter().filter(|c| c.duplicate).count(), 3);
    assert!(
        facts.collections[3]
            .note
            .starts_with("end-to-end id E2E-1001 already known from pain008-2026-10.xml line ")
    );
}
