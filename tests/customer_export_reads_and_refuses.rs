//! The billing system's customer export: the demo's sample reads as its golden snapshot, and
//! every row sluice cannot take is refused with file, line, column and what to do — an
//! empty customer number, one customer twice with different details, an IBAN whose check
//! digits fail, a mandate date that is not a date. `sluice check` refuses a mapping without
//! the required roles and a partners-ignore list with an empty or repeated name.

mod common;

use std::fmt::Write;
use std::path::Path;

use common::{CUSTOMER_HEADER, CUSTOMER_SOURCE, Company, assert_golden, customer_row};
use sluice::durable::sha256_hex;
use sluice::model::Customer;
use sluice::pipeline::{self, Pipeline, PipelineError, Source};
use sluice::sources::{self, InputFile, Records, SourceError};

fn read(source: &Source, name: &str, bytes: &[u8]) -> Result<Vec<Customer>, SourceError> {
    let sha256 = sha256_hex(bytes);
    let file = InputFile {
        name,
        sha256: &sha256,
        bytes,
    };
    match sources::parse(source, &file)? {
        Records::Customers(customers) => Ok(customers),
        other => panic!("{name} was read as {other:?}, not as customers"),
    }
}

fn customers_source(pipeline: &Pipeline) -> &Source {
    pipeline
        .sources
        .iter()
        .find(|s| s.name == "billing-customers")
        .expect("a customers source")
}

fn refusal(rows: &str) -> SourceError {
    let company = Company::new();
    let pipeline = company.pipeline("archive", CUSTOMER_SOURCE);
    let bytes = format!("{CUSTOMER_HEADER}{rows}");
    match read(
        customers_source(&pipeline),
        "customers-2026-10.csv",
        bytes.as_bytes(),
    ) {
        Ok(customers) => panic!("was read: {customers:?}"),
        Err(e) => e,
    }
}

fn assert_refused(e: &SourceError, line: u64, column: &str, reason: &str) {
    assert_eq!(e.file, "customers-2026-10.csv", "{e}");
    assert_eq!(e.line, Some(line), "{e}");
    assert_eq!(e.column.as_deref(), Some(column), "{e}");
    assert!(e.message.contains(reason), "{e}");
    assert!(!e.hint.is_empty(), "a refusal says what to do: {e}");
}

#[test]
fn the_demo_customer_export_reads_as_its_golden_snapshot() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pipeline = pipeline::load(&repo.join("pipelines/demo.toml")).expect("demo pipeline");
    let bytes = std::fs::read(repo.join("samples/customers-2026-10.csv")).expect("sample");
    let customers = read(customers_source(&pipeline), "customers-2026-10.csv", &bytes)
        .expect("the sample reads");
    let mut out = String::new();
    for c in &customers {
        writeln!(
            out,
            "line={} {} | {} | {} | {} | {} | {}, {} {} {} | partner={} | {} | iban={} | mandate={} signed={} | vat={}",
            c.lineage.line,
            c.id,
            c.login,
            c.name,
            c.email,
            c.phone,
            c.street,
            c.zip,
            c.city,
            c.country,
            c.partner,
            c.status,
            c.iban,
            c.mandate_id,
            c.mandate_signed.map(|d| d.to_string()).unwrap_or_else(|| "-".to_string()),
            c.vat_id
        )
        .unwrap();
    }
    assert_golden("customers/customers-2026-10.txt", &out);
}

#[test]
fn an_iban_written_in_groups_is_kept_in_electronic_form_and_a_repeated_row_once() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", CUSTOMER_SOURCE);
    let row = customer_row("C1", "Ada Lovelace", "", "DE89 3704 0044 0532 0130 00");
    let bytes = format!("{CUSTOMER_HEADER}{row}{row}");
    let customers = read(
        customers_source(&pipeline),
        "customers-2026-10.csv",
        bytes.as_bytes(),
    )
    .expect("reads");
    assert_eq!(customers.len(), 1);
    assert_eq!(customers[0].iban, "DE89370400440532013000");
    assert_eq!(customers[0].lineage.line, 2);
}

#[test]
fn an_empty_customer_number_is_refused() {
    let e = refusal(&format!(
        "{}{}",
        customer_row("C1", "Ada Lovelace", "", ""),
        customer_row("", "Bob Nobody", "", "")
    ));
    assert_refused(&e, 3, "Customer No", "is empty");
}

#[test]
fn one_customer_twice_with_different_details_is_refused() {
    let e = refusal(&format!(
        "{}{}{}",
        customer_row("C1", "Ada Lovelace", "", ""),
        customer_row("C2", "Bob Byron", "", ""),
        customer_row("C1", "Ada King", "", "")
    ));
    assert_refused(
        &e,
        4,
        "Customer No",
        "customer \"C1\" appears twice with different details (first on line 2)",
    );
}

#[test]
fn an_iban_whose_check_digits_fail_is_refused() {
    let e = refusal(&customer_row(
        "C1",
        "Ada Lovelace",
        "",
        "DE89370400440532013001",
    ));
    assert_refused(
        &e,
        2,
        "IBAN",
        "IBAN \"DE89370400440532013001\" is not valid: its check digits do not match",
    );
}

#[test]
fn a_mandate_date_that_is_not_a_date_is_refused() {
    let row = customer_row("C1", "Ada Lovelace", "", "DE89370400440532013000")
        .replace(",,,\n", ",MNDT-C1,2025-13-40,\n");
    let e = refusal(&row);
    assert_refused(&e, 2, "Mandate Signed", "\"2025-13-40\"");
}

fn check_problems(body: &str) -> Vec<String> {
    let company = Company::new();
    let text = format!("name = \"acme\"\n\n[inbox]\npath = \"inbox\"\n{body}");
    let path = company.path("pipeline.toml");
    std::fs::write(&path, &text).expect("write pipeline");
    match pipeline::load(&path) {
        Err(PipelineError::Invalid { problems, .. }) => {
            problems.iter().map(|p| p.to_string()).collect()
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("the pipeline passed check:\n{text}"),
    }
}

#[test]
fn check_refuses_a_mapping_without_id_or_name_and_unknown_roles() {
    let body = CUSTOMER_SOURCE
        .replace("id = \"Customer No\"\n", "")
        .replace("vat_id = \"VAT ID\"", "vat = \"VAT ID\"");
    let problems = check_problems(&body);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("sources[0].columns: missing mapping for `id`")),
        "{problems:#?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("sources[0].columns.vat: unknown column role")),
        "{problems:#?}"
    );
}

#[test]
fn check_refuses_an_empty_or_repeated_partner_in_partners_ignore() {
    let body = format!(
        "{CUSTOMER_SOURCE}\n[reconcile]\npartners_ignore = [\"Reseller North\", \" \", \"reseller NORTH \"]\n"
    );
    let problems = check_problems(&body);
    let line = body
        .lines()
        .position(|l| l.starts_with("partners_ignore"))
        .unwrap()
        + 5;
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].starts_with(&format!(
            "line {line}: reconcile.partners_ignore[1]: is empty"
        )),
        "{problems:#?}"
    );
    assert!(
        problems[1].starts_with(&format!(
            "line {line}: reconcile.partners_ignore[2]: \"reseller NORTH\" is listed twice"
        )),
        "{problems:#?}"
    );
}

#[test]
fn check_refuses_partners_ignore_that_is_not_a_list_of_names() {
    let body = format!("{CUSTOMER_SOURCE}\n[reconcile]\npartners_ignore = \"Reseller North\"\n");
    let problems = check_problems(&body);
    assert!(
        problems.iter().any(|p| p.contains("partners_ignore")),
        "{problems:#?}"
    );
}
