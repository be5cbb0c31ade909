//! The `[targets.api]` section of a Sage target: customers, invoices, credit notes and
//! customer receipts pushed through Sage Business Cloud Accounting's API v3.1
//! (`https://api.accounting.sage.com/v3.1`) in place of the CSV files.
//!
//! The keys mean what they mean for Xero where they are the same (`base_url`, `token_env`,
//! `documents`); `business_id` is the Sage business the requests are for, sent as the
//! `X-Business` header ("you can select the business you want to read or amend data by
//! providing the X-Business header in each request that specifies the Business ID … if not
//! set, the API will return data of the user's lead business": developer.sage.com,
//! Accounting › Authentication). It is required: a user with two businesses would otherwise
//! book into whichever Sage calls the lead one. It is an id, not a secret, so it sits in the
//! pipeline file; the token does not.
//!
//! With an API section the values of `[targets.mapping]` are Sage's ids, not the names the
//! CSV import reads: `categories`, `default_account` and `rounding_account` are ledger
//! account ids (`GET /ledger_accounts?visible_in=sales`), `tax_rates` and
//! `lineless_tax_rate` tax rate ids (`GET /tax_rates`), `payment_account` and
//! `payment_accounts` bank account ids (`GET /bank_accounts`) — what `invoice_lines[]` and
//! `contact_payment` name them by (`ledger_account_id`, `tax_rate_id`, `bank_account_id`).

use std::ops::Range;

use toml::Spanned;

use crate::targets::mapping::{MappingProblem, MappingSection, Rules};
use crate::targets::payments::{PaymentAccounts, PaymentRules};
use crate::targets::xero::api::ApiSection;

pub const DEFAULT_BASE_URL: &str = "https://api.accounting.sage.com/v3.1";

/// The Sage target's mapping rules when it pushes through the API: those of the CSV import
/// ([`super::SAGE`]), with receipts, whose bank account is Sage's id.
pub static SAGE_API: Rules = Rules {
    platform: "Sage Accounting",
    payments: Some(PaymentRules {
        account: "bank account id",
        max_account: 100,
        example: "9a994b92267a11e797950a57719b2edb",
        required: true,
    }),
    account: "ledger account id",
    account_example: "9a994b92267a11e797950a57719b2edb",
    tax_rate: "tax rate id",
    tax_rate_example: "GB_STANDARD",
    ..super::SAGE
};

/// `[targets.api]` of a Sage target, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    pub base_url: String,
    pub token_env: String,
    /// Sent as `X-Business`.
    pub business_id: String,
    /// From `[targets.mapping]`: the bank account receipts go into, and which are not pushed.
    pub payments: PaymentAccounts,
}

/// Resolves a Sage target's `[targets.api]`, with the payment settings of its mapping;
/// every problem is collected, each with its key.
pub fn resolve(
    section: &ApiSection,
    whole: Range<usize>,
    payments: PaymentAccounts,
) -> (Api, Vec<MappingProblem>) {
    let mut problems = Vec::new();
    let mut problem = |span: Range<usize>, key: &str, message: String| {
        problems.push(MappingProblem {
            span,
            key: key.to_string(),
            message,
        })
    };
    let base_url = match &section.base_url {
        Some(url) => {
            let text = url.get_ref().trim().trim_end_matches('/').to_string();
            if !(text.starts_with("https://") || text.starts_with("http://")) {
                problem(
                    url.span(),
                    "base_url",
                    format!(
                        "\"{text}\" is no web address: write {DEFAULT_BASE_URL}, or leave it out"
                    ),
                );
            }
            text
        }
        None => DEFAULT_BASE_URL.to_string(),
    };
    let token_env = match &section.token_env {
        Some(name) if is_env_name(name.get_ref().trim()) => name.get_ref().trim().to_string(),
        Some(name) => {
            // The value is not repeated: it may be the token itself.
            problem(
                name.span(),
                "token_env",
                "is not the name of an environment variable (letters, digits and _, e.g. SAGE_ACCESS_TOKEN): name the variable that holds the access token, never the token".to_string(),
            );
            String::new()
        }
        None => {
            problem(
                whole.clone(),
                "token_env",
                "is missing: name the environment variable that holds Sage's access token (e.g. token_env = \"SAGE_ACCESS_TOKEN\")".to_string(),
            );
            String::new()
        }
    };
    let business_id = match &section.business_id {
        Some(id) if is_id(id.get_ref().trim()) => id.get_ref().trim().to_string(),
        Some(id) => {
            problem(
                id.span(),
                "business_id",
                format!(
                    "\"{}\" is not a Sage business id: copy the id of your business from GET /businesses (letters and digits, e.g. \"0d40342d0287cd6b13555c54afca6c90\")",
                    id.get_ref().trim()
                ),
            );
            String::new()
        }
        None => {
            problem(
                whole.clone(),
                "business_id",
                "is missing: name the Sage business the customers, invoices and receipts go to (its id from GET /businesses); without it Sage books into the user's lead business".to_string(),
            );
            String::new()
        }
    };
    if let Some(tenant) = &section.tenant_env {
        problem(
            tenant.span(),
            "tenant_env",
            "is Xero's: a Sage target names its business with business_id".to_string(),
        );
    }
    if let Some(n) = &section.per_request
        && *n.get_ref() != 1
    {
        problem(
            n.span(),
            "per_request",
            "Sage's API takes one record per request (it has no batch endpoint): leave per_request out".to_string(),
        );
    }
    if let Some(documents) = &section.documents
        && documents.get_ref().trim() != "api"
    {
        problem(
            documents.span(),
            "documents",
            format!(
                "\"{}\": a Sage target with [targets.api] pushes customers and documents too (its receipts name them by Sage's ids): leave documents out, or write \"api\"; for CSV files, leave [targets.api] out",
                documents.get_ref().trim()
            ),
        );
    }
    (
        Api {
            base_url,
            token_env,
            business_id,
            payments,
        },
        problems,
    )
}

/// With the API, the mapping's values are Sage's ids: a value with spaces is a name the CSV
/// import reads (`Standard Rate`, `Sales - Internet`), which the API refuses.
pub fn mapping_ids(section: &MappingSection) -> Vec<MappingProblem> {
    let mut problems = Vec::new();
    let mut check = |key: String, value: &Spanned<String>, what: &str, from: &str| {
        if !is_id(value.get_ref().trim()) {
            problems.push(MappingProblem {
                span: value.span(),
                key,
                message: format!(
                    "\"{}\" is a name; Sage's API takes the {what}'s id ({from}), e.g. \"9a994b92267a11e797950a57719b2edb\"",
                    value.get_ref().trim()
                ),
            });
        }
    };
    let ledger = "GET /ledger_accounts?visible_in=sales";
    for (key, value) in [
        ("default_account", &section.default_account),
        ("rounding_account", &section.rounding_account),
    ] {
        if let Some(value) = value {
            check(key.to_string(), value, "ledger account", ledger);
        }
    }
    for (category, value) in section.categories.iter().flatten() {
        check(
            format!("categories.{category}"),
            value,
            "ledger account",
            ledger,
        );
    }
    for (rate, value) in section.tax_rates.iter().flatten() {
        check(
            format!("tax_rates.\"{rate}\""),
            value,
            "tax rate",
            "GET /tax_rates",
        );
    }
    if let Some(value) = &section.lineless_tax_rate {
        check(
            "lineless_tax_rate".to_string(),
            value,
            "tax rate",
            "GET /tax_rates",
        );
    }
    if let Some(value) = &section.payment_account {
        check(
            "payment_account".to_string(),
            value,
            "bank account",
            "GET /bank_accounts",
        );
    }
    for (bank, value) in section.payment_accounts.iter().flatten() {
        check(
            format!("payment_accounts.\"{bank}\""),
            value,
            "bank account",
            "GET /bank_accounts",
        );
    }
    problems
}

/// Sage's ids are letters, digits and `_` (`9a994b92…`, `GB_STANDARD`).
fn is_id(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 100
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spanned<T>(value: T) -> Spanned<T> {
        Spanned::new(0..0, value)
    }

    #[test]
    fn every_problem_has_its_key_and_the_token_is_never_repeated() {
        let (_, problems) = resolve(
            &ApiSection {
                token_env: Some(spanned("eyJhbGciOi.secret".to_string())),
                tenant_env: Some(spanned("T".to_string())),
                base_url: Some(spanned("api.accounting.sage.com".to_string())),
                per_request: Some(spanned(10)),
                documents: Some(spanned("files".to_string())),
                business_id: Some(spanned("my business".to_string())),
                account: None,
                realm_id: None,
            },
            0..0,
            PaymentAccounts::default(),
        );
        let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "base_url",
                "token_env",
                "business_id",
                "tenant_env",
                "per_request",
                "documents"
            ]
        );
        assert!(problems.iter().all(|p| !p.message.contains("eyJ")));
    }

    #[test]
    fn a_complete_section_resolves_with_sages_address() {
        let (api, problems) = resolve(
            &ApiSection {
                token_env: Some(spanned("SAGE_ACCESS_TOKEN".to_string())),
                business_id: Some(spanned("0d40342d0287cd6b13555c54afca6c90".to_string())),
                ..ApiSection::default()
            },
            0..0,
            PaymentAccounts::default(),
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(api.base_url, DEFAULT_BASE_URL);
        assert_eq!(api.business_id, "0d40342d0287cd6b13555c54afca6c90");
    }

    #[test]
    fn names_the_csv_import_reads_are_refused_where_the_api_needs_ids() {
        let section = MappingSection {
            default_account: Some(spanned("Sales - Internet".to_string())),
            rounding_account: Some(spanned("4f0c6b1e".to_string())),
            tax_rates: Some(
                [("15".to_string(), spanned("Standard Rate".to_string()))]
                    .into_iter()
                    .collect(),
            ),
            ..MappingSection::default()
        };
        let keys: Vec<String> = mapping_ids(&section).into_iter().map(|p| p.key).collect();
        assert_eq!(keys, ["default_account", "tax_rates.\"15\""]);
    }
}
