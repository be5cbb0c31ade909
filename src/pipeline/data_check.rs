//! What `sluice check` finds in the data: the billing categories and VAT rates of the
//! documents the ledger holds that a target's `[targets.mapping]` does not name. A run holds
//! such documents one by one; the check lists each missing name once, with the documents
//! that need it, so the pipeline can be completed before the next run.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::Pipeline;
use crate::ledger::{DocumentRow, Facts};
use crate::model::DocumentStatus;

/// One name a target's mapping lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    /// The target's place among the pipeline's targets, and its name.
    pub target: usize,
    pub target_name: String,
    /// `categories`, `tax_rates` or `default_account`.
    pub key: &'static str,
    /// The category, the VAT rate, or what a document without lines needs.
    pub value: String,
    /// The documents that need it, by number (at most a few are named).
    pub documents: Vec<String>,
}

impl Unmapped {
    /// What to add, in the pipeline's words.
    pub fn message(&self) -> String {
        let shown: Vec<&str> = self.documents.iter().take(3).map(String::as_str).collect();
        let more = self.documents.len().saturating_sub(shown.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let docs = format!("{}{more}", shown.join(", "));
        match self.key {
            "categories" => format!(
                "the ledger has documents with category \"{}\" ({docs}), which the mapping does not name: add \"{}\" = \"<account>\" under [targets.mapping.categories], or a default_account",
                self.value, self.value
            ),
            "tax_rates" => format!(
                "the ledger has documents with VAT rate {} % ({docs}), which the mapping does not name: add \"{}\" = \"<tax rate>\" under [targets.mapping.tax_rates]",
                self.value, self.value
            ),
            _ => format!(
                "the ledger has documents without lines ({docs}): {}",
                self.value
            ),
        }
    }
}

/// Every name the targets' mappings lack for the documents in the books.
pub fn unmapped(pipeline: &Pipeline, facts: &Facts) -> Vec<Unmapped> {
    let mut latest: BTreeMap<&str, &DocumentRow> = BTreeMap::new();
    for row in &facts.documents {
        latest.insert(row.document.number.as_str(), row);
    }
    let in_books: Vec<&DocumentRow> = latest
        .into_values()
        .filter(|r| {
            r.applied && r.ignored.is_none() && r.document.status != DocumentStatus::Cancelled
        })
        .collect();
    let mut found = Vec::new();
    for (i, target) in pipeline.targets.iter().enumerate() {
        let Some(mapping) = target.document_mapping() else {
            continue;
        };
        let mut missing: BTreeMap<(&'static str, String), Vec<String>> = BTreeMap::new();
        for row in in_books
            .iter()
            .filter(|r| !mapping.before_export(&r.document))
        {
            let doc = &row.document;
            let mut need = |key: &'static str, value: String| {
                let numbers = missing.entry((key, value)).or_default();
                if !numbers.contains(&doc.number) {
                    numbers.push(doc.number.clone());
                }
            };
            if doc.lines.is_empty() {
                if mapping.default_account.is_none() {
                    need(
                        "default_account",
                        "add default_account (what a document known only by its total is booked to)".to_string(),
                    );
                }
                continue;
            }
            for line in &doc.lines {
                if mapping.account_of(&line.category).is_none() {
                    need("categories", line.category.trim().to_lowercase());
                }
                if mapping.rules.tax_on_lines && mapping.tax_rate_of(line.vat_rate).is_none() {
                    need("tax_rates", percent(line.vat_rate));
                }
            }
        }
        for ((key, value), documents) in missing {
            found.push(Unmapped {
                target: i,
                target_name: target.name.clone(),
                key,
                value,
                documents,
            });
        }
    }
    found
}

fn percent(rate: Decimal) -> String {
    rate.normalize().to_string()
}
