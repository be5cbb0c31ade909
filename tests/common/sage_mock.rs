//! A stand-in for Sage Business Cloud Accounting's API v3.1 on 127.0.0.1, for push tests.
//! It checks the Bearer token and the `X-Business` header, validates every body against
//! the request shapes of Sage's reference (`sage_spec`), and answers as Sage does: 201 with
//! the created object and its `id`, 422 with Sage's error array (`$severity`, `$dataCode`,
//! `$message`, `$source`) for a reference or number it has already, a customer or invoice it
//! does not know, or a receipt whose allocations do not add up; the list lookups
//! (`GET /contacts?search=`, `/sales_invoices?search=`, `/sales_credit_notes?search=`,
//! `/contact_payments?from_date=&to_date=`) answer `{"$items": [...]}`. Like Sage, it
//! ignores idempotency keys: a request sent twice is carried out twice. It computes each
//! document's total as Sage does (quantity × unit price rounded to cents, the tax on top
//! when prices exclude it), and can be told to fail: a rate limit with Retry-After, a server
//! error, an answer so slow the client gives up after the record was created.

use std::collections::{HashMap, VecDeque};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Value, json};

use super::http::{header, respond};
use super::sage_spec::{SageSpec, errors};

pub const TOKEN: &str = "test-sage-token-9c41e2";
pub const BUSINESS: &str = "0d40342d0287cd6b13555c54afca6c90";

#[derive(Debug, Clone)]
pub enum Fault {
    /// 429 with this Retry-After.
    RateLimit(&'static str),
    /// 500, nothing done.
    ServerError,
    /// Carries the request out, then answers only after this long.
    SlowAnswer(Duration),
}

/// One record Sage holds.
#[derive(Debug, Clone)]
pub struct Held {
    pub id: String,
    /// `/contacts`, `/sales_invoices` …
    pub path: String,
    /// The record as sent (`contact`, `sales_invoice` … unwrapped).
    pub record: Value,
    /// A document's or receipt's total as Sage computes it.
    pub total: Decimal,
}

#[derive(Default)]
struct State {
    /// Faults for the next POSTs, in order.
    faults: VecDeque<Fault>,
    /// POSTs to a path still to be answered with a server error.
    failing: HashMap<String, usize>,
    /// The next POST to a path is carried out and answered this late.
    slow: HashMap<String, Duration>,
    /// Everything Sage has, in the order created (what it had before the push first).
    held: Vec<Held>,
    /// Document numbers Sage refuses with these words (a ledger account it does not know).
    refuse: HashMap<String, String>,
    /// `METHOD path` of every request received, in order.
    log: Vec<String>,
    refused_bodies: Vec<String>,
    next_id: usize,
}

pub struct SageMock {
    pub base_url: String,
    state: Arc<Mutex<State>>,
    server: Arc<tiny_http::Server>,
}

impl SageMock {
    /// A Sage that holds, before anything is pushed, the invoices `existing` (number, id).
    pub fn start(existing: &[(&str, &str)], faults: Vec<Fault>) -> SageMock {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("a local port"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let held = existing
            .iter()
            .map(|(number, id)| Held {
                id: id.to_string(),
                path: "/sales_invoices".to_string(),
                record: json!({"invoice_number": number, "reference": number}),
                total: Decimal::ZERO,
            })
            .collect();
        let state = Arc::new(Mutex::new(State {
            faults: faults.into(),
            held,
            ..State::default()
        }));
        let spec = Arc::new(SageSpec::load());
        let (s, st) = (Arc::clone(&server), Arc::clone(&state));
        thread::spawn(move || {
            for request in s.incoming_requests() {
                let (st, spec) = (Arc::clone(&st), Arc::clone(&spec));
                thread::spawn(move || answer(request, &st, &spec));
            }
        });
        SageMock {
            base_url: format!("http://127.0.0.1:{port}"),
            state,
            server,
        }
    }

    /// The next `times` POSTs to `path` get a server error.
    pub fn fail(&self, path: &str, times: usize) {
        self.state
            .lock()
            .expect("state")
            .failing
            .insert(path.to_string(), times);
    }

    /// The next POST to `path` is carried out, and answered only after `delay`.
    pub fn slow(&self, path: &str, delay: Duration) {
        self.state
            .lock()
            .expect("state")
            .slow
            .insert(path.to_string(), delay);
    }

    /// Sage refuses the document of this number with these words.
    pub fn refuse(&self, number: &str, words: &str) {
        self.state
            .lock()
            .expect("state")
            .refuse
            .insert(number.to_string(), words.to_string());
    }

    /// What Sage created in the push (not what it had before), in order.
    pub fn created(&self) -> Vec<Held> {
        let st = self.state.lock().expect("state");
        st.held
            .iter()
            .filter(|h| h.id.starts_with("sage-"))
            .cloned()
            .collect()
    }

    /// `METHOD path` of each request, in the order received.
    pub fn log(&self) -> Vec<String> {
        self.state.lock().expect("state").log.clone()
    }

    /// Bodies the request shapes refused.
    pub fn refused_bodies(&self) -> Vec<String> {
        self.state.lock().expect("state").refused_bodies.clone()
    }
}

impl Drop for SageMock {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

/// Sage's error array, one error.
fn error(code: &str, message: &str, source: &str) -> String {
    json!([{"$severity": "error", "$dataCode": code, "$message": message, "$source": source}])
        .to_string()
}

fn answer(mut request: tiny_http::Request, state: &Mutex<State>, spec: &SageSpec) {
    let mut body = String::new();
    let _ = request.as_reader().read_to_string(&mut body);
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let (path, query) = (path.to_string(), query.to_string());
    let method = request.method().clone();
    state
        .lock()
        .expect("state")
        .log
        .push(format!("{method} {path}"));
    let authorised = header(&request, "Authorization") == Some(&format!("Bearer {TOKEN}"))
        && header(&request, "X-Business") == Some(BUSINESS);
    if !authorised {
        return respond(
            request,
            401,
            &error("Unauthorized", "Authentication failed", ""),
            None,
        );
    }
    if method == tiny_http::Method::Get {
        let items = look_up(&state.lock().expect("state"), &path, &query);
        return match items {
            Some(items) => respond(
                request,
                200,
                &json!({"$total": items.len(), "$items": items}).to_string(),
                None,
            ),
            None => respond(request, 404, &error("NotFound", "Not found", ""), None),
        };
    }
    if method != tiny_http::Method::Post
        || ![
            "/contacts",
            "/sales_invoices",
            "/sales_credit_notes",
            "/contact_payments",
        ]
        .contains(&path.as_str())
    {
        return respond(request, 404, &error("NotFound", "Not found", ""), None);
    }
    let json: Value = match serde_json::from_str(&body) {
        Ok(json) => json,
        Err(e) => {
            return respond(request, 400, &error("BadRequest", &e.to_string(), ""), None);
        }
    };
    let problems = errors(&spec.validator(&path), &json);
    if !problems.is_empty() {
        state.lock().expect("state").refused_bodies.push(body);
        return respond(
            request,
            422,
            &error("RecordInvalid", &problems.join("; "), ""),
            None,
        );
    }
    let fault = {
        let mut st = state.lock().expect("state");
        match st.failing.get_mut(&path) {
            Some(n) if *n > 0 => {
                *n -= 1;
                Some(Fault::ServerError)
            }
            _ => match st.slow.remove(&path) {
                Some(delay) => Some(Fault::SlowAnswer(delay)),
                None => st.faults.pop_front(),
            },
        }
    };
    match fault {
        Some(Fault::RateLimit(after)) => {
            return respond(
                request,
                429,
                &error("TooManyRequests", "Too many requests", ""),
                Some(("Retry-After", after)),
            );
        }
        Some(Fault::ServerError) => {
            return respond(request, 500, &error("InternalServerError", "", ""), None);
        }
        _ => {}
    }
    let (status, answer) = carry_out(&mut state.lock().expect("state"), &path, &json);
    if let Some(Fault::SlowAnswer(delay)) = fault {
        thread::sleep(delay);
    }
    respond(request, status, &answer, None);
}

fn text<'a>(record: &'a Value, field: &str) -> &'a str {
    record[field].as_str().unwrap_or_default()
}

fn decimal(value: &Value) -> Decimal {
    Decimal::from_str(&value.to_string()).unwrap_or_default()
}

fn cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Creates the record as Sage would, or refuses it: the status and body of the answer.
fn carry_out(st: &mut State, path: &str, body: &Value) -> (u16, String) {
    let (wrapper, number_field) = match path {
        "/contacts" => ("contact", "reference"),
        "/sales_invoices" => ("sales_invoice", "invoice_number"),
        "/sales_credit_notes" => ("sales_credit_note", "credit_note_number"),
        _ => ("contact_payment", ""),
    };
    let record = &body[wrapper];
    let has =
        |st: &State, path: &str, id: &str| st.held.iter().any(|h| h.path == path && h.id == id);
    if !number_field.is_empty() {
        let number = text(record, number_field);
        if st
            .held
            .iter()
            .any(|h| h.path == path && text(&h.record, number_field) == number)
        {
            let what = if path == "/contacts" {
                "Reference"
            } else {
                "Number"
            };
            return (
                422,
                error(
                    "RecordInvalid",
                    &format!("{what} has already been taken"),
                    number_field,
                ),
            );
        }
        if let Some(words) = st.refuse.get(number) {
            return (422, error("RecordInvalid", words, "ledger_account"));
        }
    }
    let mut total = Decimal::ZERO;
    if path != "/contacts" {
        let contact = text(record, "contact_id");
        if !has(st, "/contacts", contact) {
            return (
                422,
                error("RecordInvalid", "Couldn't find Customer.", "contact_id"),
            );
        }
    }
    if let Some(lines) = record["invoice_lines"]
        .as_array()
        .or(record["credit_note_lines"].as_array())
    {
        for line in lines {
            let quantity = line.get("quantity").map_or(Decimal::ONE, decimal);
            let amount = cents(quantity * decimal(&line["unit_price"]));
            let tax = line.get("tax_amount").map_or(Decimal::ZERO, decimal);
            total += if line["unit_price_includes_tax"] == json!(true) {
                amount
            } else {
                amount + tax
            };
        }
    }
    if path == "/contact_payments" {
        total = decimal(&record["total_amount"]);
        let mut allocated = Decimal::ZERO;
        for artefact in record["allocated_artefacts"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if !has(st, "/sales_invoices", text(artefact, "artefact_id")) {
                return (
                    422,
                    error(
                        "RecordInvalid",
                        "Couldn't find Sales invoice.",
                        "artefact_id",
                    ),
                );
            }
            allocated += decimal(&artefact["amount"]);
        }
        if allocated != total {
            return (
                422,
                error(
                    "RecordInvalid",
                    "The allocated amounts do not add up to the total",
                    "allocated_artefacts",
                ),
            );
        }
    }
    st.next_id += 1;
    let id = format!("sage-{:04}", st.next_id);
    st.held.push(Held {
        id: id.clone(),
        path: path.to_string(),
        record: record.clone(),
        total,
    });
    let mut answer = record.clone();
    answer["id"] = json!(id);
    answer["displayed_as"] = json!(text(record, number_field));
    (201, answer.to_string())
}

/// The `$items` of a list lookup: what Sage's filters would return, with the requested
/// attributes.
fn look_up(st: &State, path: &str, query: &str) -> Option<Vec<Value>> {
    let params: HashMap<String, String> = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_string(), super::xero_mock::percent_decode(v)))
        .collect();
    let items = st.held.iter().filter(|h| h.path == path);
    let items: Vec<Value> = match path {
        "/contacts" | "/sales_invoices" | "/sales_credit_notes" => {
            let search = params.get("search")?;
            items
                .filter(|h| {
                    ["reference", "invoice_number", "credit_note_number", "name"]
                        .iter()
                        .any(|f| text(&h.record, f).contains(search.as_str()))
                })
                .map(|h| {
                    let mut item =
                        json!({"id": h.id, "displayed_as": text(&h.record, "reference")});
                    for field in ["reference", "invoice_number", "credit_note_number"] {
                        if h.record.get(field).is_some() {
                            item[field] = h.record[field].clone();
                        }
                    }
                    item
                })
                .collect()
        }
        "/contact_payments" => {
            let (from, to) = (params.get("from_date")?, params.get("to_date")?);
            items
                .filter(|h| {
                    let date = text(&h.record, "date");
                    date >= from.as_str() && date <= to.as_str()
                })
                .map(|h| {
                    json!({
                        "id": h.id,
                        "date": h.record["date"],
                        "reference": h.record["reference"],
                        // As a string: the read-back must read an amount written either way.
                        "total_amount": h.total.to_string(),
                    })
                })
                .collect()
        }
        _ => return None,
    };
    Some(items)
}
