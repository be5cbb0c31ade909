//! The `[targets.mapping]` section of a Xero target: how billing facts become what Xero's
//! import files name — account codes, tax rates, contact names — and the rules of the
//! import that a document must meet before it is staged.
//!
//! `sluice check` judges the section as written (each problem with its key and line); a run
//! judges each document against it ([`Mapping::refusal`]): a document whose billing category
//! or VAT rate the mapping does not name is held, never staged as a row Xero would refuse.

use std::collections::BTreeMap;
use std::ops::Range;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use crate::model::{Customer, Document, DocumentKind};

/// `[targets.mapping]` as written.
#[derive(Debug, Default, Deserialize)]
pub struct MappingSection {
    /// The contact's name in Xero, from `{id}`, `{login}`, `{name}` and `{email}`.
    pub contact_name: Option<Spanned<String>>,
    /// `exclusive` (the default) or `inclusive`: what UnitAmount holds, and what the person
    /// picks in Xero's import screen ("amounts are tax exclusive / inclusive").
    pub amounts: Option<Spanned<String>>,
    /// An invoice with a negative total becomes a credit note (true, the default); Xero
    /// refuses an invoice whose total is negative.
    pub negative_invoices_as_credit_notes: Option<bool>,
    /// `billing`: the billing system's document number is the Xero number (the only choice
    /// the CSV import has; see [`Numbers`]).
    pub numbers: Option<Spanned<String>>,
    /// The account code of lines whose category `categories` does not list (and of lines
    /// without a category); without it such a document is held.
    pub default_account: Option<Spanned<String>>,
    /// The tax rate of a document the export does not itemise (its total is one line).
    pub lineless_tax_rate: Option<Spanned<String>>,
    /// Billing category → Xero account code.
    pub categories: Option<BTreeMap<String, Spanned<String>>>,
    /// Billing category → Xero item code (InventoryItemCode), optional.
    pub items: Option<BTreeMap<String, Spanned<String>>>,
    /// VAT rate in percent (`"19"`, `"5.5"`) → the tax rate's name in the Xero organisation.
    pub tax_rates: Option<BTreeMap<String, Spanned<String>>>,
}

impl MappingSection {
    /// The line a message about the whole section points at.
    pub fn first_span(&self) -> Option<Range<usize>> {
        let names = [
            &self.contact_name,
            &self.amounts,
            &self.numbers,
            &self.default_account,
            &self.lineless_tax_rate,
        ];
        let tables = [&self.categories, &self.items, &self.tax_rates];
        names
            .into_iter()
            .flatten()
            .chain(tables.into_iter().flatten().flat_map(|t| t.values()))
            .map(|v| v.span())
            .min_by_key(|span| span.start)
    }
}

/// Whether UnitAmount and the line amounts include the tax. Xero's CSV template has no
/// column for it: the person chooses it in the import screen, so the README and the batch
/// say which to choose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Amounts {
    #[default]
    Exclusive,
    Inclusive,
}

/// Who numbers the documents. Xero's CSV import requires `*InvoiceNumber` (it groups the
/// rows of one invoice by it), so letting Xero number is for an API target, not this one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Numbers {
    #[default]
    Billing,
}

/// Xero's limit on a contact's name (the API's `Contact.Name`, maxLength 255).
pub const MAX_CONTACT_NAME: usize = 255;
/// Xero's limit on an account code (the API's `Account.Code`, maxLength 10).
pub const MAX_ACCOUNT_CODE: usize = 10;

const PLACEHOLDERS: [&str; 4] = ["{id}", "{login}", "{name}", "{email}"];

/// The mapping of one Xero target, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub contact_name: String,
    pub amounts: Amounts,
    pub negative_invoices_as_credit_notes: bool,
    pub numbers: Numbers,
    pub default_account: Option<String>,
    pub lineless_tax_rate: Option<String>,
    /// By lower-case category.
    pub categories: BTreeMap<String, String>,
    pub items: BTreeMap<String, String>,
    pub tax_rates: BTreeMap<Decimal, String>,
}

impl Default for Mapping {
    /// The customer number keeps two customers of the same name two contacts in Xero.
    fn default() -> Mapping {
        Mapping {
            contact_name: "{name} ({id})".to_string(),
            amounts: Amounts::Exclusive,
            negative_invoices_as_credit_notes: true,
            numbers: Numbers::Billing,
            default_account: None,
            lineless_tax_rate: None,
            categories: BTreeMap::new(),
            items: BTreeMap::new(),
            tax_rates: BTreeMap::new(),
        }
    }
}

/// Why a document cannot be staged with this mapping, and what to add to the pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub reason: String,
    pub fix: String,
}

impl Mapping {
    /// The account code of a line's billing category.
    pub fn account_of(&self, category: &str) -> Option<&str> {
        self.categories
            .get(&category.trim().to_lowercase())
            .or(self.default_account.as_ref())
            .map(String::as_str)
    }

    /// The item code of a line's billing category, empty when none is mapped.
    pub fn item_of(&self, category: &str) -> &str {
        self.items
            .get(&category.trim().to_lowercase())
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The Xero tax rate name of a VAT rate in percent.
    pub fn tax_rate_of(&self, rate: Decimal) -> Option<&str> {
        self.tax_rates.get(&rate.normalize()).map(String::as_str)
    }

    /// Whether the document goes to Xero as a credit note: a billing credit note, or any
    /// document with a negative total (invoice sources call those credit notes too; with
    /// `negative_invoices_as_credit_notes = false` they are held instead, see `refusal`).
    pub fn is_credit_note(&self, doc: &Document) -> bool {
        doc.kind == DocumentKind::CreditNote || doc.total.amount.is_sign_negative()
    }

    /// Why the document cannot be staged, if it cannot: every line's category and VAT rate
    /// must be mapped (a document without lines needs `default_account` and
    /// `lineless_tax_rate`), and Xero takes no invoice with a negative total.
    pub fn refusal(&self, doc: &Document) -> Option<Refusal> {
        let mut missing: Vec<(String, String)> = Vec::new();
        let mut add = |reason: String, fix: String| {
            if !missing.iter().any(|(r, _)| *r == reason) {
                missing.push((reason, fix));
            }
        };
        if doc.lines.is_empty() {
            if self.default_account.is_none() {
                add(
                    "has no lines, and no default account is mapped".to_string(),
                    "add default_account = \"<code>\" to [targets.mapping]".to_string(),
                );
            }
            if self.lineless_tax_rate.is_none() {
                add(
                    "has no lines, and no tax rate for documents without lines is mapped"
                        .to_string(),
                    "add lineless_tax_rate = \"<Xero tax rate name>\" to [targets.mapping]"
                        .to_string(),
                );
            }
            // Its total is all that is known, tax included: written as an amount without
            // tax, Xero would add the tax a second time.
            if self.amounts == Amounts::Exclusive {
                add(
                    "has no lines: only its total with tax is known, and amounts are written without tax"
                        .to_string(),
                    "set amounts = \"inclusive\" in [targets.mapping] (and choose tax inclusive in Xero's import screen)"
                        .to_string(),
                );
            }
        }
        for line in &doc.lines {
            if self.account_of(&line.category).is_none() {
                let category = line.category.trim();
                add(
                    format!(
                        "billing category \"{category}\" (line {}) has no account code",
                        line.lineage.line
                    ),
                    format!(
                        "add \"{category}\" = \"<code>\" under [targets.mapping.categories], or default_account"
                    ),
                );
            }
            if self.tax_rate_of(line.vat_rate).is_none() {
                let rate = line.vat_rate.normalize();
                add(
                    format!(
                        "VAT rate {rate}% (line {}) has no Xero tax rate",
                        line.lineage.line
                    ),
                    format!(
                        "add \"{rate}\" = \"<tax rate name as Xero shows it>\" under [targets.mapping.tax_rates]"
                    ),
                );
            }
        }
        if doc.total.amount.is_sign_negative() && !self.negative_invoices_as_credit_notes {
            add(
                "has a negative total: Xero takes no invoice below zero, and negative_invoices_as_credit_notes = false keeps it from becoming a credit note".to_string(),
                "set negative_invoices_as_credit_notes = true in [targets.mapping], or correct it in the billing system".to_string(),
            );
        }
        if missing.is_empty() {
            return None;
        }
        let (reasons, fixes): (Vec<String>, Vec<String>) = missing.into_iter().unzip();
        Some(Refusal {
            reason: reasons.join("; "),
            fix: fixes.join("; "),
        })
    }

    /// The contact's name in Xero, from the customer record (or, for a customer no export
    /// has named, from the document's number and name), never longer than Xero takes:
    /// when it would be, `{name}` is shortened (ending in `…`) so the rest — the customer
    /// number that keeps contacts apart — stays whole; the same customer always gets the
    /// same name.
    pub fn contact_name(&self, customer: &ContactFacts<'_>) -> String {
        let fill = |name: &str| {
            self.contact_name
                .replace("{id}", customer.id.trim())
                .replace("{login}", customer.login.trim())
                .replace("{email}", customer.email.trim())
                .replace("{name}", name)
        };
        let name = one_line(customer.name);
        let full = one_line(&fill(&name));
        if full.chars().count() <= MAX_CONTACT_NAME {
            return full;
        }
        let uses = self.contact_name.matches("{name}").count();
        let rest = fill("").chars().count();
        if uses > 0 && rest < MAX_CONTACT_NAME {
            // One character of each use goes to the ellipsis.
            let budget = (MAX_CONTACT_NAME - rest) / uses;
            if budget >= 2 {
                let short: String = name.chars().take(budget - 1).collect();
                let short = format!("{}…", short.trim_end());
                let fitted = one_line(&fill(&short));
                if fitted.chars().count() <= MAX_CONTACT_NAME {
                    return fitted;
                }
            }
        }
        full.chars().take(MAX_CONTACT_NAME).collect()
    }
}

/// What a contact's name is built from.
pub struct ContactFacts<'a> {
    pub id: &'a str,
    pub login: &'a str,
    pub name: &'a str,
    pub email: &'a str,
}

impl<'a> ContactFacts<'a> {
    pub fn of_customer(c: &'a Customer) -> ContactFacts<'a> {
        ContactFacts {
            id: &c.id,
            login: &c.login,
            name: &c.name,
            email: &c.email,
        }
    }

    /// A customer no customer export has named: what the document says of them.
    pub fn of_document(d: &'a Document) -> ContactFacts<'a> {
        ContactFacts {
            id: &d.customer_id,
            login: "",
            name: &d.customer_name,
            email: "",
        }
    }
}

/// Text on one line with single spaces: Xero matches contacts by name, so stray spaces
/// or line breaks would make two contacts of one.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A problem with one key of `[targets.mapping]`, relative to it (`tax_rates.19`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingProblem {
    pub span: Range<usize>,
    pub key: String,
    pub message: String,
}

/// Resolves a Xero target's `[targets.mapping]`; every problem is collected.
pub fn resolve(section: Option<&MappingSection>) -> (Mapping, Vec<MappingProblem>) {
    let mut mapping = Mapping::default();
    let mut problems = Vec::new();
    let Some(section) = section else {
        return (mapping, problems);
    };
    let mut problem = |span: Range<usize>, key: &str, message: String| {
        problems.push(MappingProblem {
            span,
            key: key.to_string(),
            message,
        })
    };
    if let Some(pattern) = &section.contact_name {
        match invalid_contact_name(pattern.get_ref()) {
            Some(message) => problem(pattern.span(), "contact_name", message),
            None => mapping.contact_name = pattern.get_ref().clone(),
        }
    }
    if let Some(amounts) = &section.amounts {
        match amounts.get_ref().trim() {
            "exclusive" => mapping.amounts = Amounts::Exclusive,
            "inclusive" => mapping.amounts = Amounts::Inclusive,
            other => problem(
                amounts.span(),
                "amounts",
                format!(
                    "\"{other}\": write \"exclusive\" (amounts without tax) or \"inclusive\" (with tax), as you will choose in Xero's import screen"
                ),
            ),
        }
    }
    if let Some(on) = section.negative_invoices_as_credit_notes {
        mapping.negative_invoices_as_credit_notes = on;
    }
    if let Some(numbers) = &section.numbers {
        match numbers.get_ref().trim() {
            "billing" => mapping.numbers = Numbers::Billing,
            "xero" => problem(
                numbers.span(),
                "numbers",
                "Xero's CSV import needs each document's number (it groups an invoice's lines by it), so Xero cannot number them here: leave numbers out or write \"billing\"".to_string(),
            ),
            other => problem(
                numbers.span(),
                "numbers",
                format!("\"{other}\": the only choice for Xero's CSV import is \"billing\" (the billing system's numbers)"),
            ),
        }
    }
    if let Some(code) = &section.default_account {
        match invalid_code(code.get_ref()) {
            Some(message) => problem(code.span(), "default_account", message),
            None => mapping.default_account = Some(code.get_ref().trim().to_string()),
        }
    }
    if let Some(rate) = &section.lineless_tax_rate {
        match invalid_tax_rate_name(rate.get_ref()) {
            Some(message) => problem(rate.span(), "lineless_tax_rate", message),
            None => mapping.lineless_tax_rate = Some(rate.get_ref().trim().to_string()),
        }
    }
    for (category, code) in section.categories.iter().flatten() {
        let key = format!("categories.{category}");
        match invalid_code(code.get_ref()) {
            Some(message) => problem(code.span(), &key, message),
            None if category.trim().is_empty() => problem(
                code.span(),
                &key,
                "has an empty category on the left of =: use default_account for lines without a category".to_string(),
            ),
            None => {
                mapping
                    .categories
                    .insert(category.trim().to_lowercase(), code.get_ref().trim().to_string());
            }
        }
    }
    for (category, item) in section.items.iter().flatten() {
        let key = format!("items.{category}");
        let text = item.get_ref().trim();
        if category.trim().is_empty() {
            problem(
                item.span(),
                &key,
                "has an empty category on the left of =".to_string(),
            );
        } else if text.is_empty() || text.chars().count() > 30 {
            problem(
                item.span(),
                &key,
                format!(
                    "\"{text}\" is not an item code: give the code as Xero shows it (at most 30 characters)"
                ),
            );
        } else {
            mapping
                .items
                .insert(category.trim().to_lowercase(), text.to_string());
        }
    }
    for (rate, name) in section.tax_rates.iter().flatten() {
        let key = format!("tax_rates.{rate}");
        match (
            Decimal::from_str(rate.trim()),
            invalid_tax_rate_name(name.get_ref()),
        ) {
            (Ok(r), None) if !r.is_sign_negative() => {
                mapping
                    .tax_rates
                    .insert(r.normalize(), name.get_ref().trim().to_string());
            }
            (Ok(r), Some(message)) if !r.is_sign_negative() => problem(name.span(), &key, message),
            _ => problem(
                name.span(),
                &key,
                format!(
                    "\"{rate}\" is not a VAT rate: write the percent as the invoice lines give it, e.g. \"19\" or \"5.5\""
                ),
            ),
        }
    }
    (mapping, problems)
}

fn invalid_contact_name(pattern: &str) -> Option<String> {
    if pattern.trim().is_empty() {
        return Some("is empty: give a pattern like \"{name} ({id})\"".to_string());
    }
    let mut rest = pattern.to_string();
    for p in PLACEHOLDERS {
        rest = rest.replace(p, "");
    }
    if rest.contains('{') || rest.contains('}') {
        return Some(format!(
            "\"{pattern}\": only {{id}}, {{login}}, {{name}} and {{email}} can be filled in"
        ));
    }
    if !PLACEHOLDERS.iter().any(|p| pattern.contains(p)) {
        return Some(format!(
            "\"{pattern}\" names no customer: every customer would be the same contact; use {{id}}, {{login}}, {{name}} or {{email}}"
        ));
    }
    if rest.chars().count() >= MAX_CONTACT_NAME {
        return Some(format!(
            "is {} characters without the customer's details; Xero takes {MAX_CONTACT_NAME} in all",
            rest.chars().count()
        ));
    }
    None
}

fn invalid_code(code: &str) -> Option<String> {
    let code = code.trim();
    if code.is_empty() {
        Some(
            "is empty: give the account code as Xero's chart of accounts shows it, e.g. \"200\""
                .to_string(),
        )
    } else if code.chars().count() > MAX_ACCOUNT_CODE {
        Some(format!(
            "\"{code}\" is longer than an account code can be in Xero ({MAX_ACCOUNT_CODE} characters): give the code, not the account's name"
        ))
    } else {
        None
    }
}

fn invalid_tax_rate_name(name: &str) -> Option<String> {
    name.trim().is_empty().then(|| {
        "is empty: give the tax rate's name exactly as Xero shows it, e.g. \"19% (VAT on Income)\""
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::model::{Currency, DocumentLine, DocumentStatus, Lineage, Money};

    fn spanned(text: &str) -> Spanned<String> {
        Spanned::new(0..1, text.to_string())
    }

    fn table(entries: &[(&str, &str)]) -> Option<BTreeMap<String, Spanned<String>>> {
        Some(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), spanned(v)))
                .collect(),
        )
    }

    fn eur(amount: &str) -> Money {
        Money {
            amount: Decimal::from_str(amount).expect("amount"),
            currency: Currency::from_code("EUR").expect("EUR"),
        }
    }

    fn lineage(line: u64) -> Lineage {
        Lineage {
            file_sha256: "ab".repeat(32),
            file_name: "invoices.csv".to_string(),
            line,
        }
    }

    fn line(category: &str, rate: &str, total: &str, vat: &str) -> DocumentLine {
        DocumentLine {
            description: "Internet".to_string(),
            quantity: Decimal::ONE,
            unit_price: eur(total),
            vat_rate: Decimal::from_str(rate).expect("rate"),
            vat_amount: eur(vat),
            line_total: eur(total),
            category: category.to_string(),
            period_from: None,
            period_to: None,
            lineage: lineage(7),
        }
    }

    fn document(kind: DocumentKind, total: &str, lines: Vec<DocumentLine>) -> Document {
        Document {
            number: "INV-1".to_string(),
            kind,
            customer_id: "C1".to_string(),
            customer_name: "Ada Lovelace".to_string(),
            issue_date: NaiveDate::from_ymd_opt(2026, 10, 1).expect("date"),
            due_date: None,
            total: eur(total),
            status: DocumentStatus::Open,
            deleted: false,
            itemized: true,
            lines,
            lineage: lineage(2),
        }
    }

    fn section() -> MappingSection {
        MappingSection {
            categories: table(&[("Service", "200"), ("hardware", "210")]),
            items: table(&[("hardware", "ROUTER")]),
            tax_rates: table(&[("19.0", "19% (VAT on Income)"), ("7", "7% (VAT on Income)")]),
            ..MappingSection::default()
        }
    }

    #[test]
    fn categories_and_rates_are_found_however_they_are_written() {
        let (mapping, problems) = resolve(Some(&section()));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(mapping.account_of(" service "), Some("200"));
        assert_eq!(mapping.account_of("HARDWARE"), Some("210"));
        assert_eq!(mapping.account_of("magazine"), None);
        assert_eq!(mapping.item_of("Hardware"), "ROUTER");
        assert_eq!(mapping.item_of("service"), "");
        assert_eq!(
            mapping.tax_rate_of(Decimal::new(1900, 2)),
            Some("19% (VAT on Income)")
        );
        assert_eq!(mapping.tax_rate_of(Decimal::new(55, 1)), None);
        let with_default = MappingSection {
            default_account: Some(spanned("260")),
            ..section()
        };
        let (mapping, _) = resolve(Some(&with_default));
        assert_eq!(mapping.account_of("magazine"), Some("260"));
        assert_eq!(mapping.account_of(""), Some("260"));
    }

    #[test]
    fn a_document_is_refused_with_each_unmapped_category_and_rate_named_once() {
        let (mapping, _) = resolve(Some(&section()));
        let covered = document(
            DocumentKind::Invoice,
            "23.80",
            vec![line("service", "19", "20.00", "3.80")],
        );
        assert_eq!(mapping.refusal(&covered), None);
        let doc = document(
            DocumentKind::Invoice,
            "26.54",
            vec![
                line("magazine", "7", "10.00", "0.70"),
                line("magazine", "5.5", "10.00", "0.55"),
                line("magazine", "5.50", "5.00", "0.29"),
            ],
        );
        let refusal = mapping.refusal(&doc).expect("refused");
        assert_eq!(refusal.reason.matches("magazine").count(), 1, "{refusal:?}");
        assert!(
            refusal.reason.contains("VAT rate 5.5% (line 7)"),
            "{refusal:?}"
        );
        assert!(
            refusal.fix.contains("\"magazine\" = \"<code>\""),
            "{refusal:?}"
        );
        assert!(refusal.fix.contains("\"5.5\" = "), "{refusal:?}");
    }

    #[test]
    fn a_document_without_lines_needs_the_default_account_and_its_tax_rate() {
        let lineless = document(DocumentKind::Invoice, "59.90", Vec::new());
        let (mapping, _) = resolve(Some(&section()));
        let refusal = mapping.refusal(&lineless).expect("refused");
        assert!(refusal.fix.contains("default_account"));
        assert!(refusal.fix.contains("lineless_tax_rate"));
        let (mapping, _) = resolve(Some(&MappingSection {
            default_account: Some(spanned("200")),
            lineless_tax_rate: Some(spanned("Tax Exempt")),
            ..section()
        }));
        // Its total has the tax in it: written without tax, Xero would add it again.
        let refusal = mapping.refusal(&lineless).expect("refused");
        assert!(
            refusal.fix.contains("amounts = \"inclusive\""),
            "{refusal:?}"
        );
        assert!(!refusal.fix.contains("default_account"), "{refusal:?}");
        let (mapping, _) = resolve(Some(&MappingSection {
            default_account: Some(spanned("200")),
            lineless_tax_rate: Some(spanned("Tax Exempt")),
            amounts: Some(spanned("inclusive")),
            ..section()
        }));
        assert_eq!(mapping.refusal(&lineless), None);
    }

    #[test]
    fn a_negative_invoice_is_a_credit_note_unless_that_is_turned_off() {
        let negative = document(
            DocumentKind::Invoice,
            "-11.90",
            vec![line("service", "19", "-10.00", "-1.90")],
        );
        let (mapping, _) = resolve(Some(&section()));
        assert!(mapping.is_credit_note(&negative));
        assert_eq!(mapping.refusal(&negative), None);
        let (mapping, _) = resolve(Some(&MappingSection {
            negative_invoices_as_credit_notes: Some(false),
            ..section()
        }));
        let refusal = mapping.refusal(&negative).expect("refused");
        assert!(refusal.reason.contains("negative total"), "{refusal:?}");
    }

    #[test]
    fn the_contact_name_is_filled_from_the_customer_on_one_line() {
        let mapping = Mapping::default();
        let ada = ContactFacts {
            id: " C1 ",
            login: "ada",
            name: "Ada \n  Lovelace",
            email: "ada@example.net",
        };
        assert_eq!(mapping.contact_name(&ada), "Ada Lovelace (C1)");
        let (mapping, _) = resolve(Some(&MappingSection {
            contact_name: Some(spanned("{login} – {name} <{email}>")),
            ..MappingSection::default()
        }));
        assert_eq!(
            mapping.contact_name(&ada),
            "ada – Ada Lovelace <ada@example.net>"
        );
    }

    #[test]
    fn a_long_name_is_shortened_to_xeros_limit_keeping_the_customer_number() {
        let mapping = Mapping::default();
        let long = "Müller ".repeat(60);
        let customer = ContactFacts {
            id: "C10001",
            login: "",
            name: &long,
            email: "",
        };
        let name = mapping.contact_name(&customer);
        assert!(name.chars().count() <= MAX_CONTACT_NAME, "{name}");
        assert!(name.chars().count() > MAX_CONTACT_NAME - 8, "{name}");
        assert!(name.ends_with("Müller… (C10001)"), "{name}");
        assert_eq!(name, mapping.contact_name(&customer), "the same every time");
        // Without {name} to shorten, the whole name is cut at the limit.
        let (mapping, _) = resolve(Some(&MappingSection {
            contact_name: Some(spanned("{email}")),
            ..MappingSection::default()
        }));
        let email = "x".repeat(300);
        let customer = ContactFacts {
            email: &email,
            ..customer
        };
        assert_eq!(
            mapping.contact_name(&customer).chars().count(),
            MAX_CONTACT_NAME
        );
    }

    #[test]
    fn each_bad_value_is_named_by_its_key() {
        let section = MappingSection {
            contact_name: Some(spanned("{name} {number}")),
            amounts: Some(spanned("gross")),
            numbers: Some(spanned("xero")),
            default_account: Some(spanned("Sales revenue account")),
            lineless_tax_rate: Some(spanned(" ")),
            categories: table(&[("service", "200"), ("", "201"), ("fees", "")]),
            items: table(&[("service", "")]),
            tax_rates: table(&[("19", "19% (VAT on Income)"), ("nineteen", "x"), ("7", "")]),
            ..MappingSection::default()
        };
        let (mapping, problems) = resolve(Some(&section));
        let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "contact_name",
                "amounts",
                "numbers",
                "default_account",
                "lineless_tax_rate",
                "categories.",
                "categories.fees",
                "items.service",
                "tax_rates.7",
                "tax_rates.nineteen",
            ]
        );
        assert!(problems[0].message.contains("{id}"), "{problems:?}");
        assert!(
            problems[2].message.contains("*InvoiceNumber")
                || problems[2].message.contains("number")
        );
        assert_eq!(mapping.account_of("service"), Some("200"));
        let (_, problems) = resolve(Some(&MappingSection {
            contact_name: Some(spanned("Customer")),
            ..MappingSection::default()
        }));
        assert!(
            problems[0].message.contains("names no customer"),
            "{problems:?}"
        );
    }
}
