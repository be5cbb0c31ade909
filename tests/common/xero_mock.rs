//! A stand-in for Xero's Accounting API on 127.0.0.1, for push tests: it checks the
//! credentials and every body against Xero's own specification (see `xero_spec`), answers
//! `PUT Payments?summarizeErrors=false` as Xero does (one element per payment, an id for
//! each created, `ValidationErrors` for an invoice it does not know), keeps Xero's promise
//! for idempotency keys (the same key gets the same answer, nothing created again), and can
//! be told to fail: a rate limit with Retry-After, a server error, an answer so slow the
//! client gives up after the payments were created.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use serde_json::{Value, json};

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
}

#[derive(Default)]
struct State {
    faults: VecDeque<Fault>,
    known_invoices: BTreeSet<String>,
    by_key: HashMap<String, (u16, String)>,
    /// Every payment created, as sent, in order.
    created: Vec<Value>,
    requests: usize,
    refused_bodies: Vec<String>,
}

pub struct XeroMock {
    pub base_url: String,
    state: Arc<Mutex<State>>,
    server: Arc<tiny_http::Server>,
}

impl XeroMock {
    pub fn start(known_invoices: &[&str], faults: Vec<Fault>) -> XeroMock {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("a local port"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let state = Arc::new(Mutex::new(State {
            faults: faults.into(),
            known_invoices: known_invoices.iter().map(|s| s.to_string()).collect(),
            ..State::default()
        }));
        let spec = Arc::new(XeroSpec::load().validator("put", "/Payments"));
        let (s, st) = (Arc::clone(&server), Arc::clone(&state));
        thread::spawn(move || {
            for request in s.incoming_requests() {
                let (st, spec) = (Arc::clone(&st), Arc::clone(&spec));
                thread::spawn(move || answer(request, &st, &spec));
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

fn header<'a>(request: &'a tiny_http::Request, name: &str) -> Option<&'a str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

fn respond(request: tiny_http::Request, status: u16, body: &str, extra: Option<(&str, &str)>) {
    let mut response = tiny_http::Response::from_string(body).with_status_code(status);
    response.add_header(
        tiny_http::Header::from_bytes("Content-Type", "application/json").expect("header"),
    );
    if let Some((name, value)) = extra {
        response.add_header(tiny_http::Header::from_bytes(name, value).expect("header"));
    }
    let _ = request.respond(response);
}

fn answer(mut request: tiny_http::Request, state: &Mutex<State>, spec: &jsonschema::Validator) {
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
    if request.method() != &tiny_http::Method::Put
        || request.url() != "/api.xro/2.0/Payments?summarizeErrors=false"
    {
        return respond(
            request,
            404,
            r#"{"Message":"The resource you're looking for cannot be found"}"#,
            None,
        );
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
    let problems = errors(spec, &json);
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
        st.faults.pop_front()
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
        for payment in json["Payments"].as_array().into_iter().flatten() {
            let number = payment["Invoice"]["InvoiceNumber"]
                .as_str()
                .unwrap_or_default();
            if st.known_invoices.contains(number) {
                st.created.push(payment.clone());
                let id = format!("00000000-0000-4000-8000-{:012}", st.created.len());
                let mut element = payment.clone();
                element["PaymentID"] = json!(id);
                element["StatusAttributeString"] = json!("OK");
                elements.push(element);
            } else {
                let mut element = payment.clone();
                element["StatusAttributeString"] = json!("ERROR");
                element["ValidationErrors"] = json!([{"Message": "Invoice could not be found"}]);
                elements.push(element);
            }
        }
        let answer = json!({"Payments": elements}).to_string();
        st.by_key.insert(key, (200, answer.clone()));
        answer
    };
    if let Some(Fault::SlowAnswer(delay)) = fault {
        thread::sleep(delay);
    }
    respond(request, 200, &answer, None);
}
