//! Money that pays no invoice, staged as Xero bank transactions (`PUT BankTransactions`,
//! `createBankTransactions` in xero_accounting.yaml, MIT) beside the payments, so Xero's bank
//! account holds what the bank received:
//!
//! - **Credit kept for a customer** (money beyond what they owe) becomes a Xero overpayment:
//!   `Type` `RECEIVE-OVERPAYMENT`, the customer's contact, one line without an account
//!   (Xero books it to the contact's balance, where it pays their next invoice), no tax.
//! - **A difference within the tolerance** (`reconcile.tolerance`): the payment pushed is
//!   the invoice's whole open amount, so the difference to what the bank received goes to
//!   `difference_account` of `[targets.api]` — `SPEND` when the payer paid less, `RECEIVE`
//!   when more. Without `difference_account` no difference is pushed (and the bank account
//!   in Xero is off by it until a person books it).
//!
//! Both only for money on an account the target exports (`never_export`, `payment_direction`),
//! in the order the money moved, up to `per_request` per request.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::value::RawValue;

use super::api::Api;
use super::mapping::{ContactFacts, Mapping};
use crate::model::{BankLine, Customer, Match, MatchKind};
use crate::outbox::{RecordRef, StagedRequest};
use crate::targets::{RenderedFile, RunFacts};

pub const PATH: &str = "/api.xro/2.0/BankTransactions?summarizeErrors=false";

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct BankTransactions {
    bank_transactions: Vec<BankTransaction>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct BankTransaction {
    #[serde(rename = "Type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact: Option<ContactRef>,
    bank_account: AccountRef,
    date: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    reference: String,
    line_amount_types: &'static str,
    currency_code: String,
    line_items: Vec<LineItem>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ContactRef {
    name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AccountRef {
    code: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct LineItem {
    description: String,
    line_amount: Box<RawValue>,
    #[serde(skip_serializing_if = "String::is_empty")]
    account_code: String,
}

/// The run's overpayments and differences as request files `xero-bank-transactions-0001.json` ….
pub fn render(
    target: &str,
    api: &Api,
    mapping: &Mapping,
    facts: &RunFacts<'_>,
) -> Vec<RenderedFile> {
    let lines: BTreeMap<&str, &BankLine> = facts
        .bank_lines
        .iter()
        .chain(facts.retried_lines)
        .map(|l| (l.id.as_str(), l))
        .collect();
    let mut place: BTreeMap<&str, usize> = BTreeMap::new();
    let mut picked: Vec<(&BankLine, &Match, usize)> = Vec::new();
    for m in facts.matches.iter().chain(facts.rematched) {
        let n = place.entry(m.bank_line_id.as_str()).or_default();
        *n += 1;
        let Some(line) = lines.get(m.bank_line_id.as_str()) else {
            continue;
        };
        let wanted = match m.kind {
            MatchKind::Credit => m.amount.amount > Decimal::ZERO && m.customer_id.is_some(),
            MatchKind::Difference => !m.amount.amount.is_zero() && api.difference_account.is_some(),
            _ => false,
        };
        if wanted && api.payments.exports(&line.account) {
            picked.push((line, m, *n));
        }
    }
    picked.sort_by(|a, b| (a.0.booking_date, &a.0.id, a.2).cmp(&(b.0.booking_date, &b.0.id, b.2)));
    picked
        .chunks(api.per_request)
        .enumerate()
        .map(|(i, chunk)| request_file(target, api, mapping, facts.all_customers, chunk, i + 1))
        .collect()
}

fn request_file(
    target: &str,
    api: &Api,
    mapping: &Mapping,
    customers: &HashMap<String, (i64, Customer)>,
    chunk: &[(&BankLine, &Match, usize)],
    number: usize,
) -> RenderedFile {
    let mut records = Vec::new();
    let mut body = Vec::new();
    let mut totals: BTreeMap<String, Decimal> = BTreeMap::new();
    for (line, m, n) in chunk {
        let amount = m.amount.amount;
        let (kind, record, contact, description, account) = match m.kind {
            MatchKind::Credit => {
                let id = m.customer_id.clone().unwrap_or_default();
                let name = match customers.get(id.trim()) {
                    Some((_, c)) => mapping.contact_name(&ContactFacts::of_customer(c)),
                    None => mapping.contact_name(&ContactFacts {
                        id: &id,
                        login: "",
                        name: &line.counterparty,
                        email: "",
                    }),
                };
                (
                    "RECEIVE-OVERPAYMENT",
                    "overpayment",
                    Some(ContactRef { name }),
                    format!("Credit for customer {id} from bank line {}", line.id),
                    String::new(),
                )
            }
            _ => (
                if amount.is_sign_negative() {
                    "SPEND"
                } else {
                    "RECEIVE"
                },
                "difference",
                None,
                format!(
                    "Difference within the tolerance on bank line {} ({})",
                    line.id,
                    m.document.as_deref().unwrap_or("no invoice")
                ),
                api.difference_account.clone().unwrap_or_default(),
            ),
        };
        body.push(BankTransaction {
            kind,
            contact,
            bank_account: AccountRef {
                code: api.account_code(&line.account).to_string(),
            },
            date: line.booking_date.format("%Y-%m-%d").to_string(),
            reference: line.bank_reference.clone(),
            line_amount_types: "NoTax",
            currency_code: m.amount.currency.code().to_string(),
            line_items: vec![LineItem {
                description,
                // Xero gives the direction by the type: the amount is always positive.
                line_amount: RawValue::from_string(amount.abs().to_string())
                    .expect("a decimal's digits are a JSON number"),
                account_code: account,
            }],
        });
        records.push(RecordRef {
            kind: record.to_string(),
            id: format!("{}/{n}", line.id),
            document: m.document.clone().unwrap_or_default(),
        });
        *totals
            .entry(m.amount.currency.code().to_string())
            .or_default() += amount;
    }
    let json = serde_json::to_string(&BankTransactions {
        bank_transactions: body,
    })
    .expect("a request body serialises");
    let request =
        StagedRequest::new(target, "PUT", PATH, records, json).expect("a serialised body is JSON");
    RenderedFile {
        name: format!("xero-bank-transactions-{number:04}.json"),
        bytes: request.to_bytes(),
        records: request.records.len() as u64,
        totals,
    }
}
