//! What Sage Business Cloud Accounting's answer to a staged request means, and how to find
//! what Sage has already.
//!
//! Sage takes one record per request. Its reference lists the answers (developer.sage.com,
//! Accounting › Response Codes): 201 Created (the created object, its `id`), 401
//! Unauthorized ("credentials are invalid"), 404, 422 Unprocessable Entity ("invalid data
//! has been passed"), 429 Too Many Requests ("a throttling error"), 500 and 503 ("please
//! retry later"). A refusal's body is an array of `{"$severity", "$dataCode", "$message",
//! "$source"}` (as Sage's own answers in Sage/sageone_api_php_sample issues 29 and 32
//! show: `[{"$severity":"error","$dataCode":"RecordInvalid","$message":"Couldn't find
//! Supplier.","$source":""}]`); sluice keeps each `$message` with its `$source` as Sage's
//! words. 401 and 403 stop the push: no retry mends credentials.
//!
//! Idempotency: Sage's reference describes no idempotency key (none of its guides or
//! operations mentions one), so the staged `Idempotency-Key` header protects nothing there.
//! Before a request whose answer was lost is sent again, the record is looked up
//! ([`PlatformApi::read_back`]): a customer by its reference, a document by its number, a
//! receipt by its date, reference and amount; when Sage has it, its id is adopted and the
//! request is not sent again. A customer or document Sage refuses because it has that
//! reference or number already is looked up the same way and adopted.

use std::collections::BTreeMap;

use reqwest::blocking::RequestBuilder;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::log::RecordOutcome;
use super::platform::{Answer, Lookup, PlatformApi, excerpt, retry_after};
use crate::outbox::StagedRequest;

/// Sage's Accounting API, with one user's token, for one business.
pub struct SageApi {
    pub token: String,
    pub business: String,
}

impl PlatformApi for SageApi {
    fn name(&self) -> &'static str {
        "Sage"
    }

    fn authorise(&self, call: RequestBuilder) -> RequestBuilder {
        call.bearer_auth(&self.token)
            .header("X-Business", &self.business)
    }

    fn interpret(
        &self,
        status: u16,
        retry_after_header: Option<&str>,
        body: &[u8],
        request: &StagedRequest,
    ) -> Answer {
        let each = |remote_id: String, error: String| {
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
            200..=299 => match serde_json::from_slice::<Value>(body)
                .ok()
                .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_string))
            {
                Some(id) if !id.is_empty() => each(id, String::new()),
                _ => each(
                    String::new(),
                    format!(
                        "Sage answered {status} without the id of what it created: check in Sage whether it has the record before pushing it again"
                    ),
                ),
            },
            401 | 403 => Answer::Stop(format!(
                "Sage refused the credentials ({status}): {} — renew the access token, check business_id, and push again",
                excerpt(body)
            )),
            429 => Answer::Retry {
                wait: retry_after(retry_after_header),
                why: "Sage's rate limit (429)".to_string(),
            },
            500..=599 => Answer::Retry {
                wait: None,
                why: format!("Sage could not answer ({status}): {}", excerpt(body)),
            },
            _ => each(String::new(), refusal(status, body)),
        }
    }

    fn adoption(&self, request: &StagedRequest, index: usize, error: &str) -> Option<Lookup> {
        if !already_there(error) {
            return None;
        }
        lookup(request, index).filter(|_| !is_receipt(request))
    }

    fn read_back(&self, request: &StagedRequest, index: usize) -> Option<Lookup> {
        lookup(request, index)
    }
}

/// Sage's words for a refusal: each error's `$message`, with its `$source` (the field).
fn refusal(status: u16, body: &[u8]) -> String {
    let errors: Vec<String> = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.as_array().cloned())
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let message = e
                .get("$message")
                .and_then(Value::as_str)?
                .trim()
                .to_string();
            match e.get("$source").and_then(Value::as_str).map(str::trim) {
                Some(source) if !source.is_empty() => Some(format!("{message} ({source})")),
                _ => Some(message),
            }
        })
        .collect();
    if errors.is_empty() {
        format!("Sage answered {status}: {}", excerpt(body))
    } else {
        errors.join("; ")
    }
}

/// Whether Sage refused a record because it has one of that reference or number already.
/// Sage's reference names the rule ("Unique reference for the contact") but not its words;
/// Rails-style validations, which Sage's `RecordInvalid` messages are, say "has already been
/// taken".
fn already_there(error: &str) -> bool {
    let error = error.to_lowercase();
    error.contains("already been taken")
        || error.contains("already exists")
        || error.contains("must be unique")
        || error.contains("already in use")
}

fn is_receipt(request: &StagedRequest) -> bool {
    request.path.starts_with("/contact_payments")
}

/// The `GET` that finds the record of `request` in Sage: a list filtered as Sage's
/// reference allows (`search` matches a contact's name or reference and a document's
/// reference; receipts by type and date), with the fields to recognise it by
/// (`attributes`), read exactly.
fn lookup(request: &StagedRequest, index: usize) -> Option<Lookup> {
    let body: Value = serde_json::from_str(request.body.get()).ok()?;
    let record = request.records.get(index)?;
    let text = |object: &Value, field: &str| {
        object
            .get(field)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let (path, query, what, wanted): (&str, Vec<(&str, String)>, String, Wanted) =
        if let Some(contact) = body.get("contact") {
            let reference = text(contact, "reference")?;
            (
                "/contacts",
                vec![
                    ("contact_type_id", "CUSTOMER".to_string()),
                    ("search", reference.clone()),
                    ("attributes", "reference".to_string()),
                ],
                format!("customer {reference}"),
                Wanted::Field("reference", reference),
            )
        } else if let Some(invoice) = body.get("sales_invoice") {
            let number = text(invoice, "invoice_number")?;
            (
                "/sales_invoices",
                vec![
                    ("search", number.clone()),
                    ("attributes", "invoice_number,reference".to_string()),
                ],
                format!("invoice {number}"),
                Wanted::Number("invoice_number", number),
            )
        } else if let Some(credit) = body.get("sales_credit_note") {
            let number = text(credit, "credit_note_number")?;
            (
                "/sales_credit_notes",
                vec![
                    ("search", number.clone()),
                    ("attributes", "credit_note_number,reference".to_string()),
                ],
                format!("credit note {number}"),
                Wanted::Number("credit_note_number", number),
            )
        } else if let Some(receipt) = body.get("contact_payment") {
            let date = text(receipt, "date")?;
            let reference = text(receipt, "reference")?;
            // The amount's digits as staged, never through a binary float.
            let raw: BTreeMap<String, BTreeMap<String, Box<RawValue>>> =
                serde_json::from_str(request.body.get()).ok()?;
            let total = decimal(raw.get("contact_payment")?.get("total_amount")?)?;
            (
                "/contact_payments",
                vec![
                    ("transaction_type_id", "CUSTOMER_RECEIPT".to_string()),
                    ("from_date", date.clone()),
                    ("to_date", date.clone()),
                    ("attributes", "reference,total_amount,date".to_string()),
                ],
                format!(
                    "a receipt of {total} on {date} with reference {reference} (record {})",
                    record.id
                ),
                Wanted::Receipt {
                    date,
                    reference,
                    total,
                },
            )
        } else {
            return None;
        };
    let mut url = reqwest::Url::parse("http://x").expect("a URL");
    url.set_path(path);
    {
        let mut pairs = url.query_pairs_mut();
        for (key, value) in &query {
            pairs.append_pair(key, value);
        }
        // Sage pages lists by 20 unless asked; 200 is its largest page.
        pairs.append_pair("items_per_page", "200");
    }
    let path_and_query = format!("{}?{}", url.path(), url.query().unwrap_or_default());
    Some(Lookup::new(path_and_query, what, move |answer| {
        wanted.found(answer)
    }))
}

/// What identifies the record among the list's `$items`.
enum Wanted {
    /// A field equal to this value.
    Field(&'static str, String),
    /// A document: its number, or its reference (sluice writes the number into both).
    Number(&'static str, String),
    Receipt {
        date: String,
        reference: String,
        total: Decimal,
    },
}

/// A JSON number or a string of its digits, as a decimal.
fn decimal(raw: &RawValue) -> Option<Decimal> {
    raw.get().trim().trim_matches('"').parse().ok()
}

/// A list answer: `{"$items": [...]}`, each item's fields as written.
#[derive(Deserialize)]
struct Listing {
    #[serde(rename = "$items")]
    items: Vec<BTreeMap<String, Box<RawValue>>>,
}

impl Wanted {
    fn matches(&self, item: &BTreeMap<String, Box<RawValue>>) -> bool {
        let text = |field: &str| {
            item.get(field)
                .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok())
        };
        let text = |field: &str| text(field).map(|t| t.trim().to_string());
        match self {
            Wanted::Field(field, value) => text(field).as_ref() == Some(value),
            Wanted::Number(field, number) => {
                text(field).as_ref() == Some(number) || text("reference").as_ref() == Some(number)
            }
            Wanted::Receipt {
                date,
                reference,
                total,
            } => {
                let amount = item.get("total_amount").and_then(|raw| decimal(raw));
                text("date").as_ref() == Some(date)
                    && text("reference").as_ref() == Some(reference)
                    && amount == Some(*total)
            }
        }
    }

    /// The id of the one item that matches; none when none does, or several.
    fn found(&self, answer: &[u8]) -> Option<String> {
        let listing: Listing = serde_json::from_slice(answer).ok()?;
        let ids: Vec<String> = listing
            .items
            .iter()
            .filter(|item| self.matches(item))
            .filter_map(|item| serde_json::from_str::<String>(item.get("id")?.get()).ok())
            .collect();
        match ids.as_slice() {
            [id] => Some(id.clone()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::RecordRef;

    fn request(path: &str, body: &str, records: usize) -> StagedRequest {
        StagedRequest::new(
            "sage",
            "POST",
            path,
            (0..records)
                .map(|i| RecordRef {
                    kind: "payment".to_string(),
                    id: format!("L1/{}", i + 1),
                    document: format!("INV-{i}"),
                })
                .collect(),
            body.to_string(),
        )
        .expect("a request")
    }

    fn sage() -> SageApi {
        SageApi {
            token: "t".to_string(),
            business: "b".to_string(),
        }
    }

    #[test]
    fn a_created_record_gets_sages_id_and_a_refusal_sages_words() {
        let invoice = request(
            "/sales_invoices",
            r#"{"sales_invoice":{"invoice_number":"INV-1"}}"#,
            1,
        );
        let Answer::Answered(outcomes) = sage().interpret(
            201,
            None,
            br#"{"id":"abc123","displayed_as":"SI-1"}"#,
            &invoice,
        ) else {
            panic!("answered");
        };
        assert_eq!(outcomes[0].remote_id, "abc123");
        let refused = br#"[{"$severity":"error","$dataCode":"RecordInvalid","$message":"Couldn't find Supplier.","$source":""},{"$severity":"error","$dataCode":"RecordInvalid","$message":"can't be blank","$source":"ledger_account"}]"#;
        let Answer::Answered(outcomes) = sage().interpret(422, None, refused, &invoice) else {
            panic!("answered");
        };
        assert_eq!(
            outcomes[0].error,
            "Couldn't find Supplier.; can't be blank (ledger_account)"
        );
        // One receipt, several allocations: each record gets the receipt's id.
        let receipt = request("/contact_payments", r#"{"contact_payment":{}}"#, 2);
        let Answer::Answered(outcomes) = sage().interpret(201, None, br#"{"id":"r9"}"#, &receipt)
        else {
            panic!("answered");
        };
        assert!(outcomes.iter().all(|o| o.remote_id == "r9"));
    }

    #[test]
    fn rate_limits_and_server_trouble_are_retried_credentials_stop() {
        let r = request("/contacts", r#"{"contact":{"reference":"C1"}}"#, 1);
        match sage().interpret(429, Some("3"), b"", &r) {
            Answer::Retry { wait, .. } => {
                assert_eq!(wait, Some(std::time::Duration::from_secs(3)))
            }
            _ => panic!("retry"),
        }
        assert!(matches!(
            sage().interpret(503, None, b"", &r),
            Answer::Retry { wait: None, .. }
        ));
        assert!(matches!(
            sage().interpret(401, None, b"", &r),
            Answer::Stop(_)
        ));
        assert!(matches!(
            sage().interpret(403, None, b"", &r),
            Answer::Stop(_)
        ));
    }

    #[test]
    fn a_reference_sage_has_is_looked_up_and_only_one_match_is_adopted() {
        let r = request("/contacts", r#"{"contact":{"reference":"C1 & co"}}"#, 1);
        assert!(sage().adoption(&r, 0, "Couldn't find it").is_none());
        let lookup = sage()
            .adoption(&r, 0, "Reference has already been taken (reference)")
            .expect("a lookup");
        assert_eq!(
            lookup.path,
            "/contacts?contact_type_id=CUSTOMER&search=C1+%26+co&attributes=reference&items_per_page=200"
        );
        assert_eq!(
            lookup.found(
                br#"{"$items":[{"id":"x","reference":"C10"},{"id":"y","reference":"C1 & co"}]}"#
            ),
            Some("y".to_string())
        );
        assert_eq!(
            lookup.found(br#"{"$items":[{"id":"x","reference":"C1 & co"},{"id":"y","reference":"C1 & co"}]}"#),
            None
        );
        // A receipt has no number of its own: it is read back, never adopted on a refusal.
        let receipt = request(
            "/contact_payments",
            r#"{"contact_payment":{"date":"2026-10-20","reference":"DB01","total_amount":29.15}}"#,
            1,
        );
        assert!(
            sage()
                .adoption(&receipt, 0, "has already been taken")
                .is_none()
        );
        let back = sage().read_back(&receipt, 0).expect("a read-back");
        assert_eq!(
            back.found(br#"{"$items":[{"id":"p1","date":"2026-10-20","reference":"DB01","total_amount":"29.15"},{"id":"p2","date":"2026-10-20","reference":"DB01","total_amount":29.16}]}"#),
            Some("p1".to_string())
        );
    }
}
