//! The `[targets.api]` section of a Xero target: where sluice pushes payments through Xero's
//! Accounting API, and with which credentials. The credentials themselves are never in the
//! pipeline file, the outbox, the ledger or a log: the section names the environment
//! variables that hold them, read by `sluice push` when it sends. Which account money is
//! received into, and which accounts' payments Xero has already, are the payment part of
//! `[targets.mapping]` ([`crate::targets::payments`]), shared with the file targets.

use std::ops::Range;

use super::mapping::MappingProblem;
use crate::targets::api_section::{self, ApiSection};
use crate::targets::payments::PaymentAccounts;

pub const DEFAULT_BASE_URL: &str = "https://api.xero.com";
/// Xero takes up to 50 payments in one request comfortably, and allows 60 calls a minute
/// and 5,000 a day: one call per payment would not get through a month of 50,000.
pub const DEFAULT_PER_REQUEST: usize = 50;
const MAX_PER_REQUEST: i64 = 100;

/// `[targets.api]` resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    pub base_url: String,
    pub token_env: String,
    pub tenant_env: String,
    pub per_request: usize,
    /// From `[targets.mapping]`: where payments go, and which are not pushed.
    pub payments: PaymentAccounts,
    /// How contacts, invoices and credit notes reach Xero.
    pub documents: DocumentsBy,
    /// Where differences within the tolerance go (a Xero account code); none: not pushed.
    pub difference_account: Option<String>,
}

/// How a Xero target with an API section delivers contacts, invoices and credit notes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DocumentsBy {
    /// Xero's CSV imports, for a person to import.
    #[default]
    Files,
    /// Requests `sluice push` sends: contacts, then invoices and credit notes, then payments.
    Api,
}

impl Api {
    /// Whether payments booked on `bank_account` are pushed.
    pub fn pushes(&self, bank_account: &str) -> bool {
        self.payments.exports(bank_account)
    }

    /// The Xero account code money booked on `bank_account` is received into.
    pub fn account_code(&self, bank_account: &str) -> &str {
        self.payments.account_of(bank_account)
    }
}

/// Resolves a Xero target's `[targets.api]`, with the payment settings of its
/// `[targets.mapping]`; every problem is collected.
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
    let base_url = api_section::base_url(
        section,
        DEFAULT_BASE_URL,
        "write https://api.xero.com, or leave it out",
        &mut problem,
    );
    let token_env = api_section::env_name(
        section.token_env.as_ref(),
        "token_env",
        "the access token",
        "XERO_ACCESS_TOKEN",
        &whole,
        &mut problem,
    );
    let tenant_env = api_section::env_name(
        section.tenant_env.as_ref(),
        "tenant_env",
        "the tenant id",
        "XERO_TENANT_ID",
        &whole,
        &mut problem,
    );
    let per_request =
        api_section::per_request(section, DEFAULT_PER_REQUEST, MAX_PER_REQUEST, &mut problem);
    let documents = match section.documents.as_ref().map(|d| (d, d.get_ref().trim())) {
        None | Some((_, "files")) => DocumentsBy::Files,
        Some((_, "api")) => DocumentsBy::Api,
        Some((d, other)) => {
            problem(
                d.span(),
                "documents",
                format!(
                    "\"{other}\" is not how documents can reach Xero: write \"files\" (Xero's CSV imports, the default) or \"api\" (pushed with the payments)"
                ),
            );
            DocumentsBy::Files
        }
    };
    let difference_account = match &section.difference_account {
        Some(code)
            if !code.get_ref().trim().is_empty()
                && code.get_ref().trim().chars().count() <= super::mapping::MAX_ACCOUNT_CODE =>
        {
            Some(code.get_ref().trim().to_string())
        }
        Some(code) => {
            problem(
                code.span(),
                "difference_account",
                format!(
                    "\"{}\" is no Xero account code (1 to {} characters): write the code of the account small differences are booked to",
                    code.get_ref(),
                    super::mapping::MAX_ACCOUNT_CODE
                ),
            );
            None
        }
        None => None,
    };
    (
        Api {
            base_url,
            token_env,
            tenant_env,
            per_request,
            payments,
            documents,
            difference_account,
        },
        problems,
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use toml::Spanned;

    use super::*;

    fn spanned<T>(value: T) -> Spanned<T> {
        Spanned::new(0..0, value)
    }

    fn section() -> ApiSection {
        ApiSection {
            token_env: Some(spanned("XERO_ACCESS_TOKEN".to_string())),
            tenant_env: Some(spanned("XERO_TENANT_ID".to_string())),
            ..ApiSection::default()
        }
    }

    #[test]
    fn payments_go_where_the_mapping_says() {
        let payments = PaymentAccounts {
            default: "090".to_string(),
            by_bank: BTreeMap::from([("DE89370400440532013000".to_string(), "091".to_string())]),
            never_export: vec!["STRIPEEUR".to_string()],
            direction: Default::default(),
        };
        let (api, problems) = resolve(&section(), 0..0, payments);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(api.account_code("DE89 3704 0044 0532 0130 00"), "091");
        assert_eq!(api.account_code("DE02120300000000202051"), "090");
        assert_eq!(api.base_url, DEFAULT_BASE_URL);
        assert_eq!(api.per_request, DEFAULT_PER_REQUEST);
        assert!(api.pushes("DE89370400440532013000"));
        assert!(!api.pushes("stripe eur"));
        assert!(api.pushes("PayPal EUR"));
    }

    #[test]
    fn secrets_are_named_never_written_and_every_problem_has_its_key() {
        let (_, problems) = resolve(
            &ApiSection {
                token_env: Some(spanned("eyJhbGciOiJSUzI1NiIs.x".to_string())),
                tenant_env: None,
                base_url: Some(spanned("api.xero.com".to_string())),
                per_request: Some(spanned(500)),
                documents: Some(spanned("email".to_string())),
                difference_account: Some(spanned("a very long code".to_string())),
                account: None,
                business_id: None,
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
                "tenant_env",
                "per_request",
                "documents",
                "difference_account"
            ]
        );
        assert!(problems[1].message.contains("never the value"));
        assert!(
            !problems[1].message.contains("eyJ"),
            "a secret is not repeated"
        );
    }
}
