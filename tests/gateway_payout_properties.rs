//! The payout invariant, as a property over random gateway transactions: a payout equal to
//! the payments less the fees that name it closes as one payout match; any other payout
//! closes that much and leaves exactly the difference in the unmatched list. Either way every
//! entry's matches add up to it, and the bank's credit of the payout's amount is matched to
//! it once.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use sluice::model::{
    BankLine, Currency, EntryInfo, Gateway, GatewayPayout, GatewayTransaction, Lineage, MatchKind,
    Money, TransactionKind,
};
use sluice::pipeline::ReconcileSettings;
use sluice::reconcile::{Book, reconcile_line};
use sluice::sources::{GatewayExport, clearing_entries};

fn eur(minor: i64) -> Money {
    Money::from_minor(minor, Currency::from_code("EUR").unwrap())
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, d).unwrap()
}

fn lineage(line: u64) -> Lineage {
    Lineage {
        file_sha256: "0123456789abcdef".to_string(),
        file_name: "stripe.csv".to_string(),
        line,
    }
}

fn transaction(n: usize, gross: i64, fee: i64) -> GatewayTransaction {
    GatewayTransaction {
        gateway: Gateway::Stripe,
        transaction_id: format!("ch_{n}"),
        kind: if gross < 0 {
            TransactionKind::Refund
        } else {
            TransactionKind::Payment
        },
        type_text: String::new(),
        date: day(2),
        gross: eur(gross),
        fee: eur(fee),
        net: eur(gross - fee),
        status: String::new(),
        settled: true,
        payer_name: String::new(),
        payer_email: String::new(),
        customer_reference: String::new(),
        invoice_reference: String::new(),
        description: String::new(),
        related_transaction_id: String::new(),
        payout_id: "po_1".to_string(),
        payout_date: Some(day(9)),
        balance: None,
        refunded: None,
        metadata: Vec::new(),
        lineage: lineage(n as u64 + 2),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_payout_closes_against_its_transactions_or_leaves_the_difference_unmatched(
        rows in prop::collection::vec((-20_000i64..50_000, 0i64..2_000), 1..10),
        difference in prop_oneof![Just(0i64), -5_000i64..5_000],
    ) {
        let transactions: Vec<GatewayTransaction> = rows
            .iter()
            .enumerate()
            .map(|(n, (gross, fee))| transaction(n, *gross, *fee))
            .collect();
        let net: i64 = rows.iter().map(|(g, f)| g - f).sum();
        let amount = net + difference;
        prop_assume!(amount > 0);
        let export = GatewayExport {
            gateway: Gateway::Stripe,
            export: "test",
            transactions,
            payouts: vec![GatewayPayout {
                gateway: Gateway::Stripe,
                payout_id: "po_1".to_string(),
                date: day(9),
                amount: eur(amount),
                fee: None,
                bank_reference: String::new(),
                status: "paid".to_string(),
                settled: true,
                lineage: lineage(100),
            }],
        };
        let settings = ReconcileSettings::default();
        let mut book = Book::default();
        let entries = clearing_entries(&export);
        for line in &entries.lines {
            book.payouts.record(line);
        }
        let credit = BankLine {
            id: "bank-1".to_string(),
            lineage: lineage(1),
            account: "DE89370400440532013000".to_string(),
            booking_date: day(11),
            value_date: None,
            amount: eur(amount),
            counterparty: "Stripe".to_string(),
            counterparty_account: String::new(),
            bank_reference: "B1".to_string(),
            text: "STRIPE PAYOUT".to_string(),
            info: EntryInfo::default(),
        };
        let mut clearing_total = Decimal::ZERO;
        let mut unmatched = Decimal::ZERO;
        let mut payout_matched = Decimal::ZERO;
        for line in &entries.lines {
            let matches = reconcile_line(line, &mut book, &settings);
            let sum: Decimal = matches.iter().map(|m| m.amount.amount).sum();
            prop_assert_eq!(sum, line.amount.amount, "{:?}", matches);
            clearing_total += line.amount.amount;
            for m in &matches {
                match m.kind {
                    MatchKind::Unmatched if m.rule == "gateway-payout" => unmatched += m.amount.amount,
                    MatchKind::Payout => payout_matched += m.amount.amount,
                    _ => {}
                }
            }
        }
        // The clearing account: payments in, fees and the payout out.
        prop_assert_eq!(clearing_total, -eur(difference).amount);
        prop_assert_eq!(payout_matched, -eur(net).amount);
        prop_assert_eq!(unmatched, -eur(difference).amount);
        // The bank's credit is the payout; the same amount again is not.
        let payouts = |line: &BankLine, book: &mut Book| {
            reconcile_line(line, book, &settings)
                .iter()
                .filter(|m| m.kind == MatchKind::Payout)
                .count()
        };
        prop_assert_eq!(payouts(&credit, &mut book), 1);
        let again = BankLine { id: "bank-2".to_string(), ..credit.clone() };
        prop_assert_eq!(payouts(&again, &mut book), 0);
    }
}
