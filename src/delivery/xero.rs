//! What Xero's answer to a staged request means for each record it carries.
//!
//! With `summarizeErrors=false`, Xero answers a batch request with 200 and one element per
//! record in the order sent, each with `StatusAttributeString` (`OK`, `WARNING`, `ERROR`)
//! and its `ValidationErrors`, and the created object's id (`PaymentID` …). A 400 refuses the
//! request as a whole (a `ValidationException` whose `Elements` say per record, or a
//! `Message`). 429 is the rate limit (wait `Retry-After` seconds); 5xx is Xero's trouble
//! (try again later); 401 and 403 are the credentials, which no retry mends.

use reqwest::blocking::RequestBuilder;
use serde_json::Value;

use super::log::RecordOutcome;
use super::platform::{Answer, Lookup, PlatformApi, excerpt, retry_after};
use crate::outbox::{RecordRef, StagedRequest};

/// Xero's Accounting API, with one organisation's credentials.
pub struct XeroApi {
    pub token: String,
    pub tenant: String,
}

impl PlatformApi for XeroApi {
    fn name(&self) -> &'static str {
        "Xero"
    }

    fn authorise(&self, call: RequestBuilder) -> RequestBuilder {
        call.bearer_auth(&self.token)
            .header("xero-tenant-id", &self.tenant)
    }

    fn interpret(
        &self,
        status: u16,
        retry_after: Option<&str>,
        body: &[u8],
        request: &StagedRequest,
    ) -> Answer {
        interpret(
            status,
            retry_after,
            body,
            &collection_of(request.body.get()),
            &request.records,
        )
    }

    fn adoption(&self, request: &StagedRequest, index: usize, error: &str) -> Option<Lookup> {
        if !already_there(error) {
            return None;
        }
        let collection = collection_of(request.body.get());
        ByNumber::of(request.body.get(), &collection, index).map(ByNumber::lookup)
    }
}

/// The id field of the object each collection creates.
fn id_field(collection: &str) -> &'static str {
    match collection {
        "Payments" => "PaymentID",
        "Invoices" => "InvoiceID",
        "CreditNotes" => "CreditNoteID",
        "Contacts" => "ContactID",
        "BankTransactions" => "BankTransactionID",
        _ => "",
    }
}

/// The top-level key of a request body (`{"Payments": [...]}` → `Payments`).
fn collection_of(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v.as_object().and_then(|o| o.keys().next().cloned()))
        .unwrap_or_default()
}

fn interpret(
    status: u16,
    retry_after_header: Option<&str>,
    body: &[u8],
    collection: &str,
    records: &[RecordRef],
) -> Answer {
    let json: Option<Value> = serde_json::from_slice(body).ok();
    let text = || excerpt(body);
    match status {
        200..=299 => {
            let elements = json
                .as_ref()
                .and_then(|j| j.get(collection))
                .and_then(Value::as_array);
            Answer::Answered(per_record(
                records,
                elements,
                collection,
                "Xero's answer does not mention this record: check it in Xero before pushing it again",
            ))
        }
        400 => {
            let elements = json
                .as_ref()
                .and_then(|j| j.get("Elements"))
                .and_then(Value::as_array)
                .filter(|e| e.len() == records.len());
            let message = json
                .as_ref()
                .and_then(|j| j.get("Message"))
                .and_then(Value::as_str)
                .map_or_else(text, str::to_string);
            Answer::Answered(per_record(
                records,
                elements,
                collection,
                &format!("Xero refused the request (400): {message}"),
            ))
        }
        401 | 403 => Answer::Stop(format!(
            "Xero refused the credentials ({status}): {} — renew the access token, check the tenant id, and push again",
            text()
        )),
        429 => Answer::Retry {
            wait: retry_after(retry_after_header),
            why: "Xero's rate limit (429)".to_string(),
        },
        500..=599 => Answer::Retry {
            wait: None,
            why: format!("Xero could not answer ({status}): {}", text()),
        },
        _ => Answer::Answered(
            records
                .iter()
                .map(|r| RecordOutcome {
                    id: r.id.clone(),
                    remote_id: String::new(),
                    error: format!("Xero answered {status}: {}", text()),
                    adopted: String::new(),
                })
                .collect(),
        ),
    }
}

/// Each record's outcome from the element at its place; `missing` for a record without one.
fn per_record(
    records: &[RecordRef],
    elements: Option<&Vec<Value>>,
    collection: &str,
    missing: &str,
) -> Vec<RecordOutcome> {
    records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let Some(element) = elements.and_then(|e| e.get(i)) else {
                return RecordOutcome {
                    id: r.id.clone(),
                    remote_id: String::new(),
                    error: missing.to_string(),
                    adopted: String::new(),
                };
            };
            let errors: Vec<String> = element
                .get("ValidationErrors")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|e| e.get("Message").and_then(Value::as_str))
                .map(str::to_string)
                .collect();
            let failed = element.get("StatusAttributeString").and_then(Value::as_str)
                == Some("ERROR")
                || !errors.is_empty()
                || element.get("HasValidationErrors").and_then(Value::as_bool) == Some(true);
            let remote_id = element
                .get(id_field(collection))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            RecordOutcome {
                id: r.id.clone(),
                remote_id: if failed { String::new() } else { remote_id },
                error: if failed {
                    if errors.is_empty() {
                        "Xero refused it without saying why".to_string()
                    } else {
                        errors.join("; ")
                    }
                } else {
                    String::new()
                },
                adopted: String::new(),
            }
        })
        .collect()
}

/// Whether Xero refused a record because it has one of the same number (or name) already:
/// `Invoice # must be unique.`, `The contact name … is already assigned to another
/// contact.` (both in Xero's specification's examples).
fn already_there(error: &str) -> bool {
    let error = error.to_lowercase();
    error.contains("must be unique") || error.contains("already assigned")
}

/// How to find what Xero has under the number (or name) of the record at `index` of a
/// request body: the path and query of a `GET`, and how to read the answer.
struct ByNumber {
    path: &'static str,
    query: (&'static str, String),
    collection: &'static str,
    number_field: &'static str,
    number: String,
    /// `ACCREC` for a sales invoice: a bill of a supplier may carry the same number.
    kind: Option<&'static str>,
}

impl ByNumber {
    fn of(body: &str, collection: &str, index: usize) -> Option<ByNumber> {
        let json: Value = serde_json::from_str(body).ok()?;
        let element = json.get(collection)?.as_array()?.get(index)?;
        let text = |field: &str| {
            element
                .get(field)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        // Xero's `where` filter is a C#-like expression: a quote in a value is escaped.
        let quoted =
            |value: &str| format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""));
        match collection {
            "Invoices" => {
                let number = text("InvoiceNumber")?;
                Some(ByNumber {
                    path: "/api.xro/2.0/Invoices",
                    query: ("InvoiceNumbers", number.clone()),
                    collection: "Invoices",
                    number_field: "InvoiceNumber",
                    number,
                    kind: Some("ACCREC"),
                })
            }
            "CreditNotes" => {
                let number = text("CreditNoteNumber")?;
                Some(ByNumber {
                    path: "/api.xro/2.0/CreditNotes",
                    query: ("where", format!("CreditNoteNumber=={}", quoted(&number))),
                    collection: "CreditNotes",
                    number_field: "CreditNoteNumber",
                    number,
                    kind: Some("ACCRECCREDIT"),
                })
            }
            "Contacts" => {
                let name = text("Name")?;
                Some(ByNumber {
                    path: "/api.xro/2.0/Contacts",
                    query: ("where", format!("Name=={}", quoted(&name))),
                    collection: "Contacts",
                    number_field: "Name",
                    number: name,
                    kind: None,
                })
            }
            _ => None,
        }
    }

    fn lookup(self) -> Lookup {
        let mut url = reqwest::Url::parse("http://x").expect("a URL");
        url.set_path(self.path);
        url.query_pairs_mut()
            .append_pair(self.query.0, &self.query.1);
        let path = format!("{}?{}", url.path(), url.query().unwrap_or_default());
        let what = self.what();
        Lookup::new(path, what, move |answer| self.found(answer))
    }

    /// The id of the one record of the answer with the number (and kind) looked for; none
    /// when there is none, or more than one.
    fn found(&self, answer: &[u8]) -> Option<String> {
        let json: Value = serde_json::from_slice(answer).ok()?;
        let ids: Vec<&str> = json
            .get(self.collection)?
            .as_array()?
            .iter()
            .filter(|e| e.get(self.number_field).and_then(Value::as_str) == Some(&self.number))
            .filter(|e| {
                self.kind
                    .is_none_or(|k| e.get("Type").and_then(Value::as_str) == Some(k))
            })
            .filter_map(|e| e.get(id_field(self.collection)).and_then(Value::as_str))
            .collect();
        match ids.as_slice() {
            [id] => Some((*id).to_string()),
            _ => None,
        }
    }

    /// What is looked up, for the log: `invoice INV-1`.
    fn what(&self) -> String {
        match self.collection {
            "Invoices" => format!("invoice {}", self.number),
            "CreditNotes" => format!("credit note {}", self.number),
            _ => format!("contact \"{}\"", self.number),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(n: usize) -> Vec<RecordRef> {
        (0..n)
            .map(|i| RecordRef {
                kind: "payment".to_string(),
                id: format!("L{i}/1"),
                document: format!("INV-{i}"),
            })
            .collect()
    }

    #[test]
    fn each_payment_has_its_answer_in_its_place() {
        let body = br#"{"Payments":[
            {"PaymentID":"p-1","StatusAttributeString":"OK"},
            {"StatusAttributeString":"ERROR","ValidationErrors":[{"Message":"Invoice could not be found"}]}
        ]}"#;
        let Answer::Answered(outcomes) = interpret(200, None, body, "Payments", &records(3)) else {
            panic!("answered");
        };
        assert_eq!(outcomes[0].remote_id, "p-1");
        assert!(outcomes[0].delivered());
        assert_eq!(outcomes[1].error, "Invoice could not be found");
        assert!(outcomes[2].error.contains("does not mention this record"));
    }

    #[test]
    fn a_number_xero_has_is_looked_up_and_only_one_match_is_adopted() {
        assert!(already_there("Invoice # must be unique."));
        assert!(already_there(
            "The contact name Buzz Lightyear is already assigned to another contact. The contact name must be unique across all active contacts."
        ));
        assert!(!already_there("Invoice could not be found"));
        let body = r#"{"Invoices":[{"InvoiceNumber":"INV-1"},{"InvoiceNumber":"INV-2"}]}"#;
        let lookup = ByNumber::of(body, "Invoices", 1).expect("a lookup");
        assert_eq!(lookup.query, ("InvoiceNumbers", "INV-2".to_string()));
        assert_eq!(lookup.what(), "invoice INV-2");
        let answer = br#"{"Invoices":[
            {"InvoiceID":"bill","InvoiceNumber":"INV-2","Type":"ACCPAY"},
            {"InvoiceID":"sale","InvoiceNumber":"INV-2","Type":"ACCREC"}]}"#;
        assert_eq!(lookup.found(answer), Some("sale".to_string()));
        let two = br#"{"Invoices":[
            {"InvoiceID":"a","InvoiceNumber":"INV-2","Type":"ACCREC"},
            {"InvoiceID":"b","InvoiceNumber":"INV-2","Type":"ACCREC"}]}"#;
        assert_eq!(lookup.found(two), None);
        assert_eq!(lookup.found(br#"{"Invoices":[]}"#), None);
        let contacts = r#"{"Contacts":[{"Name":"Ada \"The Countess\" Lovelace"}]}"#;
        let lookup = ByNumber::of(contacts, "Contacts", 0).expect("a lookup");
        assert_eq!(lookup.query.1, r#"Name=="Ada \"The Countess\" Lovelace""#);
        // Sent encoded: quotes, spaces and `=` are escaped in the query.
        assert_eq!(
            lookup.lookup().path,
            "/api.xro/2.0/Contacts?where=Name%3D%3D%22Ada+%5C%22The+Countess%5C%22+Lovelace%22"
        );
        assert!(ByNumber::of(contacts, "Payments", 0).is_none());
    }

    #[test]
    fn rate_limits_and_server_trouble_are_retried_credentials_stop() {
        match interpret(429, Some("7"), b"", "Payments", &records(1)) {
            Answer::Retry { wait, .. } => {
                assert_eq!(wait, Some(std::time::Duration::from_secs(7)))
            }
            _ => panic!("retry"),
        }
        assert!(matches!(
            interpret(503, None, b"busy", "Payments", &records(1)),
            Answer::Retry { wait: None, .. }
        ));
        assert!(matches!(
            interpret(401, None, b"", "Payments", &records(1)),
            Answer::Stop(_)
        ));
        let Answer::Answered(outcomes) = interpret(
            400,
            None,
            br#"{"ErrorNumber":10,"Type":"ValidationException","Message":"A validation exception occurred"}"#,
            "Payments",
            &records(2),
        ) else {
            panic!("answered");
        };
        assert!(
            outcomes
                .iter()
                .all(|o| o.error.contains("A validation exception occurred"))
        );
    }
}
