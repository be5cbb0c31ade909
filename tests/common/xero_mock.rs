//! A stand-in for Xero's Accounting API on 127.0.0.1, for push tests: it checks the
//! credentials and every body against Xero's own specification (see `xero_spec`), answers
//! `POST Contacts`, `PUT Invoices`, `PUT CreditNotes` and `PUT Payments` with
//! `summarizeErrors=false` as Xero does (one element per record, an id for each created,
//! `ValidationErrors` for a payment on an invoice it does not know or a number it has
//! already), answers the `GET` lookups by invoice number, credit note number and contact
//! name, keeps Xero's promise for idempotency keys (the same key gets the same answer,
//! nothing created again), and can be told to fail: a rate limit with Retry-After, a server
//! error, an answer so slow the client gives up after the records were created.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use serde_json::{Value, json};

use super::http::{header, respond};
use super::xero_spec::{XeroSpec, errors};

pub const TOKEN: &str = "test-access-token-5f1d9c";
pub const TENANT: &str = "tenant-7a3e40";

#[derive(Debug, Clone)]
pub enum Fault {
    /// 429 with this Retry-After.
    RateLimit(&'static str),
    /// 500, nothing done.
    ServerError,
    /// Carries the request out, then answers only after this long.
    SlowAnswer(Duration),
    /// Carries the request out, then cuts the connection halfway through the answer.
    CutOff,
    /// Nothing goes wrong with this request.
    None,
}

#[derive(Default)]
struct State {
    faults: VecDeque<Fault>,
    /// Invoices Xero has: a payment on another is refused. Those created are added.
    known_invoices: BTreeSet<String>,
    /// Ids of what Xero had before the push, by invoice or credit note number.
    existing: HashMap<String, String>,
    /// Contacts by name, with their ids.
    contacts: HashMap<String, String>,
    /// The number of each invoice created, by its id.
    numbers_by_id: HashMap<String, String>,
    by_key: HashMap<String, (u16, String)>,
    /// Every payment created, as sent, in order, and the id given to each.
    created: Vec<Value>,
    created_ids: Vec<String>,
    /// Every contact, invoice and credit note created or updated, as (collection, sent).
    documents: Vec<(String, Value)>,
    /// `METHOD collection` of every request received, in order.
    log: Vec<String>,
    /// Requests to a collection still to be answered with a server error.
    failing: HashMap<String, usize>,
    /// Payments made in Xero itself (its bank feed, a person), as Xero writes them.
    received_in_xero: Vec<String>,
    /// The `where` filters of the `GET Payments` received.
    payment_filters: Vec<String>,
    /// The answers to `GET Organisation`, `TaxRates` and `Accounts`, when set.
    settings: HashMap<String, String>,
    requests: usize,
    refused_bodies: Vec<String>,
}

struct Validators {
    payments: jsonschema::Validator,
    invoices: jsonschema::Validator,
    credit_notes: jsonschema::Validator,
    contacts: jsonschema::Validator,
    bank_transactions: jsonschema::Validator,
}

pub struct XeroMock {
    pub base_url: String,
    state: Arc<Mutex<State>>,
    server: Arc<tiny_http::Server>,
}

impl XeroMock {
    pub fn start(known_invoices: &[&str], faults: Vec<Fault>) -> XeroMock {
        XeroMock::start_with(known_invoices, &[], faults)
    }

    /// A Xero that has, besides, the invoices and credit notes of `existing` (number, id)
    /// before anything is pushed.
    pub fn start_with(
        known_invoices: &[&str],
        existing: &[(&str, &str)],
        faults: Vec<Fault>,
    ) -> XeroMock {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("a local port"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let state = Arc::new(Mutex::new(State {
            faults: faults.into(),
            known_invoices: known_invoices.iter().map(|s| s.to_string()).collect(),
            existing: existing
                .iter()
                .map(|(n, id)| (n.to_string(), id.to_string()))
                .collect(),
            ..State::default()
        }));
        let spec = XeroSpec::load();
        let validators = Arc::new(Validators {
            payments: spec.validator("put", "/Payments"),
            invoices: spec.validator("put", "/Invoices"),
            credit_notes: spec.validator("put", "/CreditNotes"),
            contacts: spec.validator("post", "/Contacts"),
            bank_transactions: spec.validator("put", "/BankTransactions"),
        });
        let (s, st) = (Arc::clone(&server), Arc::clone(&state));
        thread::spawn(move || {
            for request in s.incoming_requests() {
                let (st, v) = (Arc::clone(&st), Arc::clone(&validators));
                thread::spawn(move || answer(request, &st, &v));
            }
        });
        XeroMock {
            base_url: format!("http://127.0.0.1:{port}"),
            state,
            server,
        }
    }

    /// Requests received, whatever became of them.
    pub fn requests(&self) -> usize {
        self.state.lock().expect("state").requests
    }

    /// The payments created, each as sent.
    pub fn created(&self) -> Vec<Value> {
        self.state.lock().expect("state").created.clone()
    }

    /// Payments Xero has from elsewhere: each a `Payment` element as Xero's JSON writes it.
    pub fn receive_in_xero(&self, payments: &[String]) {
        self.state
            .lock()
            .expect("state")
            .received_in_xero
            .extend(payments.iter().cloned());
    }

    /// What `GET <collection>` (`Organisation`, `TaxRates`, `Accounts`) answers: `json` as
    /// Xero writes it.
    pub fn answer_get(&self, collection: &str, json: &str) {
        self.state
            .lock()
            .expect("state")
            .settings
            .insert(collection.to_string(), json.to_string());
    }

    /// The `where` filter of each `GET Payments`, decoded.
    pub fn payment_filters(&self) -> Vec<String> {
        self.state.lock().expect("state").payment_filters.clone()
    }

    /// The next `times` requests to `collection` (`Invoices` …) get a server error.
    pub fn fail(&self, collection: &str, times: usize) {
        self.state
            .lock()
            .expect("state")
            .failing
            .insert(collection.to_string(), times);
    }

    /// The contacts, invoices and credit notes created, as (collection, record sent).
    pub fn documents(&self) -> Vec<(String, Value)> {
        self.state.lock().expect("state").documents.clone()
    }

    /// `METHOD collection` of each request, in the order received.
    pub fn log(&self) -> Vec<String> {
        self.state.lock().expect("state").log.clone()
    }

    /// Bodies the specification refused.
    pub fn refused_bodies(&self) -> Vec<String> {
        self.state.lock().expect("state").refused_bodies.clone()
    }
}

impl Drop for XeroMock {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

fn not_found(request: tiny_http::Request) {
    respond(
        request,
        404,
        r#"{"Message":"The resource you're looking for cannot be found"}"#,
        None,
    );
}

fn answer(mut request: tiny_http::Request, state: &Mutex<State>, validators: &Validators) {
    let mut body = String::new();
    let _ = request.as_reader().read_to_string(&mut body);
    state.lock().expect("state").requests += 1;
    let authorised = header(&request, "Authorization") == Some(&format!("Bearer {TOKEN}"))
        && header(&request, "xero-tenant-id") == Some(TENANT);
    if !authorised {
        return respond(
            request,
            401,
            r#"{"Title":"Unauthorized","Status":401,"Detail":"AuthenticationUnsuccessful"}"#,
            None,
        );
    }
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let Some(collection) = path.strip_prefix("/api.xro/2.0/").map(str::to_string) else {
        return not_found(request);
    };
    let method = request.method().clone();
    state
        .lock()
        .expect("state")
        .log
        .push(format!("{method} {collection}"));
    if method == tiny_http::Method::Get
        && let Some(answer) = settings(&state.lock().expect("state"), &collection)
    {
        return respond(request, 200, &answer, None);
    }
    if method == tiny_http::Method::Get && collection == "Payments" {
        let answer = payments_page(&mut state.lock().expect("state"), query);
        return respond(request, 200, &answer, None);
    }
    if method == tiny_http::Method::Get {
        let found = look_up(&state.lock().expect("state"), &collection, query);
        return match found {
            Some(answer) => respond(request, 200, &answer.to_string(), None),
            None => not_found(request),
        };
    }
    let validator = match (&method, collection.as_str()) {
        (tiny_http::Method::Put, "Payments") => &validators.payments,
        (tiny_http::Method::Put, "Invoices") => &validators.invoices,
        (tiny_http::Method::Put, "CreditNotes") => &validators.credit_notes,
        (tiny_http::Method::Post, "Contacts") => &validators.contacts,
        (tiny_http::Method::Put, "BankTransactions") => &validators.bank_transactions,
        _ => return not_found(request),
    };
    if query != "summarizeErrors=false" {
        return not_found(request);
    }
    let json: Value = match serde_json::from_str(&body) {
        Ok(json) => json,
        Err(e) => {
            return respond(
                request,
                400,
                &json!({"Message": e.to_string()}).to_string(),
                None,
            );
        }
    };
    let problems = errors(validator, &json);
    if !problems.is_empty() {
        state.lock().expect("state").refused_bodies.push(body);
        let message = problems.join("; ");
        return respond(
            request,
            400,
            &json!({"ErrorNumber": 10, "Type": "ValidationException", "Message": message})
                .to_string(),
            None,
        );
    }
    let Some(key) = header(&request, "Idempotency-Key").map(str::to_string) else {
        return respond(
            request,
            400,
            r#"{"Message":"an Idempotency-Key is expected"}"#,
            None,
        );
    };
    let fault = {
        let mut st = state.lock().expect("state");
        if let Some((status, cached)) = st.by_key.get(&key).cloned() {
            drop(st);
            return respond(request, status, &cached, None);
        }
        match st.failing.get_mut(&collection) {
            Some(n) if *n > 0 => {
                *n -= 1;
                Some(Fault::ServerError)
            }
            _ => st.faults.pop_front(),
        }
    };
    match fault {
        Some(Fault::RateLimit(after)) => {
            return respond(
                request,
                429,
                r#"{"Title":"Too Many Requests"}"#,
                Some(("Retry-After", after)),
            );
        }
        Some(Fault::ServerError) => {
            return respond(
                request,
                500,
                r#"{"Message":"An error occurred in Xero"}"#,
                None,
            );
        }
        _ => {}
    }
    let answer = {
        let mut st = state.lock().expect("state");
        let mut elements = Vec::new();
        for record in json[collection.as_str()].as_array().into_iter().flatten() {
            elements.push(carry_out(&mut st, &collection, record));
        }
        let answer = json!({ collection.as_str(): elements }).to_string();
        st.by_key.insert(key, (200, answer.clone()));
        answer
    };
    match fault {
        Some(Fault::SlowAnswer(delay)) => thread::sleep(delay),
        Some(Fault::CutOff) => {
            // Half an answer, then the connection goes: what the client read is no answer.
            let mut writer = request.into_writer();
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                answer.len()
            );
            let _ = writer.write_all(head.as_bytes());
            let _ = writer.write_all(&answer.as_bytes()[..answer.len() / 2]);
            let _ = writer.flush();
            return;
        }
        _ => {}
    }
    respond(request, 200, &answer, None);
}

/// Creates one record as Xero would, or refuses it; the answer's element for it.
fn carry_out(st: &mut State, collection: &str, record: &Value) -> Value {
    let mut element = record.clone();
    let refuse = |mut element: Value, message: &str| {
        element["StatusAttributeString"] = json!("ERROR");
        element["ValidationErrors"] = json!([{ "Message": message }]);
        element
    };
    let new_id = |st: &State| {
        format!(
            "00000000-0000-4000-8000-{:012}",
            st.created.len() + st.documents.len() + 1
        )
    };
    match collection {
        "Payments" => {
            let number = match record["Invoice"]["InvoiceID"].as_str() {
                Some(id) => st.numbers_by_id.get(id).cloned().unwrap_or_default(),
                None => record["Invoice"]["InvoiceNumber"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            };
            let number = number.as_str();
            if !st.known_invoices.contains(number) && !st.existing.contains_key(number) {
                return refuse(element, "Invoice could not be found");
            }
            let id = new_id(st);
            element["PaymentID"] = json!(id);
            st.created.push(record.clone());
            st.created_ids.push(id);
        }
        "BankTransactions" => {
            element["BankTransactionID"] = json!(new_id(st));
            st.documents.push((collection.to_string(), record.clone()));
        }
        "Invoices" | "CreditNotes" => {
            let (field, id_field, what) = if collection == "Invoices" {
                ("InvoiceNumber", "InvoiceID", "Invoice")
            } else {
                ("CreditNoteNumber", "CreditNoteID", "Credit Note")
            };
            // Without a number, Xero numbers the document itself.
            let number = match record[field].as_str() {
                Some(number) => number.to_string(),
                None => format!("XERO-{:04}", st.documents.len() + 1),
            };
            if st.existing.contains_key(&number) || st.known_invoices.contains(&number) {
                return refuse(element, &format!("{what} # must be unique."));
            }
            let name = record["Contact"]["Name"].as_str().unwrap_or_default();
            if !st.contacts.contains_key(name) {
                return refuse(element, "The contact does not exist");
            }
            let id = new_id(st);
            element[id_field] = json!(id);
            element[field] = json!(number);
            st.numbers_by_id.insert(id, number.clone());
            st.known_invoices.insert(number);
            st.documents.push((collection.to_string(), record.clone()));
        }
        _ => {
            let name = record["Name"].as_str().unwrap_or_default().to_string();
            // POST updates the contact of the same name, or creates one.
            let id = match st.contacts.get(&name) {
                Some(id) => id.clone(),
                None => new_id(st),
            };
            element["ContactID"] = json!(id);
            st.contacts.insert(name, id);
            st.documents.push((collection.to_string(), record.clone()));
        }
    }
    element["StatusAttributeString"] = json!("OK");
    element
}

/// The organisation's settings, as set by the test.
fn settings(st: &State, collection: &str) -> Option<String> {
    st.settings.get(collection).cloned()
}

/// A page (`page=`, 100 a page) of every payment Xero has: those made in Xero, and those
/// created through the API (as received on sales invoices, with their ids).
fn payments_page(st: &mut State, query: &str) -> String {
    let mut page = 1usize;
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("page", n)) => page = n.parse().unwrap_or(1),
            Some(("where", w)) => st.payment_filters.push(percent_decode(w)),
            _ => {}
        }
    }
    let mut all: Vec<String> = st.received_in_xero.clone();
    for (p, id) in st.created.iter().zip(&st.created_ids) {
        let mut p = p.clone();
        p["PaymentID"] = json!(id);
        p["PaymentType"] = json!("ACCRECPAYMENT");
        p["Status"] = json!("AUTHORISED");
        all.push(p.to_string());
    }
    let slice: Vec<&String> = all.iter().skip((page - 1) * 100).take(100).collect();
    let items: Vec<&str> = slice.iter().map(|s| s.as_str()).collect();
    format!(
        "{{\n  \"Payments\": [\n    {}\n  ]\n}}",
        items.join(",\n    ")
    )
}

/// The answer to `GET Invoices?InvoiceNumbers=`, `GET CreditNotes?where=CreditNoteNumber==`
/// and `GET Contacts?where=Name==`.
fn look_up(st: &State, collection: &str, query: &str) -> Option<Value> {
    let (key, value) = query.split_once('=')?;
    let value = percent_decode(value);
    let found = |number: &str, id: Option<&String>, fields: Value| -> Vec<Value> {
        id.map(|id| {
            let mut v = fields;
            v[number] = json!(id);
            v
        })
        .into_iter()
        .collect()
    };
    match (collection, key) {
        ("Invoices", "InvoiceNumbers") => Some(json!({"Invoices": found(
            "InvoiceID",
            st.existing.get(&value),
            json!({"InvoiceNumber": value, "Type": "ACCREC"}),
        )})),
        ("CreditNotes", "where") => {
            let number = value
                .strip_prefix("CreditNoteNumber==\"")?
                .strip_suffix('"')?
                .to_string();
            Some(json!({"CreditNotes": found(
                "CreditNoteID",
                st.existing.get(&number),
                json!({"CreditNoteNumber": number, "Type": "ACCRECCREDIT"}),
            )}))
        }
        ("Contacts", "where") => {
            let name = value
                .strip_prefix("Name==\"")?
                .strip_suffix('"')?
                .to_string();
            Some(json!({"Contacts": found(
                "ContactID",
                st.contacts.get(&name),
                json!({"Name": name}),
            )}))
        }
        _ => None,
    }
}

/// A query value as sent (`+` for a space, `%XX` for a byte).
pub fn percent_decode(text: &str) -> String {
    let mut bytes = Vec::new();
    let mut input = text.bytes();
    while let Some(b) = input.next() {
        match b {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hex: Vec<u8> = input.by_ref().take(2).collect();
                let value = std::str::from_utf8(&hex)
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                bytes.extend(value);
            }
            _ => bytes.push(b),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}
