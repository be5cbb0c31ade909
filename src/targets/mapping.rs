//! The `[targets.mapping]` section of a target that imports documents (Xero, QuickBooks,
//! Sage):
//! how billing facts become what the platform's import files name — accounts or products,
//! tax rates, customer names — and the rules of the import a document must meet before it
//! is staged. The section reads the same for every such platform; what differs (the name
//! limit, what a category maps to, whether lines carry a tax code) is the platform's
//! [`Rules`], so every message says what that platform calls things.
//!
//! The payment keys (`payment_account`, `payment_accounts`, `never_export`) are the section's
//! payment part, resolved by [`crate::targets::payments`].
//!
//! `sluice check` judges the section as written (each problem with its key and line); a run
//! judges each document against it ([`Mapping::refusal`]): a document whose billing category
//! or VAT rate the mapping does not name is held, never staged as a row the platform would
//! refuse.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use super::payments::{PaymentAccounts, PaymentRules, PaymentSection};
use crate::ledger::{CustomerRow, DocumentRow};
use crate::model::{Customer, Document, DocumentKind};

/// `[targets.mapping]` as written.
#[derive(Debug, Default, Deserialize)]
pub struct MappingSection {
    /// The customer's name on the platform, from `{id}`, `{login}`, `{name}` and `{email}`.
    pub contact_name: Option<Spanned<String>>,
    /// `exclusive` (the default) or `inclusive`: what the unit amounts hold, and what the
    /// person picks in the import screen ("amounts are tax exclusive / inclusive").
    pub amounts: Option<Spanned<String>>,
    /// An invoice with a negative total becomes a credit note (true, the default); no
    /// platform takes an invoice whose total is negative.
    pub negative_invoices_as_credit_notes: Option<bool>,
    /// `billing`: the billing system's document number is the platform's number (the only
    /// choice a file import has; see [`Numbers`]).
    pub numbers: Option<Spanned<String>>,
    /// What lines whose category `categories` does not list (and lines without a category)
    /// are booked to; without it such a document is held.
    pub default_account: Option<Spanned<String>>,
    /// The tax rate of a document the export does not itemise (its total is one line).
    pub lineless_tax_rate: Option<Spanned<String>>,
    /// Billing category → account (Xero's account code, QuickBooks' product or account).
    pub categories: Option<BTreeMap<String, Spanned<String>>>,
    /// Billing category → item code, optional.
    pub items: Option<BTreeMap<String, Spanned<String>>>,
    /// VAT rate in percent (`"19"`, `"5.5"`) → the platform's name for it.
    pub tax_rates: Option<BTreeMap<String, Spanned<String>>>,
    /// The last day of the period the platform has locked (`2026-09-30`, a TOML date or the
    /// same in quotes): a document dated on or before it is held, not staged.
    pub lock_date: Option<Spanned<toml::Value>>,
    /// Where a platform that computes each line's total itself (Sage) books the cent that
    /// makes its document total the ledger's (see [`Rules::rounding`]).
    pub rounding_account: Option<Spanned<String>>,
    /// The platform account money is received into (Xero's account code, QuickBooks
    /// Desktop's bank account, NetSuite's account), where `payment_accounts` does not say.
    pub payment_account: Option<Spanned<String>>,
    /// Bank account as the statements name it (IBAN, account number, or a clearing account
    /// such as "Stripe EUR") → the platform account its money is received into.
    pub payment_accounts: Option<BTreeMap<String, Spanned<String>>>,
    /// Accounts whose payments the platform already has from its own feed: never staged.
    pub never_export: Option<Vec<Spanned<String>>>,
    /// `export` (the default): the run's payments go to the platform; `import`: payments
    /// only come from it (`sluice pull`); `both`.
    pub payment_direction: Option<Spanned<String>>,
    /// The first issue date whose documents go to the platform: older ones are there
    /// already (imported before sluice), and are neither staged nor held.
    pub export_from: Option<Spanned<toml::Value>>,
    /// Billing statuses (`terminated`, `cancelled` …) whose customers are inactive on the
    /// platform, where it has the flag.
    pub inactive_statuses: Option<Spanned<Vec<String>>>,
    /// Whether customers take their invoices electronically, where the platform has it.
    pub accepts_e_invoices: Option<Spanned<bool>>,
    /// Whether the platform allocates a customer's receipts to their oldest invoices by
    /// itself, where it has the flag.
    pub auto_allocate_receipts: Option<Spanned<bool>>,
}

impl MappingSection {
    /// The payment keys ([`crate::targets::payments`]).
    pub fn payments(&self) -> PaymentSection<'_> {
        PaymentSection {
            payment_account: self.payment_account.as_ref(),
            payment_accounts: self.payment_accounts.as_ref(),
            never_export: self.never_export.as_ref(),
            direction: self.payment_direction.as_ref(),
        }
    }

    /// Whether the section is about documents and customers too, not only about payments: a
    /// Xero target whose mapping names only where payments go stages no contacts or
    /// invoices (it may push payments only).
    pub fn maps_documents(&self) -> bool {
        let only_payments = (self.payment_account.is_some()
            || self.payment_accounts.is_some()
            || self.never_export.is_some()
            || self.payment_direction.is_some())
            && self.contact_name.is_none()
            && self.amounts.is_none()
            && self.negative_invoices_as_credit_notes.is_none()
            && self.numbers.is_none()
            && self.default_account.is_none()
            && self.lineless_tax_rate.is_none()
            && self.categories.is_none()
            && self.items.is_none()
            && self.tax_rates.is_none()
            && self.lock_date.is_none()
            && self.export_from.is_none()
            && self.inactive_statuses.is_none()
            && self.accepts_e_invoices.is_none()
            && self.auto_allocate_receipts.is_none()
            && self.rounding_account.is_none();
        !only_payments
    }

    /// The line a message about the whole section points at.
    pub fn first_span(&self) -> Option<Range<usize>> {
        let names = [
            &self.contact_name,
            &self.amounts,
            &self.numbers,
            &self.default_account,
            &self.lineless_tax_rate,
            &self.rounding_account,
            &self.payment_account,
        ];
        let tables = [
            &self.categories,
            &self.items,
            &self.tax_rates,
            &self.payment_accounts,
        ];
        names
            .into_iter()
            .flatten()
            .chain(tables.into_iter().flatten().flat_map(|t| t.values()))
            .map(|v| v.span())
            .chain(self.lock_date.iter().map(Spanned::span))
            .chain(self.export_from.iter().map(Spanned::span))
            .chain(self.inactive_statuses.iter().map(Spanned::span))
            .chain(self.accepts_e_invoices.iter().map(Spanned::span))
            .chain(self.auto_allocate_receipts.iter().map(Spanned::span))
            .chain(self.payment_direction.iter().map(Spanned::span))
            .chain(self.never_export.iter().flatten().map(Spanned::span))
            .min_by_key(|span| span.start)
    }
}

/// What one platform's import takes, and what it calls things; the words go into messages
/// a finance person reads ("has no Xero tax rate", "add … = \"<income account>\"").
#[derive(Debug, PartialEq, Eq)]
pub struct Rules {
    /// The platform as the person knows it: `Xero`, `QuickBooks Online`.
    pub platform: &'static str,
    /// What `numbers` may not name (the platform numbering for itself), with why not.
    pub own_numbers: Option<(&'static str, &'static str)>,
    /// What `numbers` names to let the platform number the documents itself, where it can
    /// (an API target whose payments name invoices by the platform's id).
    pub platform_numbers: Option<&'static str>,
    /// The longest customer name the platform takes, in characters.
    pub max_name: usize,
    /// Characters a customer name may not hold, each with what is written instead.
    pub name_replacements: &'static [(char, char)],
    /// What a category maps to (`account code`, `product/service`, `income account`), the
    /// longest the platform takes, and an example.
    pub account: &'static str,
    pub max_account: usize,
    pub account_example: &'static str,
    /// Whether `items` is read, and the longest item name.
    pub max_item: Option<usize>,
    /// What a VAT rate maps to (`tax rate`, `tax code`, `VAT account`) and an example.
    pub tax_rate: &'static str,
    pub tax_rate_example: &'static str,
    /// Whether each line names its tax rate and the import screen asks whether amounts
    /// include tax (true), or lines are net and the VAT is booked on lines of its own
    /// (false): then `amounts` and `lineless_tax_rate` mean nothing and are refused.
    pub tax_on_lines: bool,
    /// The longest document number the platform takes; a longer one is held.
    pub max_number: Option<usize>,
    /// The longest customer reference (the billing system's customer number) the platform
    /// ties documents to its customers by; a document of a longer one is held.
    pub max_reference: Option<usize>,
    /// Whether the platform computes each line's total from its unit price and quantity,
    /// rounded to cents, so its document total can be a cent off the ledger's: then a
    /// rounding line on `rounding_account` (without VAT: `tax_rates."0"`) absorbs the
    /// difference, and `sluice check` requires both.
    pub rounding: bool,
    /// Prices are always before tax (NetSuite's line rate: the tax code adds the tax), so
    /// `amounts = "inclusive"` is refused, and a document known only by its total with tax
    /// cannot be written.
    pub net_only: bool,
    /// What the platform's files take of payments, and what it calls the account money is
    /// received into; `None` where its imports take no payments (the payment keys are
    /// refused).
    pub payments: Option<PaymentRules>,
}

/// Whether unit amounts and line amounts include the tax. Import templates have no column
/// for it: the person chooses it in the import screen, so the README and the batch say
/// which to choose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Amounts {
    #[default]
    Exclusive,
    Inclusive,
}

/// Who numbers the documents. File imports group a document's rows by its number, so
/// letting the platform number is for an API target, not a file one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Numbers {
    #[default]
    Billing,
    /// The platform numbers each document; the billing number goes in its reference.
    Platform,
}

const PLACEHOLDERS: [&str; 4] = ["{id}", "{login}", "{name}", "{email}"];

/// The mapping of one target, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub rules: &'static Rules,
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
    /// Documents dated on or before it are held: the platform refuses them.
    pub lock_date: Option<NaiveDate>,
    /// Documents issued before it are the platform's already: not staged, not held.
    pub export_from: Option<NaiveDate>,
    /// Customers of these billing statuses (lower case) are inactive on the platform.
    pub inactive_statuses: Vec<String>,
    /// Set: the customers take their invoices electronically (true) or not.
    pub accepts_e_invoices: Option<bool>,
    /// Where the rounding line is booked, on platforms with [`Rules::rounding`].
    pub rounding_account: Option<String>,
    /// Where payments go; `None` when the section names no `payment_account`.
    pub payments: Option<PaymentAccounts>,
}

impl Mapping {
    /// The mapping of a section that sets nothing. The customer number in the name keeps
    /// two customers of the same name two customers on the platform.
    pub fn new(rules: &'static Rules) -> Mapping {
        Mapping {
            rules,
            contact_name: "{name} ({id})".to_string(),
            amounts: Amounts::Exclusive,
            negative_invoices_as_credit_notes: true,
            numbers: Numbers::Billing,
            default_account: None,
            lineless_tax_rate: None,
            categories: BTreeMap::new(),
            items: BTreeMap::new(),
            tax_rates: BTreeMap::new(),
            lock_date: None,
            export_from: None,
            inactive_statuses: Vec::new(),
            accepts_e_invoices: None,
            rounding_account: None,
            payments: None,
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
    /// The account (or product) of a line's billing category.
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

    /// The platform's name of a VAT rate in percent.
    pub fn tax_rate_of(&self, rate: Decimal) -> Option<&str> {
        self.tax_rates.get(&rate.normalize()).map(String::as_str)
    }

    /// Whether the customer is active on the platform: `None` when the mapping does not
    /// say (`inactive_statuses` not set), so nothing is sent about it.
    pub fn active(&self, customer: &Customer) -> Option<bool> {
        (!self.inactive_statuses.is_empty()).then(|| {
            !self
                .inactive_statuses
                .contains(&customer.status.trim().to_lowercase())
        })
    }

    /// Whether the document is older than what goes to the platform (`export_from`): the
    /// platform has it already, so it is neither staged nor held.
    pub fn before_export(&self, doc: &Document) -> bool {
        self.export_from.is_some_and(|from| doc.issue_date < from)
    }

    /// Whether the document goes to the platform as a credit note: a billing credit note,
    /// or any document with a negative total (invoice sources call those credit notes too;
    /// with `negative_invoices_as_credit_notes = false` they are held instead, see `refusal`).
    pub fn is_credit_note(&self, doc: &Document) -> bool {
        doc.kind == DocumentKind::CreditNote || doc.total.amount.is_sign_negative()
    }

    /// The staged documents a file import writes — those the mapping covers (the run holds
    /// the others) — by issue date and number, as credit notes and invoices.
    pub fn documents_to_import<'a>(
        &self,
        documents: &'a [DocumentRow],
    ) -> (Vec<&'a Document>, Vec<&'a Document>) {
        let mut docs: Vec<&Document> = documents
            .iter()
            .map(|r| &r.document)
            .filter(|d| self.refusal(d).is_none())
            .collect();
        docs.sort_by(|a, b| (a.issue_date, &a.number).cmp(&(b.issue_date, &b.number)));
        docs.into_iter().partition(|d| self.is_credit_note(d))
    }

    /// Why the document cannot be staged, if it cannot: every line's category and VAT rate
    /// must be mapped (a document without lines needs `default_account`, and where lines
    /// carry tax codes `lineless_tax_rate`), its number must fit the platform, and no
    /// platform takes an invoice with a negative total.
    pub fn refusal(&self, doc: &Document) -> Option<Refusal> {
        let rules = self.rules;
        let platform = rules.platform;
        let mut missing: Vec<(String, String)> = Vec::new();
        let mut add = |reason: String, fix: String| {
            if !missing.iter().any(|(r, _)| *r == reason) {
                missing.push((reason, fix));
            }
        };
        if let Some(lock) = self.lock_date
            && doc.issue_date <= lock
        {
            add(
                format!(
                    "it is dated {}, inside the period {platform} has locked (lock_date {lock})",
                    doc.issue_date
                ),
                format!(
                    "once the period is open again in {platform}, move lock_date in [targets.mapping] (the next run stages it); or book it in {platform} by hand"
                ),
            );
        }
        if let Some(max) = rules.max_number {
            let length = doc.number.trim().chars().count();
            if length > max {
                add(
                    format!("its number is {length} characters; {platform} takes at most {max}"),
                    format!(
                        "enter it in {platform} by hand with a shorter number, or stage it for a platform that takes the billing system's numbers"
                    ),
                );
            }
        }
        if let Some(max) = rules.max_reference {
            let length = doc.customer_id.trim().chars().count();
            if length > max {
                add(
                    format!(
                        "its customer number \"{}\" is {length} characters; {platform} takes a customer reference of at most {max}",
                        doc.customer_id.trim()
                    ),
                    format!(
                        "create the customer in {platform} by hand with a shorter reference and enter the document there"
                    ),
                );
            }
        }
        if doc.lines.is_empty() {
            if self.default_account.is_none() {
                add(
                    format!("has no lines, and no default {} is mapped", rules.account),
                    format!(
                        "add default_account = \"<{}>\" to [targets.mapping]",
                        rules.account
                    ),
                );
            }
            if rules.tax_on_lines && self.lineless_tax_rate.is_none() {
                add(
                    format!(
                        "has no lines, and no {} for documents without lines is mapped",
                        rules.tax_rate
                    ),
                    format!(
                        "add lineless_tax_rate = \"<{platform} {} name>\" to [targets.mapping]",
                        rules.tax_rate
                    ),
                );
            }
            // Its total is all that is known, tax included: written as an amount without
            // tax, the platform would add the tax a second time.
            if rules.net_only {
                add(
                    format!(
                        "has no lines: only its total with tax is known, and {platform} takes prices before tax"
                    ),
                    format!(
                        "export the document with its lines from the billing system, or enter it in {platform} by hand"
                    ),
                );
            } else if rules.tax_on_lines && self.amounts == Amounts::Exclusive {
                add(
                    "has no lines: only its total with tax is known, and amounts are written without tax"
                        .to_string(),
                    format!(
                        "set amounts = \"inclusive\" in [targets.mapping] (and choose tax inclusive in {platform}'s import screen)"
                    ),
                );
            }
        }
        for line in &doc.lines {
            if self.account_of(&line.category).is_none() {
                let category = line.category.trim();
                add(
                    format!(
                        "billing category \"{category}\" (line {}) has no {}",
                        line.lineage.line, rules.account
                    ),
                    format!(
                        "add \"{category}\" = \"<{}>\" under [targets.mapping.categories], or default_account",
                        rules.account
                    ),
                );
            }
            if self.tax_rate_of(line.vat_rate).is_none() {
                let rate = line.vat_rate.normalize();
                add(
                    format!(
                        "VAT rate {rate}% (line {}) has no {platform} {}",
                        line.lineage.line, rules.tax_rate
                    ),
                    format!(
                        "add \"{rate}\" = \"<{} name as {platform} shows it>\" under [targets.mapping.tax_rates]",
                        rules.tax_rate
                    ),
                );
            }
        }
        if doc.total.amount.is_sign_negative() && !self.negative_invoices_as_credit_notes {
            add(
                format!("has a negative total: {platform} takes no invoice below zero, and negative_invoices_as_credit_notes = false keeps it from becoming a credit note"),
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

    /// The customer's name on the platform, from the customer record (or, for a customer no
    /// export has named, from the document's number and name), never longer than the
    /// platform takes: when it would be, `{name}` is shortened (ending in `…`) so the rest —
    /// the customer number that keeps customers apart — stays whole; the same customer
    /// always gets the same name. Characters the platform refuses in a name are replaced.
    pub fn contact_name(&self, customer: &ContactFacts<'_>) -> String {
        let max = self.rules.max_name;
        let fill = |name: &str| {
            self.contact_name
                .replace("{id}", customer.id.trim())
                .replace("{login}", customer.login.trim())
                .replace("{email}", customer.email.trim())
                .replace("{name}", name)
        };
        let clean = |text: &str| {
            self.rules
                .name_replacements
                .iter()
                .fold(one_line(text), |text, (from, to)| {
                    text.replace(*from, &to.to_string())
                })
        };
        let name = one_line(customer.name);
        let full = clean(&fill(&name));
        if full.chars().count() <= max {
            return full;
        }
        let uses = self.contact_name.matches("{name}").count();
        let rest = fill("").chars().count();
        if uses > 0 && rest < max {
            // One character of each use goes to the ellipsis.
            let budget = (max - rest) / uses;
            if budget >= 2 {
                let short: String = name.chars().take(budget - 1).collect();
                let fitted = clean(&fill(&format!("{}…", short.trim_end())));
                if fitted.chars().count() <= max {
                    return fitted;
                }
            }
        }
        full.chars().take(max).collect()
    }
}

/// One line of a document as an import file writes it, its amounts already in the file's
/// direction.
pub struct ImportLine {
    pub item: String,
    pub description: String,
    pub quantity: Decimal,
    pub unit_amount: Decimal,
    pub account: String,
    pub tax_type: String,
    /// The line's VAT; unknown for a document the export does not itemise.
    pub tax_amount: Option<Decimal>,
    /// The line's VAT rate in percent; unknown for a document without lines.
    pub vat_rate: Option<Decimal>,
}

impl Mapping {
    /// The document's lines as the import writes them: amounts with or without tax as
    /// `amounts` says, times `sign` (-1 turns a negative credit note positive).
    pub fn lines(&self, doc: &Document, sign: Decimal) -> Vec<ImportLine> {
        let mapping = self;
        let what = match doc.kind {
            DocumentKind::Invoice => "Invoice",
            DocumentKind::CreditNote => "Credit note",
        };
        if doc.lines.is_empty() {
            // `refusal` made sure both are mapped.
            return vec![ImportLine {
                item: String::new(),
                description: format!("{what} {}", doc.number),
                quantity: Decimal::ONE,
                unit_amount: doc.total.amount * sign,
                account: mapping.default_account.clone().unwrap_or_default(),
                tax_type: mapping.lineless_tax_rate.clone().unwrap_or_default(),
                tax_amount: None,
                vat_rate: None,
            }];
        }
        let net_lines = doc.lines_are_net();
        doc.lines
            .iter()
            .map(|line| {
                let vat = line.vat_amount.amount;
                let net = if net_lines {
                    line.line_total.amount
                } else {
                    line.line_total.amount - vat
                };
                let amount = match mapping.amounts {
                    Amounts::Exclusive => net,
                    Amounts::Inclusive => net + vat,
                };
                // The billing system's quantity and unit price when they are on the same side
                // of the tax as the file and give the line's amount exactly; else one unit of
                // the line's amount, so Xero's line is the billing system's to the cent.
                let same_side = net_lines == (mapping.amounts == Amounts::Exclusive);
                let (quantity, unit) = if same_side
                    && !line.quantity.is_zero()
                    && line.quantity * line.unit_price.amount == amount
                {
                    // A billing system may write a credit as -1 × price; Xero wants the quantity
                    // positive and the direction in the amount.
                    if line.quantity.is_sign_negative() {
                        (-line.quantity.normalize(), -line.unit_price.amount)
                    } else {
                        (line.quantity.normalize(), line.unit_price.amount)
                    }
                } else {
                    (Decimal::ONE, amount)
                };
                let description = match line.description.split_whitespace().collect::<Vec<_>>() {
                    words if words.is_empty() => format!("{what} {}", doc.number),
                    words => words.join(" "),
                };
                ImportLine {
                    item: mapping.item_of(&line.category).to_string(),
                    description,
                    quantity,
                    unit_amount: unit * sign,
                    account: mapping
                        .account_of(&line.category)
                        .unwrap_or_default()
                        .to_string(),
                    tax_type: mapping
                        .tax_rate_of(line.vat_rate)
                        .unwrap_or_default()
                        .to_string(),
                    tax_amount: Some(vat * sign),
                    vat_rate: Some(line.vat_rate.normalize()),
                }
            })
            .collect()
    }
}

/// A date as a pipeline file writes it: a TOML date (`2026-09-30`) or the same in quotes.
pub fn toml_date(value: &toml::Value) -> Option<NaiveDate> {
    match value {
        toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => d
            .date
            .and_then(|d| NaiveDate::from_ymd_opt(i32::from(d.year), d.month.into(), d.day.into())),
        toml::Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
        _ => None,
    }
}

/// What a customer's name is built from.
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

/// A customer of a batch's customer file: as the ledger knows them, or (a customer no
/// export has named) as their document names them.
pub enum StagedCustomer<'a> {
    Known(&'a Customer),
    FromDocument(&'a Document),
}

impl<'a> StagedCustomer<'a> {
    /// The customer a document names: the ledger's, else what the document says.
    pub fn of_document(
        doc: &'a Document,
        customers: &'a HashMap<String, (i64, Customer)>,
    ) -> StagedCustomer<'a> {
        match customers.get(doc.customer_id.trim()) {
            Some((_, c)) => StagedCustomer::Known(c),
            None => StagedCustomer::FromDocument(doc),
        }
    }

    pub fn facts(&self) -> ContactFacts<'_> {
        match self {
            StagedCustomer::Known(c) => ContactFacts::of_customer(c),
            StagedCustomer::FromDocument(d) => ContactFacts::of_document(d),
        }
    }
}

/// The customers a batch's customer file holds, by customer number: every customer the
/// run wrote a new or changed version of, and every customer a staged document names. An
/// import would create a missing customer from an invoice on its own, but without its
/// email and address; with the customer file imported first, every document lands on a
/// complete customer.
pub fn customers_to_stage<'a>(
    changed: &'a [CustomerRow],
    documents: &'a [DocumentRow],
    customers: &'a HashMap<String, (i64, Customer)>,
) -> BTreeMap<String, StagedCustomer<'a>> {
    let mut staged = BTreeMap::new();
    for row in changed.iter().filter(|r| r.ignored.is_none()) {
        let c = &row.customer;
        staged.insert(c.id.trim().to_string(), StagedCustomer::Known(c));
    }
    for row in documents {
        let doc = &row.document;
        let id = doc.customer_id.trim();
        if staged.contains_key(id) {
            continue;
        }
        staged.insert(id.to_string(), StagedCustomer::of_document(doc, customers));
    }
    staged
}

/// Text on one line with single spaces: platforms match customers by name, so stray spaces
/// or line breaks would make two customers of one.
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

/// Resolves a target's `[targets.mapping]` under its platform's rules; every problem is
/// collected.
pub fn resolve(
    section: Option<&MappingSection>,
    rules: &'static Rules,
) -> (Mapping, Vec<MappingProblem>) {
    let mut mapping = Mapping::new(rules);
    let mut problems = Vec::new();
    let Some(section) = section else {
        return (mapping, problems);
    };
    let platform = rules.platform;
    let mut problem = |span: Range<usize>, key: &str, message: String| {
        problems.push(MappingProblem {
            span,
            key: key.to_string(),
            message,
        })
    };
    if let Some(pattern) = &section.contact_name {
        match invalid_contact_name(pattern.get_ref(), rules) {
            Some(message) => problem(pattern.span(), "contact_name", message),
            None => mapping.contact_name = pattern.get_ref().clone(),
        }
    }
    if let Some(amounts) = &section.amounts {
        match amounts.get_ref().trim() {
            _ if !rules.tax_on_lines => problem(
                amounts.span(),
                "amounts",
                format!(
                    "{platform}'s file books each line without tax and the VAT on lines of its own: leave amounts out"
                ),
            ),
            "exclusive" => mapping.amounts = Amounts::Exclusive,
            _ if rules.net_only => problem(
                amounts.span(),
                "amounts",
                format!(
                    "{platform} takes each line's price before tax (its tax code adds the tax): leave amounts out, or write \"exclusive\""
                ),
            ),
            "inclusive" => mapping.amounts = Amounts::Inclusive,
            other => problem(
                amounts.span(),
                "amounts",
                format!(
                    "\"{other}\": write \"exclusive\" (amounts without tax) or \"inclusive\" (with tax), as you will choose in {platform}'s import screen"
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
            word if rules.platform_numbers == Some(word) => mapping.numbers = Numbers::Platform,
            own if rules.own_numbers.is_some_and(|(word, _)| word == own) => problem(
                numbers.span(),
                "numbers",
                rules
                    .own_numbers
                    .map(|(_, why)| why.to_string())
                    .unwrap_or_default(),
            ),
            other => problem(
                numbers.span(),
                "numbers",
                format!(
                    "\"{other}\": the only choice for {platform}'s import is \"billing\" (the billing system's numbers)"
                ),
            ),
        }
    }
    if let Some(code) = &section.default_account {
        match invalid_account(code.get_ref(), rules) {
            Some(message) => problem(code.span(), "default_account", message),
            None => mapping.default_account = Some(code.get_ref().trim().to_string()),
        }
    }
    if let Some(rate) = &section.lineless_tax_rate {
        match invalid_tax_rate_name(rate.get_ref(), rules) {
            _ if !rules.tax_on_lines => problem(
                rate.span(),
                "lineless_tax_rate",
                format!(
                    "{platform}'s file cannot split the VAT out of a total without lines: leave lineless_tax_rate out (default_account takes the whole total)"
                ),
            ),
            Some(message) => problem(rate.span(), "lineless_tax_rate", message),
            None => mapping.lineless_tax_rate = Some(rate.get_ref().trim().to_string()),
        }
    }
    for (category, code) in section.categories.iter().flatten() {
        let key = format!("categories.{category}");
        match invalid_account(code.get_ref(), rules) {
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
        let Some(max_item) = rules.max_item else {
            problem(
                item.span(),
                &key,
                format!(
                    "{platform}'s file names no item beside the product: map the category under [targets.mapping.categories]"
                ),
            );
            continue;
        };
        if category.trim().is_empty() {
            problem(
                item.span(),
                &key,
                "has an empty category on the left of =".to_string(),
            );
        } else if text.is_empty() || text.chars().count() > max_item {
            problem(
                item.span(),
                &key,
                format!(
                    "\"{text}\" is not an item code: give the code as {platform} shows it (at most {max_item} characters)"
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
            invalid_tax_rate_name(name.get_ref(), rules),
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
    if let Some(value) = &section.lock_date {
        match toml_date(value.get_ref()) {
            Some(date) => mapping.lock_date = Some(date),
            None => problem(
                value.span(),
                "lock_date",
                format!(
                    "is not a date: write the last day of the period {platform} has locked, e.g. lock_date = 2026-09-30"
                ),
            ),
        }
    }
    if let Some(statuses) = &section.inactive_statuses {
        mapping.inactive_statuses = statuses
            .get_ref()
            .iter()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        if mapping.inactive_statuses.is_empty() {
            problem(
                statuses.span(),
                "inactive_statuses",
                "lists no status: name the billing statuses whose customers are inactive, e.g. [\"terminated\"], or leave it out".to_string(),
            );
        }
    }
    mapping.accepts_e_invoices = section.accepts_e_invoices.as_ref().map(|b| *b.get_ref());
    if let Some(value) = &section.export_from {
        match toml_date(value.get_ref()) {
            Some(date) => mapping.export_from = Some(date),
            None => problem(
                value.span(),
                "export_from",
                format!(
                    "is not a date: write the first issue date whose documents go to {platform}, e.g. export_from = 2026-10-01 (older ones are there already)"
                ),
            ),
        }
    }
    rounding(section, rules, &mut mapping, &mut problem);
    mapping.payments = super::payments::resolve(
        &section.payments(),
        platform,
        rules.payments.as_ref(),
        section.first_span().unwrap_or(0..0),
        &mut problem,
    );
    (mapping, problems)
}

/// `rounding_account`: required where the platform computes line totals itself (with the
/// tax rate its line carries, none), refused elsewhere.
fn rounding(
    section: &MappingSection,
    rules: &Rules,
    mapping: &mut Mapping,
    problem: &mut impl FnMut(Range<usize>, &str, String),
) {
    let platform = rules.platform;
    let whole = section.first_span().unwrap_or(0..0);
    match &section.rounding_account {
        Some(account) if !rules.rounding => problem(
            account.span(),
            "rounding_account",
            format!(
                "{platform} takes the lines' amounts as they are, so nothing needs rounding: leave rounding_account out"
            ),
        ),
        Some(account) => match invalid_account(account.get_ref(), rules) {
            Some(message) => problem(account.span(), "rounding_account", message),
            None => mapping.rounding_account = Some(account.get_ref().trim().to_string()),
        },
        None if rules.rounding => problem(
            whole.clone(),
            "rounding_account",
            format!(
                "{platform} computes each line's total from its unit price and quantity, which can be a cent off the ledger's total: add rounding_account = \"<{}>\" to [targets.mapping] for the rounding line",
                rules.account
            ),
        ),
        None => {}
    }
    if rules.rounding && mapping.tax_rate_of(Decimal::ZERO).is_none() {
        problem(
            whole,
            "tax_rates",
            format!(
                "the rounding line carries no VAT: add \"0\" = \"<{} name as {platform} shows it>\" under [targets.mapping.tax_rates]",
                rules.tax_rate
            ),
        );
    }
}

fn invalid_contact_name(pattern: &str, rules: &Rules) -> Option<String> {
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
    if let Some((refused, _)) = rules
        .name_replacements
        .iter()
        .find(|(c, _)| rest.contains(*c))
    {
        return Some(format!(
            "\"{pattern}\" holds '{refused}', which {} refuses in a name",
            rules.platform
        ));
    }
    if rest.chars().count() >= rules.max_name {
        return Some(format!(
            "is {} characters without the customer's details; {} takes {} in all",
            rest.chars().count(),
            rules.platform,
            rules.max_name
        ));
    }
    None
}

fn invalid_account(code: &str, rules: &Rules) -> Option<String> {
    let code = code.trim();
    let (platform, what, max) = (rules.platform, rules.account, rules.max_account);
    if code.is_empty() {
        Some(format!(
            "is empty: give the {what} as {platform} shows it, e.g. \"{}\"",
            rules.account_example
        ))
    } else if code.chars().count() > max {
        Some(format!(
            "\"{code}\" is longer than {platform} takes ({max} characters for the {what}): give the {what}, not a description"
        ))
    } else {
        None
    }
}

fn invalid_tax_rate_name(name: &str, rules: &Rules) -> Option<String> {
    name.trim().is_empty().then(|| {
        format!(
            "is empty: give the {}'s name exactly as {} shows it, e.g. \"{}\"",
            rules.tax_rate, rules.platform, rules.tax_rate_example
        )
    })
}
