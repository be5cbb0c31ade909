//! A stand-in for NetSuite's REST web services on 127.0.0.1, for push tests. It checks the
//! Bearer token and every body against the records' documented shape ([`shape_problems`]),
//! answers `PUT /services/rest/record/v1/<record>/eid:<External ID>` as NetSuite's upsert
//! does (204, the record's URL in `Location`; the same External ID again updates the same
//! record), refuses what NetSuite refuses with its error body (`o:errorDetails` with
//! `detail` and `o:errorCode`): a reference to a record it lacks, a placeholder left in a
//! body, a customer number it has under another External ID (`DUP_ENTITY`). It answers
//! `GET <record>?q=<field> IS "<value>"`, and can be told to fail: its concurrency limit
//! (429 with Retry-After), a server error, an answer so slow the client gives up after the
//! record was written.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use super::http::header;
use serde_json::{Value, json};

pub const TOKEN: &str = "test-netsuite-token-93ab17";
const RECORD_PATH: &str = "/services/rest/record/v1/";

#[derive(Debug, Clone)]
pub enum Fault {
    /// 429 with this Retry-After.
    RateLimit(&'static str),
    /// 500, nothing done.
    ServerError,
    /// Writes the record, then answers only after this long.
    SlowAnswer(Duration),
}

#[derive(Default)]
struct State {
    /// Faults for the next writes of a record type, in order.
    faults: VecDeque<(String, Fault)>,
    /// Items NetSuite has, by internal id: a line naming another is refused.
    items: BTreeSet<String>,
    /// Records by (record type, External ID): internal id and the body last written.
    records: BTreeMap<(String, String), (String, Value)>,
    /// Customers NetSuite had before, without an External ID: entityId → internal id.
    existing_customers: HashMap<String, String>,
    next_id: u64,
    /// (record type, External ID) of every record created, in order.
    created: Vec<(String, String)>,
    /// Writes to a record that existed already.
    updates: usize,
    /// `METHOD record` of every request, in order.
    log: Vec<String>,
    refused_bodies: Vec<String>,
    requests: usize,
}

pub struct NetSuiteMock {
    pub base_url: String,
    state: Arc<Mutex<State>>,
    server: Arc<tiny_http::Server>,
}

impl NetSuiteMock {
    /// A NetSuite with these items, these customers (entityId, internal id) that it has
    /// without an External ID, and faults for the next writes of a record type (`invoice`
    /// …), in order.
    pub fn start(
        items: &[&str],
        existing_customers: &[(&str, &str)],
        faults: Vec<(&str, Fault)>,
    ) -> NetSuiteMock {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("a local port"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let base_url = format!("http://127.0.0.1:{port}");
        let state = Arc::new(Mutex::new(State {
            faults: faults
                .into_iter()
                .map(|(record, fault)| (record.to_string(), fault))
                .collect(),
            items: items.iter().map(|s| s.to_string()).collect(),
            existing_customers: existing_customers
                .iter()
                .map(|(n, id)| (n.to_string(), id.to_string()))
                .collect(),
            next_id: 500,
            ..State::default()
        }));
        let (s, st, base) = (Arc::clone(&server), Arc::clone(&state), base_url.clone());
        thread::spawn(move || {
            for request in s.incoming_requests() {
                let (st, base) = (Arc::clone(&st), base.clone());
                thread::spawn(move || answer(request, &st, &base));
            }
        });
        NetSuiteMock {
            base_url,
            state,
            server,
        }
    }

    pub fn requests(&self) -> usize {
        self.state.lock().expect("state").requests
    }

    /// (record type, External ID) of each record created, in order.
    pub fn created(&self) -> Vec<(String, String)> {
        self.state.lock().expect("state").created.clone()
    }

    pub fn updates(&self) -> usize {
        self.state.lock().expect("state").updates
    }

    /// The body NetSuite holds for a record.
    pub fn record(&self, record: &str, external_id: &str) -> Option<(String, Value)> {
        self.state
            .lock()
            .expect("state")
            .records
            .get(&(record.to_string(), external_id.to_string()))
            .cloned()
    }

    pub fn log(&self) -> Vec<String> {
        self.state.lock().expect("state").log.clone()
    }

    pub fn refused_bodies(&self) -> Vec<String> {
        self.state.lock().expect("state").refused_bodies.clone()
    }
}

impl Drop for NetSuiteMock {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

fn respond(request: tiny_http::Request, status: u16, body: &str, extra: Option<(&str, String)>) {
    let mut response = tiny_http::Response::from_string(body).with_status_code(status);
    if !body.is_empty() {
        response.add_header(
            tiny_http::Header::from_bytes(
                "Content-Type",
                "application/vnd.oracle.resource+json; type=error",
            )
            .expect("header"),
        );
    }
    if let Some((name, value)) = extra {
        response.add_header(tiny_http::Header::from_bytes(name, value).expect("header"));
    }
    let _ = request.respond(response);
}

/// NetSuite's error body ("Error Handling in REST Web Services").
fn error(status: u16, title: &str, detail: &str, code: &str) -> String {
    json!({
        "type": "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1",
        "title": title,
        "status": status,
        "o:errorDetails": [{"detail": detail, "o:errorCode": code}],
    })
    .to_string()
}

fn answer(mut request: tiny_http::Request, state: &Mutex<State>, base_url: &str) {
    let mut body = String::new();
    let _ = request.as_reader().read_to_string(&mut body);
    state.lock().expect("state").requests += 1;
    if header(&request, "Authorization") != Some(&format!("Bearer {TOKEN}")) {
        let text = error(
            401,
            "Unauthorized",
            "Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.",
            "INVALID_LOGIN",
        );
        return respond(request, 401, &text, None);
    }
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let Some(rest) = path.strip_prefix(RECORD_PATH) else {
        return respond(
            request,
            404,
            &error(404, "Not Found", "Record type not found", "NONEXISTENT_ID"),
            None,
        );
    };
    let (record, external_id) = match rest.split_once('/') {
        Some((record, id)) => (
            record.to_string(),
            id.strip_prefix("eid:").map(str::to_string),
        ),
        None => (rest.to_string(), None),
    };
    let method = request.method().clone();
    state
        .lock()
        .expect("state")
        .log
        .push(format!("{method} {record}"));
    if method == tiny_http::Method::Get && external_id.is_none() {
        let found = look_up(&state.lock().expect("state"), &record, query);
        return respond(request, 200, &found.to_string(), None);
    }
    let bad = |request, detail: &str, code: &str| {
        respond(request, 400, &error(400, "Bad Request", detail, code), None)
    };
    let Some(external_id) = external_id.filter(|_| method == tiny_http::Method::Put) else {
        return bad(
            request,
            "Only upserts by External ID are expected here",
            "INVALID_URL",
        );
    };
    // "An external ID can be any string containing letters, numbers, underscore (_), and
    // hyphen (-)" (Oracle, "Using External IDs").
    if external_id.is_empty()
        || !external_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return bad(
            request,
            &format!("Invalid external ID {external_id}"),
            "INVALID_ID",
        );
    }
    let expected_query = match record.as_str() {
        "invoice" | "creditmemo" => "replace=item",
        _ => "",
    };
    if query != expected_query {
        return bad(
            request,
            &format!("Unexpected query \"{query}\""),
            "INVALID_PARAMETER",
        );
    }
    if body.contains("${remote:") {
        state.lock().expect("state").refused_bodies.push(body);
        return bad(
            request,
            "Invalid value: a placeholder was sent",
            "INVALID_KEY_OR_REF",
        );
    }
    let json: Value = match serde_json::from_str(&body) {
        Ok(json) => json,
        Err(e) => return bad(request, &format!("Invalid JSON: {e}"), "INVALID_CONTENT"),
    };
    let problems = shape_problems(&record, &json);
    if !problems.is_empty() {
        state.lock().expect("state").refused_bodies.push(body);
        return bad(request, &problems.join("; "), "USER_ERROR");
    }
    let fault = {
        let mut st = state.lock().expect("state");
        let at = st.faults.iter().position(|(r, _)| *r == record);
        at.and_then(|i| st.faults.remove(i)).map(|(_, fault)| fault)
    };
    match fault {
        Some(Fault::RateLimit(after)) => {
            let text = error(
                429,
                "Too Many Requests",
                "Concurrent request limit exceeded. Request blocked.",
                "CONCURRENCY_LIMIT_EXCEEDED",
            );
            return respond(
                request,
                429,
                &text,
                Some(("Retry-After", after.to_string())),
            );
        }
        Some(Fault::ServerError) => {
            let text = error(
                500,
                "Internal Server Error",
                "An unexpected error occurred.",
                "UNEXPECTED_ERROR",
            );
            return respond(request, 500, &text, None);
        }
        _ => {}
    }
    let written = {
        let mut st = state.lock().expect("state");
        upsert(&mut st, &record, &external_id, json)
    };
    if let Some(Fault::SlowAnswer(delay)) = fault {
        thread::sleep(delay);
    }
    match written {
        Ok(id) => respond(
            request,
            204,
            "",
            Some(("Location", format!("{base_url}{RECORD_PATH}{record}/{id}"))),
        ),
        Err((detail, code)) => bad(request, &detail, code),
    }
}

/// Writes the record as NetSuite would, or refuses it: its internal id, or the error.
fn upsert(
    st: &mut State,
    record: &str,
    external_id: &str,
    json: Value,
) -> Result<String, (String, &'static str)> {
    let key = (record.to_string(), external_id.to_string());
    let customer_ids: BTreeSet<String> = st
        .records
        .iter()
        .filter(|((r, _), _)| r == "customer")
        .map(|(_, (id, _))| id.clone())
        .chain(st.existing_customers.values().cloned())
        .collect();
    let invoice_ids: BTreeSet<String> = st
        .records
        .iter()
        .filter(|((r, _), _)| r == "invoice")
        .map(|(_, (id, _))| id.clone())
        .collect();
    let invalid = |field: &str, id: &str| {
        (
            format!("Invalid {field} reference key {id}."),
            "INVALID_KEY_OR_REF",
        )
    };
    match record {
        "customer" => {
            let entity = json["entityId"].as_str().unwrap_or_default();
            if !st.records.contains_key(&key) && st.existing_customers.contains_key(entity) {
                return Err(("This entity already exists.".to_string(), "DUP_ENTITY"));
            }
        }
        "invoice" | "creditmemo" => {
            let entity = json["entity"]["id"].as_str().unwrap_or_default();
            if !customer_ids.contains(entity) {
                return Err(invalid("entity", entity));
            }
            for line in json["item"]["items"].as_array().into_iter().flatten() {
                let item = line["item"]["id"].as_str().unwrap_or_default();
                if !st.items.contains(item) {
                    return Err(invalid("item", item));
                }
            }
        }
        _ => {
            let customer = json["customer"]["id"].as_str().unwrap_or_default();
            if !customer_ids.contains(customer) {
                return Err(invalid("customer", customer));
            }
            for line in json["apply"]["items"].as_array().into_iter().flatten() {
                let doc = line["doc"]["id"].as_str().unwrap_or_default();
                if !invoice_ids.contains(doc) {
                    return Err(invalid("doc", doc));
                }
            }
        }
    }
    if let Some((id, held)) = st.records.get_mut(&key) {
        *held = json;
        let id = id.clone();
        st.updates += 1;
        return Ok(id);
    }
    st.next_id += 1;
    let id = st.next_id.to_string();
    st.records.insert(key.clone(), (id.clone(), json));
    st.created.push(key);
    Ok(id)
}

/// `GET <record>?q=<field> IS "<value>"`: the records of that value, as a collection.
fn look_up(st: &State, record: &str, query: &str) -> Value {
    let q = query
        .strip_prefix("q=")
        .map(percent_decode)
        .unwrap_or_default();
    let wanted = q
        .split_once(" IS ")
        .map(|(field, value)| (field.to_string(), value.trim_matches('"').to_string()));
    let mut ids: Vec<String> = Vec::new();
    if let Some((field, value)) = wanted {
        if record == "customer" && field == "entityId" {
            ids.extend(st.existing_customers.get(&value).cloned());
        }
        ids.extend(
            st.records
                .iter()
                .filter(|((r, _), (_, body))| r == record && body[&field] == json!(value))
                .map(|(_, (id, _))| id.clone()),
        );
    }
    let items: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "links": []}))
        .collect();
    json!({"links": [], "count": items.len(), "hasMore": false, "items": items, "offset": 0, "totalResults": items.len()})
}

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

/// What a field of a record body holds.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Flag,
    /// A JSON number (an amount, a quantity).
    Number,
    /// `YYYY-MM-DD`.
    Date,
    /// A reference: `{"id": "<internal id>"}`.
    Ref,
    /// A sublist: `{"items": [...]}`, each line of the shape given.
    Lines(&'static [Field]),
}

/// (field, kind, required)
type Field = (&'static str, Kind, bool);

/// The fields sluice may send, per record, as the REST API Browser names them for
/// `record/v1` (which follows the SOAP schema's field names): customer (`entityId`,
/// `companyName`, `isPerson`, `email`, `phone`, `vatRegNumber`, `subsidiary`, `terms`,
/// `isInactive`, `emailTransactions`);
/// invoice and credit memo (`entity`, `tranId`, `tranDate`, `dueDate`, `terms`, the
/// classification, the `item` sublist: `item`, `description`, `quantity`, `rate`, `amount`,
/// `taxCode`, `tax1Amt`); customer payment (Oracle's "Customer Payment" sample: `customer`,
/// `account`, `payment`, `memo`, the `apply` sublist of `doc`, `apply`, `amount`; and
/// `tranDate`, `undepFunds`, the classification).
const CLASSIFIED: [Field; 4] = [
    ("subsidiary", Kind::Ref, false),
    ("class", Kind::Ref, false),
    ("department", Kind::Ref, false),
    ("location", Kind::Ref, false),
];
const ITEM_LINE: &[Field] = &[
    ("item", Kind::Ref, true),
    ("description", Kind::Text, false),
    ("quantity", Kind::Number, true),
    ("rate", Kind::Number, true),
    ("amount", Kind::Number, true),
    ("taxCode", Kind::Ref, false),
    ("tax1Amt", Kind::Number, false),
];
const APPLY_LINE: &[Field] = &[
    ("doc", Kind::Ref, true),
    ("apply", Kind::Flag, true),
    ("amount", Kind::Number, true),
];

fn fields(record: &str) -> Option<Vec<Field>> {
    let mut fields: Vec<Field> = match record {
        "customer" => vec![
            ("entityId", Kind::Text, true),
            ("companyName", Kind::Text, true),
            ("isPerson", Kind::Flag, true),
            ("email", Kind::Text, false),
            ("phone", Kind::Text, false),
            ("vatRegNumber", Kind::Text, false),
            ("subsidiary", Kind::Ref, false),
            ("terms", Kind::Ref, false),
            ("isInactive", Kind::Flag, false),
            ("emailTransactions", Kind::Flag, false),
        ],
        "invoice" => vec![
            ("entity", Kind::Ref, true),
            ("tranId", Kind::Text, true),
            ("tranDate", Kind::Date, true),
            ("dueDate", Kind::Date, false),
            ("terms", Kind::Ref, false),
            ("item", Kind::Lines(ITEM_LINE), true),
        ],
        "creditmemo" => vec![
            ("entity", Kind::Ref, true),
            ("tranId", Kind::Text, true),
            ("tranDate", Kind::Date, true),
            ("item", Kind::Lines(ITEM_LINE), true),
        ],
        "customerpayment" => vec![
            ("customer", Kind::Ref, true),
            ("tranDate", Kind::Date, true),
            ("payment", Kind::Number, true),
            ("undepFunds", Kind::Flag, false),
            ("account", Kind::Ref, true),
            ("memo", Kind::Text, false),
            ("apply", Kind::Lines(APPLY_LINE), true),
        ],
        _ => return None,
    };
    if record != "customer" {
        fields.extend(CLASSIFIED);
    }
    Some(fields)
}

/// What is wrong with `body` as a `record` (none: it has the documented shape).
pub fn shape_problems(record: &str, body: &Value) -> Vec<String> {
    let Some(fields) = fields(record) else {
        return vec![format!("{record} is not a record sluice sends")];
    };
    let mut problems = Vec::new();
    check_object(record, body, &fields, &mut problems);
    problems
}

fn check_object(at: &str, value: &Value, fields: &[Field], problems: &mut Vec<String>) {
    let Some(object) = value.as_object() else {
        problems.push(format!("{at}: not an object"));
        return;
    };
    for key in object.keys() {
        if !fields.iter().any(|(name, _, _)| name == key) {
            problems.push(format!("{at}.{key}: not a field of the record"));
        }
    }
    for (name, kind, required) in fields {
        let path = format!("{at}.{name}");
        let Some(v) = object.get(*name) else {
            if *required {
                problems.push(format!("{path}: missing"));
            }
            continue;
        };
        let ok = match kind {
            Kind::Text => v.as_str().is_some_and(|s| !s.trim().is_empty()),
            Kind::Flag => v.is_boolean(),
            Kind::Number => v.is_number(),
            Kind::Date => v
                .as_str()
                .is_some_and(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()),
            Kind::Ref => {
                v.as_object().is_some_and(|o| o.len() == 1)
                    && v["id"].as_str().is_some_and(|id| {
                        id.starts_with("${remote:")
                            || (!id.is_empty() && id.chars().all(|c| c.is_ascii_digit()))
                    })
            }
            Kind::Lines(line) => match v.get("items").and_then(Value::as_array) {
                Some(items) if !items.is_empty() && v.as_object().is_some_and(|o| o.len() == 1) => {
                    for (i, item) in items.iter().enumerate() {
                        check_object(&format!("{path}.items[{i}]"), item, line, problems);
                    }
                    true
                }
                _ => false,
            },
        };
        if !ok {
            problems.push(format!("{path}: not of the field's type"));
        }
    }
}
