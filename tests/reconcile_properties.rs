//! The money invariants of reconciliation, as properties over random books and statements:
//! money is never created or lost, no invoice is paid beyond its total, money out and
//! invoices that are not owed (paid, cancelled, credit notes, another currency) are never
//! allocated, and every decision carries its reason. Plus the two parsers the matching and
//! the amounts depend on: `normalize_reference` and `parse_amount`.

mod common;

use std::collections::HashMap;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::sample::Index;
use rust_decimal::Decimal;
use sluice::model::{
    BankLine, Currency, Document, DocumentKind, DocumentStatus, EntryInfo, Lineage, Match,
    MatchKind, Money,
};
use sluice::pipeline::ReconcileSettings;
use sluice::reconcile::{Book, normalize_reference, reconcile_line};
use sluice::sources::parse_amount;

// ---------------------------------------------------------------------------------------
// Random books and statements
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct InvoiceSpec {
    /// Total in minor units; negative makes it a credit note.
    minor: i64,
    status: DocumentStatus,
    currency: &'static str,
}

/// How an invoice number is written in a payment: `INV-2026-0007`, `inv 2026 0007`,
/// `iNv2026/0007` …
#[derive(Debug, Clone)]
struct Spelling {
    upper: [bool; 3],
    after_prefix: String,
    after_year: String,
}

#[derive(Debug, Clone)]
enum Mention {
    /// One of the book's documents (whatever its state).
    Known(Index),
    /// A number that is in no book (a typo, or an invoice export that is missing).
    Unknown(u16),
}

#[derive(Debug, Clone)]
enum Amount {
    Minor(i64),
    /// Exactly the total of the first known document the line names (else the fallback).
    TotalOfFirstMention(i64),
}

#[derive(Debug, Clone)]
struct LineSpec {
    amount: Amount,
    currency: &'static str,
    mentions: Vec<(Mention, Spelling)>,
    /// The numbers are in the bank reference field rather than the remittance text.
    in_reference: bool,
    filler: &'static str,
    joiner: &'static str,
}

fn status() -> impl Strategy<Value = DocumentStatus> {
    prop_oneof![
        6 => Just(DocumentStatus::Open),
        2 => Just(DocumentStatus::Paid),
        2 => Just(DocumentStatus::Cancelled),
    ]
}

fn invoice_spec() -> impl Strategy<Value = InvoiceSpec> {
    let minor = prop_oneof![
        18 => 1i64..=250_000,
        1 => Just(0i64),
        1 => -50_000i64..=-1,
    ];
    let currency = prop_oneof![8 => Just("EUR"), 1 => Just("USD"), 1 => Just("GBP")];
    (minor, status(), currency).prop_map(|(minor, status, currency)| InvoiceSpec {
        minor,
        status,
        currency,
    })
}

fn spelling() -> impl Strategy<Value = Spelling> {
    (any::<[bool; 3]>(), "[ \\-/_.]{0,3}", "[ \\-/_.]{0,3}").prop_map(
        |(upper, after_prefix, after_year)| Spelling {
            upper,
            after_prefix,
            after_year,
        },
    )
}

fn mention() -> impl Strategy<Value = Mention> {
    prop_oneof![
        4 => any::<Index>().prop_map(Mention::Known),
        1 => (5000u16..=9999).prop_map(Mention::Unknown),
    ]
}

fn line_spec() -> impl Strategy<Value = LineSpec> {
    let amount = prop_oneof![
        4 => 1i64..=300_000,
        2 => -300_000i64..=-1,
        1 => Just(0i64),
    ];
    let amount = prop_oneof![
        3 => amount.clone().prop_map(Amount::Minor),
        2 => amount.prop_map(Amount::TotalOfFirstMention),
    ];
    let currency = prop_oneof![8 => Just("EUR"), 2 => Just("USD")];
    let filler = prop::sample::select(vec![
        "",
        "Rechnung",
        "Ref",
        "payment for",
        "Kd-Nr C10001",
        "thanks!",
    ]);
    let joiner = prop::sample::select(vec![" ", ", ", " + ", " / ", " and "]);
    (
        amount,
        currency,
        prop::collection::vec((mention(), spelling()), 0..=3),
        any::<bool>(),
        filler,
        joiner,
    )
        .prop_map(
            |(amount, currency, mentions, in_reference, filler, joiner)| LineSpec {
                amount,
                currency,
                mentions,
                in_reference,
                filler,
                joiner,
            },
        )
}

fn scenario() -> impl Strategy<Value = (Vec<InvoiceSpec>, Vec<LineSpec>)> {
    (
        prop::collection::vec(invoice_spec(), 1..25),
        prop::collection::vec(line_spec(), 1..30),
    )
}

// ---------------------------------------------------------------------------------------
// Turning specs into records
// ---------------------------------------------------------------------------------------

fn currency(code: &str) -> Currency {
    Currency::from_code(code).expect("ISO 4217 code")
}

fn invoice_number(seq: usize) -> String {
    format!("INV-2026-{seq:04}")
}

fn spell(year: &str, seq: &str, s: &Spelling) -> String {
    let prefix: String = "INV"
        .chars()
        .zip(s.upper)
        .map(|(c, up)| if up { c } else { c.to_ascii_lowercase() })
        .collect();
    format!("{prefix}{}{year}{}{seq}", s.after_prefix, s.after_year)
}

fn documents(specs: &[InvoiceSpec]) -> Vec<Document> {
    specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let total = Money::from_minor(spec.minor, currency(spec.currency));
            Document {
                number: invoice_number(i + 1),
                kind: if total.is_negative() {
                    DocumentKind::CreditNote
                } else {
                    DocumentKind::Invoice
                },
                customer_id: format!("C{}", 10_000 + i % 7),
                customer_name: format!("Customer {}", i % 7),
                issue_date: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
                due_date: NaiveDate::from_ymd_opt(2026, 10, 15),
                total,
                status: spec.status,
                deleted: false,
                itemized: false,
                lines: Vec::new(),
                lineage: Lineage {
                    file_sha256: "cd".repeat(32),
                    file_name: "invoices-2026-10.csv".to_string(),
                    line: i as u64 + 2,
                },
            }
        })
        .collect()
}

/// A bank line, with the numbers of the book's documents it names (in the order written).
fn bank_line(i: usize, spec: &LineSpec, docs: &[Document]) -> (BankLine, Vec<String>) {
    let mut named = Vec::new();
    let mut words = Vec::new();
    for (mention, spelling) in &spec.mentions {
        match mention {
            Mention::Known(index) => {
                let seq = index.index(docs.len()) + 1;
                named.push(invoice_number(seq));
                words.push(spell("2026", &format!("{seq:04}"), spelling));
            }
            Mention::Unknown(n) => words.push(spell("2026", &n.to_string(), spelling)),
        }
    }
    let numbers = words.join(spec.joiner);
    let (bank_reference, text) = if spec.in_reference {
        (numbers, spec.filler.to_string())
    } else {
        (
            format!("DB2026{i:06}"),
            format!("{} {numbers}", spec.filler).trim().to_string(),
        )
    };
    let minor = match spec.amount {
        Amount::Minor(m) => m,
        Amount::TotalOfFirstMention(fallback) => named
            .first()
            .and_then(|n| docs.iter().find(|d| &d.number == n))
            .map(|d| d.total.to_minor().unwrap().abs())
            .filter(|m| *m > 0)
            .unwrap_or(fallback),
    };
    let lineage = Lineage {
        file_sha256: "ab".repeat(32),
        file_name: "bank-2026-10.csv".to_string(),
        line: i as u64 + 2,
    };
    let line = BankLine {
        id: lineage.record_id(),
        lineage,
        account: "DE89370400440532013000".to_string(),
        booking_date: NaiveDate::from_ymd_opt(2026, 10, 1 + (i % 28) as u32).unwrap(),
        value_date: None,
        amount: Money::from_minor(minor, currency(spec.currency)),
        counterparty: "Somebody".to_string(),
        counterparty_account: String::new(),
        bank_reference,
        text,
        info: EntryInfo::default(),
    };
    (line, named)
}

/// The default settings with rule 3 off: these properties are about invoice references
/// (rule 1), whose lines here carry no counterparty a customer rule could recognise, while a
/// random amount may equal a random invoice's. Money beyond the named invoices stays credit
/// (it would otherwise pay the customer's other invoices, by rule 2).
/// `customer_rules_properties.rs` holds the properties of rules 2 to 4.
fn settings() -> ReconcileSettings {
    ReconcileSettings {
        by_amount_and_date: false,
        rest_pays_other_invoices: false,
        ..ReconcileSettings::default()
    }
}

fn book_of(docs: &[Document]) -> Book {
    let mut book = Book::new(&settings());
    for doc in docs {
        book.upsert(doc.clone());
    }
    book
}

/// One reconciled line, with the book as it was before and after it.
struct Step<'a> {
    line: &'a BankLine,
    named: &'a [String],
    matches: Vec<Match>,
    open_before: HashMap<String, Option<Money>>,
    book: &'a Book,
}

fn open_amounts(book: &Book, docs: &[Document]) -> HashMap<String, Option<Money>> {
    docs.iter()
        .map(|d| (d.number.clone(), book.open_amount(&d.number)))
        .collect()
}

/// Reconciles the lines in order against one book, handing each step to `check`.
fn replay(
    invoices: &[InvoiceSpec],
    lines: &[LineSpec],
    mut check: impl FnMut(&[Document], &Step<'_>) -> Result<(), TestCaseError>,
) -> Result<(), TestCaseError> {
    let docs = documents(invoices);
    let lines: Vec<(BankLine, Vec<String>)> = lines
        .iter()
        .enumerate()
        .map(|(i, spec)| bank_line(i, spec, &docs))
        .collect();
    let settings = settings();
    let mut book = book_of(&docs);
    for (line, named) in &lines {
        let open_before = open_amounts(&book, &docs);
        let matches = reconcile_line(line, &mut book, &settings);
        check(
            &docs,
            &Step {
                line,
                named,
                matches,
                open_before,
                book: &book,
            },
        )?;
    }
    Ok(())
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------
// Reconciliation
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn the_matches_of_a_line_add_up_exactly_to_its_amount_in_its_currency(
        (invoices, lines) in scenario()
    ) {
        replay(&invoices, &lines, |_, step| {
            prop_assert!(!step.matches.is_empty(), "line {} got no match at all", step.line.id);
            let mut sum = Decimal::ZERO;
            for m in &step.matches {
                prop_assert_eq!(&m.bank_line_id, &step.line.id);
                prop_assert_eq!(
                    m.amount.currency, step.line.amount.currency,
                    "a match of a {} line is in {}: {:?}",
                    step.line.amount.currency, m.amount.currency, m
                );
                sum += m.amount.amount;
            }
            prop_assert_eq!(
                sum, step.line.amount.amount,
                "matches of {} ({:?}) add up to {}: {:#?}",
                step.line.amount, step.line.text, sum, step.matches
            );
            Ok(())
        })?;
    }

    #[test]
    fn every_share_of_money_in_is_positive(
        (invoices, lines) in scenario()
    ) {
        replay(&invoices, &lines, |_, step| {
            if step.line.amount.is_negative() || step.line.amount.is_zero() {
                return Ok(());
            }
            for m in &step.matches {
                prop_assert!(
                    m.amount.amount > Decimal::ZERO,
                    "a share of {} is not positive: {:?}", step.line.amount, m
                );
            }
            Ok(())
        })?;
    }

    #[test]
    fn no_invoice_is_ever_allocated_beyond_its_total_across_any_sequence_of_lines(
        (invoices, lines) in scenario()
    ) {
        let mut allocated: HashMap<String, Decimal> = HashMap::new();
        replay(&invoices, &lines, |docs, step| {
            for m in step.matches.iter().filter(|m| m.kind == MatchKind::Allocation) {
                let doc = m.document.clone().expect("an allocation names its document");
                *allocated.entry(doc).or_default() += m.amount.amount;
            }
            for doc in docs {
                let sum = allocated.get(&doc.number).copied().unwrap_or_default();
                prop_assert!(
                    sum <= doc.total.amount.max(Decimal::ZERO),
                    "{} ({}) has {} allocated after line {}",
                    doc.number, doc.total, sum, step.line.id
                );
                if doc.kind != DocumentKind::Invoice {
                    prop_assert_eq!(step.book.open_amount(&doc.number), None);
                    continue;
                }
                let open = step
                    .book
                    .open_amount(&doc.number)
                    .expect("an invoice has an open amount");
                prop_assert!(!open.is_negative(), "{} has {} open", doc.number, open);
                prop_assert_eq!(open.currency, doc.total.currency);
                if doc.status == DocumentStatus::Open {
                    prop_assert_eq!(
                        open.amount, doc.total.amount - sum,
                        "the book and the matches disagree on what {} received", doc.number
                    );
                }
            }
            Ok(())
        })?;
    }

    #[test]
    fn money_out_is_never_allocated_to_an_invoice(
        (invoices, lines) in scenario()
    ) {
        replay(&invoices, &lines, |docs, step| {
            let money_out = step.line.amount.is_negative();
            if !money_out {
                prop_assert!(
                    step.line.amount.is_zero()
                        || step.matches.iter().all(|m| m.kind != MatchKind::Outgoing),
                    "money in recorded as outgoing: {:?}", step.matches
                );
                return Ok(());
            }
            prop_assert_eq!(step.matches.len(), 1, "money out split: {:?}", &step.matches);
            let m = &step.matches[0];
            prop_assert_eq!(m.kind, MatchKind::Outgoing);
            prop_assert_eq!(&m.document, &None);
            prop_assert_eq!(m.amount, step.line.amount);
            prop_assert_eq!(
                &open_amounts(step.book, docs), &step.open_before,
                "money out changed what is open"
            );
            Ok(())
        })?;
    }

    #[test]
    fn paid_or_cancelled_invoices_and_credit_notes_never_receive_an_allocation(
        (invoices, lines) in scenario()
    ) {
        replay(&invoices, &lines, |docs, step| {
            for m in step.matches.iter().filter(|m| m.kind == MatchKind::Allocation) {
                let number = m.document.as_deref().expect("an allocation names its document");
                let doc = docs.iter().find(|d| d.number == number).expect("a document of the book");
                prop_assert_eq!(
                    doc.kind, DocumentKind::Invoice,
                    "allocated to a credit note: {:?}", m
                );
                prop_assert_eq!(
                    doc.status, DocumentStatus::Open,
                    "allocated to a {} invoice: {:?}", doc.status.as_str(), m
                );
            }
            Ok(())
        })?;
    }

    #[test]
    fn an_invoice_in_another_currency_never_receives_an_allocation(
        (invoices, lines) in scenario()
    ) {
        replay(&invoices, &lines, |docs, step| {
            for m in step.matches.iter().filter(|m| m.kind == MatchKind::Allocation) {
                let number = m.document.as_deref().expect("an allocation names its document");
                let doc = docs.iter().find(|d| d.number == number).expect("a document of the book");
                prop_assert_eq!(
                    doc.total.currency, step.line.amount.currency,
                    "a {} payment allocated to a {} invoice: {:?}",
                    step.line.amount.currency, doc.total.currency, m
                );
            }
            Ok(())
        })?;
    }

    #[test]
    fn money_only_goes_to_invoices_the_line_names(
        (invoices, lines) in scenario()
    ) {
        replay(&invoices, &lines, |docs, step| {
            for m in &step.matches {
                if let Some(number) = &m.document {
                    prop_assert!(
                        step.named.contains(number),
                        "{:?} / {:?} names {:?}, but money went to {}",
                        step.line.bank_reference, step.line.text, step.named, number
                    );
                }
                if m.kind == MatchKind::Credit {
                    let customers: Vec<&str> = docs
                        .iter()
                        .filter(|d| step.named.contains(&d.number))
                        .map(|d| d.customer_id.as_str())
                        .collect();
                    let customer = m.customer_id.as_deref().unwrap_or_default();
                    prop_assert!(
                        customers.contains(&customer),
                        "credit kept for {:?}, not a customer of the named invoices {:?}",
                        customer, step.named
                    );
                }
            }
            Ok(())
        })?;
    }

    #[test]
    fn money_goes_to_the_named_invoices_in_the_order_written_each_paid_in_full_before_the_next(
        (invoices, lines) in scenario()
    ) {
        replay(&invoices, &lines, |_, step| {
            let paid: Vec<&str> = step
                .matches
                .iter()
                .filter(|m| m.kind == MatchKind::Allocation)
                .filter_map(|m| m.document.as_deref())
                .collect();
            let mut order: Vec<&str> = Vec::new();
            for number in step.named {
                if !order.contains(&number.as_str()) {
                    order.push(number);
                }
            }
            let written: Vec<&str> = order.into_iter().filter(|n| paid.contains(n)).collect();
            prop_assert_eq!(
                &paid, &written,
                "paid out of the order written in {:?} / {:?}",
                step.line.bank_reference, step.line.text
            );
            if let Some((_, before_last)) = paid.split_last() {
                for number in before_last {
                    prop_assert_eq!(
                        step.book.open_amount(number).map(|m| m.amount),
                        Some(Decimal::ZERO),
                        "{} was left open while money went on to a later invoice", number
                    );
                }
            }
            Ok(())
        })?;
    }

    #[test]
    fn a_payment_naming_an_open_invoice_in_its_currency_always_pays_it_something(
        (invoices, lines) in scenario()
    ) {
        replay(&invoices, &lines, |docs, step| {
            if step.line.amount.is_negative() || step.line.amount.is_zero() {
                return Ok(());
            }
            let payable = step.named.iter().any(|number| {
                let doc = docs.iter().find(|d| &d.number == number).expect("a document");
                doc.kind == DocumentKind::Invoice
                    && doc.total.currency == step.line.amount.currency
                    && step.open_before[number].is_some_and(|open| !open.is_zero())
            });
            let allocated = step.matches.iter().any(|m| m.kind == MatchKind::Allocation);
            prop_assert_eq!(
                allocated, payable,
                "{:?} / {:?} naming {:?}: {:#?}",
                step.line.bank_reference, step.line.text, step.named, step.matches
            );
            Ok(())
        })?;
    }

    #[test]
    fn every_match_has_an_explanation_and_a_rule(
        (invoices, lines) in scenario()
    ) {
        replay(&invoices, &lines, |_, step| {
            for m in &step.matches {
                prop_assert!(!m.rule.trim().is_empty(), "no rule: {:?}", m);
                prop_assert!(!m.explanation.trim().is_empty(), "no explanation: {:?}", m);
                prop_assert!(m.confidence <= 100, "confidence beyond 100: {:?}", m);
                if let Some(number) = &m.document {
                    prop_assert!(
                        m.explanation.contains(number.as_str()),
                        "the explanation does not name invoice {}: {:?}", number, m.explanation
                    );
                }
            }
            Ok(())
        })?;
    }

    #[test]
    fn a_payment_naming_an_open_invoice_in_any_spelling_pays_it_and_keeps_the_rest_as_credit(
        total in 1i64..=250_000,
        paid in 1i64..=500_000,
        spelling in spelling(),
        in_reference in any::<bool>(),
        first in any::<Index>(),
    ) {
        let docs = documents(&[InvoiceSpec {
            minor: total,
            status: DocumentStatus::Open,
            currency: "EUR",
        }]);
        let spec = LineSpec {
            amount: Amount::Minor(paid),
            currency: "EUR",
            mentions: vec![(Mention::Known(first), spelling)],
            in_reference,
            filler: "Rechnung",
            joiner: " ",
        };
        let (line, _) = bank_line(0, &spec, &docs);
        let mut book = book_of(&docs);
        let matches = reconcile_line(&line, &mut book, &settings());
        let eur = currency("EUR");
        prop_assert_eq!(
            matches[0].kind, MatchKind::Allocation,
            "{:?} / {:?}: {:#?}", line.bank_reference, line.text, matches
        );
        prop_assert_eq!(matches[0].document.as_deref(), Some("INV-2026-0001"));
        prop_assert_eq!(matches[0].amount, Money::from_minor(total.min(paid), eur));
        prop_assert_eq!(
            book.open_amount("INV-2026-0001"),
            Some(Money::from_minor((total - paid).max(0), eur))
        );
        if paid > total {
            prop_assert_eq!(matches.len(), 2);
            prop_assert_eq!(matches[1].kind, MatchKind::Credit);
            prop_assert_eq!(matches[1].amount, Money::from_minor(paid - total, eur));
            prop_assert_eq!(matches[1].customer_id.as_deref(), Some(docs[0].customer_id.as_str()));
        } else {
            prop_assert_eq!(matches.len(), 1);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Invoice references
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn normalize_reference_is_idempotent_and_gives_only_uppercase_letters_and_digits(
        text in "\\PC{0,40}"
    ) {
        let once = normalize_reference(&text);
        prop_assert_eq!(normalize_reference(&once), once.clone());
        prop_assert!(
            once.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
            "{:?} became {:?}", text, once
        );
    }

    #[test]
    fn normalize_reference_ignores_case_and_separators(
        parts in prop::collection::vec(("[a-zA-Z0-9]", any::<bool>(), "[ \\-/_.,:#]{0,3}"), 1..20)
    ) {
        let canonical: String = parts.iter().map(|(c, _, _)| c.to_ascii_uppercase()).collect();
        let written: String = parts
            .iter()
            .map(|(c, upper, sep)| {
                let c = if *upper { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() };
                format!("{c}{sep}")
            })
            .collect();
        prop_assert_eq!(normalize_reference(&written), canonical);
    }

    #[test]
    fn an_invoice_number_in_any_spelling_normalizes_to_the_same_key_and_is_found_by_the_pattern(
        seq in 1u16..=9999,
        spelling in spelling(),
    ) {
        let number = invoice_number(usize::from(seq));
        let written = spell("2026", &format!("{seq:04}"), &spelling);
        prop_assert_eq!(normalize_reference(&written), normalize_reference(&number));
        let text = format!("Rechnung {written}, danke");
        let found: Vec<&str> = settings()
            .invoice_pattern
            .find_iter(&text)
            .map(|m| m.as_str())
            .collect();
        prop_assert_eq!(found.len(), 1, "{:?} found {:?}", text, found);
        prop_assert_eq!(normalize_reference(found[0]), normalize_reference(&number));
    }
}

// ---------------------------------------------------------------------------------------
// Amounts as written
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Sign {
    /// `-1,234.56`
    Leading,
    /// `(1,234.56)`
    Parentheses,
    /// `1,234.56-`
    Trailing,
}

#[derive(Debug, Clone)]
struct Written {
    value: Decimal,
    decimal: char,
    thousands: Option<char>,
    /// Whether the thousands separator is actually written (it is optional).
    grouped: bool,
    sign: Sign,
    plus: bool,
    padding: (&'static str, &'static str),
}

fn written() -> impl Strategy<Value = Written> {
    let separators = prop::sample::select(vec![
        ('.', None),
        (',', None),
        ('.', Some(',')),
        ('.', Some(' ')),
        ('.', Some('\'')),
        (',', Some('.')),
        (',', Some(' ')),
        (',', Some('\'')),
    ]);
    let sign = prop_oneof![
        Just(Sign::Leading),
        Just(Sign::Parentheses),
        Just(Sign::Trailing)
    ];
    let padding = prop::sample::select(vec![("", ""), (" ", ""), ("", "  "), ("\t", " ")]);
    (
        -999_999_999_999i64..=999_999_999_999,
        0u32..=4,
        separators,
        any::<bool>(),
        sign,
        any::<bool>(),
        padding,
    )
        .prop_map(
            |(mantissa, scale, (decimal, thousands), grouped, sign, plus, padding)| Written {
                value: Decimal::new(mantissa, scale),
                decimal,
                thousands,
                grouped,
                sign,
                plus,
                padding,
            },
        )
}

fn write_amount(w: &Written) -> String {
    let plain = w.value.abs().to_string();
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    let int = match (w.thousands, w.grouped) {
        (Some(sep), true) => common::group_digits(int, sep),
        _ => int.to_string(),
    };
    let body = if frac.is_empty() {
        int
    } else {
        format!("{int}{}{frac}", w.decimal)
    };
    let signed = if w.value.is_sign_negative() && !w.value.is_zero() {
        match w.sign {
            Sign::Leading => format!("-{body}"),
            Sign::Parentheses => format!("({body})"),
            Sign::Trailing => format!("{body}-"),
        }
    } else if w.plus {
        format!("+{body}")
    } else {
        body
    };
    format!("{}{signed}{}", w.padding.0, w.padding.1)
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn parse_amount_reads_back_any_amount_as_banks_write_it(w in written()) {
        let text = write_amount(&w);
        let parsed = parse_amount(&text, w.decimal, w.thousands)
            .map_err(|why| TestCaseError::fail(format!("{text:?} refused: {why}")))?;
        prop_assert_eq!(parsed, w.value, "{:?} read as {}", text, parsed);
        prop_assert_eq!(parsed.scale(), w.value.scale(), "{:?} read as {}", text, parsed);
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn an_amount_with_a_later_digit_group_of_other_than_three_digits_is_refused(
        lead in 1u32..=999,
        groups in prop::collection::vec("[0-9]{3}", 0..=2),
        wrong in prop_oneof!["[0-9]{1,2}", "[0-9]{4,5}"],
        at in any::<prop::sample::Index>(),
        (decimal, thousands) in grouped_separators(),
        cents in prop::option::of(0u32..=99),
    ) {
        let mut groups = groups;
        groups.insert(at.index(groups.len() + 1), wrong);
        let mut text = lead.to_string();
        for g in &groups {
            text.push(thousands);
            text.push_str(g);
        }
        if let Some(c) = cents {
            text.push_str(&format!("{decimal}{c:02}"));
        }
        let parsed = parse_amount(&text, decimal, Some(thousands));
        prop_assert!(parsed.is_err(), "{:?} (decimal {:?}, thousands {:?}) read as {:?}", text, decimal, thousands, parsed);
    }
}

/// Separator pairs a pipeline may set, with a thousands separator.
fn grouped_separators() -> impl Strategy<Value = (char, char)> {
    prop::sample::select(vec![
        ('.', ','),
        ('.', ' '),
        ('.', '\''),
        (',', '.'),
        (',', ' '),
        (',', '\''),
    ])
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn an_amount_whose_first_digit_group_is_longer_than_three_is_refused(
        lead in 1000u32..=999_999,
        groups in prop::collection::vec(0u32..=999, 1..=2),
        (decimal, thousands) in grouped_separators(),
        cents in prop::option::of(0u32..=99),
    ) {
        let mut text = lead.to_string();
        for g in &groups {
            text.push_str(&format!("{thousands}{g:03}"));
        }
        if let Some(c) = cents {
            text.push_str(&format!("{decimal}{c:02}"));
        }
        let parsed = parse_amount(&text, decimal, Some(thousands));
        prop_assert!(parsed.is_err(), "{:?} (decimal {:?}, thousands {:?}) read as {:?}", text, decimal, thousands, parsed);
    }

    #[test]
    fn an_amount_with_parentheses_and_a_minus_sign_is_refused(
        mantissa in 1i64..=99_999_999,
        trailing in any::<bool>(),
    ) {
        let value = Decimal::new(mantissa, 2);
        let text = if trailing { format!("({value}-)") } else { format!("(-{value})") };
        let parsed = parse_amount(&text, '.', None);
        prop_assert!(parsed.is_err(), "{:?} read as {:?}", text, parsed);
    }
}
