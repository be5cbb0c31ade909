//! The money invariants with direct debits, as properties over random collections, batch
//! bookings, returns and rejections in any order: every bank line's matches add up to its
//! amount; no invoice is ever allocated beyond its total or below nothing; money is only
//! taken back where it was booked under the same end-to-end id; a rejection's reversal and
//! the money it returns cancel out on the line; a report on credit transfers changes nothing.

use std::collections::HashMap;

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use sluice::model::{
    BankLine, Currency, DirectDebit, Document, DocumentKind, DocumentStatus, EntryInfo, Lineage,
    Match, MatchKind, Money, PaymentStatus, TransactionDetail,
};
use sluice::pipeline::ReconcileSettings;
use sluice::reconcile::{Book, apply_status, reconcile_line};

fn eur(minor: i64) -> Money {
    Money::from_minor(minor, Currency::from_code("EUR").unwrap())
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 5).unwrap()
}

fn lineage(file: &str, line: u64) -> Lineage {
    Lineage {
        file_sha256: format!("{file:0>12}"),
        file_name: file.to_string(),
        line,
    }
}

fn e2e(n: usize) -> String {
    format!("E2E-{n}")
}

fn invoice(n: usize, minor: i64) -> Document {
    Document {
        number: format!("INV-2026-{n:04}"),
        kind: DocumentKind::Invoice,
        customer_id: format!("C{n}"),
        customer_name: String::new(),
        issue_date: day(),
        due_date: None,
        total: eur(minor),
        status: DocumentStatus::Open,
        deleted: false,
        itemized: false,
        lines: Vec::new(),
        lineage: lineage("invoices", n as u64),
    }
}

fn debit(n: usize, minor: i64) -> DirectDebit {
    DirectDebit {
        message_id: "MSG".to_string(),
        payment_information_id: format!("BLOCK-{}", n % 2),
        end_to_end_id: e2e(n),
        instruction_id: String::new(),
        mandate_id: format!("M-{n}"),
        mandate_signed: None,
        sequence_type: "RCUR".to_string(),
        creditor_account: "DE89370400440532013000".to_string(),
        debtor_name: format!("Debtor {n}"),
        debtor_iban: String::new(),
        debtor_bic: String::new(),
        amount: eur(minor),
        collection_date: day(),
        remittance: format!("INV-2026-{n:04}"),
        creditor_reference: String::new(),
        lineage: lineage("pain008", n as u64),
    }
}

#[derive(Debug, Clone)]
enum Event {
    /// A batch entry itemising these collections (index, amount in minor units).
    Batch(Vec<(usize, i64)>),
    /// A whole block booked as one sum, with this amount.
    Block(usize, i64),
    /// The bank returns (part of) a collection: index, amount returned.
    Return(usize, i64),
    /// A pain.002 rejection under one collection's end-to-end id: of the collection, or
    /// (`true`) of a credit transfer of ours (a report on a pain.001), which changes nothing.
    Reject(usize, bool),
}

fn event(collections: usize) -> impl Strategy<Value = Event> {
    let amount = 1i64..20_000;
    prop_oneof![
        prop::collection::vec((0..collections + 2, amount.clone()), 1..6).prop_map(Event::Batch),
        (0..2usize, amount.clone()).prop_map(|(b, a)| Event::Block(b, a)),
        (0..collections + 1, amount).prop_map(|(c, a)| Event::Return(c, a)),
        (0..collections + 1, any::<bool>()).prop_map(|(c, transfer)| Event::Reject(c, transfer)),
    ]
}

fn scenario() -> impl Strategy<Value = (Vec<i64>, Vec<i64>, Vec<Event>)> {
    (1usize..6).prop_flat_map(|n| {
        (
            prop::collection::vec(1i64..20_000, n),
            prop::collection::vec(1i64..20_000, n),
            prop::collection::vec(event(n), 1..12),
        )
    })
}

fn line(id: usize, amount: i64, info: EntryInfo) -> BankLine {
    BankLine {
        id: format!("line-{id}"),
        lineage: lineage("camt", id as u64),
        account: "DE89370400440532013000".to_string(),
        booking_date: day(),
        value_date: None,
        amount: eur(amount),
        counterparty: String::new(),
        counterparty_account: String::new(),
        bank_reference: format!("REF-{id}"),
        text: String::new(),
        info,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn money_is_never_created_lost_or_taken_back_twice(
        (totals, collected, events) in scenario()
    ) {
        let settings = ReconcileSettings::default();
        let mut book = Book::default();
        for (n, total) in totals.iter().enumerate() {
            book.upsert(invoice(n, *total));
        }
        for (n, amount) in collected.iter().enumerate() {
            book.collections.add(debit(n, *amount));
        }
        let mut all: Vec<Match> = Vec::new();
        let mut lines: HashMap<String, Money> = HashMap::new();
        for (i, event) in events.iter().enumerate() {
            let bank_line = match event {
                Event::Batch(parts) => {
                    let details: Vec<TransactionDetail> = parts
                        .iter()
                        .map(|(c, a)| TransactionDetail {
                            amount: Some(eur(*a)),
                            end_to_end_id: e2e(*c),
                            ..TransactionDetail::default()
                        })
                        .collect();
                    let sum = parts.iter().map(|(_, a)| a).sum();
                    Some(line(i, sum, EntryInfo { details, ..EntryInfo::default() }))
                }
                Event::Block(b, a) => Some(line(i, *a, EntryInfo {
                    payment_information_id: format!("BLOCK-{b}"),
                    ..EntryInfo::default()
                })),
                Event::Return(c, a) => Some(line(i, -a, EntryInfo {
                    end_to_end_id: e2e(*c),
                    return_reason: "MD06".to_string(),
                    ..EntryInfo::default()
                })),
                Event::Reject(c, transfer) => {
                    let status = PaymentStatus {
                        message_id: "STS".to_string(),
                        created: None,
                        original_message_id: "MSG".to_string(),
                        original_message_name: if *transfer { "pain.001.001.03" } else { "pain.008.001.02" }.to_string(),
                        original_payment_information_id: String::new(),
                        end_to_end_id: e2e(*c),
                        instruction_id: String::new(),
                        status: "RJCT".to_string(),
                        reason_code: "AM04".to_string(),
                        reason_text: String::new(),
                        amount: None,
                        mandate_id: String::new(),
                        lineage: lineage("pain002", i as u64),
                    };
                    let effect = apply_status(&status, &mut book);
                    if *transfer {
                        prop_assert!(effect.matches.is_empty() && effect.rejected == 0, "{}", effect.effect);
                    }
                    let mut per_line: HashMap<&str, Decimal> = HashMap::new();
                    for m in &effect.matches {
                        *per_line.entry(m.bank_line_id.as_str()).or_default() += m.amount.amount;
                    }
                    prop_assert!(per_line.values().all(|v| v.is_zero()), "{:?}", effect.matches);
                    all.extend(effect.matches);
                    None
                }
            };
            if let Some(bank_line) = bank_line {
                let matches = reconcile_line(&bank_line, &mut book, &settings);
                let sum: Decimal = matches.iter().map(|m| m.amount.amount).sum();
                prop_assert_eq!(sum, bank_line.amount.amount, "{:?}", matches);
                prop_assert!(matches.iter().all(|m| !m.explanation.is_empty()));
                // Each part of a line moves money the line's way: a return never takes back
                // more than it returns and pays the difference out again.
                let positive = bank_line.amount.amount.is_sign_positive();
                prop_assert!(
                    matches.iter().all(|m| m.amount.is_zero() || m.amount.amount.is_sign_positive() == positive),
                    "{:?}", matches
                );
                lines.insert(bank_line.id.clone(), bank_line.amount);
                all.extend(matches);
            }
            // After every event: each invoice holds between nothing and its total.
            let mut allocated: HashMap<&str, Decimal> = HashMap::new();
            for m in &all {
                if let (MatchKind::Allocation | MatchKind::Reversal, Some(doc)) = (m.kind, m.document.as_deref()) {
                    *allocated.entry(doc).or_default() += m.amount.amount;
                }
            }
            for (n, total) in totals.iter().enumerate() {
                let number = format!("INV-2026-{n:04}");
                let held = allocated.get(number.as_str()).copied().unwrap_or_default();
                prop_assert!(held >= Decimal::ZERO && held <= eur(*total).amount,
                    "{number} holds {held} of {total} cents");
                let open = book.open_amount(&number).unwrap().amount;
                prop_assert_eq!(open, eur(*total).amount - held);
            }
            // Money is only taken back where it was booked under the same end-to-end id.
            let mut per_e2e: HashMap<&str, Decimal> = HashMap::new();
            for m in &all {
                if matches!(m.kind, MatchKind::Allocation | MatchKind::Reversal) {
                    *per_e2e.entry(m.end_to_end_id.as_str()).or_default() += m.amount.amount;
                }
            }
            prop_assert!(per_e2e.values().all(|v| *v >= Decimal::ZERO), "{per_e2e:?}");
        }
        // And over everything: the matches of each bank line add up to it.
        for (id, amount) in &lines {
            let sum: Decimal = all.iter().filter(|m| &m.bank_line_id == id).map(|m| m.amount.amount).sum();
            prop_assert_eq!(sum, amount.amount, "line {}", id);
        }
    }
}
