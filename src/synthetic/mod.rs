//! A generated month of an ISP with known truth: test and benchmark data for reconciliation.
//!
//! `generate` writes, for N customers and one month, what finance staff would drop into
//! the inbox — the customer export, the invoice export and the bank's CSV statement, in
//! the layouts of `pipelines/demo.toml` — and, for every bank line, what it truly pays
//! (`truth.csv`, see [`truth`]). `score` then compares what sluice did with that truth.
//! The mess of a real month is in the bank lines (the mix and its shares are described at
//! the top of `synthetic/generate.rs`); the same seed always gives the same bytes.
//!
//! It lives in the library, rather than in an example or under `tests/`, because three
//! kinds of target use it — the `gen` and `score` examples, the `generated_month_reconciles`
//! test and the benchmarks — and only the library is visible to all of them. It reads and
//! writes files only where it is told to, prints nothing, and needs no dependency the
//! library does not already have.

mod generate;
mod people;
mod rng;
pub mod score;
pub mod truth;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use thiserror::Error;

pub use generate::generate;
pub use score::{Score, score};
pub use truth::{Target, Truth};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    pub customers: usize,
    /// Any day of the month; the month is what counts.
    pub month: NaiveDate,
    pub seed: u64,
    /// Let a few payers mistype one digit of the invoice number, so that it names another
    /// customer's invoice (about 2 in 1,000 transfers). People do; a rule that trusts the
    /// number alone then pays the wrong invoice.
    pub mistyped_numbers: bool,
}

#[derive(Debug, Error)]
pub enum SpecError {
    #[error(
        "{0} customers: between 1 and 83,333 (a year of monthly invoices must fit the 6-digit invoice numbers)"
    )]
    Customers(usize),
}

/// A generated month, in memory.
pub struct Month {
    /// `2026-10`: the files are `customers-2026-10.csv`, `invoices-…`, `bank-…`.
    pub label: String,
    pub customers_csv: String,
    pub invoices_csv: String,
    pub bank_csv: String,
    pub truth: Vec<Truth>,
}

/// The pipeline that reads a generated month: the demo's layouts, folders beside it.
pub const PIPELINE: &str = r#"# A generated month (sluice::synthetic): the demo's bank CSV layout, invoice export and
# customer export. Relative paths start at the folder of this file.

name = "generated"

[inbox]
path = "inbox"
after = "keep"
archive = "archive"
quarantine = "quarantine"

[ledger]
path = "ledger"

[outbox]
path = "outbox"

[[sources]]
name = "demo-bank"
format = "bank_csv"
files = ["bank-*.csv"]
account = "DE89370400440532013000"
currency = "EUR"
date_format = "%Y-%m-%d"
decimal = "."
thousands = ","

[sources.columns]
booking_date = "Booking Date"
value_date = "Value Date"
amount = "Amount"
currency = "Currency"
counterparty = "Counterparty"
counterparty_account = "Counterparty IBAN"
reference = "Bank Reference"
text = "Remittance Information"

[[sources]]
name = "billing-invoices"
format = "invoice_csv"
files = ["invoices-*.csv"]
currency = "EUR"
date_format = "%Y-%m-%d"

[sources.columns]
number = "Invoice No"
customer_id = "Customer No"
customer_name = "Customer Name"
issue_date = "Invoice Date"
due_date = "Due Date"
total = "Total"
currency = "Currency"
status = "Status"

[[sources]]
name = "billing-customers"
format = "customers"
files = ["customers-*.csv"]
date_format = "%Y-%m-%d"

[sources.columns]
id = "Customer No"
login = "Login"
name = "Name"
email = "Email"
phone = "Phone"
street = "Street"
city = "City"
zip = "ZIP"
country = "Country"
partner = "Partner"
status = "Status"
iban = "IBAN"
mandate_id = "Mandate ID"
mandate_signed = "Mandate Signed"
vat_id = "VAT ID"

[reconcile]
invoice_pattern = '(?i)\bINV[\s\-/_.]*\d{4}[\s\-/_.]*\d{1,6}\b'

[[targets]]
name = "xero"
platform = "xero"
date_format = "%d/%m/%Y"
"#;

impl Month {
    /// Writes `dir/inbox/` (the three exports), `dir/pipeline.toml` and `dir/truth.csv`;
    /// returns the pipeline file's path.
    pub fn write(&self, dir: &Path) -> io::Result<PathBuf> {
        let inbox = dir.join("inbox");
        fs::create_dir_all(&inbox)?;
        let label = &self.label;
        fs::write(
            inbox.join(format!("customers-{label}.csv")),
            &self.customers_csv,
        )?;
        fs::write(
            inbox.join(format!("invoices-{label}.csv")),
            &self.invoices_csv,
        )?;
        fs::write(inbox.join(format!("bank-{label}.csv")), &self.bank_csv)?;
        fs::write(dir.join("truth.csv"), truth::to_csv(&self.truth))?;
        let pipeline = dir.join("pipeline.toml");
        fs::write(&pipeline, PIPELINE)?;
        Ok(pipeline)
    }
}
