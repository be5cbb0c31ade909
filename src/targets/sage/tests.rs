//! Sage's rules on the shared mapping: the name limit, the customer reference limit, and
//! what `sluice check` requires of a Sage mapping.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use toml::Spanned;

use super::SAGE;
use crate::model::{Currency, Document, DocumentKind, DocumentStatus, Lineage, Money};
use crate::targets::mapping::{ContactFacts, MappingSection, resolve};

fn spanned(text: &str) -> Spanned<String> {
    Spanned::new(0..1, text.to_string())
}

fn complete() -> MappingSection {
    MappingSection {
        amounts: Some(spanned("inclusive")),
        default_account: Some(spanned("Sales")),
        lineless_tax_rate: Some(spanned("Standard Rate")),
        rounding_account: Some(spanned("Rounding")),
        tax_rates: Some(
            [("15", "Standard Rate"), ("0", "Zero Rated")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), spanned(v)))
                .collect(),
        ),
        ..MappingSection::default()
    }
}

fn lineless(customer: &str) -> Document {
    Document {
        number: "RE-10001".to_string(),
        kind: DocumentKind::Invoice,
        customer_id: customer.to_string(),
        customer_name: "Ada Lovelace".to_string(),
        issue_date: NaiveDate::from_ymd_opt(2026, 10, 1).expect("date"),
        due_date: None,
        total: Money {
            amount: Decimal::from_str("59.90").expect("amount"),
            currency: Currency::from_code("ZAR").expect("ZAR"),
        },
        status: DocumentStatus::Open,
        deleted: false,
        itemized: false,
        lines: Vec::new(),
        lineage: Lineage {
            file_sha256: "ab".repeat(32),
            file_name: "invoices.csv".to_string(),
            line: 2,
        },
    }
}

#[test]
fn a_sage_name_takes_100_characters_keeping_the_customer_number() {
    let (mapping, problems) = resolve(Some(&complete()), &SAGE);
    assert!(problems.is_empty(), "{problems:?}");
    let long = "Fernmeldetechnik ".repeat(10);
    let customer = ContactFacts {
        id: "C10001",
        login: "",
        name: &long,
        email: "",
    };
    let name = mapping.contact_name(&customer);
    assert_eq!(name.chars().count(), 100, "{name}");
    assert!(name.ends_with("… (C10001)"), "{name}");
}

#[test]
fn a_sage_mapping_needs_a_rounding_account_and_a_rate_without_vat() {
    let (_, problems) = resolve(Some(&MappingSection::default()), &SAGE);
    let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["rounding_account", "tax_rates"], "{problems:?}");
    assert!(problems[0].message.contains("a cent off"), "{problems:?}");
    assert!(problems[1].message.contains("\"0\" = "), "{problems:?}");
    // Other platforms have nothing to round.
    let (_, problems) = resolve(
        Some(&MappingSection {
            rounding_account: Some(spanned("Rounding")),
            ..MappingSection::default()
        }),
        &crate::targets::xero::mapping::XERO,
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].key, "rounding_account");
}

#[test]
fn a_document_of_a_customer_number_longer_than_sage_takes_is_held() {
    let (mapping, _) = resolve(Some(&complete()), &SAGE);
    assert_eq!(mapping.refusal(&lineless("C10001")), None);
    let refusal = mapping.refusal(&lineless("CUST-2026-00042")).expect("held");
    assert!(
        refusal
            .reason
            .contains("15 characters; Sage Accounting takes a customer reference of at most 10"),
        "{refusal:?}"
    );
}
