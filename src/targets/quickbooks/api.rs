//! The `[targets.api]` section of a QuickBooks Online target: customers, invoices, credit
//! memos and payments go to Intuit's Accounting API v3 as requests `sluice push` sends, in
//! place of the Online CSV files. The realm id (QuickBooks' company id, shown under
//! Settings › Additional info, and in the app's OAuth callback) is not a secret and is
//! written in the pipeline file; the OAuth 2.0 access token is read from the environment
//! variable `token_env` names, when `push` sends, and is written nowhere.
//!
//! With the API, the values of `[targets.mapping]` are QuickBooks' own ids, not names: a
//! category maps to a product/service's `Id` (a line's `ItemRef.value`), a VAT rate to a
//! tax code's `Id` (`TaxCodeRef.value`: a number, or `TAX`/`NON` in a US company), and
//! `payment_account` to the `Id` of the account money is deposited to
//! (`DepositToAccountRef.value`). Intuit's reference: "Reference type: … value … The ID for
//! the referenced object as found in the Id field of the object payload" (Accounting API,
//! all entities). `sluice check` refuses a name where an id belongs.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use crate::targets::mapping::{MappingProblem, MappingSection};
use crate::targets::payments::PaymentAccounts;
use crate::targets::xero::api::ApiSection;

pub const DEFAULT_BASE_URL: &str = "https://quickbooks.api.intuit.com";
/// The minor version every request names. Intuit made 75 the lowest it serves (minor
/// versions 1 to 74 were retired on 1 August 2025); the bodies are written for it.
pub const MINOR_VERSION: u32 = 75;
/// Items per batch request. Intuit's batch page says "up to 10 payloads" per batch and 40
/// batch requests a minute per company (developer.intuit.com, "Batch operation"); its 2023
/// article "Batch without a Scratch" gives 30 as the most a batch takes.
pub const DEFAULT_PER_REQUEST: usize = 10;
const MAX_PER_REQUEST: i64 = 30;

/// `[targets.api]` of a QuickBooks Online target, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    pub base_url: String,
    pub token_env: String,
    /// The company's realm id, digits.
    pub realm_id: String,
    pub per_request: usize,
    /// From `[targets.mapping]`: the account ids payments are deposited to.
    pub payments: PaymentAccounts,
}

impl Api {
    /// `/v3/company/<realm id>`: what every path starts with.
    pub fn company_path(&self) -> String {
        format!("/v3/company/{}", self.realm_id)
    }
}

/// Resolves a QuickBooks Online target's `[targets.api]`, with the payment settings of its
/// `[targets.mapping]`; every problem is collected, each with its key.
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
                        "\"{text}\" is no web address: write {DEFAULT_BASE_URL} (or https://sandbox-quickbooks.api.intuit.com for a sandbox company), or leave it out"
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
                "is not the name of an environment variable (letters, digits and _, e.g. QBO_ACCESS_TOKEN): name the variable that holds the access token, never the token".to_string(),
            );
            String::new()
        }
        None => {
            problem(
                whole.clone(),
                "token_env",
                "is missing: name the environment variable that holds QuickBooks' OAuth 2.0 access token".to_string(),
            );
            String::new()
        }
    };
    let realm_id = match &section.realm_id {
        Some(id) if is_digits(id.get_ref().trim()) => id.get_ref().trim().to_string(),
        Some(id) => {
            problem(
                id.span(),
                "realm_id",
                format!(
                    "\"{}\" is not a QuickBooks company id: write the realm id, its digits only (QuickBooks › Settings › Additional info › Company ID, without spaces)",
                    id.get_ref().trim()
                ),
            );
            String::new()
        }
        None => {
            problem(
                whole.clone(),
                "realm_id",
                "is missing: write realm_id = \"<your company id>\" (QuickBooks › Settings › Additional info › Company ID, digits only)".to_string(),
            );
            String::new()
        }
    };
    if let Some(tenant) = &section.tenant_env {
        problem(
            tenant.span(),
            "tenant_env",
            "is Xero's: QuickBooks names the company by realm_id, a setting (not a secret) — remove tenant_env".to_string(),
        );
    }
    if let Some(documents) = &section.documents {
        problem(
            documents.span(),
            "documents",
            "is Xero's choice: a QuickBooks Online target with [targets.api] sends customers, invoices and credit memos through the API (the payments need their QuickBooks ids) — remove documents".to_string(),
        );
    }
    let per_request = match &section.per_request {
        Some(n) if (1..=MAX_PER_REQUEST).contains(n.get_ref()) => *n.get_ref() as usize,
        Some(n) => {
            problem(
                n.span(),
                "per_request",
                format!(
                    "{} is not from 1 to {MAX_PER_REQUEST}: QuickBooks takes at most {MAX_PER_REQUEST} records in one batch request (Intuit suggests {DEFAULT_PER_REQUEST}, the default)",
                    n.get_ref()
                ),
            );
            DEFAULT_PER_REQUEST
        }
        None => DEFAULT_PER_REQUEST,
    };
    (
        Api {
            base_url,
            token_env,
            realm_id,
            per_request,
            payments,
        },
        problems,
    )
}

/// Where the mapping names a QuickBooks id, a value that is not one (a name, as the CSV
/// import reads) is refused with its key: products/services and accounts are numeric ids;
/// tax codes too, but for a US company's `TAX` and `NON`.
pub fn mapping_ids(section: &MappingSection) -> Vec<MappingProblem> {
    let mut problems = Vec::new();
    let mut check = |key: String, value: &Spanned<String>, tax: bool| {
        let text = value.get_ref().trim();
        let fits = is_digits(text) || (tax && (text == "TAX" || text == "NON"));
        if !fits {
            let how = if tax {
                "the tax code's Id: a number, or TAX / NON in a US company — `select Id, Name from TaxCode` in the API explorer lists them"
            } else if key.starts_with("payment_account") {
                "the Id of the account money is deposited to — `select Id, Name from Account` lists them, or the number after accountId= in its register's web address"
            } else {
                "the product/service's Id — `select Id, Name from Item` lists them, or the number after itemId= when you edit it in QuickBooks"
            };
            problems.push(MappingProblem {
                span: value.span(),
                key,
                message: format!(
                    "\"{text}\" is a name, not an id: QuickBooks Online's API takes {how}"
                ),
            });
        }
    };
    let table = |t: &Option<BTreeMap<String, Spanned<String>>>| {
        t.iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    for (category, value) in table(&section.categories) {
        check(format!("categories.\"{category}\""), &value, false);
    }
    if let Some(value) = &section.default_account {
        check("default_account".to_string(), value, false);
    }
    for (rate, value) in table(&section.tax_rates) {
        check(format!("tax_rates.\"{rate}\""), &value, true);
    }
    if let Some(value) = &section.lineless_tax_rate {
        check("lineless_tax_rate".to_string(), value, true);
    }
    if let Some(value) = &section.payment_account {
        check("payment_account".to_string(), value, false);
    }
    for (bank, value) in table(&section.payment_accounts) {
        check(format!("payment_accounts.\"{bank}\""), &value, false);
    }
    problems
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit())
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
    fn a_section_with_realm_and_token_resolves_with_the_defaults() {
        let section = ApiSection {
            token_env: Some(spanned("QBO_ACCESS_TOKEN".to_string())),
            realm_id: Some(spanned(" 9130354521839156 ".to_string())),
            ..ApiSection::default()
        };
        let (api, problems) = resolve(&section, 0..0, PaymentAccounts::default());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(api.base_url, DEFAULT_BASE_URL);
        assert_eq!(api.per_request, DEFAULT_PER_REQUEST);
        assert_eq!(api.company_path(), "/v3/company/9130354521839156");
    }

    #[test]
    fn every_problem_has_its_key_and_a_secret_is_not_repeated() {
        let section = ApiSection {
            token_env: Some(spanned("eyJlbmMiOiJBMTI4.x".to_string())),
            tenant_env: Some(spanned("T".to_string())),
            realm_id: Some(spanned("acme company".to_string())),
            per_request: Some(spanned(31)),
            documents: Some(spanned("files".to_string())),
            base_url: None,
            account: None,
            business_id: None,
        };
        let (_, problems) = resolve(&section, 0..0, PaymentAccounts::default());
        let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "token_env",
                "realm_id",
                "tenant_env",
                "documents",
                "per_request"
            ]
        );
        assert!(problems.iter().all(|p| !p.message.contains("eyJ")));
    }

    #[test]
    fn names_where_ids_belong_are_refused_us_tax_codes_taken() {
        let table = |pairs: &[(&str, &str)]| {
            Some(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), spanned(v.to_string())))
                    .collect(),
            )
        };
        let section = MappingSection {
            categories: table(&[("service", "Internet service"), ("hardware", "12")]),
            tax_rates: table(&[("19", "19.0% S"), ("7", "TAX"), ("0", "NON")]),
            payment_account: Some(spanned("Checking".to_string())),
            ..MappingSection::default()
        };
        let problems = mapping_ids(&section);
        let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "categories.\"service\"",
                "tax_rates.\"19\"",
                "payment_account"
            ]
        );
        assert!(problems[0].message.contains("select Id, Name from Item"));
        assert!(problems[2].message.contains("from Account"));
    }
}
