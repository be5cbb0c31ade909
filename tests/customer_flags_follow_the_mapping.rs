//! Customer flags where the platform has them: a customer whose billing status the mapping
//! lists in `inactive_statuses` is archived in Xero (`ContactStatus`), inactive in QuickBooks
//! Online (`Active`) and NetSuite (`isInactive`); `accepts_e_invoices` sets QuickBooks'
//! `PreferredDeliveryMethod` and NetSuite's `emailTransactions`. Each body passes the
//! platform's shape; `sluice check` refuses a flag a target cannot carry, with its key.

mod common;

use std::fs;
use std::path::Path;

use common::netsuite_mock::shape_problems;
use common::quickbooks_shape::batch_errors;
use common::xero_spec::{XeroSpec, errors};
use common::{CUSTOMER_HEADER, CUSTOMER_SOURCE, Company, LINE_SOURCES, LINES_HEADER, customer_row};
use serde_json::Value;
use sluice::outbox::StagedRequest;

const LINES: &str = "\
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Fibre 100,1,20.00,19,3.80,20.00,service,,,23.80
INV-2,C2,,2026-10-02,2026-10-16,EUR,open,0,Fibre 50,1,10.00,19,1.90,10.00,service,,,11.90
";

const TARGETS: &str = r#"
[[targets]]
name = "xero"
platform = "xero"

[targets.mapping]
inactive_statuses = ["Terminated"]
payment_account = "090"

[targets.mapping.categories]
service = "200"

[targets.mapping.tax_rates]
"19" = "OUTPUT2"

[targets.api]
token_env = "T"
tenant_env = "U"
documents = "api"

[[targets]]
name = "qbo"
platform = "quickbooks"
edition = "online"

[targets.mapping]
inactive_statuses = ["terminated"]
accepts_e_invoices = true
payment_account = "35"

[targets.mapping.categories]
service = "1"

[targets.mapping.tax_rates]
"19" = "3"

[targets.api]
realm_id = "9130354521839156"
token_env = "T"

[[targets]]
name = "netsuite"
platform = "netsuite"

[targets.mapping]
inactive_statuses = ["terminated"]
accepts_e_invoices = false
payment_account = "101"

[targets.mapping.categories]
service = "11"

[targets.mapping.tax_rates]
"19" = "6"

[targets.api]
account = "1234567"
token_env = "T"
"#;

/// Every request body the target's batch holds, with its file name.
fn bodies(batch: &Path) -> Vec<(String, Value)> {
    let mut found: Vec<(String, Value)> = fs::read_dir(batch)
        .expect("batch folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") && n != "manifest.json")
        .map(|n| {
            let request = StagedRequest::from_bytes(&fs::read(batch.join(&n)).expect("request"))
                .expect("a request");
            let body = serde_json::from_str(request.body.get()).expect("JSON");
            (n, body)
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[test]
fn inactive_customers_and_e_invoices_reach_each_platform_as_it_names_them() {
    let company = Company::new();
    let customers = format!(
        "{CUSTOMER_HEADER}{}{}",
        customer_row("C1", "Ada Lovelace", "", ""),
        customer_row("C2", "Grace Hopper", "", "").replace(",active,", ",terminated,")
    );
    company.drop_file("customers-2026-10.csv", customers);
    company.drop_file(
        "invoice-lines-2026-10.csv",
        format!("{LINES_HEADER}{LINES}"),
    );
    let pipeline = company.pipeline("keep", &format!("{LINE_SOURCES}{CUSTOMER_SOURCE}{TARGETS}"));
    let summary = common::run_at(&pipeline, "2026-10-31T18:00:00Z");
    assert!(
        summary.held_documents.is_empty(),
        "{:?}",
        summary.held_documents
    );
    let outbox = company.path("outbox/acme");

    // Xero: Grace archived, Ada active.
    let xero = bodies(&outbox.join("xero/20261031T180000Z-000001"));
    let (_, contacts) = xero
        .iter()
        .find(|(n, _)| n.starts_with("xero-contacts-"))
        .expect("contacts");
    let status: Vec<(&str, &str)> = contacts["Contacts"]
        .as_array()
        .expect("contacts")
        .iter()
        .map(|c| {
            (
                c["ContactNumber"].as_str().unwrap_or_default(),
                c["ContactStatus"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(status, [("C1", "ACTIVE"), ("C2", "ARCHIVED")]);
    assert_eq!(
        errors(&XeroSpec::load().validator("post", "/Contacts"), contacts),
        Vec::<String>::new()
    );

    // QuickBooks Online: Active and PreferredDeliveryMethod.
    let qbo = bodies(&outbox.join("qbo/20261031T180000Z-000001"));
    let (_, customers) = qbo
        .iter()
        .find(|(_, b)| b["BatchItemRequest"][0].get("Customer").is_some())
        .expect("customers");
    assert_eq!(batch_errors(customers), Vec::<String>::new());
    let flags: Vec<(bool, &str)> = customers["BatchItemRequest"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["Customer"]["Active"].as_bool().expect("Active"),
                i["Customer"]["PreferredDeliveryMethod"]
                    .as_str()
                    .unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(flags, [(true, "Email"), (false, "Email")]);

    // NetSuite: isInactive and emailTransactions.
    let netsuite = bodies(&outbox.join("netsuite/20261031T180000Z-000001"));
    let customers: Vec<&Value> = netsuite
        .iter()
        .filter(|(n, _)| n.starts_with("netsuite-customers-"))
        .map(|(_, b)| b)
        .collect();
    assert_eq!(customers.len(), 2);
    for body in &customers {
        assert_eq!(shape_problems("customer", body), Vec::<String>::new());
        assert_eq!(body["emailTransactions"], Value::Bool(false));
    }
    let inactive: Vec<(&str, bool)> = customers
        .iter()
        .map(|b| {
            (
                b["entityId"].as_str().unwrap_or_default(),
                b["isInactive"].as_bool().expect("isInactive"),
            )
        })
        .collect();
    assert_eq!(inactive, [("C1", false), ("C2", true)]);
}

#[test]
fn check_refuses_a_flag_the_target_cannot_carry() {
    let company = Company::new();
    let files = TARGETS.replace("documents = \"api\"\n", "").replace(
        "accepts_e_invoices = false",
        "auto_allocate_receipts = true",
    );
    let path = company.path("pipeline.toml");
    fs::write(
        &path,
        format!(
            "name = \"acme\"\n\n[inbox]\npath = \"inbox\"\n{LINE_SOURCES}{CUSTOMER_SOURCE}{files}"
        ),
    )
    .expect("write");
    let message = sluice::pipeline::load(&path)
        .expect_err("refused")
        .to_string();
    for expected in [
        "targets[0].mapping.inactive_statuses: Xero takes whether a customer is active only on contacts pushed through its API",
        "targets[2].mapping.auto_allocate_receipts: no platform sluice writes to has this flag",
    ] {
        assert!(message.contains(expected), "{expected}\n{message}");
    }
}
