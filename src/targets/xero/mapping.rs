//! Xero's rules for the `[targets.mapping]` section ([`crate::targets::mapping`]): what
//! Xero's CSV imports take and what Xero calls things.

use crate::targets::mapping::{self, Rules};
use crate::targets::payments::PaymentRules;

pub use crate::targets::mapping::{
    Amounts, ContactFacts, Mapping, MappingProblem, MappingSection, Numbers, Refusal,
};

/// Xero's limit on a contact's name (the API's `Contact.Name`, maxLength 255).
pub const MAX_CONTACT_NAME: usize = 255;
/// Xero's limit on an account code (the API's `Account.Code`, maxLength 10).
pub const MAX_ACCOUNT_CODE: usize = 10;

pub static XERO: Rules = Rules {
    platform: "Xero",
    own_numbers: Some((
        "xero",
        "Xero's CSV import needs each document's number (it groups an invoice's lines by it), so Xero cannot number them here: leave numbers out or write \"billing\"",
    )),
    platform_numbers: None,
    max_name: MAX_CONTACT_NAME,
    name_replacements: &[],
    account: "account code",
    max_account: MAX_ACCOUNT_CODE,
    account_example: "200",
    max_item: Some(30),
    tax_rate: "tax rate",
    tax_rate_example: "19% (VAT on Income)",
    tax_on_lines: true,
    max_number: None,
    max_reference: None,
    rounding: false,
    net_only: false,
    payments: PAYMENTS,
};

/// Xero's payments go through its API (`[targets.api]`), which requires the account.
const PAYMENTS: Option<PaymentRules> = Some(PaymentRules {
    account: "account code",
    max_account: MAX_ACCOUNT_CODE,
    example: "090",
    required: false,
});

/// Xero's rules when documents go through its API (`[targets.api] documents = "api"`):
/// lines name their tax by its code (`TaxType`), and Xero may number the documents itself
/// (`numbers = "xero"`: the billing number goes in the reference, and payments name the
/// invoice by Xero's id).
pub static XERO_API: Rules = Rules {
    own_numbers: None,
    platform_numbers: Some("xero"),
    tax_rate: "tax type",
    tax_rate_example: "OUTPUT2",
    payments: PAYMENTS,
    ..XERO
};

/// Resolves a Xero target's `[targets.mapping]`; every problem is collected.
pub fn resolve(section: Option<&MappingSection>) -> (Mapping, Vec<MappingProblem>) {
    mapping::resolve(section, &XERO)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use std::collections::BTreeMap;
    use std::str::FromStr;

    use rust_decimal::Decimal;
    use toml::Spanned;

    use super::*;
    use crate::model::{Currency, DocumentLine, DocumentStatus, Lineage, Money};
    use crate::model::{Document, DocumentKind};

    fn spanned(text: &str) -> Spanned<String> {
        Spanned::new(0..1, text.to_string())
    }

    fn table(entries: &[(&str, &str)]) -> Option<BTreeMap<String, Spanned<String>>> {
        Some(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), spanned(v)))
                .collect(),
        )
    }

    fn eur(amount: &str) -> Money {
        Money {
            amount: Decimal::from_str(amount).expect("amount"),
            currency: Currency::from_code("EUR").expect("EUR"),
        }
    }

    fn lineage(line: u64) -> Lineage {
        Lineage {
            file_sha256: "ab".repeat(32),
            file_name: "invoices.csv".to_string(),
            line,
        }
    }

    fn line(category: &str, rate: &str, total: &str, vat: &str) -> DocumentLine {
        DocumentLine {
            description: "Internet".to_string(),
            quantity: Decimal::ONE,
            unit_price: eur(total),
            vat_rate: Decimal::from_str(rate).expect("rate"),
            vat_amount: eur(vat),
            line_total: eur(total),
            category: category.to_string(),
            period_from: None,
            period_to: None,
            lineage: lineage(7),
        }
    }

    fn document(kind: DocumentKind, total: &str, lines: Vec<DocumentLine>) -> Document {
        Document {
            number: "INV-1".to_string(),
            kind,
            customer_id: "C1".to_string(),
            customer_name: "Ada Lovelace".to_string(),
            issue_date: NaiveDate::from_ymd_opt(2026, 10, 1).expect("date"),
            due_date: None,
            total: eur(total),
            status: DocumentStatus::Open,
            deleted: false,
            itemized: true,
            lines,
            lineage: lineage(2),
        }
    }

    fn section() -> MappingSection {
        MappingSection {
            categories: table(&[("Service", "200"), ("hardware", "210")]),
            items: table(&[("hardware", "ROUTER")]),
            tax_rates: table(&[("19.0", "19% (VAT on Income)"), ("7", "7% (VAT on Income)")]),
            ..MappingSection::default()
        }
    }

    #[test]
    fn categories_and_rates_are_found_however_they_are_written() {
        let (mapping, problems) = resolve(Some(&section()));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(mapping.account_of(" service "), Some("200"));
        assert_eq!(mapping.account_of("HARDWARE"), Some("210"));
        assert_eq!(mapping.account_of("magazine"), None);
        assert_eq!(mapping.item_of("Hardware"), "ROUTER");
        assert_eq!(mapping.item_of("service"), "");
        assert_eq!(
            mapping.tax_rate_of(Decimal::new(1900, 2)),
            Some("19% (VAT on Income)")
        );
        assert_eq!(mapping.tax_rate_of(Decimal::new(55, 1)), None);
        let with_default = MappingSection {
            default_account: Some(spanned("260")),
            ..section()
        };
        let (mapping, _) = resolve(Some(&with_default));
        assert_eq!(mapping.account_of("magazine"), Some("260"));
        assert_eq!(mapping.account_of(""), Some("260"));
    }

    #[test]
    fn a_document_is_refused_with_each_unmapped_category_and_rate_named_once() {
        let (mapping, _) = resolve(Some(&section()));
        let covered = document(
            DocumentKind::Invoice,
            "23.80",
            vec![line("service", "19", "20.00", "3.80")],
        );
        assert_eq!(mapping.refusal(&covered), None);
        let doc = document(
            DocumentKind::Invoice,
            "26.54",
            vec![
                line("magazine", "7", "10.00", "0.70"),
                line("magazine", "5.5", "10.00", "0.55"),
                line("magazine", "5.50", "5.00", "0.29"),
            ],
        );
        let refusal = mapping.refusal(&doc).expect("refused");
        assert_eq!(refusal.reason.matches("magazine").count(), 1, "{refusal:?}");
        assert!(
            refusal.reason.contains("VAT rate 5.5% (line 7)"),
            "{refusal:?}"
        );
        assert!(
            refusal.fix.contains("\"magazine\" = \"<account code>\""),
            "{refusal:?}"
        );
        assert!(refusal.fix.contains("\"5.5\" = "), "{refusal:?}");
    }

    #[test]
    fn a_document_dated_in_the_locked_period_is_held_until_the_lock_date_moves() {
        let doc = document(
            DocumentKind::Invoice,
            "23.80",
            vec![line("service", "19", "20.00", "3.80")],
        );
        let locked = |date: toml::Value| {
            resolve(Some(&MappingSection {
                lock_date: Some(Spanned::new(0..1, date)),
                ..section()
            }))
        };
        // The invoice is dated 2026-10-01.
        let (mapping, problems) = locked(toml::Value::String("2026-10-01".to_string()));
        assert!(problems.is_empty(), "{problems:?}");
        let refusal = mapping.refusal(&doc).expect("held");
        assert!(
            refusal.reason.contains(
                "dated 2026-10-01, inside the period Xero has locked (lock_date 2026-10-01)"
            ),
            "{refusal:?}"
        );
        assert!(refusal.fix.contains("move lock_date"), "{refusal:?}");
        let date: toml::Value = toml::from_str::<toml::Table>("d = 2026-09-30")
            .expect("toml")
            .remove("d")
            .expect("d");
        let (mapping, problems) = locked(date);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(mapping.refusal(&doc), None);
        let (_, problems) = locked(toml::Value::String("end of September".to_string()));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].key, "lock_date");
    }

    #[test]
    fn a_document_without_lines_needs_the_default_account_and_its_tax_rate() {
        let lineless = document(DocumentKind::Invoice, "59.90", Vec::new());
        let (mapping, _) = resolve(Some(&section()));
        let refusal = mapping.refusal(&lineless).expect("refused");
        assert!(refusal.fix.contains("default_account"));
        assert!(refusal.fix.contains("lineless_tax_rate"));
        let (mapping, _) = resolve(Some(&MappingSection {
            default_account: Some(spanned("200")),
            lineless_tax_rate: Some(spanned("Tax Exempt")),
            ..section()
        }));
        // Its total has the tax in it: written without tax, Xero would add it again.
        let refusal = mapping.refusal(&lineless).expect("refused");
        assert!(
            refusal.fix.contains("amounts = \"inclusive\""),
            "{refusal:?}"
        );
        assert!(!refusal.fix.contains("default_account"), "{refusal:?}");
        let (mapping, _) = resolve(Some(&MappingSection {
            default_account: Some(spanned("200")),
            lineless_tax_rate: Some(spanned("Tax Exempt")),
            amounts: Some(spanned("inclusive")),
            ..section()
        }));
        assert_eq!(mapping.refusal(&lineless), None);
    }

    #[test]
    fn a_negative_invoice_is_a_credit_note_unless_that_is_turned_off() {
        let negative = document(
            DocumentKind::Invoice,
            "-11.90",
            vec![line("service", "19", "-10.00", "-1.90")],
        );
        let (mapping, _) = resolve(Some(&section()));
        assert!(mapping.is_credit_note(&negative));
        assert_eq!(mapping.refusal(&negative), None);
        let (mapping, _) = resolve(Some(&MappingSection {
            negative_invoices_as_credit_notes: Some(false),
            ..section()
        }));
        let refusal = mapping.refusal(&negative).expect("refused");
        assert!(refusal.reason.contains("negative total"), "{refusal:?}");
    }

    #[test]
    fn the_contact_name_is_filled_from_the_customer_on_one_line() {
        let mapping = resolve(None).0;
        let ada = ContactFacts {
            id: " C1 ",
            login: "ada",
            name: "Ada \n  Lovelace",
            email: "ada@example.net",
        };
        assert_eq!(mapping.contact_name(&ada), "Ada Lovelace (C1)");
        let (mapping, _) = resolve(Some(&MappingSection {
            contact_name: Some(spanned("{login} – {name} <{email}>")),
            ..MappingSection::default()
        }));
        assert_eq!(
            mapping.contact_name(&ada),
            "ada – Ada Lovelace <ada@example.net>"
        );
    }

    #[test]
    fn a_long_name_is_shortened_to_xeros_limit_keeping_the_customer_number() {
        let mapping = resolve(None).0;
        let long = "Müller ".repeat(60);
        let customer = ContactFacts {
            id: "C10001",
            login: "",
            name: &long,
            email: "",
        };
        let name = mapping.contact_name(&customer);
        assert!(name.chars().count() <= MAX_CONTACT_NAME, "{name}");
        assert!(name.chars().count() > MAX_CONTACT_NAME - 8, "{name}");
        assert!(name.ends_with("Müller… (C10001)"), "{name}");
        assert_eq!(name, mapping.contact_name(&customer), "the same every time");
        // Without {name} to shorten, the whole name is cut at the limit.
        let (mapping, _) = resolve(Some(&MappingSection {
            contact_name: Some(spanned("{email}")),
            ..MappingSection::default()
        }));
        let email = "x".repeat(300);
        let customer = ContactFacts {
            email: &email,
            ..customer
        };
        assert_eq!(
            mapping.contact_name(&customer).chars().count(),
            MAX_CONTACT_NAME
        );
    }

    #[test]
    fn each_bad_value_is_named_by_its_key() {
        let section = MappingSection {
            contact_name: Some(spanned("{name} {number}")),
            amounts: Some(spanned("gross")),
            numbers: Some(spanned("xero")),
            default_account: Some(spanned("Sales revenue account")),
            lineless_tax_rate: Some(spanned(" ")),
            categories: table(&[("service", "200"), ("", "201"), ("fees", "")]),
            items: table(&[("service", "")]),
            tax_rates: table(&[("19", "19% (VAT on Income)"), ("nineteen", "x"), ("7", "")]),
            ..MappingSection::default()
        };
        let (mapping, problems) = resolve(Some(&section));
        let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "contact_name",
                "amounts",
                "numbers",
                "default_account",
                "lineless_tax_rate",
                "categories.",
                "categories.fees",
                "items.service",
                "tax_rates.7",
                "tax_rates.nineteen",
            ]
        );
        assert!(problems[0].message.contains("{id}"), "{problems:?}");
        assert!(
            problems[2].message.contains("*InvoiceNumber")
                || problems[2].message.contains("number")
        );
        assert_eq!(mapping.account_of("service"), Some("200"));
        let (_, problems) = resolve(Some(&MappingSection {
            contact_name: Some(spanned("Customer")),
            ..MappingSection::default()
        }));
        assert!(
            problems[0].message.contains("names no customer"),
            "{problems:?}"
        );
    }
}
