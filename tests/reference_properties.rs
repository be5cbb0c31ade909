//! The money invariants of paying invoices by reference, over random books of open invoices
//! and random payments each naming a random few of them, in a random order, in any of the
//! ways a payer writes them (exact, without leading zeros, with spaces, as an RF creditor
//! reference, printed or not) and in any field (creditor reference, end-to-end id, bank
//! reference, remittance text): a line's matches add up to its amount, no invoice gets more
//! than it had open, the order lines are placed in changes nothing when each names its own
//! invoices, and several invoices are paid in the order the rule promises.

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::sample::Index;
use rust_decimal::Decimal;
use sluice::model::{
    BankLine, Currency, Document, DocumentKind, DocumentStatus, EntryInfo, Lineage, Match,
    MatchKind, Money,
};
use sluice::pipeline::ReconcileSettings;
use sluice::reconcile::{Book, reconcile_line};

#[derive(Debug, Clone)]
struct InvoiceSpec {
    minor: i64,
    day: u32,
    customer: u8,
}

/// How a payer writes an invoice's number.
#[derive(Debug, Clone, Copy)]
enum Spelling {
    /// `INV-2026-0007`
    Exact,
    /// `INV-2026-7`
    WithoutZeros,
    /// `inv 2026 0007`
    Spaced,
    /// `RF35INV20260007`
    Rf,
    /// `rf35 inv2 0260 007`
    RfPrinted,
}

/// Where the number is written; in the order sluice reads the fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    CreditorReference,
    EndToEndId,
    BankReference,
    Text,
}

#[derive(Debug, Clone)]
enum AmountSpec {
    Minor(i64),
    /// Exactly what the first k invoices as written have open.
    WrittenPrefix(Index),
    /// Exactly what the k oldest have open.
    OldestPrefix(Index),
    /// All they have open, and a little more.
    AllAndMore(i64),
}

#[derive(Debug, Clone)]
struct Scenario {
    invoices: Vec<InvoiceSpec>,
    /// Each invoice once, in random order: cut into lines by `sizes`.
    order: Vec<usize>,
    sizes: Vec<usize>,
    /// Per invoice: how and where it is named.
    namings: Vec<(Spelling, Place)>,
    amounts: Vec<AmountSpec>,
    joiner: &'static str,
    /// The order to place the lines in, the second time.
    shuffled: Vec<usize>,
}

const MAX_LINES: usize = 6;

fn spelling() -> impl Strategy<Value = Spelling> {
    prop_oneof![
        Just(Spelling::Exact),
        Just(Spelling::WithoutZeros),
        Just(Spelling::Spaced),
        Just(Spelling::Rf),
        Just(Spelling::RfPrinted),
    ]
}

fn place() -> impl Strategy<Value = Place> {
    prop_oneof![
        1 => Just(Place::CreditorReference),
        1 => Just(Place::EndToEndId),
        1 => Just(Place::BankReference),
        3 => Just(Place::Text),
    ]
}

fn amount_spec() -> impl Strategy<Value = AmountSpec> {
    prop_oneof![
        1 => (1i64..=300_000).prop_map(AmountSpec::Minor),
        1 => any::<Index>().prop_map(AmountSpec::WrittenPrefix),
        2 => any::<Index>().prop_map(AmountSpec::OldestPrefix),
        1 => (0i64..=5_000).prop_map(AmountSpec::AllAndMore),
    ]
}

fn scenario() -> impl Strategy<Value = Scenario> {
    let invoice =
        (1i64..=100_000, 1u32..=28, 0u8..3).prop_map(|(minor, day, customer)| InvoiceSpec {
            minor,
            day,
            customer,
        });
    prop::collection::vec(invoice, 1..14).prop_flat_map(|invoices| {
        let n = invoices.len();
        (
            Just(invoices),
            Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
            prop::collection::vec(1usize..=4, MAX_LINES),
            prop::collection::vec((spelling(), place()), n),
            prop::collection::vec(amount_spec(), MAX_LINES),
            prop::sample::select(vec![" ", ", ", " + ", " / "]),
            Just((0..MAX_LINES).collect::<Vec<usize>>()).prop_shuffle(),
        )
            .prop_map(
                |(invoices, order, sizes, namings, amounts, joiner, shuffled)| Scenario {
                    invoices,
                    order,
                    sizes,
                    namings,
                    amounts,
                    joiner,
                    shuffled,
                },
            )
    })
}

fn eur() -> Currency {
    Currency::from_code("EUR").expect("EUR")
}

fn number(i: usize) -> String {
    format!("INV-2026-{:04}", i + 1)
}

/// `RF` + ISO 11649 check digits + `body`.
fn rf(body: &str) -> String {
    let rearranged = format!("{body}RF00");
    let remainder = rearranged
        .chars()
        .map(|c| c.to_digit(36).expect("letter or digit").to_string())
        .collect::<String>()
        .chars()
        .fold(0u32, |rest, d| (rest * 10 + d.to_digit(10).unwrap()) % 97);
    format!("RF{:02}{body}", 98 - remainder)
}

fn spell(i: usize, spelling: Spelling) -> String {
    let seq = i + 1;
    match spelling {
        Spelling::Exact => number(i),
        Spelling::WithoutZeros => format!("INV-2026-{seq}"),
        Spelling::Spaced => format!("inv 2026 {seq:04}"),
        Spelling::Rf => rf(&format!("INV2026{seq:04}")),
        Spelling::RfPrinted => rf(&format!("INV2026{seq:04}"))
            .to_lowercase()
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn documents(specs: &[InvoiceSpec]) -> Vec<Document> {
    specs
        .iter()
        .enumerate()
        .map(|(i, spec)| Document {
            number: number(i),
            kind: DocumentKind::Invoice,
            customer_id: format!("C{}", spec.customer),
            customer_name: format!("Customer {}", spec.customer),
            issue_date: NaiveDate::from_ymd_opt(2026, 9, spec.day).unwrap(),
            due_date: None,
            total: Money::from_minor(spec.minor, eur()),
            status: DocumentStatus::Open,
            deleted: false,
            itemized: false,
            lines: Vec::new(),
            lineage: Lineage {
                file_sha256: "cd".repeat(32),
                file_name: "invoices-2026-09.csv".to_string(),
                line: i as u64 + 2,
            },
        })
        .collect()
}

/// One payment, with the invoices it names in the order sluice reads them (field by
/// field, each in the order written).
struct Payment {
    line: BankLine,
    read_order: Vec<usize>,
}

fn prefix_total(specs: &[InvoiceSpec], numbers: &[usize], k: usize) -> i64 {
    numbers[..k].iter().map(|&i| specs[i].minor).sum()
}

/// The invoices `order` names, oldest first (a stable sort: one day's stay as read).
fn oldest_first(specs: &[InvoiceSpec], read_order: &[usize]) -> Vec<usize> {
    let mut oldest = read_order.to_vec();
    oldest.sort_by_key(|&i| specs[i].day);
    oldest
}

fn payments(s: &Scenario) -> Vec<Payment> {
    let mut payments = Vec::new();
    let mut rest: &[usize] = &s.order;
    for (n, &size) in s.sizes.iter().enumerate() {
        if rest.is_empty() {
            break;
        }
        let (named, after) = rest.split_at(size.min(rest.len()));
        rest = after;
        let field = |place: Place| -> Vec<usize> {
            named
                .iter()
                .copied()
                .filter(|&i| s.namings[i].1 == place)
                .collect()
        };
        let text_of = |place: Place| -> String {
            field(place)
                .iter()
                .map(|&i| spell(i, s.namings[i].0))
                .collect::<Vec<_>>()
                .join(s.joiner)
        };
        let read_order: Vec<usize> = [
            Place::CreditorReference,
            Place::EndToEndId,
            Place::BankReference,
            Place::Text,
        ]
        .into_iter()
        .flat_map(field)
        .collect();
        let oldest = oldest_first(&s.invoices, &read_order);
        let k = |index: &Index| index.index(read_order.len()) + 1;
        let minor = match &s.amounts[n] {
            AmountSpec::Minor(m) => *m,
            AmountSpec::WrittenPrefix(index) => prefix_total(&s.invoices, &read_order, k(index)),
            AmountSpec::OldestPrefix(index) => prefix_total(&s.invoices, &oldest, k(index)),
            AmountSpec::AllAndMore(more) => {
                prefix_total(&s.invoices, &read_order, read_order.len()) + more
            }
        };
        let lineage = Lineage {
            file_sha256: "ab".repeat(32),
            file_name: "bank-2026-10.csv".to_string(),
            line: n as u64 + 2,
        };
        let line = BankLine {
            id: lineage.record_id(),
            lineage,
            account: "DE89370400440532013000".to_string(),
            booking_date: NaiveDate::from_ymd_opt(2026, 10, 1 + n as u32).unwrap(),
            value_date: None,
            amount: Money::from_minor(minor, eur()),
            counterparty: "Somebody".to_string(),
            counterparty_account: String::new(),
            bank_reference: text_of(Place::BankReference),
            text: format!("Zahlung {}", text_of(Place::Text)),
            info: EntryInfo {
                creditor_reference: text_of(Place::CreditorReference),
                end_to_end_id: match text_of(Place::EndToEndId) {
                    e2e if e2e.is_empty() => "NOTPROVIDED".to_string(),
                    e2e => format!("E2E {e2e}"),
                },
                ..EntryInfo::default()
            },
        };
        payments.push(Payment { line, read_order });
    }
    payments
}

/// The reference rules alone: a random amount may equal a random invoice's, and these
/// properties are about what references name (money beyond the named invoices stays
/// credit, where it would otherwise pay the customer's other invoices by rule 2).
fn settings() -> ReconcileSettings {
    ReconcileSettings {
        by_customer: false,
        by_amount_and_date: false,
        rest_pays_other_invoices: false,
        ..ReconcileSettings::default()
    }
}

/// Reconciles the payments in `order` against a fresh book; the matches by payment, and the book.
fn reconcile(docs: &[Document], payments: &[Payment], order: &[usize]) -> (Vec<Vec<Match>>, Book) {
    let mut book = Book::new(&settings());
    for doc in docs {
        book.upsert(doc.clone());
    }
    let mut matches = vec![Vec::new(); payments.len()];
    for &n in order.iter().filter(|&&n| n < payments.len()) {
        matches[n] = reconcile_line(&payments[n].line, &mut book, &settings());
    }
    (matches, book)
}

fn in_order(payments: &[Payment]) -> Vec<usize> {
    (0..payments.len()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_matches_of_a_payment_add_up_exactly_to_its_amount(s in scenario()) {
        let docs = documents(&s.invoices);
        let payments = payments(&s);
        let (matches, _) = reconcile(&docs, &payments, &in_order(&payments));
        for (payment, matches) in payments.iter().zip(&matches) {
            let sum: Decimal = matches.iter().map(|m| m.amount.amount).sum();
            prop_assert_eq!(sum, payment.line.amount.amount, "{:#?}", matches);
            prop_assert!(matches.iter().all(|m| m.amount.currency == payment.line.amount.currency));
        }
    }

    #[test]
    fn no_invoice_gets_more_than_it_had_open(s in scenario()) {
        let docs = documents(&s.invoices);
        let payments = payments(&s);
        let (matches, book) = reconcile(&docs, &payments, &in_order(&payments));
        for doc in &docs {
            let paid: Decimal = matches
                .iter()
                .flatten()
                .filter(|m| m.kind == MatchKind::Allocation && m.document.as_deref() == Some(doc.number.as_str()))
                .map(|m| m.amount.amount)
                .sum();
            prop_assert!(paid <= doc.total.amount, "{} got {} of {}", doc.number, paid, doc.total);
            prop_assert!(book.open_amount(&doc.number).is_some_and(|open| !open.is_negative()));
        }
    }

    #[test]
    fn the_order_payments_are_placed_in_changes_nothing_when_each_names_its_own_invoices(
        s in scenario()
    ) {
        let docs = documents(&s.invoices);
        let payments = payments(&s);
        let (first, _) = reconcile(&docs, &payments, &in_order(&payments));
        let (second, _) = reconcile(&docs, &payments, &s.shuffled);
        prop_assert_eq!(first, second);
    }

    #[test]
    fn every_named_invoice_is_found_in_any_spelling_and_field_and_paid_in_the_promised_order(
        s in scenario()
    ) {
        let docs = documents(&s.invoices);
        let payments = payments(&s);
        let (matches, _) = reconcile(&docs, &payments, &in_order(&payments));
        for (payment, matches) in payments.iter().zip(&matches) {
            let amount = payment.line.amount.to_minor().unwrap();
            let read = &payment.read_order;
            let oldest = oldest_first(&s.invoices, read);
            let fits = |order: &[usize]| {
                (1..=order.len()).any(|k| prefix_total(&s.invoices, order, k) == amount)
            };
            let expected = if !fits(read) && fits(&oldest) { &oldest } else { read };
            // Each in full before the next, until the money runs out.
            let mut left = amount;
            let mut paid = Vec::new();
            for &i in expected {
                if left == 0 {
                    break;
                }
                let share = left.min(s.invoices[i].minor);
                paid.push((Some(number(i)), MatchKind::Allocation, share));
                left -= share;
            }
            if left > 0 {
                paid.push((None, MatchKind::Credit, left));
            }
            let got: Vec<(Option<String>, MatchKind, i64)> = matches
                .iter()
                .map(|m| (m.document.clone(), m.kind, m.amount.to_minor().unwrap()))
                .collect();
            prop_assert_eq!(
                got, paid,
                "reference {:?} / e2e {:?} / bank {:?} / text {:?}: {:#?}",
                payment.line.info.creditor_reference, payment.line.info.end_to_end_id,
                payment.line.bank_reference, payment.line.text, matches
            );
        }
    }
}
