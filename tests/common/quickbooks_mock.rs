//! A stand-in for QuickBooks Online's Accounting API on 127.0.0.1, for push tests. It takes
//! `POST /v3/company/<realm>/batch?minorversion=75&requestid=…` with the bearer token,
//! checks every body against the documented shape (`quickbooks_shape`), and answers each
//! item as QuickBooks does: the entity with its new `Id`, or a `Fault` — `Duplicate Name
//! Exists Error` (6240) for a customer name it has, `Duplicate Document Number Error`
//! (6140) for an invoice or credit memo number it has, `Invalid Reference Id` (2500) for a
//! product it does not know, `Object Not Found` (610) for a customer or invoice id it does
//! not have. It answers `GET …/query?query=select Id, <field> from <entity> where <field> =
//! '<value>'`. It keeps Intuit's promise for `requestid` (the same id gets the same
//! answer) — unless told its requestids are weak, as they have been reported to be — and
//! can be told to fail: a throttle with Retry-After, a server error, or an answer so slow
//! the client gives up after the batch was carried out.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use serde_json::{Value, json};

use super::http::respond;
use super::quickbooks_shape::{ENTITIES, batch_errors};

pub const TOKEN: &str = "test-qbo-access-token-8c21e7";
pub const REALM: &str = "4620816365";
/// Products and services the company has, by id.
pub const ITEMS: [&str; 3] = ["1", "2", "3"];

#[derive(Debug, Clone)]
pub enum Fault {
    /// 429 with this Retry-After.
    RateLimit(&'static str),
    /// 503, nothing done.
    ServerError,
    /// Carries the batch out, then answers only after this long.
    SlowAnswer(Duration),
}

/// One entity QuickBooks has.
#[derive(Debug, Clone)]
pub struct Entity {
    pub id: String,
    /// `Customer`, `Invoice`, `CreditMemo`, `Payment`.
    pub kind: String,
    /// Its `DisplayName` or `DocNumber`.
    pub name: String,
    /// As sent.
    pub body: Value,
}

#[derive(Default)]
struct State {
    faults: VecDeque<Fault>,
    /// Faults for the next batch of one entity (`Invoice` …), before the queue's.
    faults_for: HashMap<String, VecDeque<Fault>>,
    weak_request_ids: bool,
    allow_duplicate_numbers: bool,
    entities: Vec<Entity>,
    by_request_id: HashMap<String, String>,
    /// `POST batch <Entity>` and `GET query <Entity>`, in the order received.
    log: Vec<String>,
    requests: usize,
    refused_bodies: Vec<String>,
    next_id: usize,
}

pub struct QuickBooksMock {
    pub base_url: String,
    state: Arc<Mutex<State>>,
    server: Arc<tiny_http::Server>,
}

impl QuickBooksMock {
    /// A company that has, besides, the invoices of `existing` (number, id).
    pub fn start(existing: &[(&str, &str)], faults: Vec<Fault>) -> QuickBooksMock {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("a local port"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let entities = existing
            .iter()
            .map(|(number, id)| Entity {
                id: id.to_string(),
                kind: "Invoice".to_string(),
                name: number.to_string(),
                body: json!({"DocNumber": number}),
            })
            .collect();
        let state = Arc::new(Mutex::new(State {
            faults: faults.into(),
            entities,
            next_id: 100,
            ..State::default()
        }));
        let (s, st) = (Arc::clone(&server), Arc::clone(&state));
        thread::spawn(move || {
            for request in s.incoming_requests() {
                let st = Arc::clone(&st);
                thread::spawn(move || answer(request, &st));
            }
        });
        QuickBooksMock {
            base_url: format!("http://127.0.0.1:{port}"),
            state,
            server,
        }
    }

    /// Resent requestids are carried out again, as has been reported of QuickBooks.
    pub fn weak_request_ids(&self) {
        self.state.lock().expect("state").weak_request_ids = true;
    }

    /// Invoice and credit memo numbers it has are taken again, as in a company whose
    /// "warn if duplicate number is used" preference is off.
    pub fn allow_duplicate_numbers(&self) {
        self.state.lock().expect("state").allow_duplicate_numbers = true;
    }

    /// The next batch of `entity` meets `fault`.
    pub fn fail_next(&self, entity: &str, fault: Fault) {
        self.state
            .lock()
            .expect("state")
            .faults_for
            .entry(entity.to_string())
            .or_default()
            .push_back(fault);
    }

    pub fn requests(&self) -> usize {
        self.state.lock().expect("state").requests
    }

    pub fn log(&self) -> Vec<String> {
        self.state.lock().expect("state").log.clone()
    }

    /// What QuickBooks has of one kind, in the order created.
    pub fn entities(&self, kind: &str) -> Vec<Entity> {
        self.state
            .lock()
            .expect("state")
            .entities
            .iter()
            .filter(|e| e.kind == kind)
            .cloned()
            .collect()
    }

    /// Bodies refused as a whole (shape, placeholders left in).
    pub fn refused_bodies(&self) -> Vec<String> {
        self.state.lock().expect("state").refused_bodies.clone()
    }
}

impl Drop for QuickBooksMock {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

/// A `Fault` as QuickBooks writes it.
fn fault(message: &str, detail: &str, code: &str) -> Value {
    json!({"type": "ValidationFault", "Error": [{
        "Message": message, "Detail": detail, "code": code, "element": ""
    }]})
}

fn answer(mut request: tiny_http::Request, state: &Mutex<State>) {
    let mut body = String::new();
    let _ = request.as_reader().read_to_string(&mut body);
    state.lock().expect("state").requests += 1;
    let authorised = request.headers().iter().any(|h| {
        h.field
            .as_str()
            .as_str()
            .eq_ignore_ascii_case("Authorization")
            && h.value.as_str() == format!("Bearer {TOKEN}")
    });
    if !authorised {
        return respond(
            request,
            401,
            r#"{"fault":{"error":[{"message":"message=AuthenticationFailed; errorCode=003200; statusCode=401","detail":"Token revoked","code":"3200"}],"type":"AUTHENTICATION"}}"#,
            None,
        );
    }
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let params: HashMap<String, String> = query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), percent_decode(v)))
        .collect();
    let company = format!("/v3/company/{REALM}");
    if params.get("minorversion").map(String::as_str) != Some("75") {
        return respond(
            request,
            400,
            r#"{"Fault":{"Error":[{"Message":"minorversion 75 expected","code":"5000"}]}}"#,
            None,
        );
    }
    match (request.method(), path.strip_prefix(&company)) {
        (tiny_http::Method::Get, Some("/query")) => {
            let answer = query_answer(state, params.get("query").map_or("", String::as_str));
            match answer {
                Some(answer) => respond(request, 200, &answer.to_string(), None),
                None => respond(
                    request,
                    400,
                    r#"{"Fault":{"Error":[{"Message":"QueryParserError","code":"4000"}]}}"#,
                    None,
                ),
            }
        }
        (tiny_http::Method::Post, Some("/batch")) => batch(request, state, &body, &params),
        _ => respond(
            request,
            404,
            r#"{"Fault":{"Error":[{"Message":"not found"}]}}"#,
            None,
        ),
    }
}

fn batch(
    request: tiny_http::Request,
    state: &Mutex<State>,
    body: &str,
    params: &HashMap<String, String>,
) {
    let whole_fault = |state: &Mutex<State>, request, message: String| {
        state
            .lock()
            .expect("state")
            .refused_bodies
            .push(body.to_string());
        let answer = json!({"Fault": fault("Request has invalid or unsupported property", &message, "2010")});
        respond(request, 400, &answer.to_string(), None);
    };
    let request_id = match params.get("requestid") {
        Some(id) if !id.is_empty() && id.len() <= 36 => id.clone(),
        _ => {
            return whole_fault(
                state,
                request,
                "a requestid of 1 to 36 characters is expected".to_string(),
            );
        }
    };
    if body.contains("${remote:") {
        return whole_fault(state, request, format!("a placeholder was sent: {body}"));
    }
    let json: Value = match serde_json::from_str(body) {
        Ok(json) => json,
        Err(e) => return whole_fault(state, request, e.to_string()),
    };
    let problems = batch_errors(&json);
    if !problems.is_empty() {
        return whole_fault(state, request, problems.join("; "));
    }
    let items = json["BatchItemRequest"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let entity = ENTITIES
        .iter()
        .find(|e| items.first().is_some_and(|i| i.get(**e).is_some()))
        .copied()
        .unwrap_or_default();
    let fault = {
        let mut st = state.lock().expect("state");
        st.log.push(format!("POST batch {entity}"));
        if !st.weak_request_ids
            && let Some(cached) = st.by_request_id.get(&request_id).cloned()
        {
            drop(st);
            return respond(request, 200, &cached, None);
        }
        match st.faults_for.get_mut(entity).and_then(VecDeque::pop_front) {
            Some(f) => Some(f),
            None => st.faults.pop_front(),
        }
    };
    match fault {
        Some(Fault::RateLimit(after)) => {
            return respond(
                request,
                429,
                r#"{"Fault":{"Error":[{"Message":"ThrottleExceeded","code":"003001"}]}}"#,
                Some(("Retry-After", after)),
            );
        }
        Some(Fault::ServerError) => {
            return respond(
                request,
                503,
                r#"{"Fault":{"Error":[{"Message":"Service Unavailable"}]}}"#,
                None,
            );
        }
        _ => {}
    }
    let answer = {
        let mut st = state.lock().expect("state");
        let answers: Vec<Value> = items.iter().map(|item| carry_out(&mut st, item)).collect();
        let answer = json!({"BatchItemResponse": answers, "time": "2026-10-31T11:00:00.000-07:00"})
            .to_string();
        st.by_request_id.insert(request_id, answer.clone());
        answer
    };
    if let Some(Fault::SlowAnswer(delay)) = fault {
        thread::sleep(delay);
    }
    respond(request, 200, &answer, None);
}

/// Creates one item's entity as QuickBooks would, or refuses it; the answer's element.
fn carry_out(st: &mut State, item: &Value) -> Value {
    let b_id = item["bId"].clone();
    let (kind, body) = ENTITIES
        .iter()
        .find_map(|e| item.get(*e).map(|b| (*e, b.clone())))
        .expect("the shape has one entity");
    let refuse = |f: Value| json!({"bId": b_id, "Fault": f});
    let has =
        |st: &State, kind: &str, id: &str| st.entities.iter().any(|e| e.kind == kind && e.id == id);
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let name = match kind {
        "Customer" => {
            let name = text(&body["DisplayName"]);
            if st
                .entities
                .iter()
                .any(|e| e.kind == "Customer" && e.name == name)
            {
                return refuse(fault(
                    "Duplicate Name Exists Error",
                    "The name supplied already exists. : Another customer is already using this name. Please use a different name.",
                    "6240",
                ));
            }
            name
        }
        "Invoice" | "CreditMemo" => {
            let number = text(&body["DocNumber"]);
            let taken = st
                .entities
                .iter()
                .find(|e| e.kind == kind && e.name == number);
            if let Some(other) = taken.filter(|_| !st.allow_duplicate_numbers) {
                return refuse(fault(
                    "Duplicate Document Number Error",
                    &format!(
                        "Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber={number} is assigned to TxnType={kind} with TxnId={}",
                        other.id
                    ),
                    "6140",
                ));
            }
            if !has(st, "Customer", &text(&body["CustomerRef"]["value"])) {
                return refuse(fault(
                    "Object Not Found",
                    "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
                    "610",
                ));
            }
            let unknown_item = body["Line"].as_array().into_iter().flatten().any(|l| {
                !ITEMS.contains(
                    &l["SalesItemLineDetail"]["ItemRef"]["value"]
                        .as_str()
                        .unwrap_or_default(),
                )
            });
            if unknown_item {
                return refuse(fault(
                    "Invalid Reference Id",
                    "Invalid Reference Id : Item assigned to this transaction has been deleted. Before you can modify this transaction, you must restore Item (deleted).",
                    "2500",
                ));
            }
            number
        }
        _ => {
            let customer = text(&body["CustomerRef"]["value"]);
            let invoices_known = body["Line"].as_array().into_iter().flatten().all(|l| {
                l["LinkedTxn"].as_array().into_iter().flatten().all(|t| {
                    st.entities.iter().any(|e| {
                        e.kind == "Invoice"
                            && e.id == text(&t["TxnId"])
                            && (e.body["CustomerRef"]["value"].is_null()
                                || text(&e.body["CustomerRef"]["value"]) == customer)
                    })
                })
            });
            if !has(st, "Customer", &customer) || !invoices_known {
                return refuse(fault(
                    "Object Not Found",
                    "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
                    "610",
                ));
            }
            String::new()
        }
    };
    st.next_id += 1;
    let id = st.next_id.to_string();
    st.entities.push(Entity {
        id: id.clone(),
        kind: kind.to_string(),
        name,
        body: body.clone(),
    });
    let mut created = body;
    created["Id"] = json!(id);
    created["SyncToken"] = json!("0");
    json!({"bId": b_id, kind: created})
}

/// The answer to `select Id, <field> from <entity> where <field> = '<value>'`.
fn query_answer(state: &Mutex<State>, query: &str) -> Option<Value> {
    let rest = query.strip_prefix("select Id, ")?;
    let (field, rest) = rest.split_once(" from ")?;
    let (entity, rest) = rest.split_once(" where ")?;
    let value = rest
        .strip_prefix(&format!("{field} = '"))?
        .strip_suffix('\'')?
        .replace("\\'", "'")
        .replace("\\\\", "\\");
    let mut st = state.lock().expect("state");
    st.log.push(format!("GET query {entity}"));
    let found: Vec<Value> = st
        .entities
        .iter()
        .filter(|e| e.kind == entity && e.name == value)
        .map(|e| json!({"Id": e.id, field: e.name}))
        .collect();
    let mut response = json!({"startPosition": 1, "maxResults": found.len()});
    if !found.is_empty() {
        response[entity] = json!(found);
    }
    Some(json!({"QueryResponse": response, "time": "2026-10-31T11:00:00.000-07:00"}))
}

/// A query value as sent (`+` for a space, `%XX` for a byte).
fn percent_decode(text: &str) -> String {
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
