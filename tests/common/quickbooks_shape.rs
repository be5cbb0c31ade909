//! The shape of what sluice sends to QuickBooks Online, field by field, as Intuit's API
//! reference describes it — Intuit publishes no OpenAPI document for the Accounting API, so
//! the tables below are written from its pages (developer.intuit.com › QuickBooks Online ›
//! API reference › Accounting › all entities: Customer, Invoice, CreditMemo, Payment; and
//! "Batch operation"), with the element names checked against Intuit's own schema
//! (`Finance.xsd` of the QuickBooks V3 Java SDK). A field not listed is refused, as are a
//! missing required field, a wrong type, a value outside its enumeration, a string longer
//! than the reference allows and a date not written `YYYY-MM-DD`.
//!
//! Only the fields sluice writes are listed; QuickBooks' entities have many more.

use serde_json::Value;

enum Kind {
    /// A string of at most this many characters.
    Text(usize),
    /// A JSON number.
    Number,
    /// `true` or `false`.
    Flag,
    /// `YYYY-MM-DD`.
    Date,
    /// One of these strings.
    OneOf(&'static [&'static str]),
    Object(&'static [Field]),
    /// A non-empty array of objects.
    List(&'static [Field]),
}

struct Field {
    name: &'static str,
    kind: Kind,
    required: bool,
}

const fn field(name: &'static str, kind: Kind, required: bool) -> Field {
    Field {
        name,
        kind,
        required,
    }
}

/// `ReferenceType`: `value` (the id, required) and an optional `name`.
const REF: Kind = Kind::Object(&[
    field("value", Kind::Text(100), true),
    field("name", Kind::Text(500), false),
]);

/// Customer: `DisplayName` ("max 500 characters … must be unique across all Customer,
/// Vendor, and Employee objects"), `PrimaryEmailAddr.Address` (max 100),
/// `PrimaryPhone.FreeFormNumber` (max 30), `BillAddr` (`Line1` max 500, `City` max 255,
/// `PostalCode` max 30, `Country` max 255); `Active` (boolean) and
/// `PreferredDeliveryMethod` (`Print`, `Email` or `None`).
const CUSTOMER: &[Field] = &[
    field("Active", Kind::Flag, false),
    field(
        "PreferredDeliveryMethod",
        Kind::OneOf(&["Print", "Email", "None"]),
        false,
    ),
    field("DisplayName", Kind::Text(500), true),
    field(
        "PrimaryEmailAddr",
        Kind::Object(&[field("Address", Kind::Text(100), true)]),
        false,
    ),
    field(
        "PrimaryPhone",
        Kind::Object(&[field("FreeFormNumber", Kind::Text(30), true)]),
        false,
    ),
    field(
        "BillAddr",
        Kind::Object(&[
            field("Line1", Kind::Text(500), false),
            field("City", Kind::Text(255), false),
            field("PostalCode", Kind::Text(30), false),
            field("Country", Kind::Text(255), false),
        ]),
        false,
    ),
];

/// A sales line: `DetailType` `SalesItemLineDetail`, `Amount` (required), `Description`
/// (max 4000), `SalesItemLineDetail` with `ItemRef`, `Qty`, `UnitPrice`, `TaxCodeRef`.
const SALES_LINE: &[Field] = &[
    field("DetailType", Kind::OneOf(&["SalesItemLineDetail"]), true),
    field("Amount", Kind::Number, true),
    field("Description", Kind::Text(4000), false),
    field(
        "SalesItemLineDetail",
        Kind::Object(&[
            field("ItemRef", REF, true),
            field("Qty", Kind::Number, false),
            field("UnitPrice", Kind::Number, false),
            field("TaxCodeRef", REF, false),
        ]),
        true,
    ),
];

const TAX_CALCULATION: Kind = Kind::OneOf(&["TaxExcluded", "TaxInclusive", "NotApplicable"]);

/// Invoice: `CustomerRef` and at least one `Line` required; `DocNumber` max 21.
const INVOICE: &[Field] = &[
    field("CustomerRef", REF, true),
    field("DocNumber", Kind::Text(21), false),
    field("TxnDate", Kind::Date, false),
    field("DueDate", Kind::Date, false),
    field("CurrencyRef", REF, false),
    field("GlobalTaxCalculation", TAX_CALCULATION, false),
    field("Line", Kind::List(SALES_LINE), true),
];

/// CreditMemo: as an invoice, without a due date.
const CREDIT_MEMO: &[Field] = &[
    field("CustomerRef", REF, true),
    field("DocNumber", Kind::Text(21), false),
    field("TxnDate", Kind::Date, false),
    field("CurrencyRef", REF, false),
    field("GlobalTaxCalculation", TAX_CALCULATION, false),
    field("Line", Kind::List(SALES_LINE), true),
];

/// Payment: `TotalAmt` and `CustomerRef` required; `PaymentRefNum` max 21; `PrivateNote`
/// max 4000; each `Line` an `Amount` with its `LinkedTxn` (`TxnId`, `TxnType`).
const PAYMENT: &[Field] = &[
    field("CustomerRef", REF, true),
    field("TotalAmt", Kind::Number, true),
    field("TxnDate", Kind::Date, false),
    field("CurrencyRef", REF, false),
    field("DepositToAccountRef", REF, false),
    field("PaymentRefNum", Kind::Text(21), false),
    field("PrivateNote", Kind::Text(4000), false),
    field(
        "Line",
        Kind::List(&[
            field("Amount", Kind::Number, true),
            field(
                "LinkedTxn",
                Kind::List(&[
                    field("TxnId", Kind::Text(100), true),
                    field(
                        "TxnType",
                        Kind::OneOf(&["Invoice", "CreditMemo", "JournalEntry"]),
                        true,
                    ),
                ]),
                true,
            ),
        ]),
        false,
    ),
];

pub const ENTITIES: [&str; 4] = ["Customer", "Invoice", "CreditMemo", "Payment"];

fn fields_of(entity: &str) -> Option<&'static [Field]> {
    match entity {
        "Customer" => Some(CUSTOMER),
        "Invoice" => Some(INVOICE),
        "CreditMemo" => Some(CREDIT_MEMO),
        "Payment" => Some(PAYMENT),
        _ => None,
    }
}

/// What is wrong with a batch body: the envelope (`BatchItemRequest`, at most 30 items,
/// `bId` of at most 10 characters as a requestid is given, `operation` `create`, one
/// entity) and each entity's fields. Empty when it is what QuickBooks takes.
pub fn batch_errors(body: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let Some(items) = body.get("BatchItemRequest").and_then(Value::as_array) else {
        return vec!["BatchItemRequest: missing or not an array".to_string()];
    };
    if body.as_object().is_some_and(|o| o.len() != 1) {
        errors.push("the body holds more than BatchItemRequest".to_string());
    }
    if items.is_empty() || items.len() > 30 {
        errors.push(format!("{} items: a batch takes 1 to 30", items.len()));
    }
    for (i, item) in items.iter().enumerate() {
        let at = format!("BatchItemRequest[{i}]");
        match item.get("bId").and_then(Value::as_str) {
            Some(b) if !b.is_empty() && b.chars().count() <= 10 => {}
            _ => errors.push(format!("{at}.bId: 1 to 10 characters expected")),
        }
        if item.get("operation").and_then(Value::as_str) != Some("create") {
            errors.push(format!("{at}.operation: \"create\" expected"));
        }
        let entities: Vec<(&String, &Value)> = item
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| k.as_str() != "bId" && k.as_str() != "operation")
            .collect();
        match entities.as_slice() {
            [(entity, value)] => match fields_of(entity) {
                Some(fields) => check_object(&format!("{at}.{entity}"), value, fields, &mut errors),
                None => errors.push(format!("{at}.{entity}: not an entity sluice sends")),
            },
            _ => errors.push(format!("{at}: exactly one entity expected")),
        }
    }
    errors
}

fn check_object(at: &str, value: &Value, fields: &[Field], errors: &mut Vec<String>) {
    let Some(object) = value.as_object() else {
        errors.push(format!("{at}: an object expected"));
        return;
    };
    for key in object.keys() {
        if !fields.iter().any(|f| f.name == key) {
            errors.push(format!("{at}.{key}: not a field of the entity"));
        }
    }
    for f in fields {
        let path = format!("{at}.{}", f.name);
        match object.get(f.name) {
            None if f.required => errors.push(format!("{path}: required")),
            None => {}
            Some(v) => check(&path, v, &f.kind, errors),
        }
    }
}

fn check(path: &str, value: &Value, kind: &Kind, errors: &mut Vec<String>) {
    match kind {
        Kind::Text(max) => match value.as_str() {
            Some(s) if s.chars().count() <= *max => {}
            Some(_) => errors.push(format!("{path}: longer than {max} characters")),
            None => errors.push(format!("{path}: a string expected")),
        },
        Kind::Number => {
            if !value.is_number() {
                errors.push(format!("{path}: a number expected"));
            }
        }
        Kind::Flag => {
            if !value.is_boolean() {
                errors.push(format!("{path}: true or false expected"));
            }
        }
        Kind::Date => {
            let ok = value.as_str().is_some_and(|s| {
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() && s.len() == 10
            });
            if !ok {
                errors.push(format!("{path}: a date YYYY-MM-DD expected"));
            }
        }
        Kind::OneOf(values) => {
            if !value.as_str().is_some_and(|s| values.contains(&s)) {
                errors.push(format!("{path}: one of {values:?} expected"));
            }
        }
        Kind::Object(fields) => check_object(path, value, fields, errors),
        Kind::List(fields) => match value.as_array() {
            Some(list) if !list.is_empty() => {
                for (i, v) in list.iter().enumerate() {
                    check_object(&format!("{path}[{i}]"), v, fields, errors);
                }
            }
            _ => errors.push(format!("{path}: a non-empty array expected")),
        },
    }
}
