//! The validators built from Xero's own specification bite: a body the specification
//! refuses is refused, and one it accepts is accepted.

mod common;

use common::xero_spec::{XeroSpec, errors};
use serde_json::json;

#[test]
fn the_specification_refuses_a_wrong_type_a_wrong_enum_and_a_missing_array() {
    let spec = XeroSpec::load();
    let payments = spec.validator("put", "/Payments");
    let good = json!({"Payments": [{
        "Invoice": {"InvoiceNumber": "INV-2026-0042"},
        "Account": {"Code": "090"},
        "Date": "2026-10-05",
        "Amount": 29.90,
        "Reference": "DB20261005000001"
    }]});
    assert_eq!(errors(&payments, &good), Vec::<String>::new());
    for bad in [
        json!({"Payments": "x"}),
        json!({"Payments": [{"Amount": "29.90"}]}),
        json!({"Payments": [{"Status": "PAID"}]}),
        json!({"Payments": [{"Invoice": {"Type": "SALES"}}]}),
    ] {
        assert!(!errors(&payments, &bad).is_empty(), "accepted: {bad}");
    }
    let invoices = spec.validator("post", "/Invoices");
    assert!(
        errors(
            &invoices,
            &json!({"Invoices": [{"Type": "ACCREC", "Contact": {"Name": "Ada"}}]})
        )
        .is_empty()
    );
    assert!(!errors(&invoices, &json!({"Invoices": [{"Type": "SALES"}]})).is_empty());
    assert!(!errors(&invoices, &json!({"Invoices": {"Type": "ACCREC"}})).is_empty());
}
