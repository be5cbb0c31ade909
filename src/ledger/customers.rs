//! The `customers` table: one row per version of a customer, as the billing system exported
//! it. A re-export that says nothing new writes nothing; one that changes anything (a new
//! partner, a new IBAN) is a new version, so the ledger keeps each customer's history.
//! `ignored` says whether, when the version was written, its partner was on the pipeline's
//! partners-ignore list, and `ignored_reason` why.

use polars::prelude::DataFrame;

use super::LedgerError;
use super::frame::{self, Reader, date, flag, int, text};
use crate::model::{Customer, Lineage};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
    pub run_id: String,
    pub version: i64,
    pub customer: Customer,
    /// Why the customer is kept out of reconciliation and the targets, when it is.
    pub ignored: Option<String>,
}

pub fn customers_frame(rows: &[CustomerRow]) -> Result<DataFrame, LedgerError> {
    let c = |f: fn(&Customer) -> &str| rows.iter().map(move |r| f(&r.customer));
    frame::frame(vec![
        text("run_id", rows.iter().map(|r| r.run_id.as_str())),
        text("id", c(|c| &c.id)),
        int("version", rows.iter().map(|r| r.version)),
        text("login", c(|c| &c.login)),
        text("name", c(|c| &c.name)),
        text("email", c(|c| &c.email)),
        text("phone", c(|c| &c.phone)),
        text("street", c(|c| &c.street)),
        text("city", c(|c| &c.city)),
        text("zip", c(|c| &c.zip)),
        text("country", c(|c| &c.country)),
        text("partner", c(|c| &c.partner)),
        text("status", c(|c| &c.status)),
        text("iban", c(|c| &c.iban)),
        text("mandate_id", c(|c| &c.mandate_id)),
        date(
            "mandate_signed",
            rows.iter().map(|r| r.customer.mandate_signed),
        )?,
        text("vat_id", c(|c| &c.vat_id)),
        flag("ignored", rows.iter().map(|r| r.ignored.is_some())),
        text(
            "ignored_reason",
            rows.iter().map(|r| r.ignored.as_deref().unwrap_or("")),
        ),
        text("file_sha256", c(|c| &c.lineage.file_sha256)),
        text("file_name", c(|c| &c.lineage.file_name)),
        int("line", rows.iter().map(|r| r.customer.lineage.line as i64)),
    ])
}

pub fn customers_rows(r: &Reader<'_>) -> Result<Vec<CustomerRow>, LedgerError> {
    let run_id = r.texts("run_id")?;
    let version = r.ints("version")?;
    let mut columns = std::collections::BTreeMap::new();
    for name in [
        "id",
        "login",
        "name",
        "email",
        "phone",
        "street",
        "city",
        "zip",
        "country",
        "partner",
        "status",
        "iban",
        "mandate_id",
        "vat_id",
        "ignored_reason",
        "file_sha256",
        "file_name",
    ] {
        columns.insert(name, r.texts(name)?);
    }
    let mandate_signed = r.dates("mandate_signed")?;
    let ignored = r.flags("ignored")?;
    let line = r.ints("line")?;
    let at = |name: &str, i: usize| columns[name][i].clone();
    Ok((0..run_id.len())
        .map(|i| CustomerRow {
            run_id: run_id[i].clone(),
            version: version[i],
            customer: Customer {
                id: at("id", i),
                login: at("login", i),
                name: at("name", i),
                email: at("email", i),
                phone: at("phone", i),
                street: at("street", i),
                city: at("city", i),
                zip: at("zip", i),
                country: at("country", i),
                partner: at("partner", i),
                status: at("status", i),
                iban: at("iban", i),
                mandate_id: at("mandate_id", i),
                mandate_signed: mandate_signed[i],
                vat_id: at("vat_id", i),
                lineage: Lineage {
                    file_sha256: at("file_sha256", i),
                    file_name: at("file_name", i),
                    line: line[i] as u64,
                },
            },
            ignored: ignored[i].then(|| at("ignored_reason", i)),
        })
        .collect())
}
