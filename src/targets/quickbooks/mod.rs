//! QuickBooks: customers, invoices and credit memos as the files a person imports into
//! QuickBooks by hand, from the documents the run stages and the `[targets.mapping]`
//! section ([`crate::targets::mapping`], the same design as Xero's).
//!
//! Two editions, two formats, chosen by the target's `edition`:
//! - `online` (the default): QuickBooks Online's CSV imports (Settings → Import data) —
//!   customers, invoices, credit notes ([`online`]);
//! - `desktop`: QuickBooks Desktop's IIF (Intuit Interchange Format, File → Utilities →
//!   Import → IIF Files) — the customer list, invoices, credit memos ([`iif`]), and the
//!   run's customer payments ([`payments`]). QuickBooks Online's CSV imports take no
//!   payments, so an online target stages none.
//!
//! Import the customers first, then the invoices, then the credit notes, then the payments:
//! the documents name their customer by the name the customer file gave it.
//!
//! An online target with a `[targets.api]` section ([`api`]) stages its customers, invoices,
//! credit memos and the run's payments as batches for QuickBooks Online's Accounting API
//! instead ([`api_documents`], [`api_payments`]), which `sluice push` delivers in that order.

pub mod api;
pub mod api_batch;
pub mod api_documents;
pub mod api_payments;
pub mod iif;
pub mod online;
pub mod payments;
#[cfg(test)]
mod tests;

use super::mapping::{Mapping, Rules};
use super::payments::PaymentRules;
use super::{RenderedFile, RunFacts};
use crate::pipeline::Target;

/// Which QuickBooks the files are for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Edition {
    #[default]
    Online,
    Desktop,
}

impl Edition {
    pub fn rules(self) -> &'static Rules {
        match self {
            Edition::Online => &ONLINE,
            Edition::Desktop => &DESKTOP,
        }
    }

    /// The rules of the mapping: QuickBooks Online's API reads ids where its CSV import
    /// reads names, and takes payments.
    pub fn rules_by_api(self, by_api: bool) -> &'static Rules {
        match self {
            Edition::Online if by_api => &ONLINE_API,
            edition => edition.rules(),
        }
    }
}

/// A QuickBooks target's settings, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickBooks {
    pub edition: Edition,
    pub mapping: Mapping,
    /// An online target's `[targets.api]`: everything goes through the API.
    pub api: Option<api::Api>,
}

/// What QuickBooks Online's CSV imports take. Names: "A name cannot exceed 100 characters
/// [and] cannot include a tab, newline, colon (:) or quotation mark (\")" (Intuit, "Which
/// contact fields are imported"); a colon would also make the name a sub-customer. A
/// category maps to a product/service (the invoice import has no account column: each
/// product carries its income account), a VAT rate to a tax code, which the person matches
/// to QuickBooks' own in the import screen. Invoice numbers: 21 characters (the API's
/// `DocNumber`, which the import fills).
pub static ONLINE: Rules = Rules {
    platform: "QuickBooks Online",
    own_numbers: Some((
        "quickbooks",
        "QuickBooks Online's import reads each document's number (it groups an invoice's lines by it): leave numbers out or write \"billing\", and turn on custom transaction numbers in QuickBooks",
    )),
    platform_numbers: None,
    max_name: 100,
    name_replacements: &[(':', '-'), ('"', '\'')],
    account: "product/service",
    max_account: 100,
    account_example: "Internet service",
    max_item: None,
    tax_rate: "tax code",
    tax_rate_example: "20.0% S",
    tax_on_lines: true,
    max_number: Some(21),
    max_reference: None,
    rounding: false,
    net_only: false,
    payments: None,
};

/// What QuickBooks Online's Accounting API takes (Intuit's API reference, Customer,
/// Invoice, Payment): ids where the CSV import takes names — a category maps to a
/// product/service's `Id` (`ItemRef`), a VAT rate to a tax code's `Id` (`TaxCodeRef`), the
/// payment accounts to account `Id`s (`DepositToAccountRef`). Names and numbers as in the
/// CSV import: `DisplayName` may not hold a colon (it would make a sub-customer), and the
/// 100 characters of the import keep one name for a customer whichever way it came in
/// (the API takes 500); `DocNumber` at most 21 characters.
pub static ONLINE_API: Rules = Rules {
    platform: "QuickBooks Online",
    own_numbers: Some((
        "quickbooks",
        "sluice finds QuickBooks' invoices again by their number (after a lost answer, or when QuickBooks has one already): leave numbers out or write \"billing\", and turn on custom transaction numbers in QuickBooks",
    )),
    platform_numbers: None,
    max_name: 100,
    name_replacements: &[(':', '-'), ('"', '\'')],
    account: "product/service id",
    max_account: 20,
    account_example: "1",
    max_item: None,
    tax_rate: "tax code id",
    tax_rate_example: "3",
    tax_on_lines: true,
    max_number: Some(21),
    max_reference: None,
    rounding: false,
    net_only: false,
    payments: Some(PaymentRules {
        account: "account id",
        max_account: 20,
        example: "35",
        required: true,
    }),
};

/// What QuickBooks Desktop's IIF import takes. Customer names: 41 characters (QuickBooks
/// Desktop's limit on a customer's name); a colon separates customer and job in an IIF
/// `NAME` and a tab ends the field, so neither may be in one. A category maps to an income
/// account (`ACCNT` of the line), optionally an item (`INVITEM`, 31 characters); a VAT rate
/// to the account its VAT is booked to. Invoice numbers (`DOCNUM`): 11 characters.
pub static DESKTOP: Rules = Rules {
    platform: "QuickBooks Desktop",
    own_numbers: Some((
        "quickbooks",
        "an IIF file carries each document's number: leave numbers out or write \"billing\"",
    )),
    platform_numbers: None,
    max_name: 41,
    name_replacements: &[(':', '-'), ('"', '\'')],
    account: "income account",
    max_account: 159,
    account_example: "Sales:Internet",
    max_item: Some(31),
    tax_rate: "VAT account",
    tax_rate_example: "VAT Payable",
    tax_on_lines: false,
    max_number: Some(11),
    max_reference: None,
    rounding: false,
    net_only: false,
    payments: Some(PaymentRules {
        account: "bank account",
        max_account: 159,
        example: "Undeposited Funds",
        required: true,
    }),
};

pub fn render(target: &Target, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    let Some(settings) = &target.quickbooks else {
        return Vec::new();
    };
    match settings.edition {
        Edition::Online => match &settings.api {
            Some(api) => {
                let mut files = api_documents::render(
                    &target.name,
                    api,
                    &settings.mapping,
                    facts.customers,
                    facts.staged_documents,
                    facts.all_customers,
                );
                files.extend(api_payments::render(&target.name, api, facts));
                files
            }
            None => online::render(&settings.mapping, &target.date_format, facts),
        },
        Edition::Desktop => {
            let mut files = iif::render(&settings.mapping, facts);
            if let Some(accounts) = &settings.mapping.payments {
                files.extend(payments::render(&settings.mapping, accounts, facts));
            }
            files
        }
    }
}
