//! Generating the month: customers, their invoices, and the bank lines of what they (and
//! others) did with their money, each line written down with what it truly pays.
//!
//! The mix is a small ISP's month as finance teams describe it: most customers pay by
//! transfer naming the invoice, some by direct debit; the rest pay with a mangled number, no
//! reference at all, from a relative's account, in part, short by a bank's fee, too much,
//! twice, or two months at once; a few debits come back; strangers send money that is not
//! ours to keep; and the business pays rent, salaries and suppliers from the same account.
//! `HABITS` holds the shares, in thousandths of the customers paying by transfer.

use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;

use super::people::{Accounts, Person, address};
use super::rng::Rng;
use super::truth::{Target, Truth};
use super::{Month, Spec, SpecError};

/// Monthly plans in cents, with how many customers in a hundred have each.
const PLANS: [(i64, u64); 4] = [(1990, 25), (2990, 35), (3990, 25), (5990, 15)];
/// One-off items added to a monthly invoice, in cents.
const ONE_OFFS: [i64; 4] = [4900, 9900, 500, 500];
/// Customers in a thousand who have each of these.
const MANDATE: u64 = 200;
const ONE_OFF: u64 = 40;
const CREDIT_NOTE: u64 = 5;
const PARTNER: u64 = 50;
/// Transfer payers in a thousand whose previous month's invoice is still open.
const PREVIOUS_OPEN: u64 = 30;
/// Direct debits in a thousand that come back.
const RETURNED: u64 = 20;
/// The credit note's amount, in cents: an outage credited.
const CREDIT_NOTE_CENTS: i64 = 1000;
const RETURN_FEE_CENTS: i64 = 300;
/// Collections are booked on this day of the month.
const DIRECT_DEBIT_DAY: u32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Habit {
    /// The invoice number, as issued.
    Exact,
    /// The number with separators, case or zeros changed, or a letter mistyped.
    Mangled,
    /// No reference; the customer's own account.
    IbanOnly,
    /// A relative's account, naming the customer or their number.
    Family,
    Partial,
    /// A foreign bank's fee taken off.
    FeeShort,
    /// Rounded up.
    Overpaid,
    /// The same transfer again a few days later.
    PaidTwice,
    /// No reference, an account never seen, an amount thousands of customers owe.
    Ambiguous,
    /// One digit wrong, naming another customer's invoice.
    Mistyped,
    NotPaying,
}

const HABITS: [(Habit, u64); 11] = [
    (Habit::Exact, 620),
    (Habit::Mangled, 60),
    (Habit::IbanOnly, 125),
    (Habit::Family, 25),
    (Habit::Partial, 15),
    (Habit::FeeShort, 10),
    (Habit::Overpaid, 5),
    (Habit::PaidTwice, 3),
    (Habit::Ambiguous, 15),
    (Habit::Mistyped, 3),
    (Habit::NotPaying, 30),
];

const MONTH_NAMES: [&str; 12] = [
    "Januar",
    "Februar",
    "Maerz",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

struct Invoice {
    number: String,
    seq: u64,
    total: Decimal,
}

struct Customer {
    id: String,
    person: Person,
    iban: String,
    mandate: Option<String>,
    invoice: Invoice,
    previous: Option<Invoice>,
    credit_note: Option<String>,
}

impl Customer {
    /// What the customer owes this month: the invoice less a credit note.
    fn due(&self) -> Decimal {
        self.invoice.total
            - self
                .credit_note
                .as_ref()
                .map_or(Decimal::ZERO, |_| cents(CREDIT_NOTE_CENTS))
    }
}

/// One bank line before it has its place in the file.
struct Entry {
    day: u32,
    counterparty: String,
    iban: String,
    text: String,
    amount: Decimal,
    case: &'static str,
    pays: Vec<(Target, Decimal)>,
}

/// The month `spec` describes; refused only for a number of customers whose invoices the
/// 6-digit invoice numbers cannot hold for a year.
pub fn generate(spec: &Spec) -> Result<Month, SpecError> {
    let n = spec.customers as u64;
    if n == 0 || n * 12 > 999_999 {
        return Err(SpecError::Customers(spec.customers));
    }
    let month = spec.month.with_day(1).expect("day 1 exists");
    let previous = month
        .checked_sub_months(chrono::Months::new(1))
        .expect("a month before");
    let days = days_in(month);
    let mut rng = Rng::new(spec.seed);
    let mut accounts = Accounts::default();

    let customers: Vec<Customer> = (0..n)
        .map(|i| customer(&mut rng, &mut accounts, i, n, month, previous))
        .collect();
    let mut entries = Vec::new();
    for c in &customers {
        payments(&mut rng, &mut accounts, spec, c, month, days, &mut entries);
    }
    for _ in 0..(n * 3 / 1000).max(2) {
        entries.push(stranger(&mut rng, &mut accounts, days));
    }
    outgoing(&mut rng, &mut accounts, n, days, &mut entries);
    entries.sort_by_key(|e| e.day);

    let label = format!("{:04}-{:02}", month.year(), month.month());
    let bank_file = format!("bank-{label}.csv");
    let (bank_csv, truth) = bank_statement(&bank_file, month, n, &entries);
    Ok(Month {
        label: label.clone(),
        customers_csv: customers_export(&mut rng, &customers, month),
        invoices_csv: invoices_export(&customers, month, previous),
        bank_csv,
        truth,
    })
}

fn customer(
    rng: &mut Rng,
    accounts: &mut Accounts,
    i: u64,
    n: u64,
    month: NaiveDate,
    previous: NaiveDate,
) -> Customer {
    let id = format!("C{}", 10001 + i);
    let plan = cents(rng.weighted(&PLANS));
    let one_off = if rng.chance(ONE_OFF) {
        cents(rng.pick(&ONE_OFFS))
    } else {
        Decimal::ZERO
    };
    let mandate = rng.chance(MANDATE).then(|| format!("MNDT-{id}"));
    let previous_open = mandate.is_none() && rng.chance(PREVIOUS_OPEN);
    let credit_note = rng
        .chance(CREDIT_NOTE)
        .then(|| format!("CN-{}-{:06}", month.year(), 1 + i));
    Customer {
        person: Person::draw(rng),
        iban: accounts.fresh(rng),
        mandate,
        invoice: invoice(month, n, i, plan + one_off),
        previous: previous_open.then(|| invoice(previous, n, i, plan)),
        credit_note,
        id,
    }
}

/// Invoices are numbered through the year, each month's run after the last:
/// `INV-2026-180042` is October's 42nd with 20,000 customers.
fn invoice(month: NaiveDate, n: u64, i: u64, total: Decimal) -> Invoice {
    let seq = u64::from(month.month0()) * n + i + 1;
    Invoice {
        number: format!("INV-{}-{seq:06}", month.year()),
        seq,
        total,
    }
}

fn payments(
    rng: &mut Rng,
    accounts: &mut Accounts,
    spec: &Spec,
    c: &Customer,
    month: NaiveDate,
    days: u32,
    out: &mut Vec<Entry>,
) {
    let due = c.due();
    let number = &c.invoice.number;
    let own = |amount: Decimal| vec![(Target::Invoice(number.clone()), amount)];
    let name = c.person.name();
    let mut entry = |day: u32,
                     counterparty: &str,
                     iban: &str,
                     text: String,
                     amount: Decimal,
                     case: &'static str,
                     pays: Vec<(Target, Decimal)>| {
        out.push(Entry {
            day,
            counterparty: counterparty.to_string(),
            iban: iban.to_string(),
            text,
            amount,
            case,
            pays,
        })
    };
    let month_name = MONTH_NAMES[month.month0() as usize];

    if let Some(mandate) = &c.mandate {
        let day = DIRECT_DEBIT_DAY.min(days);
        let text = format!("SEPA-Lastschrift {number} Mandat {mandate}");
        entry(day, &name, &c.iban, text, due, "direct-debit", own(due));
        if rng.chance(RETURNED) {
            let reason = rng.pick(&["MD06 Widerspruch", "AC04 Konto erloschen", "AM04 Deckung"]);
            let text = format!("Ruecklastschrift {number} Mandat {mandate} {reason}");
            let back = (day + 6).min(days);
            entry(back, &name, &c.iban, text, -due, "return", own(-due));
            let fee = "Entgelt Ruecklastschrift".to_string();
            entry(
                back,
                "Demo Bank",
                "",
                fee,
                -cents(RETURN_FEE_CENTS),
                "outgoing",
                Vec::new(),
            );
        }
        return;
    }

    let day = payment_day(rng, days);
    if let Some(prev) = &c.previous {
        let both = vec![
            (Target::Invoice(prev.number.clone()), prev.total),
            (Target::Invoice(number.clone()), due),
        ];
        let sum = prev.total + due;
        match rng.below(100) {
            0..40 => {
                let text = format!("{} {number}", prev.number);
                return entry(day, &name, &c.iban, text, sum, "two-invoices", both);
            }
            40..65 => {
                let previous_name = MONTH_NAMES[(month.month0() as usize + 11) % 12];
                let text = format!("{number} {previous_name} und {month_name}");
                return entry(day, &name, &c.iban, text, sum, "two-months-one-named", both);
            }
            65..85 => {
                let early = payment_day(rng, days);
                let pays = vec![(Target::Invoice(prev.number.clone()), prev.total)];
                let text = prev.number.clone();
                entry(
                    early,
                    &name,
                    &c.iban,
                    text,
                    prev.total,
                    "exact-previous",
                    pays,
                );
            }
            _ => {}
        }
    }

    let habit = rng.weighted(&HABITS);
    let exact = |rng: &mut Rng, number: &str| match rng.below(5) {
        0 => number.to_string(),
        1 => format!("Rechnung {number}"),
        2 => format!("{} {number}", c.id),
        3 => format!("{number} {name}"),
        _ => format!("Internet {month_name} {number}"),
    };
    match habit {
        Habit::Exact => {
            let text = exact(rng, number);
            entry(day, &name, &c.iban, text, due, "exact", own(due));
        }
        Habit::Mangled => {
            let text = mangled(rng, month.year(), c.invoice.seq);
            entry(day, &name, &c.iban, text, due, "mangled", own(due));
        }
        Habit::IbanOnly => {
            let text = rng
                .pick(&["Internet", "Monatsbeitrag", "Internet {m}", "", "Rechnung"])
                .replace("{m}", month_name);
            entry(day, &name, &c.iban, text, due, "iban-only", own(due));
        }
        Habit::Family => {
            let relative = c.person.relative(rng).name();
            let iban = accounts.fresh(rng);
            let text = match rng.below(4) {
                0 => format!("Internet fuer {name}"),
                1 => format!("Kd-Nr {}", c.id),
                2 => format!("{} {name}", c.id),
                _ => format!("Rechnung {} {month_name}", c.person.family),
            };
            entry(day, &relative, &iban, text, due, "family", own(due));
        }
        Habit::Partial => {
            let part = [1000, 1500, 2000]
                .map(cents)
                .into_iter()
                .rev()
                .find(|p| *p < due)
                .unwrap_or((due / Decimal::TWO).round_dp(2));
            let text = exact(rng, number);
            entry(day, &name, &c.iban, text, part, "partial", own(part));
        }
        Habit::FeeShort => {
            let paid = due - cents(rng.pick(&[35, 50, 80]));
            let text = exact(rng, number);
            entry(day, &name, &c.iban, text, paid, "fee-short", own(paid));
        }
        Habit::Overpaid => {
            let paid = (due / Decimal::TEN).floor() * Decimal::TEN + Decimal::TEN;
            let pays = vec![
                (Target::Invoice(number.clone()), due),
                (Target::Customer(c.id.clone()), paid - due),
            ];
            let text = exact(rng, number);
            entry(day, &name, &c.iban, text, paid, "overpaid", pays);
        }
        Habit::PaidTwice => {
            let text = exact(rng, number);
            entry(day, &name, &c.iban, text.clone(), due, "exact", own(due));
            let again = (day + 3 + rng.below(5) as u32).min(days);
            let pays = vec![(Target::Customer(c.id.clone()), due)];
            entry(again, &name, &c.iban, text, due, "paid-twice", pays);
        }
        Habit::Ambiguous => {
            let payer = Person::draw(rng).name();
            let iban = accounts.fresh(rng);
            let text = rng
                .pick(&["Internet", "Zahlung", "Monatsrechnung"])
                .to_string();
            entry(day, &payer, &iban, text, due, "ambiguous", own(due));
        }
        Habit::Mistyped => {
            let n = spec.customers as u64;
            let first = u64::from(month.month0()) * n + 1;
            // Drawn either way, so that leaving mistypes out changes nothing else.
            let (text, case) = match mistyped(rng, c.invoice.seq, first..first + n) {
                Some(other) if spec.mistyped_numbers => (
                    exact(rng, &format!("INV-{}-{other:06}", month.year())),
                    "mistyped",
                ),
                _ => (exact(rng, number), "exact"),
            };
            entry(day, &name, &c.iban, text, due, case, own(due));
        }
        Habit::NotPaying => {}
    }
}

/// Most payers pay early in the month: the earlier of two days drawn.
fn payment_day(rng: &mut Rng, days: u32) -> u32 {
    let last = u64::from(days.min(28));
    1 + rng.below(last).min(rng.below(last)) as u32
}

/// The invoice number written the way people write it when they do not copy it. Some
/// forms are still found by sluice's pattern (case, separators), some are not (zeros
/// dropped, a letter mistyped, the prefix left out); none names another invoice.
fn mangled(rng: &mut Rng, year: i32, seq: u64) -> String {
    let digits = format!("{seq:06}");
    let short = digits.trim_start_matches('0');
    match rng.below(8) {
        0 => format!("inv-{year}-{digits}"),
        1 => format!("INV{year}{digits}"),
        2 => format!("inv {year} {digits}"),
        3 => format!("INV.{year}/{digits}"),
        4 if short.len() < digits.len() => format!("INV{year} {short}"),
        4 | 5 => format!("IVN-{year}-{digits}"),
        6 => format!("Rg-Nr. {year}-{digits}"),
        _ => format!("Rechnung {digits}"),
    }
}

/// Another invoice number of the same run one digit away from `seq` (the last digit
/// changed), as a slip of the finger makes it.
fn mistyped(rng: &mut Rng, seq: u64, run: std::ops::Range<u64>) -> Option<u64> {
    let candidates: Vec<u64> = (0..10)
        .map(|d| seq - seq % 10 + d)
        .filter(|other| *other != seq && run.contains(other))
        .collect();
    (!candidates.is_empty()).then(|| rng.pick(&candidates))
}

/// Money from someone who is no customer and owes nothing: a misdirected transfer, to be
/// sent back. No rule should place it.
fn stranger(rng: &mut Rng, accounts: &mut Accounts, days: u32) -> Entry {
    let text = rng
        .pick(&["Zahlung", "Miete", "Ueberweisung", "Rueckzahlung"])
        .to_string();
    Entry {
        day: payment_day(rng, days),
        counterparty: Person::draw(rng).name(),
        iban: accounts.fresh(rng),
        text,
        // Whole euros and odd cents: never a plan's price.
        amount: cents(500 + rng.below(24_500) as i64 / 100 * 100 + 17),
        case: "stranger",
        pays: Vec::new(),
    }
}

/// The business's own payments: rent, salaries, upstream transit, power, tax, the bank.
fn outgoing(rng: &mut Rng, accounts: &mut Accounts, n: u64, days: u32, out: &mut Vec<Entry>) {
    let per_customer = |cents_each: i64| -cents(cents_each * n as i64);
    let mut pay = |day: u32, to: &str, text: &str, amount: Decimal, iban: String| {
        out.push(Entry {
            day: day.min(days),
            counterparty: to.to_string(),
            iban,
            text: text.to_string(),
            amount,
            case: "outgoing",
            pays: Vec::new(),
        })
    };
    let mut account = |rng: &mut Rng| accounts.fresh(rng);
    pay(
        1,
        "Gewerbepark Nord GmbH",
        "Miete Buero",
        -cents(480_000),
        account(rng),
    );
    pay(
        5,
        "Backbone Transit AG",
        "Transit und Peering",
        per_customer(310),
        account(rng),
    );
    pay(
        10,
        "Stadtwerke",
        "Strom Rechenzentrum",
        per_customer(35),
        account(rng),
    );
    pay(
        10,
        "Finanzamt",
        "USt-Voranmeldung",
        per_customer(190),
        account(rng),
    );
    for _ in 0..(n / 2000).max(2) {
        let person = Person::draw(rng).name();
        let salary = -cents(240_000 + rng.below(240_000) as i64);
        pay(27, &person, "Gehalt", salary, account(rng));
    }
    for _ in 0..(n / 500).max(3) {
        let day = 1 + rng.below(u64::from(days)) as u32;
        let order = format!("Bestellung {}", 10_000 + rng.below(90_000));
        let amount = -cents(1_000 + rng.below(90_000) as i64);
        pay(day, "Hardware Store GmbH", &order, amount, account(rng));
    }
    pay(
        days,
        "Demo Bank",
        "Account maintenance fee",
        -cents(450),
        String::new(),
    );
}

/// The bank's CSV export in the demo's layout, and the truth of each line by its line
/// number (the header is line 1).
fn bank_statement(file: &str, month: NaiveDate, n: u64, entries: &[Entry]) -> (String, Vec<Truth>) {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "Booking Date",
        "Value Date",
        "Counterparty",
        "Counterparty IBAN",
        "Remittance Information",
        "Bank Reference",
        "Amount",
        "Currency",
        "Balance",
    ];
    writer.write_record(header).expect("writing to memory");
    let mut balance = cents(2_500_000) + cents(1_000 * n as i64);
    let mut truth = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let date = month.with_day(e.day).expect("a day of the month");
        balance += e.amount;
        let reference = format!("DB{}{:06}", date.format("%Y%m%d"), i + 1);
        writer
            .write_record([
                date.to_string(),
                date.to_string(),
                e.counterparty.clone(),
                e.iban.clone(),
                e.text.clone(),
                reference,
                grouped(e.amount),
                "EUR".to_string(),
                grouped(balance),
            ])
            .expect("writing to memory");
        truth.push(Truth {
            file: file.to_string(),
            line: i as u64 + 2,
            case: e.case.to_string(),
            amount: e.amount,
            pays: e.pays.clone(),
        });
    }
    let bytes = writer.into_inner().expect("writing to memory");
    (String::from_utf8(bytes).expect("UTF-8"), truth)
}

fn customers_export(rng: &mut Rng, customers: &[Customer], month: NaiveDate) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record([
            "Customer No",
            "Login",
            "Name",
            "Email",
            "Phone",
            "Street",
            "City",
            "ZIP",
            "Country",
            "Partner",
            "Status",
            "IBAN",
            "Mandate ID",
            "Mandate Signed",
            "VAT ID",
        ])
        .expect("writing to memory");
    for (i, c) in customers.iter().enumerate() {
        let login = format!(
            "{}{}{}",
            c.person.given[..1].to_lowercase(),
            c.person.family.to_lowercase(),
            i + 1
        );
        let (street, city, zip) = address(rng);
        let partner = if rng.chance(PARTNER) {
            "Reseller North"
        } else {
            ""
        };
        let signed = c.mandate.as_ref().map_or(String::new(), |_| {
            let back = chrono::Months::new(1 + rng.below(36) as u32);
            month
                .checked_sub_months(back)
                .expect("a past month")
                .to_string()
        });
        writer
            .write_record([
                c.id.as_str(),
                &login,
                &c.person.name(),
                &format!("{login}@example.net"),
                &format!("+49 30 555{:05}", i + 1),
                &street,
                city,
                zip,
                "DE",
                partner,
                "active",
                &c.iban,
                c.mandate.as_deref().unwrap_or(""),
                &signed,
                "",
            ])
            .expect("writing to memory");
    }
    String::from_utf8(writer.into_inner().expect("writing to memory")).expect("UTF-8")
}

/// The billing system's export of the month: every customer's invoice, the credit notes,
/// and the previous month's invoices still open.
fn invoices_export(customers: &[Customer], month: NaiveDate, previous: NaiveDate) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record([
            "Invoice No",
            "Customer No",
            "Customer Name",
            "Invoice Date",
            "Due Date",
            "Total",
            "Currency",
            "Status",
        ])
        .expect("writing to memory");
    let due = |issued: NaiveDate| issued + Days::new(14);
    let mut row = |number: &str, c: &Customer, issued: NaiveDate, total: Decimal| {
        writer
            .write_record([
                number,
                &c.id,
                &c.person.name(),
                &issued.to_string(),
                &due(issued).to_string(),
                &format!("{total:.2}"),
                "EUR",
                "open",
            ])
            .expect("writing to memory");
    };
    for c in customers.iter() {
        if let Some(prev) = &c.previous {
            row(&prev.number, c, previous, prev.total);
        }
    }
    for c in customers {
        row(&c.invoice.number, c, month, c.invoice.total);
        if let Some(credit) = &c.credit_note {
            row(credit, c, month + Days::new(1), -cents(CREDIT_NOTE_CENTS));
        }
    }
    String::from_utf8(writer.into_inner().expect("writing to memory")).expect("UTF-8")
}

fn cents(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// `-4800.00` as the demo bank writes it: `-4,800.00`.
fn grouped(amount: Decimal) -> String {
    let text = format!("{:.2}", amount.abs());
    let (whole, fraction) = text.split_once('.').expect("two decimals");
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let sign = if amount.is_sign_negative() && !amount.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{out}.{fraction}")
}

fn days_in(month: NaiveDate) -> u32 {
    let next = month
        .checked_add_months(chrono::Months::new(1))
        .expect("a month after");
    (next - month).num_days() as u32
}
