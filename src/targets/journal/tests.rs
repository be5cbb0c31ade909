//! How each kind of fact becomes postings: every match kind, documents with net and gross
//! lines, changed documents, and what a run changes of earlier lines' money.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::accounts::Accounts;
use super::bank::{line_entry, posting_of};
use super::{Entry, entries};
use crate::ledger::{CustomerRow, DocumentRow};
use crate::model::{
    BankLine, Currency, Customer, Document, DocumentKind, DocumentLine, DocumentStatus, EntryInfo,
    Gateway, GatewayEntry, GatewayRole, Lineage, Match, MatchKind, Money,
};
use crate::pipeline::{Platform, Target};
use crate::targets::RunFacts;

fn eur(text: &str) -> Money {
    Money::new(
        Decimal::from_str(text).expect("a decimal"),
        Currency::from_code("EUR").expect("EUR"),
    )
    .expect("cents")
}

fn october(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, day).expect("a day of October 2026")
}

fn lineage(file: &str, line: u64) -> Lineage {
    Lineage {
        file_sha256: "ab".repeat(32),
        file_name: file.to_string(),
        line,
    }
}

fn bank_line(id: &str, day: u32, amount: &str) -> BankLine {
    BankLine {
        id: id.to_string(),
        lineage: lineage("bank-2026-10.csv", 7),
        account: "DE89370400440532013000".to_string(),
        booking_date: october(day),
        value_date: None,
        amount: eur(amount),
        counterparty: "Ada Lovelace".to_string(),
        counterparty_account: "DE44999999990000010001".to_string(),
        bank_reference: "REF-1".to_string(),
        text: "INV-2026-0001".to_string(),
        info: EntryInfo::default(),
    }
}

fn a_match(line: &str, kind: MatchKind, amount: &str) -> Match {
    Match {
        bank_line_id: line.to_string(),
        kind,
        document: None,
        customer_id: None,
        amount: eur(amount),
        rule: "test-rule".to_string(),
        confidence: 100,
        explanation: String::new(),
        end_to_end_id: String::new(),
        account: String::new(),
    }
}

/// No customer in the ledger: the journal reads only the run's own customer versions.
static NO_CUSTOMERS: std::sync::LazyLock<std::collections::HashMap<String, (i64, Customer)>> =
    std::sync::LazyLock::new(std::collections::HashMap::new);

static NO_HELD: std::sync::LazyLock<std::collections::HashSet<String>> =
    std::sync::LazyLock::new(std::collections::HashSet::new);
/// No document in the ledger.
static NO_DOCUMENTS: std::sync::LazyLock<
    std::collections::HashMap<String, crate::ledger::DocumentRow>,
> = std::sync::LazyLock::new(std::collections::HashMap::new);

fn facts<'a>(lines: &'a [BankLine], matches: &'a [Match]) -> RunFacts<'a> {
    RunFacts {
        date: october(31),
        bank_lines: lines,
        matches,
        rematched: &[],
        retried_lines: &[],
        withdrawn: &[],
        documents: &[],
        replaced_documents: &[],
        customers: &[],
        staged_documents: &[],
        all_customers: &NO_CUSTOMERS,
        held_documents: &NO_HELD,
        all_documents: &NO_DOCUMENTS,
    }
}

/// Each posting as `account amount`, in order.
fn postings(entry: &Entry) -> Vec<String> {
    entry
        .postings
        .iter()
        .map(|p| format!("{} {}", p.account, p.amount.amount))
        .collect()
}

fn assert_balanced(entry: &Entry) {
    let sum: Decimal = entry.postings.iter().map(|p| p.amount.amount).sum();
    assert!(sum.is_zero(), "{} does not balance: {sum}", entry.narration);
}

#[test]
fn every_match_kind_is_booked_against_its_own_account_with_the_opposite_sign() {
    let accounts = Accounts::default();
    for (kind, amount, account, booked) in [
        (
            MatchKind::Allocation,
            "29.90",
            "Assets:Receivable",
            "-29.90",
        ),
        (
            MatchKind::Credit,
            "5.00",
            "Liabilities:Customer-Credit",
            "-5.00",
        ),
        (
            MatchKind::Credit,
            "-5.00",
            "Liabilities:Customer-Credit",
            "5.00",
        ),
        (
            MatchKind::Unmatched,
            "12.00",
            "Assets:Suspense:Unmatched",
            "-12.00",
        ),
        (
            MatchKind::Outgoing,
            "-80.00",
            "Assets:Suspense:Outgoing",
            "80.00",
        ),
        (MatchKind::Reversal, "-39.90", "Assets:Receivable", "39.90"),
        (
            MatchKind::Returned,
            "39.90",
            "Liabilities:Returned-Collections",
            "-39.90",
        ),
        (
            MatchKind::Returned,
            "-39.90",
            "Liabilities:Returned-Collections",
            "39.90",
        ),
        (MatchKind::Fee, "-0.70", "Expenses:Payment-Fees", "0.70"),
        (
            MatchKind::Payout,
            "195.25",
            "Assets:Payouts-In-Transit",
            "-195.25",
        ),
        (
            MatchKind::Payout,
            "-195.25",
            "Assets:Payouts-In-Transit",
            "195.25",
        ),
        (
            MatchKind::Difference,
            "-0.05",
            "Expenses:Payment-Differences",
            "0.05",
        ),
        (
            MatchKind::Ignored,
            "10.00",
            "Assets:Suspense:Unmatched",
            "-10.00",
        ),
    ] {
        let posting = posting_of(&accounts, &a_match("L1", kind, amount));
        assert_eq!(
            (posting.account.as_str(), posting.amount.amount.to_string()),
            (account, booked.to_string()),
            "{kind:?} of {amount}"
        );
        assert_eq!(posting.meta[0], ("kind", kind.as_str().to_string()));
    }
}

#[test]
fn a_payment_pays_its_invoices_and_settles_the_cents_within_tolerance() {
    let line = bank_line("L1", 3, "59.75");
    let allocation = |doc: &str, amount: &str| Match {
        document: Some(doc.to_string()),
        customer_id: Some("C1".to_string()),
        ..a_match("L1", MatchKind::Allocation, amount)
    };
    let difference = Match {
        account: "6855".to_string(),
        ..a_match("L1", MatchKind::Difference, "-0.05")
    };
    let matches = [
        allocation("INV-1", "29.90"),
        allocation("INV-2", "29.90"),
        difference,
    ];
    let refs: Vec<&Match> = matches.iter().collect();
    let entry = line_entry(&Accounts::default(), &line, &refs);
    assert_eq!(
        postings(&entry),
        [
            "Assets:Bank:DE89370400440532013000 59.75",
            "Assets:Receivable -29.90",
            "Assets:Receivable -29.90",
            "Expenses:Payment-Differences 0.05",
        ]
    );
    assert_balanced(&entry);
    assert!(entry.meta.contains(&("bank_line", "L1".to_string())));
    assert!(entry.meta.contains(&("source_line", "7".to_string())));
    assert!(
        entry.postings[1]
            .meta
            .contains(&("invoice", "INV-1".to_string()))
    );
    assert!(
        entry.postings[3]
            .meta
            .contains(&("tolerance_account", "6855".to_string()))
    );
}

#[test]
fn money_no_match_accounts_for_waits_on_the_unmatched_account() {
    let line = bank_line("L1", 3, "100.00");
    let partial = a_match("L1", MatchKind::Allocation, "60.00");
    let entry = line_entry(&Accounts::default(), &line, &[&partial]);
    assert_eq!(
        postings(&entry),
        [
            "Assets:Bank:DE89370400440532013000 100.00",
            "Assets:Receivable -60.00",
            "Assets:Suspense:Unmatched -40.00",
        ]
    );
    let alone = line_entry(&Accounts::default(), &line, &[]);
    assert_eq!(
        postings(&alone)[1],
        "Assets:Suspense:Unmatched -100.00".to_string()
    );
}

#[test]
fn a_gateway_entry_is_on_the_gateways_balance_and_a_mapped_bank_on_its_own_account() {
    let mut accounts = Accounts::default();
    accounts.banks.insert(
        "DE89370400440532013000".to_string(),
        "Assets:Bank:Business".to_string(),
    );
    let mut fee = bank_line("F1", 2, "-0.70");
    fee.account = "Stripe EUR".to_string();
    fee.info.gateway = Some(GatewayEntry {
        gateway: Gateway::Stripe,
        role: GatewayRole::Fee,
        transaction_id: "ch_1".to_string(),
        payout_id: "po_1".to_string(),
        payout_date: None,
        customer_reference: String::new(),
    });
    let m = a_match("F1", MatchKind::Fee, "-0.70");
    let entry = line_entry(&accounts, &fee, &[&m]);
    assert_eq!(
        postings(&entry),
        ["Assets:Clearing:Stripe -0.70", "Expenses:Payment-Fees 0.70"]
    );
    assert!(entry.meta.contains(&("gateway_id", "ch_1".to_string())));
    let bank = line_entry(&accounts, &bank_line("L1", 3, "1.00"), &[]);
    assert_eq!(postings(&bank)[0], "Assets:Bank:Business 1.00");
}

fn document_line(category: &str, rate: &str, vat: &str, total: &str) -> DocumentLine {
    DocumentLine {
        description: format!("{category} item"),
        quantity: Decimal::ONE,
        unit_price: eur(total),
        vat_rate: Decimal::from_str(rate).expect("a rate"),
        vat_amount: eur(vat),
        line_total: eur(total),
        category: category.to_string(),
        period_from: None,
        period_to: None,
        lineage: lineage("invoice-lines.csv", 3),
    }
}

fn document(number: &str, total: &str, lines: Vec<DocumentLine>) -> Document {
    let total = eur(total);
    Document {
        number: number.to_string(),
        kind: if total.is_negative() {
            DocumentKind::CreditNote
        } else {
            DocumentKind::Invoice
        },
        customer_id: "C1".to_string(),
        customer_name: "Ada on the invoice".to_string(),
        issue_date: october(1),
        due_date: Some(october(15)),
        total,
        status: DocumentStatus::Open,
        deleted: false,
        itemized: !lines.is_empty(),
        lines,
        lineage: lineage("invoice-lines.csv", 2),
    }
}

fn row(version: i64, document: Document) -> DocumentRow {
    DocumentRow {
        run_id: "run".to_string(),
        version,
        document,
        applied: true,
        note: String::new(),
        ignored: None,
    }
}

fn document_entries(rows: &[DocumentRow], replaced: &[DocumentRow]) -> Vec<Entry> {
    entries(
        &Accounts::default(),
        &RunFacts {
            documents: rows,
            replaced_documents: replaced,
            ..facts(&[], &[])
        },
    )
}

/// An invoice with net lines: 34.90 + 4.99 service at 19 %, 9.90 magazine at 7 %, a
/// discount of -4.99 at 19 %.
fn net_invoice() -> Document {
    document(
        "INV-1",
        "52.12",
        vec![
            document_line("service", "19", "6.63", "34.90"),
            document_line("service", "19", "0.95", "4.99"),
            document_line("subscription", "7", "0.69", "9.90"),
            document_line("discount", "19", "-0.95", "-4.99"),
        ],
    )
}

#[test]
fn an_invoice_credits_net_revenue_per_category_and_vat_per_rate() {
    let entries = document_entries(&[row(1, net_invoice())], &[]);
    assert_eq!(entries.len(), 1);
    assert_eq!(
        postings(&entries[0]),
        [
            "Assets:Receivable 52.12",
            "Income:Discount 4.99",
            "Income:Service -39.89",
            "Income:Subscription -9.90",
            "Liabilities:VAT:19 -6.63",
            "Liabilities:VAT:7 -0.69",
        ]
    );
    assert_balanced(&entries[0]);
    assert_eq!(entries[0].payee, "Ada on the invoice");
    assert_eq!(entries[0].narration, "Invoice INV-1");
}

#[test]
fn gross_lines_are_told_by_the_total_and_their_vat_taken_out_of_revenue() {
    let gross = document(
        "INV-2",
        "41.53",
        vec![document_line("service", "19", "6.63", "41.53")],
    );
    let entries = document_entries(&[row(1, gross)], &[]);
    assert_eq!(
        postings(&entries[0]),
        [
            "Assets:Receivable 41.53",
            "Income:Service -34.90",
            "Liabilities:VAT:19 -6.63",
        ]
    );
}

#[test]
fn a_credit_note_runs_the_other_way() {
    let credit = document(
        "CN-1",
        "-5.94",
        vec![document_line("credit", "19", "-0.95", "-4.99")],
    );
    let entries = document_entries(&[row(1, credit)], &[]);
    assert_eq!(entries[0].narration, "Credit note CN-1");
    assert_eq!(
        postings(&entries[0]),
        [
            "Assets:Receivable -5.94",
            "Income:Credit 4.99",
            "Liabilities:VAT:19 0.95",
        ]
    );
}

#[test]
fn a_total_its_lines_miss_by_a_cent_books_the_cent_to_rounding() {
    let off = document(
        "INV-3",
        "41.54",
        vec![document_line("service", "19", "6.63", "34.90")],
    );
    let entries = document_entries(&[row(1, off)], &[]);
    assert_eq!(
        postings(&entries[0]),
        [
            "Assets:Receivable 41.54",
            "Income:Service -34.90",
            "Liabilities:VAT:19 -6.63",
            "Expenses:Rounding -0.01",
        ]
    );
    assert_balanced(&entries[0]);
}

#[test]
fn a_document_without_lines_is_booked_whole_to_uncategorised_revenue() {
    let entries = document_entries(&[row(1, document("INV-4", "49.90", Vec::new()))], &[]);
    assert_eq!(
        postings(&entries[0]),
        ["Assets:Receivable 49.90", "Income:Sales -49.90"]
    );
}

#[test]
fn deleted_cancelled_and_ignored_documents_are_not_in_the_books() {
    let mut deleted = row(1, document("INV-5", "10.00", Vec::new()));
    deleted.applied = false;
    let mut cancelled = row(1, document("INV-6", "10.00", Vec::new()));
    cancelled.document.status = DocumentStatus::Cancelled;
    let mut ignored = row(1, document("INV-7", "10.00", Vec::new()));
    ignored.ignored = Some("partner Reseller North".to_string());
    assert!(document_entries(&[deleted, cancelled, ignored], &[]).is_empty());
}

#[test]
fn a_changed_document_reverses_the_version_before_on_the_day_of_the_run() {
    let before = row(1, document("INV-8", "10.00", Vec::new()));
    let after = row(2, document("INV-8", "12.00", Vec::new()));
    let entries = document_entries(&[after], &[before]);
    let summary: Vec<(NaiveDate, Vec<String>)> =
        entries.iter().map(|e| (e.date, postings(e))).collect();
    assert_eq!(
        summary,
        [
            (
                october(1),
                vec![
                    "Assets:Receivable 12.00".to_string(),
                    "Income:Sales -12.00".to_string()
                ]
            ),
            (
                october(31),
                vec![
                    "Assets:Receivable -10.00".to_string(),
                    "Income:Sales 10.00".to_string()
                ]
            ),
        ]
    );
    assert!(entries[1].narration.contains("version 1 reversed"));
}

#[test]
fn a_change_that_books_the_same_writes_nothing_and_a_cancellation_only_the_reversal() {
    let before = row(1, document("INV-9", "10.00", Vec::new()));
    let mut paid = row(2, document("INV-9", "10.00", Vec::new()));
    paid.document.status = DocumentStatus::Paid;
    assert!(document_entries(&[paid], std::slice::from_ref(&before)).is_empty());
    let mut cancelled = row(2, document("INV-9", "10.00", Vec::new()));
    cancelled.document.status = DocumentStatus::Cancelled;
    let entries = document_entries(&[cancelled], &[before]);
    assert_eq!(entries.len(), 1);
    assert_eq!(
        postings(&entries[0]),
        ["Assets:Receivable -10.00", "Income:Sales 10.00"]
    );
}

#[test]
fn the_customer_exports_name_is_the_payee_of_their_documents() {
    let customer = Customer {
        id: "C1".to_string(),
        login: String::new(),
        name: "Ada Lovelace".to_string(),
        email: String::new(),
        phone: String::new(),
        street: String::new(),
        city: String::new(),
        zip: String::new(),
        country: String::new(),
        partner: String::new(),
        status: String::new(),
        iban: String::new(),
        mandate_id: String::new(),
        mandate_signed: None,
        vat_id: String::new(),
        lineage: lineage("customers.csv", 2),
    };
    let customers = [CustomerRow {
        run_id: "run".to_string(),
        version: 1,
        customer,
        ignored: None,
    }];
    let rows = [row(1, net_invoice())];
    let entries = entries(
        &Accounts::default(),
        &RunFacts {
            documents: &rows,
            customers: &customers,
            ..facts(&[], &[])
        },
    );
    assert_eq!(entries[0].payee, "Ada Lovelace");
}

#[test]
fn a_retry_moves_waiting_money_from_the_unmatched_account_to_the_invoice() {
    let withdrawn = [a_match("OLD", MatchKind::Unmatched, "29.90")];
    let placed = [Match {
        document: Some("INV-1".to_string()),
        ..a_match("OLD", MatchKind::Allocation, "29.90")
    }];
    let entries = entries(
        &Accounts::default(),
        &RunFacts {
            rematched: &placed,
            retried_lines: &[],
            withdrawn: &withdrawn,
            ..facts(&[], &[])
        },
    );
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].date, october(31));
    assert_eq!(
        postings(&entries[0]),
        [
            "Assets:Suspense:Unmatched 29.90",
            "Assets:Receivable -29.90"
        ]
    );
    assert!(entries[0].narration.contains("placed on retry"));
}

#[test]
fn a_rejected_collection_reopens_its_invoice_and_owes_the_money_back() {
    let rejected = [
        Match {
            document: Some("INV-1".to_string()),
            ..a_match("OLD", MatchKind::Reversal, "-39.90")
        },
        a_match("OLD", MatchKind::Returned, "39.90"),
    ];
    let entries = entries(
        &Accounts::default(),
        &RunFacts {
            rematched: &rejected,
            retried_lines: &[],
            ..facts(&[], &[])
        },
    );
    assert_eq!(
        postings(&entries[0]),
        [
            "Assets:Receivable 39.90",
            "Liabilities:Returned-Collections -39.90"
        ]
    );
    assert!(entries[0].narration.contains("taken back"));
}

#[test]
fn entries_are_ordered_by_date_then_documents_before_money_and_totals_are_the_debits() {
    let lines = [bank_line("L2", 1, "53.25"), bank_line("L1", 1, "-3.00")];
    let mut first = lines[0].clone();
    first.lineage.line = 9;
    let lines = [first, lines[1].clone()];
    let matches = [
        a_match("L2", MatchKind::Allocation, "53.25"),
        a_match("L1", MatchKind::Outgoing, "-3.00"),
    ];
    let rows = [row(1, net_invoice())];
    let target = Target {
        name: "audit".to_string(),
        platform: Platform::Hledger,
        date_format: String::new(),
        accounts: Accounts::default(),
        xero_mapping: None,
        xero_api: None,
        statements: Default::default(),
        quickbooks: None,
        sage: None,
        sage_api: None,
        netsuite: None,
    };
    let facts = RunFacts {
        documents: &rows,
        ..facts(&lines, &matches)
    };
    let order: Vec<String> = entries(&target.accounts, &facts)
        .iter()
        .map(|e| e.meta[0].1.clone())
        .collect();
    assert_eq!(order, ["INV-1", "L1", "L2"]);
    let files = super::render(&target, &facts);
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].name, "journal.hledger");
    assert_eq!(files[0].records, 3);
    // 52.12 (invoice) + 4.99 (its discount line) + 53.25 (money in) + 3.00 (money out).
    assert_eq!(files[0].totals["EUR"].to_string(), "113.36");
    assert_eq!(
        super::render(&target, &facts),
        files,
        "the same bytes again"
    );
    let beancount = Target {
        platform: Platform::Beancount,
        ..target
    };
    assert_eq!(
        super::render(&beancount, &facts)[0].name,
        "journal.beancount"
    );
    assert!(super::render(&beancount, &facts_of_nothing()).is_empty());
}

fn facts_of_nothing() -> RunFacts<'static> {
    facts(&[], &[])
}
