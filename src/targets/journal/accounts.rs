//! Which journal account each fact is booked to: the `[targets.accounts]` section of a
//! journal target, its defaults, and the rules hledger and beancount set for account names.
//!
//! Names written in the pipeline file are checked by `sluice check` (an invalid one is
//! refused with its key and line, never "fixed" silently); names built from data — an IBAN,
//! a billing category, a VAT rate — go through [`component`], which turns any text into a
//! part both tools accept, the same way every time, so the same facts always land on the
//! same account.

use std::collections::BTreeMap;
use std::ops::Range;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use crate::pipeline::Platform;

/// `[targets.accounts]` as written. Every key is optional; what is left out takes the
/// default of [`Accounts::default`].
#[derive(Debug, Default, Deserialize)]
pub struct AccountsSection {
    pub receivable: Option<Spanned<String>>,
    pub customer_credit: Option<Spanned<String>>,
    /// `{category}` is the line's billing category.
    pub revenue: Option<Spanned<String>>,
    pub uncategorised: Option<Spanned<String>>,
    /// `{rate}` is the VAT rate in percent.
    pub vat: Option<Spanned<String>>,
    pub rounding: Option<Spanned<String>>,
    /// `{account}` is the statement's account (IBAN or number) as the bank gives it.
    pub bank: Option<Spanned<String>>,
    /// `{gateway}` is the payment gateway's name (`Stripe`, `PayPal` …).
    pub clearing: Option<Spanned<String>>,
    pub unmatched: Option<Spanned<String>>,
    pub outgoing: Option<Spanned<String>>,
    pub returned: Option<Spanned<String>>,
    pub fees: Option<Spanned<String>>,
    pub in_transit: Option<Spanned<String>>,
    pub difference: Option<Spanned<String>>,
    /// Billing category → account, before `revenue` is used.
    pub categories: Option<BTreeMap<String, Spanned<String>>>,
    /// VAT rate in percent (`"19"`, `"5.5"`) → account, before `vat` is used.
    pub vat_rates: Option<BTreeMap<String, Spanned<String>>>,
    /// Bank account (IBAN or number) → account, before `bank` is used.
    pub banks: Option<BTreeMap<String, Spanned<String>>>,
}

impl AccountsSection {
    /// Where the first value given in the section is: the line a message about the whole
    /// section points at.
    pub fn first_span(&self) -> Option<Range<usize>> {
        let names = [
            &self.receivable,
            &self.customer_credit,
            &self.revenue,
            &self.uncategorised,
            &self.vat,
            &self.rounding,
            &self.bank,
            &self.clearing,
            &self.unmatched,
            &self.outgoing,
            &self.returned,
            &self.fees,
            &self.in_transit,
            &self.difference,
        ];
        let tables = [&self.categories, &self.vat_rates, &self.banks];
        names
            .into_iter()
            .flatten()
            .chain(tables.into_iter().flatten().flat_map(|t| t.values()))
            .map(|v| v.span())
            .min_by_key(|span| span.start)
    }
}

/// The accounts of one journal target, resolved: defaults filled in, every name valid for
/// its platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accounts {
    /// What customers owe: debited by an invoice, credited by the money that pays it.
    pub receivable: String,
    /// A liability: money customers paid beyond what they owed.
    pub customer_credit: String,
    /// Net revenue of a billing category not listed in `categories`; `{category}` is
    /// filled with the category as an account part.
    pub revenue: String,
    /// Revenue of lines without a category, and the whole total of a document the export
    /// does not itemise (its VAT is not known to sluice).
    pub uncategorised: String,
    /// By lower-case category.
    pub categories: BTreeMap<String, String>,
    /// VAT of a rate not listed in `vat_rates`; `{rate}` is filled with the rate.
    pub vat: String,
    pub vat_rates: BTreeMap<Decimal, String>,
    /// Where the cents go when a document's lines do not add up to its total.
    pub rounding: String,
    /// The account of a bank statement not listed in `banks`; `{account}` is filled with
    /// the statement's account.
    pub bank: String,
    /// By account id without spaces, upper case.
    pub banks: BTreeMap<String, String>,
    /// A payment gateway's balance; `{gateway}` is filled with the gateway's name.
    pub clearing: String,
    /// Money in that no rule placed: it waits for a person.
    pub unmatched: String,
    /// Money out sluice does not classify (suppliers, salaries, taxes …).
    pub outgoing: String,
    /// Money of a rejected or returned collection that goes back to the debtor.
    pub returned: String,
    /// What payment gateways keep.
    pub fees: String,
    /// A gateway's payout between leaving the gateway and arriving at the bank.
    pub in_transit: String,
    /// Payments a few cents off that settled their invoice (`reconcile.tolerance`).
    pub difference: String,
}

const CATEGORY: &str = "{category}";
const RATE: &str = "{rate}";
const ACCOUNT: &str = "{account}";
const GATEWAY: &str = "{gateway}";

impl Default for Accounts {
    fn default() -> Accounts {
        Accounts {
            receivable: "Assets:Receivable".to_string(),
            customer_credit: "Liabilities:Customer-Credit".to_string(),
            revenue: format!("Income:{CATEGORY}"),
            uncategorised: "Income:Sales".to_string(),
            categories: BTreeMap::new(),
            vat: format!("Liabilities:VAT:{RATE}"),
            vat_rates: BTreeMap::new(),
            rounding: "Expenses:Rounding".to_string(),
            bank: format!("Assets:Bank:{ACCOUNT}"),
            banks: BTreeMap::new(),
            clearing: format!("Assets:Clearing:{GATEWAY}"),
            unmatched: "Assets:Suspense:Unmatched".to_string(),
            outgoing: "Assets:Suspense:Outgoing".to_string(),
            returned: "Liabilities:Returned-Collections".to_string(),
            fees: "Expenses:Payment-Fees".to_string(),
            in_transit: "Assets:Payouts-In-Transit".to_string(),
            difference: "Expenses:Payment-Differences".to_string(),
        }
    }
}

impl Accounts {
    /// Net revenue of lines of `category` (empty: `uncategorised`).
    pub fn revenue_of(&self, category: &str) -> String {
        let category = category.trim();
        if category.is_empty() {
            return self.uncategorised.clone();
        }
        match self.categories.get(&category.to_lowercase()) {
            Some(account) => account.clone(),
            None => self.revenue.replace(CATEGORY, &component(category)),
        }
    }

    /// VAT at `rate` percent.
    pub fn vat_of(&self, rate: Decimal) -> String {
        match self.vat_rates.get(&rate.normalize()) {
            Some(account) => account.clone(),
            None => self
                .vat
                .replace(RATE, &component(&rate.normalize().to_string())),
        }
    }

    /// A bank statement's account, by the id its lines carry.
    pub fn bank_of(&self, account: &str) -> String {
        match self.banks.get(&account_key(account)) {
            Some(name) => name.clone(),
            None => self.bank.replace(ACCOUNT, &component(account)),
        }
    }

    /// A payment gateway's balance, by the gateway's name.
    pub fn clearing_of(&self, gateway: &str) -> String {
        self.clearing.replace(GATEWAY, &component(gateway))
    }
}

/// A bank account id as people write it (`DE89 3704 …`) and as statements carry it.
fn account_key(account: &str) -> String {
    account
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase()
}

/// Any text as one part of an account name that hledger and beancount both accept: ASCII
/// letters and digits kept, German and other common Latin letters written without their
/// marks (`ü` → `ue`, `é` → `e`), every other run of characters one `-`, no `-` at either
/// end, the first letter upper case (beancount's rule). `one time` → `One-time`,
/// `37050299/0000123456` → `37050299-0000123456`, `5.5` → `5-5`; text with nothing left
/// becomes `Unnamed`.
pub fn component(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars() {
        let ascii = c.is_ascii_alphanumeric();
        let plain = transliterate(c);
        if !ascii && plain.is_empty() {
            dash = !out.is_empty();
            continue;
        }
        if dash {
            out.push('-');
            dash = false;
        }
        if ascii {
            out.push(c);
        } else {
            out.push_str(plain);
        }
    }
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => "Unnamed".to_string(),
    }
}

/// A letter outside ASCII in ASCII letters, or empty when it has no such form.
fn transliterate(c: char) -> &'static str {
    match c {
        'ä' | 'æ' => "ae",
        'ö' | 'œ' => "oe",
        'ü' => "ue",
        'Ä' | 'Æ' => "Ae",
        'Ö' | 'Œ' => "Oe",
        'Ü' => "Ue",
        'ß' => "ss",
        'à' | 'á' | 'â' | 'ã' | 'å' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Å' => "A",
        'ç' => "c",
        'Ç' => "C",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'È' | 'É' | 'Ê' | 'Ë' => "E",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'ñ' => "n",
        'Ñ' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ø' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ø' => "O",
        'ù' | 'ú' | 'û' => "u",
        'Ù' | 'Ú' | 'Û' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' => "Y",
        _ => "",
    }
}

/// Beancount's five account types; every account name starts with one of them.
const BEANCOUNT_ROOTS: [&str; 5] = ["Assets", "Liabilities", "Equity", "Income", "Expenses"];

/// Why `name` is not an account name `platform`'s tool accepts, if it is not.
pub fn invalid_name(platform: Platform, name: &str) -> Option<String> {
    let parts: Vec<&str> = name.split(':').collect();
    if name.trim().is_empty() {
        return Some("is empty: give an account name like \"Assets:Bank\"".to_string());
    }
    if parts.iter().any(|p| p.is_empty()) {
        return Some(format!(
            "\"{name}\" has an empty part: parts are separated by one colon, with no colon at either end"
        ));
    }
    match platform {
        Platform::Beancount => invalid_for_beancount(name, &parts),
        _ => invalid_for_hledger(name, &parts),
    }
}

fn invalid_for_hledger(name: &str, parts: &[&str]) -> Option<String> {
    if name.chars().any(char::is_control) {
        return Some(format!("\"{name}\" holds a tab or line break"));
    }
    if name.contains("  ") {
        return Some(format!(
            "\"{name}\" holds two spaces in a row, which hledger reads as the end of the account name"
        ));
    }
    if parts.iter().any(|p| p.trim() != *p) {
        return Some(format!(
            "\"{name}\" has a space at the start or end of a part"
        ));
    }
    if name.contains(';') {
        return Some(format!(
            "\"{name}\" holds a ;, which starts a comment in a journal"
        ));
    }
    if name.starts_with(['(', '[']) || name.ends_with([')', ']']) {
        return Some(format!(
            "\"{name}\" is wrapped in brackets, which hledger reads as a virtual posting"
        ));
    }
    None
}

fn invalid_for_beancount(name: &str, parts: &[&str]) -> Option<String> {
    if !BEANCOUNT_ROOTS.contains(&parts[0]) {
        return Some(format!(
            "\"{name}\" must start with Assets, Liabilities, Equity, Income or Expenses (beancount's account types)"
        ));
    }
    if parts.len() < 2 {
        return Some(format!(
            "\"{name}\" needs at least one part below {} (beancount's rule), e.g. \"{}:Main\"",
            parts[0], parts[0]
        ));
    }
    for part in &parts[1..] {
        let mut chars = part.chars();
        let first_ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Some(format!(
                "\"{name}\": its part \"{part}\" must start with a capital letter or a digit and hold only letters, digits and - (beancount's rule), e.g. \"{}\"",
                component(part)
            ));
        }
    }
    None
}

/// A problem with one key of `[targets.accounts]`, to be reported with the target's key
/// prefix and the line of `span`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountProblem {
    pub span: Range<usize>,
    /// Relative to `accounts`: `receivable`, `categories.service` …
    pub key: String,
    pub message: String,
}

/// Resolves a journal target's `[targets.accounts]`; every problem is collected.
pub fn resolve(
    section: Option<&AccountsSection>,
    platform: Platform,
) -> (Accounts, Vec<AccountProblem>) {
    let mut accounts = Accounts::default();
    let mut problems = Vec::new();
    let Some(section) = section else {
        return (accounts, problems);
    };
    let names = [
        (
            &mut accounts.receivable,
            &section.receivable,
            "receivable",
            "",
        ),
        (
            &mut accounts.customer_credit,
            &section.customer_credit,
            "customer_credit",
            "",
        ),
        (&mut accounts.revenue, &section.revenue, "revenue", CATEGORY),
        (
            &mut accounts.uncategorised,
            &section.uncategorised,
            "uncategorised",
            "",
        ),
        (&mut accounts.vat, &section.vat, "vat", RATE),
        (&mut accounts.rounding, &section.rounding, "rounding", ""),
        (&mut accounts.bank, &section.bank, "bank", ACCOUNT),
        (
            &mut accounts.clearing,
            &section.clearing,
            "clearing",
            GATEWAY,
        ),
        (&mut accounts.unmatched, &section.unmatched, "unmatched", ""),
        (&mut accounts.outgoing, &section.outgoing, "outgoing", ""),
        (&mut accounts.returned, &section.returned, "returned", ""),
        (&mut accounts.fees, &section.fees, "fees", ""),
        (
            &mut accounts.in_transit,
            &section.in_transit,
            "in_transit",
            "",
        ),
        (
            &mut accounts.difference,
            &section.difference,
            "difference",
            "",
        ),
    ];
    for (slot, given, key, fill) in names {
        let Some(given) = given else { continue };
        match invalid_pattern(platform, given.get_ref(), fill) {
            Some(message) => problems.push(AccountProblem {
                span: given.span(),
                key: key.to_string(),
                message,
            }),
            None => *slot = given.get_ref().clone(),
        }
    }
    let table =
        |t, key, problems: &mut Vec<AccountProblem>| valid_entries(t, key, platform, problems);
    for (category, account) in table(&section.categories, "categories", &mut problems) {
        accounts
            .categories
            .insert(category.to_lowercase(), account.get_ref().clone());
    }
    for (account_id, account) in table(&section.banks, "banks", &mut problems) {
        accounts
            .banks
            .insert(account_key(&account_id), account.get_ref().clone());
    }
    for (rate, account) in table(&section.vat_rates, "vat_rates", &mut problems) {
        match Decimal::from_str(&rate) {
            Ok(r) if !r.is_sign_negative() => {
                accounts
                    .vat_rates
                    .insert(r.normalize(), account.get_ref().clone());
            }
            _ => problems.push(AccountProblem {
                span: account.span(),
                key: format!("vat_rates.{rate}"),
                message: format!(
                    "\"{rate}\" is not a VAT rate: write the percent as the invoice lines give it, e.g. \"19\" or \"5.5\""
                ),
            }),
        }
    }
    (accounts, problems)
}

/// The entries of a table (`categories`, `banks`, `vat_rates`) whose account names are
/// valid; each invalid one is a problem.
fn valid_entries<'s>(
    table: &'s Option<BTreeMap<String, Spanned<String>>>,
    key: &str,
    platform: Platform,
    problems: &mut Vec<AccountProblem>,
) -> Vec<(String, &'s Spanned<String>)> {
    let mut valid = Vec::new();
    for (entry, account) in table.iter().flatten() {
        let key = format!("{key}.{entry}");
        match invalid_name(platform, account.get_ref()) {
            Some(message) => problems.push(AccountProblem {
                span: account.span(),
                key,
                message,
            }),
            None if entry.trim().is_empty() => problems.push(AccountProblem {
                span: account.span(),
                key,
                message: "has an empty name on the left of =".to_string(),
            }),
            None => valid.push((entry.trim().to_string(), account)),
        }
    }
    valid
}

/// Why an account name that may hold `fill` (or no placeholder, when `fill` is empty) is
/// not valid, if it is not: another placeholder, or a name the tool refuses once filled.
fn invalid_pattern(platform: Platform, pattern: &str, fill: &str) -> Option<String> {
    for placeholder in [CATEGORY, RATE, ACCOUNT, GATEWAY] {
        if placeholder != fill && pattern.contains(placeholder) {
            return Some(if fill.is_empty() {
                format!("\"{pattern}\": {placeholder} cannot be used here; give one account name")
            } else {
                format!("\"{pattern}\": {placeholder} cannot be used here, only {fill}")
            });
        }
    }
    let filled = pattern.replace(fill, "Sample");
    let filled = if fill.is_empty() { pattern } else { &filled };
    invalid_name(platform, filled).map(|message| {
        if fill.is_empty() || !pattern.contains(fill) {
            message
        } else {
            format!("{message} (with {fill} filled in)")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spanned(text: &str) -> Option<Spanned<String>> {
        Some(Spanned::new(0..1, text.to_string()))
    }

    #[test]
    fn components_from_data_are_sanitised_the_same_way_every_time() {
        for (text, part) in [
            ("service", "Service"),
            ("one-time", "One-time"),
            ("one time", "One-time"),
            ("  Tech / Magazine  ", "Tech-Magazine"),
            ("DE89370400440532013000", "DE89370400440532013000"),
            ("37050299/0000123456", "37050299-0000123456"),
            ("Gebühren", "Gebuehren"),
            ("Straße", "Strasse"),
            ("café crème", "Cafe-creme"),
            ("5.5", "5-5"),
            ("19", "19"),
            ("_x_", "X"),
            ("€", "Unnamed"),
            ("", "Unnamed"),
        ] {
            assert_eq!(component(text), part, "{text:?}");
            assert_eq!(component(&component(text)), part, "stable for {text:?}");
            let name = format!("Income:{part}");
            assert_eq!(invalid_name(Platform::Beancount, &name), None, "{name}");
            assert_eq!(invalid_name(Platform::Hledger, &name), None, "{name}");
        }
    }

    #[test]
    fn the_defaults_are_valid_for_both_tools() {
        let accounts = Accounts::default();
        for platform in [Platform::Hledger, Platform::Beancount] {
            for name in [
                accounts.receivable.clone(),
                accounts.revenue_of("one time"),
                accounts.revenue_of(""),
                accounts.vat_of(Decimal::new(55, 1)),
                accounts.bank_of("DE89 3704 0044 0532 0130 00"),
                accounts.clearing_of("PayPal"),
                accounts.unmatched.clone(),
                accounts.outgoing.clone(),
                accounts.returned.clone(),
                accounts.fees.clone(),
                accounts.in_transit.clone(),
                accounts.difference.clone(),
                accounts.rounding.clone(),
                accounts.customer_credit.clone(),
            ] {
                assert_eq!(invalid_name(platform, &name), None, "{name}");
            }
        }
        assert_eq!(accounts.vat_of(Decimal::new(1900, 2)), "Liabilities:VAT:19");
        assert_eq!(accounts.revenue_of("service"), "Income:Service");
        assert_eq!(
            accounts.bank_of("DE89370400440532013000"),
            "Assets:Bank:DE89370400440532013000"
        );
    }

    #[test]
    fn beancount_refuses_lower_case_parts_and_unknown_roots() {
        let bad = |name: &str| invalid_name(Platform::Beancount, name).expect(name);
        assert!(bad("assets:bank").contains("must start with Assets"));
        assert!(bad("Assets").contains("at least one part"));
        assert!(bad("Income:service").contains("\"Service\""));
        assert!(bad("Income:Sales_EU").contains("only letters, digits and -"));
        assert!(bad("Assets::Bank").contains("empty part"));
        assert!(bad("").contains("is empty"));
        // hledger takes what beancount refuses, but not what breaks its own syntax.
        assert_eq!(invalid_name(Platform::Hledger, "assets:bank:giro"), None);
        assert_eq!(invalid_name(Platform::Hledger, "Assets:Bank Giro"), None);
        let hl = |name: &str| invalid_name(Platform::Hledger, name).expect(name);
        assert!(hl("Assets:Bank  Giro").contains("two spaces"));
        assert!(hl("Assets:Bank;x").contains("comment"));
        assert!(hl("(Assets:Bank)").contains("virtual"));
        assert!(hl("Assets: Bank").contains("space at the start"));
    }

    #[test]
    fn configured_names_and_tables_are_resolved_and_each_bad_one_named() {
        let section = AccountsSection {
            receivable: spanned("Assets:Debtors"),
            revenue: spanned("Income:Sales:{category}"),
            vat: spanned("Liabilities:VAT:{category}"),
            bank: spanned("assets:bank"),
            categories: Some(BTreeMap::from([
                (
                    "Service".to_string(),
                    Spanned::new(0..1, "Income:Internet".to_string()),
                ),
                (
                    "discount".to_string(),
                    Spanned::new(0..1, "Income:discount".to_string()),
                ),
            ])),
            vat_rates: Some(BTreeMap::from([
                (
                    "19.0".to_string(),
                    Spanned::new(0..1, "Liabilities:VAT:Standard".to_string()),
                ),
                (
                    "zero".to_string(),
                    Spanned::new(0..1, "Liabilities:VAT:Zero".to_string()),
                ),
            ])),
            banks: Some(BTreeMap::from([(
                "DE89 3704 0044 0532 0130 00".to_string(),
                Spanned::new(0..1, "Assets:Bank:Business".to_string()),
            )])),
            ..AccountsSection::default()
        };
        let (accounts, problems) = resolve(Some(&section), Platform::Beancount);
        let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            ["vat", "bank", "categories.discount", "vat_rates.zero"]
        );
        assert!(problems[0].message.contains("only {rate}"), "{problems:?}");
        assert_eq!(accounts.receivable, "Assets:Debtors");
        assert_eq!(accounts.revenue_of("service"), "Income:Internet");
        assert_eq!(accounts.revenue_of("one-time"), "Income:Sales:One-time");
        assert_eq!(
            accounts.vat_of(Decimal::from(19)),
            "Liabilities:VAT:Standard"
        );
        assert_eq!(accounts.vat_of(Decimal::from(7)), "Liabilities:VAT:7");
        assert_eq!(
            accounts.bank_of("DE89370400440532013000"),
            "Assets:Bank:Business"
        );
        // The same section is fine for hledger, which takes lower-case names.
        let (_, problems) = resolve(Some(&section), Platform::Hledger);
        let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["vat", "vat_rates.zero"]);
    }
}
