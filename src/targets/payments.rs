//! The payment part of `[targets.mapping]`, the same for every platform that takes payments:
//! which platform account money is received into (`payment_account`, the default, and
//! `payment_accounts` per bank or clearing account as the statements name it), and which
//! accounts' payments are never exported because the platform has them already from its own
//! bank feed or gateway integration (`never_export`) — exporting them would book the money
//! twice.
//!
//! [`received`] is the one way a target picks the money a run placed on invoices: every
//! allocation of a bank line to an invoice, of the run's own lines and of earlier lines the
//! run placed on retry. Not payments, and never staged by a file target: money taken back
//! from an invoice (a return or chargeback reopens it; the platform's payment has to be
//! deleted there by hand), credit kept for a customer (an overpayment the platform would
//! have to hold as a prepayment), differences within the tolerance (booked by the journal
//! targets), and money that waits for a person.

use std::collections::BTreeMap;
use std::ops::Range;

use rust_decimal::Decimal;
use toml::Spanned;

use super::RunFacts;
use super::mapping::{ContactFacts, Mapping};
use crate::model::{BankLine, Match, MatchKind};
use crate::reconcile::normalize_account;

/// What one platform calls the account money is received into, and what it takes.
#[derive(Debug, PartialEq, Eq)]
pub struct PaymentRules {
    /// `account code`, `bank account`, `account`.
    pub account: &'static str,
    pub max_account: usize,
    pub example: &'static str,
    /// Whether the target's files always carry the run's payments, so `payment_account` is
    /// required (Xero's payments go through its API, which asks for it itself).
    pub required: bool,
}

/// The payment keys of `[targets.mapping]` as written.
pub struct PaymentSection<'a> {
    pub payment_account: Option<&'a Spanned<String>>,
    pub payment_accounts: Option<&'a BTreeMap<String, Spanned<String>>>,
    pub never_export: Option<&'a Vec<Spanned<String>>>,
    pub direction: Option<&'a Spanned<String>>,
}

impl PaymentSection<'_> {
    /// Whether no payment key is written.
    pub fn is_empty(&self) -> bool {
        self.payment_account.is_none()
            && self.payment_accounts.is_none()
            && self.never_export.is_none()
            && self.direction.is_none()
    }

    fn first_span(&self) -> Option<Range<usize>> {
        self.payment_account
            .map(Spanned::span)
            .into_iter()
            .chain(
                self.payment_accounts
                    .iter()
                    .flat_map(|t| t.values().map(Spanned::span)),
            )
            .chain(
                self.never_export
                    .iter()
                    .flat_map(|v| v.iter().map(Spanned::span)),
            )
            .chain(self.direction.map(Spanned::span))
            .min_by_key(|s| s.start)
    }
}

/// The payment settings, resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaymentAccounts {
    /// The platform account of money on a bank account `by_bank` does not list.
    pub default: String,
    /// By normalised bank account.
    pub by_bank: BTreeMap<String, String>,
    /// Normalised accounts whose payments are never exported.
    pub never_export: Vec<String>,
    /// Which way payments travel between sluice and the platform.
    pub direction: Direction,
}

/// Which way payments travel (`payment_direction`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Direction {
    /// The run's payments go to the platform.
    #[default]
    Export,
    /// Payments only come from the platform (`sluice pull`): the run stages none for it.
    Import,
    /// Both: what comes from the platform is never sent back (`never_export`).
    Both,
}

impl Direction {
    pub fn exports(self) -> bool {
        matches!(self, Direction::Export | Direction::Both)
    }

    pub fn imports(self) -> bool {
        matches!(self, Direction::Import | Direction::Both)
    }
}

impl PaymentAccounts {
    /// Whether payments booked on `bank_account` are exported.
    pub fn exports(&self, bank_account: &str) -> bool {
        self.direction.exports() && !self.never_export.contains(&normalize_account(bank_account))
    }

    /// The platform account money booked on `bank_account` is received into.
    pub fn account_of(&self, bank_account: &str) -> &str {
        self.by_bank
            .get(&normalize_account(bank_account))
            .unwrap_or(&self.default)
    }
}

/// Resolves the payment keys under the platform's rules (`None`: its files take no
/// payments); every problem is collected. `whole` is where a missing key is reported.
pub fn resolve(
    section: &PaymentSection<'_>,
    platform: &str,
    rules: Option<&PaymentRules>,
    whole: Range<usize>,
    problem: &mut impl FnMut(Range<usize>, &str, String),
) -> Option<PaymentAccounts> {
    let Some(rules) = rules else {
        if let Some(span) = section.first_span() {
            problem(
                span,
                "payment_account",
                format!(
                    "{platform}'s import files take no payments: leave payment_account, payment_accounts and never_export out (record the payments in {platform} itself)"
                ),
            );
        }
        return None;
    };
    let direction = match section.direction.map(|d| (d, d.get_ref().trim())) {
        None | Some((_, "export")) => Direction::Export,
        Some((_, "import")) => Direction::Import,
        Some((_, "both")) => Direction::Both,
        Some((d, other)) => {
            problem(
                d.span(),
                "payment_direction",
                format!(
                    "\"{other}\" is not a direction: write \"export\" (the run's payments go to {platform}, the default), \"import\" (payments only come from {platform}, by `sluice pull`) or \"both\""
                ),
            );
            Direction::Export
        }
    };
    let what = rules.account;
    let invalid = |value: &str| {
        let value = value.trim();
        (value.is_empty() || value.chars().count() > rules.max_account).then(|| {
            format!(
                "\"{value}\" is not a {platform} {what}: give the {what} money is received into as {platform} shows it (1 to {} characters), e.g. \"{}\"",
                rules.max_account, rules.example
            )
        })
    };
    let default = match section.payment_account {
        Some(account) => match invalid(account.get_ref()) {
            Some(message) => {
                problem(account.span(), "payment_account", message);
                None
            }
            None => Some(account.get_ref().trim().to_string()),
        },
        // Payments that only come from the platform go to no account of it.
        None if direction == Direction::Import => Some(String::new()),
        None if rules.required || !section.is_empty() => {
            problem(
                whole,
                "payment_account",
                format!(
                    "is missing: {platform} gets the run's payments, which need the {what} money is received into: add payment_account = \"<{what}, e.g. {}>\" to [targets.mapping]",
                    rules.example
                ),
            );
            None
        }
        None => None,
    };
    let mut by_bank = BTreeMap::new();
    for (bank, account) in section.payment_accounts.into_iter().flatten() {
        let key = format!("payment_accounts.\"{bank}\"");
        let normalized = normalize_account(bank);
        if normalized.is_empty() {
            problem(
                account.span(),
                &key,
                "names no bank account on the left of =: write it as the statements do (an IBAN, an account number, or a clearing account such as \"Stripe EUR\")".to_string(),
            );
        } else if let Some(message) = invalid(account.get_ref()) {
            problem(account.span(), &key, message);
        } else if by_bank
            .insert(normalized, account.get_ref().trim().to_string())
            .is_some()
        {
            problem(
                account.span(),
                &key,
                "names a bank account listed already (spaces and case aside): keep one".to_string(),
            );
        }
    }
    let mut never_export = Vec::new();
    for account in section.never_export.into_iter().flatten() {
        let normalized = normalize_account(account.get_ref());
        if normalized.is_empty() {
            problem(
                account.span(),
                "never_export",
                "lists an empty account: name it as the statements do (an IBAN, or a clearing account such as \"Stripe EUR\")".to_string(),
            );
        } else {
            never_export.push(normalized);
        }
    }
    default.map(|default| PaymentAccounts {
        default,
        by_bank,
        never_export,
        direction,
    })
}

/// Money a run placed on one invoice: one allocation of a bank line.
pub struct Received<'a> {
    pub line: &'a BankLine,
    pub allocation: &'a Match,
    /// The invoice's number.
    pub invoice: &'a str,
    /// The customer it came from: the allocation's, else the invoice's.
    pub customer_id: String,
    /// The allocation's place among its line's matches, from 1: with the line's id, what
    /// the payment is known by (`<line id>/<place>`, as Xero's records are).
    pub place: usize,
}

/// The run's payments that `accounts` exports, in the order the money moved (booking date,
/// then bank line, then the allocation's place on it).
pub fn received<'a>(facts: &RunFacts<'a>, accounts: &PaymentAccounts) -> Vec<Received<'a>> {
    let lines: BTreeMap<&str, &BankLine> = facts
        .bank_lines
        .iter()
        .chain(facts.retried_lines)
        .map(|l| (l.id.as_str(), l))
        .collect();
    let mut place: BTreeMap<&str, usize> = BTreeMap::new();
    let mut payments = Vec::new();
    for m in facts.matches.iter().chain(facts.rematched) {
        let n = place.entry(m.bank_line_id.as_str()).or_default();
        *n += 1;
        let (MatchKind::Allocation, Some(invoice)) = (m.kind, m.document.as_deref()) else {
            continue;
        };
        // Only money of a line the run knows: a status report's matches are of lines whose
        // money went back, which are not payments.
        let Some(line) = lines.get(m.bank_line_id.as_str()) else {
            continue;
        };
        if m.amount.amount <= Decimal::ZERO || !accounts.exports(&line.account) {
            continue;
        }
        let customer_id = m
            .customer_id
            .clone()
            .or_else(|| {
                facts
                    .all_documents
                    .get(invoice)
                    .map(|r| r.document.customer_id.clone())
            })
            .unwrap_or_default();
        payments.push(Received {
            line,
            allocation: m,
            invoice,
            customer_id: customer_id.trim().to_string(),
            place: *n,
        });
    }
    // A line's money for one customer together: it is one payment on the platform.
    payments.sort_by(|a, b| {
        (a.line.booking_date, &a.line.id, &a.customer_id, a.place).cmp(&(
            b.line.booking_date,
            &b.line.id,
            &b.customer_id,
            b.place,
        ))
    });
    payments
}

/// The run's payments grouped into one payment per bank line and customer (the platform's
/// payment record, applied to each invoice of the group), in the order the money moved.
pub fn per_line_and_customer<'a, 'b>(received: &'b [Received<'a>]) -> Vec<&'b [Received<'a>]> {
    received
        .chunk_by(|a, b| a.line.id == b.line.id && a.customer_id == b.customer_id)
        .collect()
}

/// The customer's name on the platform, as its customer file named them: the ledger's
/// customer, else what the paid invoice says of them.
pub fn customer_name(mapping: &Mapping, facts: &RunFacts<'_>, paid: &Received<'_>) -> String {
    if let Some((_, customer)) = facts.all_customers.get(&paid.customer_id) {
        return mapping.contact_name(&ContactFacts::of_customer(customer));
    }
    match facts.all_documents.get(paid.invoice) {
        Some(row) => mapping.contact_name(&ContactFacts::of_document(&row.document)),
        None => mapping.contact_name(&ContactFacts {
            id: &paid.customer_id,
            login: "",
            name: "",
            email: "",
        }),
    }
}

/// The payments' totals per currency, for the batch manifest.
pub fn totals<'r, 'a: 'r>(
    received: impl IntoIterator<Item = &'r Received<'a>>,
) -> BTreeMap<String, Decimal> {
    let mut totals: BTreeMap<String, Decimal> = BTreeMap::new();
    for paid in received {
        *totals
            .entry(paid.allocation.amount.currency.code().to_string())
            .or_default() += paid.allocation.amount.amount;
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    static RULES: PaymentRules = PaymentRules {
        account: "account",
        max_account: 20,
        example: "Checking",
        required: true,
    };

    fn spanned(text: &str) -> Spanned<String> {
        Spanned::new(0..1, text.to_string())
    }

    #[test]
    fn a_bank_account_of_its_own_else_the_default_and_never_export_by_normalised_name() {
        let account = spanned("Checking");
        let by_bank = BTreeMap::from([(
            "de02 1203 0000 0000 2020 51".to_string(),
            spanned("Savings"),
        )]);
        let never = vec![spanned("Stripe EUR")];
        let mut problems = Vec::new();
        let accounts = resolve(
            &PaymentSection {
                payment_account: Some(&account),
                payment_accounts: Some(&by_bank),
                never_export: Some(&never),
                direction: None,
            },
            "NetSuite",
            Some(&RULES),
            0..0,
            &mut |_, key: &str, message| problems.push(format!("{key}: {message}")),
        )
        .expect("resolved");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(accounts.account_of("DE02120300000000202051"), "Savings");
        assert_eq!(accounts.account_of("DE89370400440532013000"), "Checking");
        assert!(!accounts.exports("stripe eur"));
        assert!(accounts.exports("DE89370400440532013000"));
    }

    #[test]
    fn a_missing_default_is_refused_where_required_and_any_key_where_none_is_taken() {
        let mut problems = Vec::new();
        let empty = PaymentSection {
            payment_account: None,
            payment_accounts: None,
            never_export: None,
            direction: None,
        };
        let mut note = |_, key: &str, message: String| problems.push(format!("{key}: {message}"));
        assert!(resolve(&empty, "NetSuite", Some(&RULES), 0..0, &mut note).is_none());
        let account = spanned("Checking");
        let written = PaymentSection {
            payment_account: Some(&account),
            ..empty
        };
        assert!(resolve(&written, "Sage Accounting", None, 0..0, &mut note).is_none());
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("payment_account: is missing"));
        assert!(problems[1].contains("take no payments"));
    }

    #[test]
    fn the_direction_decides_whether_anything_is_exported() {
        let mut problems = Vec::new();
        let import = spanned("import");
        let section = PaymentSection {
            payment_account: None,
            payment_accounts: None,
            never_export: None,
            direction: Some(&import),
        };
        let mut note = |_, key: &str, message: String| problems.push(format!("{key}: {message}"));
        let accounts = resolve(&section, "NetSuite", Some(&RULES), 0..0, &mut note)
            .expect("no account needed for payments that only come in");
        assert_eq!(accounts.direction, Direction::Import);
        assert!(!accounts.exports("DE89370400440532013000"));
        let sideways = spanned("sideways");
        let section = PaymentSection {
            direction: Some(&sideways),
            ..section
        };
        resolve(&section, "NetSuite", Some(&RULES), 0..0, &mut note);
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("payment_direction: \"sideways\" is not a direction")),
            "{problems:?}"
        );
    }
}
