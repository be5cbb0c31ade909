//! The invariants of rules 2 to 4, as properties over random customers, invoice sets and
//! statements: money is never created or lost, no invoice receives more than it has open, a
//! customer's money never skips an older open invoice, an amount with two candidates or more
//! never matches, a tolerance difference never exceeds the tolerance — and the outcome
//! (what each invoice has open, each customer's credit) does not depend on the order of the
//! lines within a day, when the lines name distinct things.
//!
//! "Distinct things": each customer is paid by at most one line (by an invoice reference from
//! an account of its own, by the IBAN on their record, or by their customer number in the
//! text), and the lines that only an amount can place have amounts no other line can leave
//! open. Invoices of the customers lines pay end in .90, what those lines pay ends in .00 or
//! within ten cents of a sum of their invoices, so what they leave open never ends in .40 —
//! which is what the invoices of the customers left to rule 3 end in.

mod common;

use std::collections::{BTreeMap, HashMap};

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use proptest::sample::Index;
use rust_decimal::Decimal;
use sluice::model::{
    BankLine, Currency, Customer, Document, DocumentKind, DocumentStatus, EntryInfo, Lineage,
    Match, MatchKind, Money,
};
use sluice::pipeline::{ReconcileSettings, Tolerance};
use sluice::reconcile::{Book, RULE_AMOUNT_AND_DATE, RULE_CUSTOMER, reconcile_line};

// ---------------------------------------------------------------------------------------
// Random customers, invoices and statements
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct InvoiceSpec {
    /// The total is this many euros and 90 cents (40 cents for rule 3's customers).
    euros: i64,
    usd: bool,
    /// Days from 2026-10-01.
    due: i64,
    paid: bool,
}

/// How far a payment is from what it is meant to pay.
#[derive(Debug, Clone, Copy)]
enum Off {
    Exact,
    Short(i64),
    Over(i64),
    Euros(i64),
}

#[derive(Debug, Clone)]
enum How {
    /// Names one of the customer's invoices, from an account of its own.
    Reference(Index),
    /// From the IBAN on the customer's record.
    Iban,
    /// The customer number in the text.
    Number,
}

#[derive(Debug, Clone)]
struct Target {
    invoices: Vec<InvoiceSpec>,
    pays: Option<(How, Off)>,
}

#[derive(Debug, Clone)]
struct Scenario {
    targets: Vec<Target>,
    /// Customers only rule 3 can pay, each with its invoices.
    pool: Vec<Vec<InvoiceSpec>>,
    /// Lines of exactly the total of one of the pool's invoices.
    by_amount: Vec<Index>,
    /// Lines no rule can place: this many euros and 15 cents.
    noise: Vec<i64>,
    tolerance: bool,
    credit_without_invoice: bool,
    credit_for_paid_invoices: bool,
    window: u32,
}

fn invoice_spec(
    euros: impl Strategy<Value = i64>,
    usd: bool,
) -> impl Strategy<Value = InvoiceSpec> {
    (
        euros,
        prop::bool::weighted(if usd { 0.15 } else { 0.0 }),
        -40i64..=60,
        prop::bool::weighted(0.15),
    )
        .prop_map(|(euros, usd, due, paid)| InvoiceSpec {
            euros,
            usd,
            due,
            paid,
        })
}

fn off() -> impl Strategy<Value = Off> {
    prop_oneof![
        3 => Just(Off::Exact),
        2 => (1i64..=10).prop_map(Off::Short),
        2 => (1i64..=10).prop_map(Off::Over),
        2 => (1i64..=300).prop_map(Off::Euros),
    ]
}

fn how() -> impl Strategy<Value = How> {
    prop_oneof![
        any::<Index>().prop_map(How::Reference),
        Just(How::Iban),
        Just(How::Number),
    ]
}

fn target() -> impl Strategy<Value = Target> {
    (
        prop::collection::vec(invoice_spec(5i64..=99, true), 1..=3),
        prop::option::weighted(0.8, (how(), off())),
    )
        .prop_map(|(invoices, pays)| Target { invoices, pays })
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        prop::collection::vec(target(), 1..10),
        prop::collection::vec(
            prop::collection::vec(
                invoice_spec(prop::sample::select(vec![19i64, 29, 39]), false),
                1..=2,
            ),
            0..6,
        ),
        prop::collection::vec(any::<Index>(), 0..6),
        prop::collection::vec(1i64..=500, 0..3),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec![0u32, 10, 30, 60]),
    )
        .prop_map(
            |(
                targets,
                pool,
                by_amount,
                noise,
                tolerance,
                credit_without_invoice,
                credit_for_paid_invoices,
                window,
            )| Scenario {
                targets,
                pool,
                by_amount,
                noise,
                tolerance,
                credit_without_invoice,
                credit_for_paid_invoices,
                window,
            },
        )
}

/// A scenario and the same lines in another order.
fn shuffled() -> impl Strategy<Value = (Scenario, Vec<usize>)> {
    scenario().prop_flat_map(|s| {
        let count = lines_of(&s, &documents(&s)).len();
        (Just(s), Just((0..count).collect::<Vec<_>>()).prop_shuffle())
    })
}

// ---------------------------------------------------------------------------------------
// Turning specs into records
// ---------------------------------------------------------------------------------------

const DAY: &str = "2026-10-20";

fn currency(code: &str) -> Currency {
    Currency::from_code(code).expect("ISO 4217 code")
}

fn cents(minor: i64) -> Money {
    Money::from_minor(minor, currency("EUR"))
}

fn october_first() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 1).expect("a day")
}

fn lineage(line: usize) -> Lineage {
    Lineage {
        file_sha256: "ab".repeat(32),
        file_name: "random.csv".to_string(),
        line: line as u64 + 2,
    }
}

fn target_id(i: usize) -> String {
    format!("C{}", 10_001 + i)
}

fn pool_id(j: usize) -> String {
    format!("C{}", 20_001 + j)
}

fn iban(id: &str) -> String {
    format!("DE00{:0>18}", &id[1..])
}

fn customer(id: &str) -> Customer {
    Customer {
        id: id.to_string(),
        login: format!("login-{id}"),
        name: format!("Name {id}"),
        email: String::new(),
        phone: String::new(),
        street: String::new(),
        city: String::new(),
        zip: String::new(),
        country: String::new(),
        partner: String::new(),
        status: String::new(),
        iban: iban(id),
        mandate_id: String::new(),
        mandate_signed: None,
        vat_id: String::new(),
        lineage: lineage(0),
    }
}

/// The documents of a scenario: the targets' invoices first, then the pool's, numbered in
/// that order; each with the cents its customers' totals end in.
fn documents(s: &Scenario) -> Vec<Document> {
    let mut docs = Vec::new();
    let mut add = |id: String, spec: &InvoiceSpec, cents: i64| {
        let due = october_first()
            .checked_add_signed(chrono::Duration::days(spec.due))
            .expect("a day");
        let code = if spec.usd { "USD" } else { "EUR" };
        docs.push(Document {
            number: format!("INV-2026-{:04}", docs.len() + 1),
            kind: DocumentKind::Invoice,
            customer_name: format!("Name {id}"),
            customer_id: id,
            issue_date: due - Days::new(14),
            due_date: Some(due),
            total: Money::from_minor(spec.euros * 100 + cents, currency(code)),
            status: if spec.paid {
                DocumentStatus::Paid
            } else {
                DocumentStatus::Open
            },
            deleted: false,
            itemized: false,
            lines: Vec::new(),
            lineage: lineage(docs.len()),
        });
    };
    for (i, t) in s.targets.iter().enumerate() {
        for spec in &t.invoices {
            add(target_id(i), spec, 90);
        }
    }
    for (j, invoices) in s.pool.iter().enumerate() {
        for spec in invoices {
            add(pool_id(j), spec, 40);
        }
    }
    docs
}

fn line(n: usize, account: &str, text: &str, minor: i64) -> BankLine {
    BankLine {
        id: format!("L{n}"),
        lineage: lineage(n),
        account: "DE89370400440532013000".to_string(),
        booking_date: DAY.parse().expect("a day"),
        value_date: None,
        amount: cents(minor.max(1)),
        counterparty: format!("Payer {n}"),
        counterparty_account: account.to_string(),
        bank_reference: String::new(),
        text: text.to_string(),
        info: EntryInfo::default(),
    }
}

fn apply_off(base: i64, off: Off) -> i64 {
    match off {
        Off::Exact => base,
        Off::Short(c) => base - c,
        Off::Over(c) => base + c,
        Off::Euros(e) => e * 100,
    }
}

/// The statement of a scenario, one line per payment, all booked on the same day.
fn lines_of(s: &Scenario, docs: &[Document]) -> Vec<BankLine> {
    let mut lines = Vec::new();
    for (i, t) in s.targets.iter().enumerate() {
        let Some((how, off)) = &t.pays else { continue };
        let id = target_id(i);
        let own: Vec<&Document> = docs.iter().filter(|d| d.customer_id == id).collect();
        let n = lines.len();
        let minor = |d: &Document| d.total.to_minor().expect("cents");
        let open_eur: i64 = own
            .iter()
            .filter(|d| d.status == DocumentStatus::Open && d.total.currency == currency("EUR"))
            .map(|d| minor(d))
            .sum();
        let paid = match off {
            Off::Exact | Off::Short(_) | Off::Over(_) if open_eur == 0 => 1000,
            _ => apply_off(open_eur, *off),
        };
        lines.push(match how {
            How::Reference(index) => {
                let named = own[index.index(own.len())];
                line(
                    n,
                    &format!("FR00{n:018}"),
                    &named.number,
                    apply_off(minor(named), *off),
                )
            }
            How::Iban => line(n, &iban(&id), "Oktober", paid),
            How::Number => line(n, "", &format!("Kundennummer {id}, danke"), paid),
        });
    }
    let pool: Vec<&Document> = docs
        .iter()
        .filter(|d| d.customer_id.starts_with("C2"))
        .collect();
    if !pool.is_empty() {
        for index in &s.by_amount {
            let n = lines.len();
            let total = pool[index.index(pool.len())]
                .total
                .to_minor()
                .expect("cents");
            lines.push(line(n, &format!("IT00{n:018}"), "Danke", total));
        }
    }
    for euros in &s.noise {
        let n = lines.len();
        lines.push(line(
            n,
            &format!("NL00{n:018}"),
            "Sonstiges",
            euros * 100 + 15,
        ));
    }
    lines
}

fn settings(s: &Scenario) -> ReconcileSettings {
    let mut tolerance = Tolerance::default();
    if s.tolerance {
        tolerance.any = Decimal::new(5, 2);
        tolerance.account = "6855".to_string();
    }
    ReconcileSettings {
        amount_and_date_days: s.window,
        tolerance,
        credit_without_invoice: s.credit_without_invoice,
        credit_for_paid_invoices: s.credit_for_paid_invoices,
        ..ReconcileSettings::default()
    }
}

fn book_of(s: &Scenario, docs: &[Document], settings: &ReconcileSettings) -> Book {
    let mut book = Book::new(settings);
    for i in 0..s.targets.len() {
        book.customers.update(&customer(&target_id(i)));
    }
    for j in 0..s.pool.len() {
        book.customers.update(&customer(&pool_id(j)));
    }
    for doc in docs {
        book.upsert(doc.clone());
    }
    book
}

/// Where things stand after a statement: each invoice's open amount, each customer's credit.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    open: BTreeMap<String, Option<Money>>,
    credit: BTreeMap<String, (Decimal, Decimal)>,
}

fn outcome(s: &Scenario, docs: &[Document], book: &Book) -> Outcome {
    let ids = (0..s.targets.len())
        .map(target_id)
        .chain((0..s.pool.len()).map(pool_id));
    Outcome {
        open: docs
            .iter()
            .map(|d| (d.number.clone(), book.open_amount(&d.number)))
            .collect(),
        credit: ids
            .map(|id| {
                let credit = (
                    book.customers.credit(&id, currency("EUR")),
                    book.customers.credit(&id, currency("USD")),
                );
                (id, credit)
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------
// Checks, line by line
// ---------------------------------------------------------------------------------------

/// What each invoice had open before a line.
type OpenBefore = HashMap<String, Option<Money>>;

fn open_amounts(docs: &[Document], book: &Book) -> OpenBefore {
    docs.iter()
        .map(|d| (d.number.clone(), book.open_amount(&d.number)))
        .collect()
}

/// The open invoices rule 3 could choose for a line, found the slow way.
fn candidates(line: &BankLine, docs: &[Document], before: &OpenBefore, window: u32) -> Vec<String> {
    let days = Days::new(u64::from(window));
    let (from, to) = (line.booking_date - days, line.booking_date + days);
    docs.iter()
        .filter(|d| before[&d.number] == Some(line.amount))
        .filter(|d| {
            let due = d.due_date.unwrap_or(d.issue_date);
            from <= due && due <= to
        })
        .map(|d| d.number.clone())
        .collect()
}

/// A customer's open invoices in a currency, oldest first, found the slow way.
fn oldest_first(
    customer: &str,
    currency: Currency,
    docs: &[Document],
    before: &OpenBefore,
) -> Vec<String> {
    let mut open: Vec<&Document> = docs
        .iter()
        .filter(|d| d.customer_id == customer && d.total.currency == currency)
        .filter(|d| before[&d.number].is_some_and(|m| !m.is_zero()))
        .collect();
    open.sort_by_key(|d| {
        (
            d.due_date.unwrap_or(d.issue_date),
            d.issue_date,
            d.number.clone(),
        )
    });
    open.into_iter().map(|d| d.number.clone()).collect()
}

fn check_line(
    line: &BankLine,
    matches: &[Match],
    docs: &[Document],
    before: &OpenBefore,
    after: &Book,
    settings: &ReconcileSettings,
    allocated: &mut HashMap<String, Decimal>,
) -> Result<(), TestCaseError> {
    // Money is never created or lost.
    let sum: Decimal = matches.iter().map(|m| m.amount.amount).sum();
    prop_assert_eq!(
        sum,
        line.amount.amount,
        "matches of {:?}: {:#?}",
        line.text,
        matches
    );
    for m in matches {
        prop_assert_eq!(m.amount.currency, line.amount.currency);
    }

    // No invoice receives more than it has open; paid invoices receive nothing.
    for m in matches.iter().filter(|m| m.kind == MatchKind::Allocation) {
        let number = m.document.clone().expect("an allocation names its invoice");
        let doc = docs
            .iter()
            .find(|d| d.number == number)
            .expect("a document");
        prop_assert_eq!(
            doc.status,
            DocumentStatus::Open,
            "allocated to a paid invoice: {:?}",
            m
        );
        let so_far = allocated.entry(number.clone()).or_default();
        *so_far += m.amount.amount;
        prop_assert!(
            *so_far <= doc.total.amount,
            "{} has {} allocated",
            number,
            so_far
        );
        prop_assert_eq!(
            after.open_amount(&number).map(|o| o.amount),
            Some(doc.total.amount - *so_far),
            "the book and the matches disagree on {}",
            number
        );
    }

    // A difference is within the tolerance and leaves its invoice settled.
    for m in matches.iter().filter(|m| m.kind == MatchKind::Difference) {
        let allowed = settings.tolerance.allowed(m.amount.currency);
        prop_assert!(
            m.amount.amount.abs() <= allowed,
            "{:?} beyond {}",
            m,
            allowed
        );
        prop_assert!(!m.amount.is_zero());
        let number = m
            .document
            .as_deref()
            .expect("a difference names its invoice");
        prop_assert!(
            after.open_amount(number).is_some_and(|o| o.is_zero()),
            "{:?}",
            m
        );
        prop_assert_eq!(m.account.as_str(), "6855");
    }

    // An amount with two candidates or more never matches; one with one may.
    let found = candidates(line, docs, before, settings.amount_and_date_days);
    let by_amount = matches.iter().any(|m| m.rule == RULE_AMOUNT_AND_DATE);
    if by_amount {
        prop_assert_eq!(found.len(), 1, "matched by amount among {:?}", found);
        prop_assert_eq!(matches[0].document.as_ref(), found.first());
        prop_assert!(matches[0].confidence < 100);
    }
    if found.len() >= 2 {
        prop_assert!(!by_amount);
    }

    // A customer's money never skips an older open invoice (other than those the line
    // names and pays by reference: what is left of it pays the others).
    let paid: Vec<String> = matches
        .iter()
        .filter(|m| m.rule == RULE_CUSTOMER && m.kind == MatchKind::Allocation)
        .filter_map(|m| m.document.clone())
        .collect();
    if let Some(customer) = matches
        .iter()
        .find(|m| m.rule == RULE_CUSTOMER && m.kind == MatchKind::Allocation)
        .and_then(|m| m.customer_id.as_deref())
    {
        let named: Vec<&str> = matches
            .iter()
            .filter(|m| m.rule != RULE_CUSTOMER && m.kind == MatchKind::Allocation)
            .filter_map(|m| m.document.as_deref())
            .collect();
        let order: Vec<String> = oldest_first(customer, line.amount.currency, docs, before)
            .into_iter()
            .filter(|n| !named.contains(&n.as_str()))
            .collect();
        prop_assert!(paid.len() <= order.len(), "paid {:?} of {:?}", paid, order);
        prop_assert_eq!(
            &paid[..],
            &order[..paid.len()],
            "not oldest first: {:#?}",
            matches
        );
        if let Some((_, earlier)) = paid.split_last() {
            for number in earlier {
                prop_assert!(
                    after.open_amount(number).is_some_and(|o| o.is_zero()),
                    "{} left open while money went on",
                    number
                );
            }
        }
    }
    Ok(())
}

/// Reconciles the lines in `order` against a fresh book, checking each; returns the outcome.
fn reconcile_in(s: &Scenario, order: &[usize]) -> Result<Outcome, TestCaseError> {
    let settings = settings(s);
    let docs = documents(s);
    let lines = lines_of(s, &docs);
    let mut book = book_of(s, &docs, &settings);
    let mut allocated = HashMap::new();
    for &i in order {
        let before = open_amounts(&docs, &book);
        let matches = reconcile_line(&lines[i], &mut book, &settings);
        check_line(
            &lines[i],
            &matches,
            &docs,
            &before,
            &book,
            &settings,
            &mut allocated,
        )?;
    }
    Ok(outcome(s, &docs, &book))
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn money_is_never_created_or_lost_no_invoice_is_over_allocated_and_ambiguous_amounts_never_match(
        s in scenario()
    ) {
        let count = lines_of(&s, &documents(&s)).len();
        reconcile_in(&s, &(0..count).collect::<Vec<_>>())?;
    }

    #[test]
    fn the_outcome_does_not_depend_on_the_order_of_the_lines_within_a_day(
        (s, order) in shuffled()
    ) {
        let count = order.len();
        let written = reconcile_in(&s, &(0..count).collect::<Vec<_>>())?;
        let reordered = reconcile_in(&s, &order)?;
        prop_assert_eq!(written, reordered, "order {:?}", order);
    }

    #[test]
    fn a_line_whose_amount_two_open_invoices_have_never_matches(
        euros in 1i64..=200,
        // Days from 2026-10-01: all due within 30 days of the booking date, 2026-10-20.
        due in prop::collection::vec(-10i64..=40, 2..6),
    ) {
        let pool = due
            .iter()
            .map(|&due| vec![InvoiceSpec { euros, usd: false, due, paid: false }])
            .collect::<Vec<_>>();
        let s = Scenario {
            targets: Vec::new(),
            pool,
            by_amount: Vec::new(),
            noise: Vec::new(),
            tolerance: false,
            credit_without_invoice: false,
            credit_for_paid_invoices: true,
            window: 30,
        };
        let settings = settings(&s);
        let docs = documents(&s);
        let mut book = book_of(&s, &docs, &settings);
        let payment = line(0, "IT00000000000000000000", "Danke", euros * 100 + 40);
        let matches = reconcile_line(&payment, &mut book, &settings);
        prop_assert_eq!(matches.len(), 1);
        prop_assert_eq!(matches[0].kind, MatchKind::Unmatched);
        let named = format!("{} open invoices of EUR {}.40", due.len(), euros);
        prop_assert!(matches[0].explanation.contains(&named), "{}", matches[0].explanation);
    }
}
