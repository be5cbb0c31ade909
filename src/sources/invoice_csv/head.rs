//! The document fields of one row: number, customer, dates, total, currency, status and
//! the deleted flag. A line-level export repeats them on every line of a document, so the
//! rows of one document are held to agree on every one of them.

use chrono::NaiveDate;

use super::super::SourceError;
use super::super::row_values::RowValues;
use super::super::table::Column;
use crate::model::{Currency, DocumentStatus, Money};

/// The mapped document columns; `total` is optional when lines are mapped.
pub struct HeadColumns {
    pub number: Column,
    pub customer_id: Column,
    pub customer_name: Option<Column>,
    pub issue_date: Column,
    pub due_date: Option<Column>,
    pub total: Option<Column>,
    pub currency: Option<Column>,
    pub status: Option<Column>,
    pub deleted: Option<Column>,
}

/// The document fields as one row states them.
pub struct Head {
    pub number: String,
    pub customer_id: String,
    pub customer_name: String,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub total: Option<Money>,
    pub currency: Currency,
    pub status: DocumentStatus,
    pub deleted: bool,
}

impl HeadColumns {
    pub fn read(&self, values: &RowValues<'_>) -> Result<Head, SourceError> {
        let number = values.text(&self.number)?;
        if number.is_empty() {
            return Err(values.error(
                &self.number,
                "is empty".to_string(),
                "every invoice needs its number",
            ));
        }
        let customer_id = values.text(&self.customer_id)?;
        if customer_id.is_empty() {
            return Err(values.error(
                &self.customer_id,
                "is empty".to_string(),
                "every invoice needs its customer",
            ));
        }
        let currency = values.currency(self.currency.as_ref())?;
        let total = match &self.total {
            Some(column) => {
                let amount = values.amount(column)?.ok_or_else(|| {
                    values.error(
                        column,
                        "\"\" is empty".to_string(),
                        "fix the row, or `decimal`/`thousands` in the pipeline file",
                    )
                })?;
                Some(values.money(column, &amount, currency)?)
            }
            None => None,
        };
        let status = match &self.status {
            Some(c) => {
                let raw = values.text(c)?;
                DocumentStatus::parse(&raw).ok_or_else(|| {
                    values.error(
                        c,
                        format!("\"{raw}\" is not a status sluice knows"),
                        "use open/unpaid/due/overdue, paid, or cancelled/void/deleted",
                    )
                })?
            }
            None => DocumentStatus::Open,
        };
        let deleted = match &self.deleted {
            Some(c) => {
                let raw = values.text(c)?;
                flag(&raw).ok_or_else(|| {
                    values.error(
                        c,
                        format!("\"{raw}\" is not a yes/no flag"),
                        "use 1/0, yes/no or true/false (empty means no)",
                    )
                })?
            }
            None => false,
        };
        Ok(Head {
            number,
            customer_id,
            customer_name: values.optional_text(self.customer_name.as_ref())?,
            issue_date: values.date(&self.issue_date)?,
            due_date: values.optional_date(self.due_date.as_ref())?,
            total,
            currency,
            status,
            deleted,
        })
    }

    /// Refuses `head` (read from `values`) when it states a field otherwise than `first`,
    /// the document's first row (on `first_line`), naming the column and both values.
    pub fn agree(
        &self,
        values: &RowValues<'_>,
        head: &Head,
        first: &Head,
        first_line: u64,
        first_at: &str,
    ) -> Result<(), SourceError> {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let money = |m: Option<Money>| m.map(|m| m.amount.to_string()).unwrap_or_default();
        let fields = [
            (
                Some(&self.customer_id),
                &head.customer_id,
                &first.customer_id,
            ),
            (
                self.customer_name.as_ref(),
                &head.customer_name,
                &first.customer_name,
            ),
            (
                Some(&self.issue_date),
                &date(Some(head.issue_date)),
                &date(Some(first.issue_date)),
            ),
            (
                self.due_date.as_ref(),
                &date(head.due_date),
                &date(first.due_date),
            ),
            (
                self.currency.as_ref(),
                &head.currency.code().to_string(),
                &first.currency.code().to_string(),
            ),
            (self.total.as_ref(), &money(head.total), &money(first.total)),
            (
                self.status.as_ref(),
                &head.status.as_str().to_string(),
                &first.status.as_str().to_string(),
            ),
            (
                self.deleted.as_ref(),
                &yes_no(head.deleted),
                &yes_no(first.deleted),
            ),
        ];
        for (column, this, earlier) in fields {
            if let Some(column) = column
                && this != earlier
            {
                return Err(values.error(
                    column,
                    format!(
                        "\"{this}\" differs from \"{earlier}\" on {first_at} {first_line}, the first row of document \"{}\"",
                        head.number
                    ),
                    "every row of a document repeats the document's fields unchanged; fix the export",
                ));
            }
        }
        Ok(())
    }
}

fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_string()
}

/// The billing system's deleted flag. An empty cell is no: exports leave the flag blank on
/// documents that stand.
fn flag(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "yes" | "true" => Some(true),
        "0" | "no" | "false" | "" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deleted_flags_are_the_plain_yes_and_no_words() {
        for yes in ["1", "yes", "YES", "true", "True"] {
            assert_eq!(flag(yes), Some(true), "{yes}");
        }
        for no in ["0", "no", "false", "FALSE", ""] {
            assert_eq!(flag(no), Some(false), "{no}");
        }
        for other in ["2", "y", "deleted", "-"] {
            assert_eq!(flag(other), None, "{other}");
        }
    }
}
