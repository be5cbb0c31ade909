//! What QuickBooks Online's answer to a staged batch means for each record it carries, and
//! how to find what QuickBooks has under a record's number.
//!
//! A batch is answered 200 with `BatchItemResponse`: one element per `bId`, holding the
//! entity created (its `Id`) or a `Fault` whose `Error`s have `Message`, `Detail` and
//! `code` (Intuit, "Batch operation"; error codes: "Top QuickBooks Online API errors").
//! Elements are matched by `bId`, not by place. A request refused as a whole is a `Fault`
//! at the top (400, e.g. a `ValidationFault`); 401 and 403 are the credentials (an access
//! token lasts an hour); 429 is the throttle (about 500 requests a minute per company, 40
//! batches); 5xx is QuickBooks' trouble.
//!
//! Numbers QuickBooks has already: `Duplicate Name Exists Error` (6240: a customer's
//! `DisplayName` is taken) and `Duplicate Document Number Error` (6140: an invoice's or a
//! credit memo's `DocNumber`) are looked up with Intuit's query language (`GET
//! …/query?query=select Id, DocNumber from Invoice where DocNumber = 'INV-1'`; a quote in
//! a value escaped with a backslash, as Intuit's "Data queries" page says) and the one
//! match found is adopted.
//!
//! QuickBooks' idempotency key, `requestid`, has been reported not to keep a resent
//! request from being carried out twice: after a lost answer, customers, invoices and credit
//! memos are read back by name or number the same way before the batch is sent again.
//! Payments have no number to read back by: their batch is resent under its requestid.

use reqwest::blocking::RequestBuilder;
use serde_json::Value;

use super::log::RecordOutcome;
use super::platform::{Answer, Lookup, PlatformApi, excerpt, retry_after};
use crate::outbox::StagedRequest;
use crate::targets::quickbooks::api::MINOR_VERSION;

/// QuickBooks Online's Accounting API, with one company's access token.
pub struct QuickBooksApi {
    pub token: String,
}

const NAME_TAKEN: &str = "6240";
const NUMBER_TAKEN: &str = "6140";

impl PlatformApi for QuickBooksApi {
    fn name(&self) -> &'static str {
        "QuickBooks Online"
    }

    fn authorise(&self, call: RequestBuilder) -> RequestBuilder {
        call.bearer_auth(&self.token)
    }

    fn interpret(
        &self,
        status: u16,
        retry_after_header: Option<&str>,
        body: &[u8],
        request: &StagedRequest,
    ) -> Answer {
        let json: Option<Value> = serde_json::from_slice(body).ok();
        let refuse_all = |error: String| {
            Answer::Answered(
                request
                    .records
                    .iter()
                    .map(|r| outcome(&r.id, Err(error.clone())))
                    .collect(),
            )
        };
        match status {
            200..=299 => {
                let Some(items) = json
                    .as_ref()
                    .and_then(|j| j.get("BatchItemResponse"))
                    .and_then(Value::as_array)
                else {
                    return refuse_all(format!(
                        "QuickBooks answered without a BatchItemResponse: {} — check these records in QuickBooks before pushing them again",
                        excerpt(body)
                    ));
                };
                Answer::Answered(
                    request
                        .records
                        .iter()
                        .enumerate()
                        .map(|(i, r)| {
                            let b_id = (i + 1).to_string();
                            let item = items
                                .iter()
                                .find(|item| item.get("bId").and_then(Value::as_str) == Some(&b_id));
                            outcome(&r.id, item.map_or_else(
                                || Err("QuickBooks' answer does not mention this record: check it in QuickBooks before pushing it again".to_string()),
                                item_result,
                            ))
                        })
                        .collect(),
                )
            }
            401 | 403 => Answer::Stop(format!(
                "QuickBooks Online refused the credentials ({status}): {} — renew the access token (it lasts an hour), check realm_id, and push again",
                excerpt(body)
            )),
            429 => Answer::Retry {
                wait: retry_after(retry_after_header),
                why: "QuickBooks' throttle (429)".to_string(),
            },
            500..=599 => Answer::Retry {
                wait: None,
                why: format!("QuickBooks could not answer ({status}): {}", excerpt(body)),
            },
            _ => {
                let words = json
                    .as_ref()
                    .and_then(|j| j.get("Fault"))
                    .and_then(fault_words)
                    .unwrap_or_else(|| excerpt(body));
                refuse_all(format!(
                    "QuickBooks refused the request ({status}): {words}"
                ))
            }
        }
    }

    fn adoption(&self, request: &StagedRequest, index: usize, error: &str) -> Option<Lookup> {
        if !(error.contains(&format!("({NAME_TAKEN})"))
            || error.contains(&format!("({NUMBER_TAKEN})")))
        {
            return None;
        }
        ByNumber::of(request, index).map(ByNumber::lookup)
    }

    fn read_back(&self, request: &StagedRequest, index: usize) -> Option<Lookup> {
        ByNumber::of(request, index).map(ByNumber::lookup)
    }
}

fn outcome(id: &str, result: Result<String, String>) -> RecordOutcome {
    let (remote_id, error) = match result {
        Ok(remote_id) => (remote_id, String::new()),
        Err(error) => (String::new(), error),
    };
    RecordOutcome {
        id: id.to_string(),
        remote_id,
        error,
        adopted: String::new(),
    }
}

/// The id of the entity an answer's item holds, or QuickBooks' words of its `Fault`.
fn item_result(item: &Value) -> Result<String, String> {
    if let Some(fault) = item.get("Fault") {
        return Err(fault_words(fault)
            .unwrap_or_else(|| "QuickBooks refused it without saying why".to_string()));
    }
    item.as_object()
        .into_iter()
        .flatten()
        .filter(|(key, _)| key.as_str() != "bId")
        .find_map(|(_, entity)| entity.get("Id").and_then(Value::as_str))
        .map(str::to_string)
        .ok_or_else(|| {
            "QuickBooks answered without the id of what it created: check it in QuickBooks before pushing it again".to_string()
        })
}

/// `Message (code): Detail` of each error of a `Fault`, joined.
fn fault_words(fault: &Value) -> Option<String> {
    let words: Vec<String> = fault
        .get("Error")?
        .as_array()?
        .iter()
        .map(|e| {
            let text = |field: &str| e.get(field).and_then(Value::as_str).unwrap_or_default();
            let mut words = text("Message").to_string();
            if !text("code").is_empty() {
                words.push_str(&format!(" ({})", text("code")));
            }
            if !text("Detail").is_empty() && text("Detail") != text("Message") {
                words.push_str(&format!(": {}", text("Detail")));
            }
            words
        })
        .collect();
    (!words.is_empty()).then(|| words.join("; "))
}

/// How to find what QuickBooks has under the name or number of the record at `index` of a
/// batch: the entity, the field, and the value.
struct ByNumber {
    company: String,
    entity: &'static str,
    field: &'static str,
    value: String,
}

impl ByNumber {
    fn of(request: &StagedRequest, index: usize) -> Option<ByNumber> {
        let company = request.path.split("/batch").next()?.to_string();
        let json: Value = serde_json::from_str(request.body.get()).ok()?;
        let item = json.get("BatchItemRequest")?.as_array()?.get(index)?;
        let (entity, field) = [
            ("Customer", "DisplayName"),
            ("Invoice", "DocNumber"),
            ("CreditMemo", "DocNumber"),
        ]
        .into_iter()
        .find(|(entity, _)| item.get(*entity).is_some())?;
        let value = item.get(entity)?.get(field)?.as_str()?.to_string();
        Some(ByNumber {
            company,
            entity,
            field,
            value,
        })
    }

    /// `select Id, DocNumber from Invoice where DocNumber = 'INV-1'`.
    fn query(&self) -> String {
        let quoted = self.value.replace('\\', "\\\\").replace('\'', "\\'");
        format!(
            "select Id, {} from {} where {} = '{quoted}'",
            self.field, self.entity, self.field
        )
    }

    fn lookup(self) -> Lookup {
        let mut url = reqwest::Url::parse("http://x").expect("a URL");
        url.set_path(&format!("{}/query", self.company));
        url.query_pairs_mut()
            .append_pair("query", &self.query())
            .append_pair("minorversion", &MINOR_VERSION.to_string());
        let path = format!("{}?{}", url.path(), url.query().unwrap_or_default());
        let what = match self.entity {
            "Customer" => format!("customer \"{}\"", self.value),
            "Invoice" => format!("invoice {}", self.value),
            _ => format!("credit memo {}", self.value),
        };
        Lookup::new(path, what, move |answer| self.found(answer))
    }

    /// The id of the one entity of the answer with the name or number looked for; none
    /// when there is none, or more than one.
    fn found(&self, answer: &[u8]) -> Option<String> {
        let json: Value = serde_json::from_slice(answer).ok()?;
        let ids: Vec<&str> = json
            .get("QueryResponse")?
            .get(self.entity)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|e| e.get(self.field).and_then(Value::as_str) == Some(&self.value))
            .filter_map(|e| e.get("Id").and_then(Value::as_str))
            .collect();
        match ids.as_slice() {
            [id] => Some((*id).to_string()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::RecordRef;

    fn batch(entity: &str, field: &str, values: &[&str]) -> StagedRequest {
        let items: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                format!(
                    r#"{{"bId":"{}","operation":"create","{entity}":{{"{field}":{}}}}}"#,
                    i + 1,
                    serde_json::to_string(v).expect("a string")
                )
            })
            .collect();
        let records = values
            .iter()
            .map(|v| RecordRef {
                kind: "invoice".to_string(),
                id: v.to_string(),
                document: v.to_string(),
            })
            .collect();
        StagedRequest::new(
            "qbo",
            "POST",
            "/v3/company/123/batch?minorversion=75&requestid=sluice-1",
            records,
            format!(r#"{{"BatchItemRequest":[{}]}}"#, items.join(",")),
        )
        .expect("a request")
    }

    fn api() -> QuickBooksApi {
        QuickBooksApi {
            token: String::new(),
        }
    }

    #[test]
    fn each_record_has_its_answer_by_bid_with_quickbooks_words() {
        let request = batch("Invoice", "DocNumber", &["INV-1", "INV-2", "INV-3"]);
        let answer = br#"{"BatchItemResponse":[
            {"bId":"2","Fault":{"type":"ValidationFault","Error":[{"Message":"Duplicate Document Number Error","Detail":"Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=INV-2 is assigned to TxnType=Invoice with TxnId=45","code":"6140","element":""}]}},
            {"bId":"1","Invoice":{"Id":"130","DocNumber":"INV-1"}}
        ],"time":"2026-10-31T10:00:00.000-07:00"}"#;
        let Answer::Answered(outcomes) = api().interpret(200, None, answer, &request) else {
            panic!("answered");
        };
        assert_eq!(outcomes[0].remote_id, "130");
        assert!(
            outcomes[1]
                .error
                .starts_with("Duplicate Document Number Error (6140): ")
        );
        assert!(outcomes[2].error.contains("does not mention this record"));
        let lookup = api()
            .adoption(&request, 1, &outcomes[1].error)
            .expect("a number QuickBooks has is looked up");
        assert_eq!(
            lookup.path,
            "/v3/company/123/query?query=select+Id%2C+DocNumber+from+Invoice+where+DocNumber+%3D+%27INV-2%27&minorversion=75"
        );
        assert_eq!(lookup.what, "invoice INV-2");
        assert!(
            api()
                .adoption(&request, 0, "Object Not Found (610)")
                .is_none()
        );
        let one = br#"{"QueryResponse":{"Invoice":[{"Id":"45","DocNumber":"INV-2"}],"startPosition":1,"maxResults":1}}"#;
        assert_eq!(lookup.found(one), Some("45".to_string()));
        let two = br#"{"QueryResponse":{"Invoice":[{"Id":"45","DocNumber":"INV-2"},{"Id":"46","DocNumber":"INV-2"}]}}"#;
        assert_eq!(lookup.found(two), None);
        assert_eq!(lookup.found(br#"{"QueryResponse":{}}"#), None);
    }

    #[test]
    fn a_name_with_a_quote_is_escaped_in_the_query_and_payments_are_not_read_back() {
        let request = batch("Customer", "DisplayName", &["Amy's Bird Sanctuary (C1)"]);
        let by = ByNumber::of(&request, 0).expect("a customer");
        assert_eq!(
            by.query(),
            r"select Id, DisplayName from Customer where DisplayName = 'Amy\'s Bird Sanctuary (C1)'"
        );
        assert!(api().read_back(&request, 0).is_some());
        let payments = batch("Payment", "TotalAmt", &["29.90"]);
        assert!(api().read_back(&payments, 0).is_none());
    }

    #[test]
    fn throttle_and_trouble_are_retried_credentials_stop_a_whole_fault_refuses_all() {
        let request = batch("Invoice", "DocNumber", &["INV-1", "INV-2"]);
        match api().interpret(429, Some("3"), b"", &request) {
            Answer::Retry { wait, .. } => {
                assert_eq!(wait, Some(std::time::Duration::from_secs(3)))
            }
            _ => panic!("retry"),
        }
        assert!(matches!(
            api().interpret(503, None, b"", &request),
            Answer::Retry { wait: None, .. }
        ));
        assert!(matches!(
            api().interpret(401, None, b"", &request),
            Answer::Stop(_)
        ));
        let fault = br#"{"Fault":{"Error":[{"Message":"Request has invalid or unsupported property","Detail":"Property Name:Can not instantiate value specified is unsupported or invalid","code":"2010"}],"type":"ValidationFault"}}"#;
        let Answer::Answered(outcomes) = api().interpret(400, None, fault, &request) else {
            panic!("answered");
        };
        assert!(outcomes.iter().all(|o| o.error.contains(
            "QuickBooks refused the request (400): Request has invalid or unsupported property (2010)"
        )));
    }
}
