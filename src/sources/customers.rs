//! The billing system's customer export as CSV or spreadsheet: one row per customer. Only
//! the id and the name must be there; everything else is read when it is mapped. The same
//! customer may stand twice in an export (some systems list one row per contract) as long
//! as both rows say the same; rows that disagree are refused, since sluice cannot know which
//! one is true.

use std::collections::BTreeMap;

use super::fields::electronic_iban;
use super::row_values::RowValues;
use super::table::{self, Column, Origin};
use super::{ColumnProblem, InputFile, SourceError, require, single_columns, unknown_roles};
use crate::model::{Customer, Lineage};
use crate::pipeline::{ColumnSpec, Source};

const ROLES: &[&str] = &[
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
    "mandate_signed",
    "vat_id",
];

pub fn check_columns(columns: &BTreeMap<String, ColumnSpec>) -> Vec<ColumnProblem> {
    let mut problems = Vec::new();
    unknown_roles(columns, ROLES, &mut problems);
    single_columns(columns, &[], &mut problems);
    for role in ["id", "name"] {
        require(columns, role, &mut problems);
    }
    problems
}

/// The mapped columns of one file; `None` for a role the source does not map.
struct Columns {
    id: Column,
    name: Column,
    text: BTreeMap<&'static str, Option<Column>>,
    iban: Option<Column>,
    mandate_signed: Option<Column>,
}

const TEXT_ROLES: [&str; 11] = [
    "login",
    "email",
    "phone",
    "street",
    "city",
    "zip",
    "country",
    "partner",
    "status",
    "mandate_id",
    "vat_id",
];

pub fn parse(source: &Source, file: &InputFile<'_>) -> Result<Vec<Customer>, SourceError> {
    let table = table::read(source, file)?;
    let col = |role: &str| table.optional(source, file, role);
    let required = |role: &str| {
        col(role)?.ok_or_else(|| {
            table.error(
                file,
                None,
                None,
                format!("source \"{}\" maps no {role} column", source.name),
                "run `sluice check` on the pipeline file",
            )
        })
    };
    let mut text = BTreeMap::new();
    for role in TEXT_ROLES {
        text.insert(role, col(role)?);
    }
    let columns = Columns {
        id: required("id")?,
        name: required("name")?,
        text,
        iban: col("iban")?,
        mandate_signed: col("mandate_signed")?,
    };
    let row_word = match table.origin {
        Origin::Sheet { .. } => "row",
        Origin::Delimited => "line",
    };

    // Where each id was first seen, and at which position of `customers`.
    let mut seen: BTreeMap<String, (u64, usize)> = BTreeMap::new();
    let mut customers: Vec<Customer> = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let values = table.values(source, file, row);
        let customer = customer(&values, &columns, file)?;
        match seen.get(&customer.id) {
            Some(&(_, at)) if customers[at].same_content(&customer) => {}
            Some(&(first, _)) => {
                return Err(values.error(
                    &columns.id,
                    format!(
                        "customer \"{}\" appears twice with different details (first on {row_word} {first})",
                        customer.id
                    ),
                    "export each customer once, or fix the row that is out of date",
                ));
            }
            None => {
                seen.insert(customer.id.clone(), (values.line(), customers.len()));
                customers.push(customer);
            }
        }
    }
    Ok(customers)
}

fn customer(
    values: &RowValues<'_>,
    columns: &Columns,
    file: &InputFile<'_>,
) -> Result<Customer, SourceError> {
    let id = values.text(&columns.id)?;
    if id.is_empty() {
        return Err(values.error(
            &columns.id,
            "is empty".to_string(),
            "every customer needs its customer number",
        ));
    }
    let text = |role: &str| values.optional_text(columns.text.get(role).and_then(Option::as_ref));
    let iban = match &columns.iban {
        Some(c) => {
            let written = values.text(c)?;
            if written.is_empty() {
                String::new()
            } else {
                electronic_iban(&written).map_err(|reason| {
                    values.error(
                        c,
                        format!("IBAN \"{written}\" is not valid: {reason}"),
                        "fix the customer's IBAN in the billing system, or leave the cell empty",
                    )
                })?
            }
        }
        None => String::new(),
    };
    Ok(Customer {
        login: text("login")?,
        name: values.text(&columns.name)?,
        email: text("email")?,
        phone: text("phone")?,
        street: text("street")?,
        city: text("city")?,
        zip: text("zip")?,
        country: text("country")?,
        partner: text("partner")?,
        status: text("status")?,
        iban,
        mandate_id: text("mandate_id")?,
        mandate_signed: values.optional_date(columns.mandate_signed.as_ref())?,
        vat_id: text("vat_id")?,
        lineage: Lineage {
            file_sha256: file.sha256.to_string(),
            file_name: file.name.to_string(),
            line: values.line(),
        },
        id,
    })
}
