//! What Xero itself says an organisation takes, fetched by `sluice pull` through the API and
//! kept beside the ledger (`<ledger>/platform/<target>.json`): the period lock date, the
//! tax rates (which may apply to revenue, which are active) and the chart of accounts. A run
//! holds a document Xero would refuse for these reasons before it is staged — dated inside
//! the locked period, a line on an account that is not an active revenue account, a tax
//! type Xero does not have or that cannot apply to revenue — with the reason, like an
//! unmapped one; the next run after the cause is fixed (in Xero or the pipeline, then pulled
//! again) stages it.
//!
//! Without the file (no pull yet) nothing is checked against Xero: `lock_date` in the
//! mapping still holds documents of a locked period.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::mapping::Mapping;
use crate::model::Document;
use crate::targets::mapping::Refusal;

/// One organisation's settings, as fetched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct XeroSettings {
    /// When they were fetched (RFC 3339).
    pub fetched: String,
    /// The later of Xero's period lock date and end-of-year lock date.
    pub lock_date: Option<NaiveDate>,
    /// By `TaxType` code.
    pub tax_types: BTreeMap<String, TaxType>,
    /// By account code.
    pub accounts: BTreeMap<String, Account>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxType {
    pub name: String,
    pub status: String,
    pub can_apply_to_revenue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub name: String,
    pub class: String,
    pub status: String,
}

/// Where a target's settings are kept.
pub fn path(ledger: &Path, target: &str) -> PathBuf {
    ledger.join("platform").join(format!("{target}.json"))
}

/// The settings last fetched for `target`, if any. A file that does not read is as good as
/// none (the next pull writes it again).
pub fn load(ledger: &Path, target: &str) -> Option<XeroSettings> {
    let bytes = std::fs::read(path(ledger, target)).ok()?;
    match serde_json::from_slice(&bytes) {
        Ok(settings) => Some(settings),
        Err(e) => {
            tracing::warn!(target, error = %e, "the Xero settings kept beside the ledger do not read; run `sluice pull` again");
            None
        }
    }
}

impl XeroSettings {
    /// Why Xero would refuse the document, if it would.
    pub fn refusal(&self, doc: &Document, mapping: &Mapping) -> Option<Refusal> {
        let mut reasons: Vec<String> = Vec::new();
        let mut add = |reason: String| {
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        };
        if let Some(lock) = self.lock_date
            && doc.issue_date <= lock
        {
            add(format!(
                "it is dated {}, inside the period Xero has locked (up to {lock}, as Xero said on {})",
                doc.issue_date, self.fetched
            ));
        }
        let sign = if doc.total.amount.is_sign_negative() {
            Decimal::NEGATIVE_ONE
        } else {
            Decimal::ONE
        };
        for line in mapping.lines(doc, sign) {
            let account = line.account.trim();
            match self.accounts.get(account) {
                None => add(format!("Xero has no account {account}")),
                Some(a) if a.status != "ACTIVE" => add(format!(
                    "Xero's account {account} ({}) is {}",
                    a.name,
                    a.status.to_lowercase()
                )),
                Some(a) if a.class != "REVENUE" => add(format!(
                    "Xero's account {account} ({}) is not a revenue account but {}",
                    a.name,
                    a.class.to_lowercase()
                )),
                Some(_) => {}
            }
            let tax = line.tax_type.trim();
            match self.tax_types.get(tax) {
                None => add(format!("Xero has no tax type {tax}")),
                Some(t) if t.status != "ACTIVE" => add(format!(
                    "Xero's tax type {tax} ({}) is {}",
                    t.name,
                    t.status.to_lowercase()
                )),
                Some(t) if !t.can_apply_to_revenue => add(format!(
                    "Xero's tax type {tax} ({}) cannot be used on sales",
                    t.name
                )),
                Some(_) => {}
            }
        }
        if reasons.is_empty() {
            return None;
        }
        Some(Refusal {
            reason: reasons.join("; "),
            fix: "fix it in Xero or in [targets.mapping], then `sluice pull` (to fetch Xero's settings again) and run again: the next run stages it".to_string(),
        })
    }
}
