//! QuickBooks' rules on the shared mapping: name limits per edition, what each edition
//! refuses in `[targets.mapping]`, and which documents it holds.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use toml::Spanned;

use super::{DESKTOP, ONLINE};
use crate::model::{Currency, Document, DocumentKind, DocumentStatus, Lineage, Money};
use crate::targets::mapping::{ContactFacts, MappingSection, resolve};

fn spanned(text: &str) -> Spanned<String> {
    Spanned::new(0..1, text.to_string())
}

fn lineless(number: &str) -> Document {
    Document {
        number: number.to_string(),
        kind: DocumentKind::Invoice,
        customer_id: "C1".to_string(),
        customer_name: "Ada Lovelace".to_string(),
        issue_date: NaiveDate::from_ymd_opt(2026, 10, 1).expect("date"),
        due_date: None,
        total: Money {
            amount: Decimal::from_str("59.90").expect("amount"),
            currency: Currency::from_code("EUR").expect("EUR"),
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

fn customer<'a>(name: &'a str) -> ContactFacts<'a> {
    ContactFacts {
        id: "C10001",
        login: "",
        name,
        email: "",
    }
}

#[test]
fn a_desktop_name_is_cut_to_41_characters_keeping_the_customer_number() {
    let (mapping, _) = resolve(None, &DESKTOP);
    let name = mapping.contact_name(&customer("Müller Fernmeldetechnik und Söhne GmbH & Co. KG"));
    assert_eq!(name.chars().count(), 41, "{name}");
    assert!(name.ends_with("… (C10001)"), "{name}");
    assert_eq!(
        name,
        mapping.contact_name(&customer("Müller Fernmeldetechnik und Söhne GmbH & Co. KG"))
    );
    // A colon would make a job of the customer, a quotation mark a quoted field.
    assert_eq!(
        mapping.contact_name(&customer("Nobody: \"Carla\"")),
        "Nobody- 'Carla' (C10001)"
    );
}

#[test]
fn an_online_name_takes_100_characters() {
    let (mapping, _) = resolve(None, &ONLINE);
    let long = "Fernmeldetechnik ".repeat(10);
    let name = mapping.contact_name(&customer(&long));
    assert_eq!(name.chars().count(), 100, "{name}");
    assert!(name.ends_with("… (C10001)"), "{name}");
    let short = mapping.contact_name(&customer("Ada Lovelace"));
    assert_eq!(short, "Ada Lovelace (C10001)");
}

#[test]
fn each_edition_refuses_what_its_files_cannot_say() {
    let section = MappingSection {
        contact_name: Some(spanned("{name}: {id}")),
        amounts: Some(spanned("inclusive")),
        lineless_tax_rate: Some(spanned("VAT 19%")),
        items: Some(BTreeMap::from([(
            "hardware".to_string(),
            spanned("Router"),
        )])),
        numbers: Some(spanned("quickbooks")),
        payment_account: Some(spanned("Undeposited Funds")),
        ..MappingSection::default()
    };
    let keys = |rules| {
        let (_, problems) = resolve(Some(&section), rules);
        problems
            .into_iter()
            .map(|p| (p.key, p.message))
            .collect::<Vec<_>>()
    };
    let desktop = keys(&DESKTOP);
    let names: Vec<&str> = desktop.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        ["contact_name", "amounts", "numbers", "lineless_tax_rate"]
    );
    assert!(desktop[0].1.contains("':'"), "{desktop:?}");
    assert!(
        desktop[1].1.contains("VAT on lines of its own"),
        "{desktop:?}"
    );
    let online = keys(&ONLINE);
    let names: Vec<&str> = online.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "contact_name",
            "numbers",
            "items.hardware",
            "payment_account"
        ]
    );
    assert!(online[3].1.contains("take no payments"), "{online:?}");
    assert!(
        online[1].1.contains("custom transaction numbers"),
        "{online:?}"
    );
}

#[test]
fn a_document_without_lines_needs_what_each_edition_writes_for_it() {
    let doc = lineless("RE-10001");
    let (desktop, _) = resolve(None, &DESKTOP);
    let refusal = desktop.refusal(&doc).expect("held");
    assert!(
        refusal.reason.contains("no default income account"),
        "{refusal:?}"
    );
    assert!(!refusal.fix.contains("lineless_tax_rate"), "{refusal:?}");
    let with_default = MappingSection {
        default_account: Some(spanned("Sales")),
        payment_account: Some(spanned("Undeposited Funds")),
        ..MappingSection::default()
    };
    let (desktop, problems) = resolve(Some(&with_default), &DESKTOP);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(desktop.refusal(&doc), None);
    // Online writes a tax code on every line, and a total with its tax in it.
    let (online, _) = resolve(Some(&with_default), &ONLINE);
    let refusal = online.refusal(&doc).expect("held");
    assert!(refusal.fix.contains("lineless_tax_rate"), "{refusal:?}");
    assert!(
        refusal.fix.contains("amounts = \"inclusive\""),
        "{refusal:?}"
    );
}

#[test]
fn a_number_longer_than_the_edition_takes_is_held() {
    let section = MappingSection {
        default_account: Some(spanned("Sales")),
        ..MappingSection::default()
    };
    let (desktop, _) = resolve(Some(&section), &DESKTOP);
    assert_eq!(desktop.refusal(&lineless("RE-10001")), None);
    let refusal = desktop.refusal(&lineless("INV-2026-0042")).expect("held");
    assert!(
        refusal
            .reason
            .contains("13 characters; QuickBooks Desktop takes at most 11"),
        "{refusal:?}"
    );
    let (online, _) = resolve(Some(&section), &ONLINE);
    let refusal = online.refusal(&lineless(&"9".repeat(22))).expect("held");
    assert!(refusal.reason.contains("at most 21"), "{refusal:?}");
}
