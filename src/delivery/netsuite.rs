//! What NetSuite's REST web services' answer to a staged upsert means for its one record.
//!
//! - 204 No Content (any 2xx): done; the record's internal id is the last segment of the
//!   `Location` header (Oracle NetSuite Help, "Using the Upsert Operation"; a created or
//!   updated record's URL, `…/record/v1/customer/647`). A 2xx without it is sent again —
//!   harmless, as an upsert by External ID updates the same record.
//! - 4xx: refused, with NetSuite's words: each `o:errorDetails` entry's `detail` and
//!   `o:errorCode` ("Error Handling in REST Web Services"). A refusal saying NetSuite has a
//!   record of that customer number or document number already (a `DUP_…` code, one it
//!   holds without this External ID) is looked up by number and adopted.
//! - 401 and 403: the token (or the role's permissions), which no retry mends: stop.
//! - 429: the account's concurrency limit ("Concurrency Governance and Session
//!   Management"): wait as `Retry-After` says, then send again. 5xx: NetSuite's trouble.

use reqwest::blocking::RequestBuilder;
use serde_json::Value;

use super::log::RecordOutcome;
use super::platform::{Answer, Lookup, PlatformApi, excerpt, retry_after};
use crate::outbox::StagedRequest;
use crate::targets::netsuite::api::{RECORD_PATH, is_internal_id};

/// NetSuite's REST web services, with one account's access token.
pub struct NetSuiteApi {
    pub token: String,
}

impl PlatformApi for NetSuiteApi {
    fn name(&self) -> &'static str {
        "NetSuite"
    }

    fn authorise(&self, call: RequestBuilder) -> RequestBuilder {
        call.bearer_auth(&self.token)
    }

    fn interpret(
        &self,
        status: u16,
        retry_after: Option<&str>,
        body: &[u8],
        request: &StagedRequest,
    ) -> Answer {
        interpret(status, retry_after, None, body, request)
    }

    fn interpret_located(
        &self,
        status: u16,
        retry_after: Option<&str>,
        location: Option<&str>,
        body: &[u8],
        request: &StagedRequest,
    ) -> Answer {
        interpret(status, retry_after, location, body, request)
    }

    fn adoption(&self, request: &StagedRequest, index: usize, error: &str) -> Option<Lookup> {
        if index != 0 || !already_there(error) {
            return None;
        }
        by_number(request)
    }
}

fn interpret(
    status: u16,
    retry_after_header: Option<&str>,
    location: Option<&str>,
    body: &[u8],
    request: &StagedRequest,
) -> Answer {
    let outcome = |remote_id: String, error: String| {
        Answer::Answered(
            request
                .records
                .iter()
                .map(|r| RecordOutcome {
                    id: r.id.clone(),
                    remote_id: remote_id.clone(),
                    error: error.clone(),
                    adopted: String::new(),
                })
                .collect(),
        )
    };
    match status {
        200..=299 => match location.and_then(internal_id_of) {
            Some(id) => outcome(id, String::new()),
            None => Answer::Retry {
                wait: None,
                why: format!("NetSuite answered {status} without the record's address (Location)"),
            },
        },
        401 | 403 => Answer::Stop(format!(
            "NetSuite refused the access token ({status}): {} — renew the token (or check the role's permissions for REST web services) and push again",
            words(body)
        )),
        429 => Answer::Retry {
            wait: retry_after(retry_after_header),
            why: "NetSuite's concurrency limit (429)".to_string(),
        },
        500..=599 => Answer::Retry {
            wait: None,
            why: format!("NetSuite could not answer ({status}): {}", words(body)),
        },
        _ => outcome(String::new(), words(body)),
    }
}

/// The internal id at the end of a record's URL.
fn internal_id_of(location: &str) -> Option<String> {
    let last = location.trim().trim_end_matches('/').rsplit('/').next()?;
    is_internal_id(last).then(|| last.to_string())
}

/// NetSuite's words from an error body: each detail with its code, else the body itself.
fn words(body: &[u8]) -> String {
    let details: Vec<String> = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|json| json.get("o:errorDetails").cloned())
        .and_then(|d| d.as_array().cloned())
        .into_iter()
        .flatten()
        .filter_map(|d| {
            let detail = d.get("detail").and_then(Value::as_str)?.trim().to_string();
            Some(match d.get("o:errorCode").and_then(Value::as_str) {
                Some(code) => format!("{detail} ({code})"),
                None => detail,
            })
        })
        .collect();
    if details.is_empty() {
        excerpt(body)
    } else {
        details.join("; ")
    }
}

/// Whether NetSuite refused the record because it has one of that number already: its
/// duplicate codes (`DUP_ENTITY`, `DUP_RCRD` …) or a customer id it requires to be unique.
fn already_there(error: &str) -> bool {
    error.contains("(DUP_") || error.contains("(UNIQUE_CUST_ID_REQD)")
}

/// A `GET` of the record collection that finds the record by its number: a customer by
/// `entityId`, an invoice or credit memo by `tranId` ("Record Collection Filtering": `q`
/// with a field, an operator and a value).
fn by_number(request: &StagedRequest) -> Option<Lookup> {
    let record = request
        .path
        .strip_prefix(RECORD_PATH)?
        .trim_start_matches('/')
        .split('/')
        .next()?
        .to_string();
    let body: Value = serde_json::from_str(request.body.get()).ok()?;
    let (field, what) = match record.as_str() {
        "customer" => ("entityId", "customer"),
        "invoice" => ("tranId", "invoice"),
        "creditmemo" => ("tranId", "credit memo"),
        _ => return None,
    };
    let number = body.get(field)?.as_str()?.to_string();
    let mut url = reqwest::Url::parse("http://x").expect("a URL");
    url.set_path(&format!("{RECORD_PATH}/{record}"));
    url.query_pairs_mut().append_pair(
        "q",
        &format!("{field} IS \"{}\"", number.replace('"', "\\\"")),
    );
    let path = format!("{}?{}", url.path(), url.query().unwrap_or_default());
    Some(Lookup::new(path, format!("{what} {number}"), |answer| {
        found(answer)
    }))
}

/// The id of the one record a collection answer lists; none when it lists none, or more.
fn found(answer: &[u8]) -> Option<String> {
    let json: Value = serde_json::from_slice(answer).ok()?;
    let items = json.get("items")?.as_array()?;
    let [item] = items.as_slice() else {
        return None;
    };
    let id = match item.get("id")? {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    is_internal_id(&id).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::RecordRef;

    fn request(path: &str, body: &str) -> StagedRequest {
        StagedRequest::new(
            "netsuite",
            "PUT",
            path,
            vec![RecordRef {
                kind: "invoice".to_string(),
                id: "INV-1".to_string(),
                document: "INV-1".to_string(),
            }],
            body.to_string(),
        )
        .expect("a request")
    }

    #[test]
    fn the_internal_id_comes_from_the_location_and_refusals_keep_netsuites_words() {
        let r = request("/services/rest/record/v1/invoice/eid:INV-1", "{}");
        let Answer::Answered(done) = interpret(
            204,
            None,
            Some("https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/invoice/871"),
            b"",
            &r,
        ) else {
            panic!("answered");
        };
        assert_eq!(
            (done[0].remote_id.as_str(), done[0].delivered()),
            ("871", true)
        );
        assert!(matches!(
            interpret(204, None, None, b"", &r),
            Answer::Retry { .. }
        ));
        let refusal = br#"{"type":"https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1","title":"Bad Request","status":400,
            "o:errorDetails":[{"detail":"Invalid value for the resource or sub-resource field 'item'.","o:errorPath":"item.items[0].item","o:errorCode":"INVALID_VALUE"}]}"#;
        let Answer::Answered(refused) = interpret(400, None, None, refusal, &r) else {
            panic!("answered");
        };
        assert_eq!(
            refused[0].error,
            "Invalid value for the resource or sub-resource field 'item'. (INVALID_VALUE)"
        );
        assert!(matches!(
            interpret(429, Some("3"), None, b"", &r),
            Answer::Retry { wait: Some(w), .. } if w.as_secs() == 3
        ));
        assert!(matches!(
            interpret(503, None, None, b"", &r),
            Answer::Retry { wait: None, .. }
        ));
        assert!(matches!(
            interpret(401, None, None, b"", &r),
            Answer::Stop(_)
        ));
    }

    #[test]
    fn a_number_netsuite_has_is_looked_up_and_only_one_match_adopted() {
        assert!(already_there("This entity already exists. (DUP_ENTITY)"));
        assert!(!already_there("Invalid value (INVALID_VALUE)"));
        let r = request(
            "/services/rest/record/v1/invoice/eid:INV-1?replace=item",
            r#"{"tranId":"INV-1"}"#,
        );
        let lookup = NetSuiteApi {
            token: String::new(),
        }
        .adoption(&r, 0, "Duplicate (DUP_RCRD)")
        .expect("a lookup");
        assert_eq!(
            lookup.path,
            "/services/rest/record/v1/invoice?q=tranId+IS+%22INV-1%22"
        );
        assert_eq!(lookup.what, "invoice INV-1");
        assert_eq!(
            lookup.found(br#"{"items":[{"id":"871"}],"count":1}"#),
            Some("871".to_string())
        );
        assert_eq!(lookup.found(br#"{"items":[{"id":"1"},{"id":"2"}]}"#), None);
        assert_eq!(lookup.found(br#"{"items":[]}"#), None);
    }
}
