//! `[targets.api]` as written, the same section for every platform that sluice pushes to
//! (each platform resolves what it reads of it: `xero::api`, `quickbooks::api`,
//! `sage::api`, `netsuite::api`), and the checks every platform's resolution shares: the
//! address, the environment variable that names the token (never the token itself), the
//! records per request.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

/// `[targets.api]` as written.
#[derive(Debug, Default, Deserialize)]
pub struct ApiSection {
    /// The platform's address unless given (tests point it at 127.0.0.1).
    pub base_url: Option<Spanned<String>>,
    /// The environment variable holding the OAuth 2.0 access token.
    pub token_env: Option<Spanned<String>>,
    /// The environment variable holding the Xero organisation's tenant id.
    pub tenant_env: Option<Spanned<String>>,
    /// Records per request, where the platform takes several.
    pub per_request: Option<Spanned<i64>>,
    /// Xero: the account code small differences within the tolerance are booked to.
    pub difference_account: Option<Spanned<String>>,
    /// `files` (the default): contacts, invoices and credit notes are staged as Xero's CSV
    /// imports for a person; `api`: they are staged as requests and pushed, before the
    /// payments that need them.
    pub documents: Option<Spanned<String>>,
    /// NetSuite: the account id (`1234567`, a sandbox `1234567_SB1`), which names the
    /// account's REST host; not a secret.
    pub account: Option<Spanned<String>>,
    /// Sage targets: the business the requests are for (`X-Business`).
    pub business_id: Option<Spanned<String>>,
    /// QuickBooks Online targets: the company's realm id (not a secret; see
    /// `crate::targets::quickbooks::api`).
    pub realm_id: Option<Spanned<String>>,
}

impl ApiSection {
    /// The line a message about the whole section points at.
    pub fn first_span(&self) -> Option<Range<usize>> {
        [
            &self.base_url,
            &self.token_env,
            &self.tenant_env,
            &self.account,
            &self.realm_id,
        ]
        .into_iter()
        .flatten()
        .map(Spanned::span)
        .chain(self.per_request.iter().map(Spanned::span))
        .min_by_key(|s| s.start)
    }
}

/// Collects a problem: where, which key, what is wrong.
pub type Problem<'a> = dyn FnMut(Range<usize>, &str, String) + 'a;

/// `base_url`, without a trailing `/`, or `default`; `advice` says what to write instead of
/// something that is no web address.
pub fn base_url(
    section: &ApiSection,
    default: &str,
    advice: &str,
    problem: &mut Problem,
) -> String {
    match &section.base_url {
        Some(url) => {
            let text = url.get_ref().trim().trim_end_matches('/').to_string();
            if !(text.starts_with("https://") || text.starts_with("http://")) {
                problem(
                    url.span(),
                    "base_url",
                    format!("\"{text}\" is no web address: {advice}"),
                );
            }
            text
        }
        None => default.to_string(),
    }
}

/// The name of the environment variable a key names (`token_env`), which holds `holds`;
/// `example` is such a name. The value is never repeated in a message: it may be the secret.
pub fn env_name(
    value: Option<&Spanned<String>>,
    key: &str,
    holds: &str,
    example: &str,
    whole: &Range<usize>,
    problem: &mut Problem,
) -> String {
    match value {
        Some(name) if is_env_name(name.get_ref().trim()) => name.get_ref().trim().to_string(),
        Some(name) => {
            problem(
                name.span(),
                key,
                format!(
                    "is not the name of an environment variable (letters, digits and _, e.g. {example}): name the variable that holds {holds}, never the value itself"
                ),
            );
            String::new()
        }
        None => {
            problem(
                whole.clone(),
                key,
                format!(
                    "is missing: name the environment variable that holds {holds} (e.g. {key} = \"{example}\")"
                ),
            );
            String::new()
        }
    }
}

/// `per_request`, from 1 to `max`, else `default`.
pub fn per_request(section: &ApiSection, default: usize, max: i64, problem: &mut Problem) -> usize {
    match &section.per_request {
        Some(n) if (1..=max).contains(n.get_ref()) => *n.get_ref() as usize,
        Some(n) => {
            problem(
                n.span(),
                "per_request",
                format!("{} is not from 1 to {max}", n.get_ref()),
            );
            default
        }
        None => default,
    }
}

pub fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
