//! One staged request per QuickBooks batch: `POST /v3/company/<realm>/batch` with up to
//! `per_request` items `{"bId": "1", "operation": "create", "<Entity>": {…}}`
//! (Intuit, "Batch operation": `BatchItemRequest`, `bId`, `operation`; the answer has one
//! `BatchItemResponse` per `bId`, the entity or a `Fault`). One kind of record per batch:
//! items of one batch do not see what the others created, so customers, documents and
//! payments go in batches of their own, in that order.
//!
//! Batches rather than one request per record: QuickBooks allows about 500 requests a
//! minute per company (batches counted as one each, at most 40 batches a minute), so a
//! month of 50,000 customers, their invoices and their payments — 150,000 records — would
//! need five hours one by one; in batches of 30 it is about two hours at the batch limit.
//!
//! Each batch carries Intuit's idempotency key, `requestid`, in its query: "If the service
//! receives another request with the same RequestID, … the service sends the same response
//! as it did for the original request" (Intuit, "Request ID update for QuickBooks Online
//! integration", 2015). At most 36 characters for a batch, and a `bId` of at most 10 when
//! a requestid is given (ibid.): `sluice-` and 29 hex digits of the SHA-256 of the target,
//! the company and the body, so the same facts re-rendered give the same key, and `bId`s
//! are the item's place, `1` to `30`. The key is also the staged request's
//! `idempotency_key`, so the delivery log shows what QuickBooks was sent; there is no
//! idempotency header (QuickBooks reads none).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::value::RawValue;

use super::api::{Api, MINOR_VERSION};
use crate::durable;
use crate::outbox::request::IDEMPOTENCY_HEADER;
use crate::outbox::{RecordRef, StagedRequest};
use crate::targets::RenderedFile;

/// A record for a batch: what the request file lists, the entity's body, and the money it
/// carries (currency, amount) for the manifest's totals.
pub type Staged<T> = (RecordRef, T, Option<(String, Decimal)>);

/// A decimal's digits, a JSON number as written (never through a binary float).
pub fn number(value: Decimal) -> Box<RawValue> {
    RawValue::from_string(value.normalize().to_string())
        .expect("a decimal's digits are a JSON number")
}

/// A money amount with its cents, a JSON number as written: `29.90`, `50.00`.
pub fn money(value: Decimal) -> Box<RawValue> {
    let mut value = value;
    if value.scale() < 2 {
        value.rescale(2);
    }
    RawValue::from_string(value.to_string()).expect("a decimal's digits are a JSON number")
}

/// `{"value": "…"}`: how QuickBooks refers to another entity by its id.
#[derive(Serialize)]
pub struct Ref {
    pub value: String,
}

impl Ref {
    pub fn to(value: impl Into<String>) -> Ref {
        Ref {
            value: value.into(),
        }
    }
}

/// The batches of `records` (`entity` is the key of each item: `Customer`, `Invoice` …),
/// `per_request` to a request, named `<stem>-0001.json` … from `first` on. `needs` is
/// what each request waits for (payments on a held invoice).
pub fn requests<T: Serialize>(
    target: &str,
    api: &Api,
    stem: &str,
    entity: &str,
    records: Vec<Staged<T>>,
    needs: &[String],
    first: usize,
) -> Vec<RenderedFile> {
    let mut files = Vec::new();
    let mut records = records.into_iter().peekable();
    let mut number = first;
    while records.peek().is_some() {
        let mut refs = Vec::new();
        let mut items = Vec::new();
        let mut totals: BTreeMap<String, Decimal> = BTreeMap::new();
        for (place, (record, body, amount)) in records.by_ref().take(api.per_request).enumerate() {
            let json = serde_json::to_string(&body).expect("an entity serialises");
            items.push(format!(
                r#"{{"bId":"{}","operation":"create","{entity}":{json}}}"#,
                place + 1
            ));
            refs.push(record);
            if let Some((currency, amount)) = amount {
                *totals.entry(currency).or_default() += amount;
            }
        }
        let body = format!(r#"{{"BatchItemRequest":[{}]}}"#, items.join(","));
        let request = request(target, api, refs, body, needs);
        files.push(RenderedFile {
            name: format!("{stem}-{number:04}.json"),
            bytes: request.to_bytes(),
            records: request.records.len() as u64,
            totals,
        });
        number += 1;
    }
    files
}

fn request(
    target: &str,
    api: &Api,
    records: Vec<RecordRef>,
    body: String,
    needs: &[String],
) -> StagedRequest {
    let batch = format!("{}/batch?minorversion={MINOR_VERSION}", api.company_path());
    let digest = durable::sha256_hex(format!("{target}\n{batch}\n{body}").as_bytes());
    let request_id = format!("sluice-{}", &digest[..29]);
    let path = format!("{batch}&requestid={request_id}");
    let mut request =
        StagedRequest::new(target, "POST", &path, records, body).expect("a batch body is JSON");
    request.headers.remove(IDEMPOTENCY_HEADER);
    request.idempotency_key = request_id;
    request.needs = needs.to_vec();
    request
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::payments::PaymentAccounts;

    fn api(per_request: usize) -> Api {
        Api {
            base_url: String::new(),
            token_env: String::new(),
            realm_id: "4620816365".to_string(),
            per_request,
            payments: PaymentAccounts::default(),
        }
    }

    fn record(id: &str) -> Staged<Ref> {
        let record = RecordRef {
            kind: "contact".to_string(),
            id: id.to_string(),
            document: String::new(),
        };
        (record, Ref::to(id), None)
    }

    #[test]
    fn batches_of_per_request_items_numbered_by_place_with_a_stable_request_id() {
        let records = || {
            (1..=5)
                .map(|i| record(&format!("C{i}")))
                .collect::<Vec<_>>()
        };
        let files = requests(
            "qbo",
            &api(2),
            "quickbooks-customers",
            "Customer",
            records(),
            &[],
            1,
        );
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "quickbooks-customers-0001.json",
                "quickbooks-customers-0002.json",
                "quickbooks-customers-0003.json"
            ]
        );
        let first = StagedRequest::from_bytes(&files[0].bytes).expect("a request");
        assert_eq!(
            first.body.get(),
            r#"{"BatchItemRequest":[{"bId":"1","operation":"create","Customer":{"value":"C1"}},{"bId":"2","operation":"create","Customer":{"value":"C2"}}]}"#
        );
        let (path, id) = first.path.split_once("&requestid=").expect("a requestid");
        assert_eq!(path, "/v3/company/4620816365/batch?minorversion=75");
        assert_eq!(id.len(), 36, "Intuit's limit for a batch");
        assert_eq!(first.idempotency_key, id);
        assert!(!first.headers.contains_key(IDEMPOTENCY_HEADER));
        let again = requests(
            "qbo",
            &api(2),
            "quickbooks-customers",
            "Customer",
            records(),
            &[],
            1,
        );
        assert_eq!(files, again, "re-rendering gives the same bytes");
        let other = StagedRequest::from_bytes(&files[1].bytes).expect("a request");
        assert_ne!(other.idempotency_key, first.idempotency_key);
    }

    #[test]
    fn amounts_keep_their_digits_and_money_its_cents() {
        assert_eq!(money(Decimal::new(299, 1)).get(), "29.90");
        assert_eq!(money(Decimal::new(50, 0)).get(), "50.00");
        assert_eq!(money(Decimal::new(12345, 3)).get(), "12.345");
        assert_eq!(number(Decimal::new(200, 2)).get(), "2");
        assert_eq!(number(Decimal::new(25, 1)).get(), "2.5");
    }
}
