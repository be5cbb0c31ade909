//! The `[targets.api]` section of a NetSuite target: its customers, invoices, credit memos
//! and customer payments go to NetSuite's REST web services (SuiteTalk REST, `record/v1`)
//! in place of the Import Assistant's CSV files, and `sluice push` delivers them.
//!
//! The account id is a setting, not a secret: it names the account's own host,
//! `https://<account>.suitetalk.api.netsuite.com` (Oracle NetSuite Help, "Using the Upsert
//! Operation": `PUT http://demo123.suitetalk.api.netsuite.com/services/rest/record/v1/customer/eid:CID002`;
//! a sandbox id `1234567_SB1` is written `1234567-sb1` in the host). The OAuth 2.0 access
//! token is read from the environment variable `token_env` names, when `push` sends.
//!
//! NetSuite's REST records refer to other records, and to list values, by internal id
//! (`"subsidiary": {"id": "1"}`, `"account": {"id": "1"}`: Oracle, "Using External IDs" and
//! "Customer Payment" code samples). So with `[targets.api]` the mapping's items and tax
//! codes, the payment accounts and the classification of `[targets.netsuite]` are internal
//! ids (the ID column of each list in NetSuite), which `sluice check` makes sure of
//! ([`internal_id_problems`]); the CSV import reads names instead.

use std::ops::Range;

use toml::Spanned;

use super::ClassificationSection;
use crate::targets::api_section::{self, ApiSection};
use crate::targets::mapping::{MappingProblem, MappingSection};

/// The path of every record, after the account's host.
pub const RECORD_PATH: &str = "/services/rest/record/v1";

/// `[targets.api]` of a NetSuite target, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    /// The account's REST host, or the one `base_url` gives (tests point it at 127.0.0.1).
    pub base_url: String,
    pub account: String,
    /// The environment variable holding the OAuth 2.0 access token.
    pub token_env: String,
}

/// The account's REST host: the id in lower case, `_` as `-`.
pub fn host_of(account: &str) -> String {
    format!(
        "https://{}.suitetalk.api.netsuite.com",
        account.to_lowercase().replace('_', "-")
    )
}

/// Resolves a NetSuite target's `[targets.api]`; every problem is collected, each with its
/// key (`account`, `token_env` …) and where it is written (`whole` for a missing key).
pub fn resolve(section: &ApiSection, whole: Range<usize>) -> (Api, Vec<MappingProblem>) {
    let mut problems = Vec::new();
    let mut problem = |span: Range<usize>, key: &str, message: String| {
        problems.push(MappingProblem {
            span,
            key: key.to_string(),
            message,
        })
    };
    let account = match &section.account {
        Some(a) if is_account_id(a.get_ref().trim()) => a.get_ref().trim().to_string(),
        Some(a) => {
            problem(
                a.span(),
                "account",
                format!(
                    "\"{}\" is not a NetSuite account id: write it as Setup › Company › Company Information shows it (e.g. 1234567, or 1234567_SB1 for a sandbox)",
                    a.get_ref().trim()
                ),
            );
            String::new()
        }
        None => {
            problem(
                whole.clone(),
                "account",
                "is missing: write the NetSuite account id (Setup › Company › Company Information, e.g. account = \"1234567\")".to_string(),
            );
            String::new()
        }
    };
    let host = host_of(if account.is_empty() {
        "<account>"
    } else {
        &account
    });
    let base_url = api_section::base_url(
        section,
        &host_of(&account),
        &format!("leave base_url out (sluice uses {host}), or write the whole address"),
        &mut problem,
    );
    let token_env = api_section::env_name(
        section.token_env.as_ref(),
        "token_env",
        "the OAuth 2.0 access token",
        "NETSUITE_ACCESS_TOKEN",
        &whole,
        &mut problem,
    );
    if let Some(tenant) = &section.tenant_env {
        problem(
            tenant.span(),
            "tenant_env",
            "NetSuite has no tenant: the account id names the account; leave tenant_env out"
                .to_string(),
        );
    }
    if let Some(n) = &section.per_request {
        problem(
            n.span(),
            "per_request",
            "NetSuite's REST API takes one record per request (an upsert by External ID): leave per_request out".to_string(),
        );
    }
    if let Some(d) = &section.documents
        && d.get_ref().trim() != "api"
    {
        problem(
            d.span(),
            "documents",
            format!(
                "\"{}\": a NetSuite target with [targets.api] sends customers, invoices and credit memos through the API, before the payments that refer to them; leave documents out (or remove [targets.api] for the CSV files)",
                d.get_ref().trim()
            ),
        );
    }
    (
        Api {
            base_url,
            account,
            token_env,
        },
        problems,
    )
}

/// NetSuite account ids: digits, and for a sandbox or preview account `_SB1`, `_RP` ….
fn is_account_id(id: &str) -> bool {
    let mut parts = id.splitn(2, '_');
    let number = parts.next().unwrap_or_default();
    !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
        && parts.next().is_none_or(|suffix| {
            !suffix.is_empty() && suffix.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// An internal id: the digits NetSuite numbers every record and list value by.
pub fn is_internal_id(value: &str) -> bool {
    !value.is_empty() && value.len() <= 18 && value.chars().all(|c| c.is_ascii_digit())
}

/// Every value the requests name a NetSuite record by that is not an internal id, with its
/// key relative to the target (`mapping.tax_rates."19"`, `netsuite.subsidiary`).
pub fn internal_id_problems(
    mapping: Option<&MappingSection>,
    classification: Option<&ClassificationSection>,
) -> Vec<MappingProblem> {
    let mut values: Vec<(String, &Spanned<String>, &str)> = Vec::new();
    if let Some(m) = mapping {
        values.extend(
            m.default_account
                .iter()
                .map(|v| ("mapping.default_account".to_string(), v, "item")),
        );
        for (category, v) in each(&m.categories) {
            values.push((format!("mapping.categories.\"{category}\""), v, "item"));
        }
        for (rate, v) in each(&m.tax_rates) {
            values.push((format!("mapping.tax_rates.\"{rate}\""), v, "tax code"));
        }
        values.extend(
            m.lineless_tax_rate
                .iter()
                .map(|v| ("mapping.lineless_tax_rate".to_string(), v, "tax code")),
        );
        values.extend(
            m.payment_account
                .iter()
                .map(|v| ("mapping.payment_account".to_string(), v, "account")),
        );
        for (bank, v) in each(&m.payment_accounts) {
            values.push((format!("mapping.payment_accounts.\"{bank}\""), v, "account"));
        }
    }
    if let Some(c) = classification {
        for (key, value) in [
            ("subsidiary", &c.subsidiary),
            ("class", &c.class),
            ("department", &c.department),
            ("location", &c.location),
            ("terms", &c.terms),
        ] {
            if let Some(v) = value {
                let what = if key == "terms" { "term" } else { key };
                values.push((format!("netsuite.{key}"), v, what));
            }
        }
    }
    values
        .into_iter()
        .filter(|(_, v, _)| !is_internal_id(v.get_ref().trim()))
        .map(|(key, v, what)| MappingProblem {
            span: v.span(),
            message: format!(
                "\"{}\": NetSuite's REST API names the {what} by its internal id (a number: the ID column of the {what} list in NetSuite), not by the name the CSV import reads — write the id, or remove [targets.api]",
                v.get_ref().trim()
            ),
            key,
        })
        .collect()
}

type Values = Option<std::collections::BTreeMap<String, Spanned<String>>>;

fn each(map: &Values) -> Vec<(String, &Spanned<String>)> {
    map.iter().flatten().map(|(k, v)| (k.clone(), v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spanned<T>(value: T) -> Option<Spanned<T>> {
        Some(Spanned::new(0..0, value))
    }

    #[test]
    fn the_account_names_the_host_and_the_token_is_named_never_written() {
        let section = ApiSection {
            account: spanned("1234567_SB1".to_string()),
            token_env: spanned("NETSUITE_ACCESS_TOKEN".to_string()),
            ..ApiSection::default()
        };
        let (api, problems) = resolve(&section, 0..0);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            api.base_url,
            "https://1234567-sb1.suitetalk.api.netsuite.com"
        );
        assert_eq!(api.token_env, "NETSUITE_ACCESS_TOKEN");

        let (_, problems) = resolve(
            &ApiSection {
                account: spanned("acme.netsuite.com".to_string()),
                token_env: spanned("eyJhbGciOi.secret".to_string()),
                tenant_env: spanned("T".to_string()),
                per_request: spanned(10),
                documents: spanned("files".to_string()),
                ..ApiSection::default()
            },
            0..0,
        );
        let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "account",
                "token_env",
                "tenant_env",
                "per_request",
                "documents"
            ]
        );
        assert!(
            !problems[1].message.contains("eyJ"),
            "a secret is not repeated"
        );
        let (_, problems) = resolve(&ApiSection::default(), 0..0);
        let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["account", "token_env"]);
    }

    #[test]
    fn names_where_internal_ids_belong_are_refused_with_their_key() {
        let classification = ClassificationSection {
            subsidiary: spanned("1".to_string()),
            terms: spanned("Net 14".to_string()),
            ..ClassificationSection::default()
        };
        let problems = internal_id_problems(None, Some(&classification));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].key, "netsuite.terms");
        assert!(problems[0].message.contains("\"Net 14\""));
        assert!(is_internal_id("42") && !is_internal_id("VAT_DE:S-DE") && !is_internal_id(""));
    }
}
