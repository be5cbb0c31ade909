//! Every refusal of a line-level invoice export names the file, the row, the column and
//! the reason: a flag that is not yes or no, rows of one document that disagree, a document
//! whose rows are apart, a line or a total whose figures do not add up to the cent, a line
//! with a figure missing. And `sluice check` refuses a mapping that cannot make lines.

mod common;

use common::{Company, LINE_SOURCES, LINES_HEADER, read_documents};
use sluice::sources::SourceError;

const NAME: &str = "invoice-lines-2026-10.csv";

fn refusal(rows: &str) -> SourceError {
    let company = Company::new();
    let pipeline = company.pipeline("keep", LINE_SOURCES);
    let csv = format!("{LINES_HEADER}{rows}");
    match read_documents(&pipeline, NAME, csv.as_bytes()) {
        Ok(documents) => panic!("expected a refusal, read {documents:?}"),
        Err(e) => e,
    }
}

fn assert_refused(e: &SourceError, line: u64, column: &str, reason: &str) {
    assert_eq!(e.file, NAME, "{e}");
    assert_eq!(e.line, Some(line), "{e}");
    assert_eq!(e.column.as_deref(), Some(column), "{e}");
    assert!(e.message.contains(reason), "{e}");
    assert!(!e.hint.is_empty(), "{e}");
}

const FIBRE: &str = "Fibre,1,34.90,19,6.63,34.90,service,2026-10-01,2026-10-31,41.53";

#[test]
fn a_deleted_flag_that_is_not_yes_or_no_is_refused() {
    let e = refusal(&format!(
        "INV-1,C1,Ada,2026-10-01,,EUR,open,maybe,{FIBRE}\n"
    ));
    assert_refused(&e, 2, "Deleted", "\"maybe\" is not a yes/no flag");
}

#[test]
fn rows_of_one_document_that_disagree_on_its_fields_are_refused_naming_both_rows() {
    let e = refusal(&format!(
        "INV-1,C1,Ada,2026-10-01,,EUR,open,0,{FIBRE}\n\
         INV-1,C2,Ada,2026-10-01,,EUR,open,0,{FIBRE}\n"
    ));
    assert_refused(&e, 3, "Customer No", "\"C2\" differs from \"C1\" on line 2");

    let e = refusal(&format!(
        "INV-1,C1,Ada,2026-10-01,,EUR,open,0,{FIBRE}\n\
         INV-1,C1,Ada,2026-10-01,,EUR,paid,0,{FIBRE}\n"
    ));
    assert_refused(&e, 3, "Status", "\"paid\" differs from \"open\" on line 2");

    let e = refusal(&format!(
        "INV-1,C1,Ada,2026-10-01,,EUR,open,0,{FIBRE}\n\
         INV-1,C1,Ada,2026-10-01,,EUR,open,1,{FIBRE}\n"
    ));
    assert_refused(&e, 3, "Deleted", "\"yes\" differs from \"no\" on line 2");
}

#[test]
fn a_document_whose_rows_are_apart_is_refused() {
    let e = refusal(&format!(
        "INV-1,C1,Ada,2026-10-01,,EUR,open,0,{FIBRE}\n\
         INV-2,C2,Bob,2026-10-01,,EUR,open,0,{FIBRE}\n\
         INV-1,C1,Ada,2026-10-01,,EUR,open,0,{FIBRE}\n"
    ));
    assert_refused(
        &e,
        4,
        "Invoice No",
        "\"INV-1\" comes back after other documents (its rows start on line 2)",
    );
}

#[test]
fn a_line_total_that_is_not_quantity_times_unit_price_is_refused_with_the_figures() {
    let e =
        refusal("INV-1,C1,Ada,2026-10-01,,EUR,open,0,IPs,2,5.00,19,1.90,10.01,service,,,11.91\n");
    assert_refused(
        &e,
        2,
        "Line Total",
        "line total 10.01 is not quantity 2 × unit price 5.00 = 10",
    );
}

#[test]
fn vat_that_is_not_the_rate_of_the_net_line_total_is_refused_with_the_figures() {
    let e =
        refusal("INV-1,C1,Ada,2026-10-01,,EUR,open,0,IPs,2,5.00,19,1.91,10.00,service,,,11.91\n");
    assert_refused(
        &e,
        2,
        "VAT",
        "VAT 1.91 is not 19 % of the net line total 10.00 = 1.90",
    );
}

#[test]
fn a_stated_total_that_is_not_the_sum_of_the_lines_is_refused_on_the_documents_first_row() {
    let e = refusal(
        "INV-1,C1,Ada,2026-10-01,,EUR,open,0,Fibre,1,34.90,19,6.63,34.90,service,,,47.48\n\
         INV-1,C1,Ada,2026-10-01,,EUR,open,0,Router,1,4.99,19,0.95,4.99,service,,,47.48\n",
    );
    assert_refused(
        &e,
        2,
        "Invoice Total",
        "total 47.48 of document \"INV-1\" is not the sum of its 2 lines: 39.89 + VAT 7.58 = 47.47",
    );
}

#[test]
fn a_line_with_a_figure_missing_is_refused() {
    let e =
        refusal("INV-1,C1,Ada,2026-10-01,,EUR,open,0,Fibre,,34.90,19,6.63,34.90,service,,,41.53\n");
    assert_refused(
        &e,
        2,
        "Qty",
        "is empty on a line that has other line fields",
    );

    let e =
        refusal("INV-1,C1,Ada,2026-10-01,,EUR,open,0,Fibre,1,34.90,,6.63,34.90,service,,,41.53\n");
    assert_refused(
        &e,
        2,
        "VAT %",
        "is empty on a line that has other line fields",
    );
}

#[test]
fn a_vat_rate_that_is_not_a_number_is_refused() {
    let e = refusal(
        "INV-1,C1,Ada,2026-10-01,,EUR,open,0,Fibre,1,34.90,19x %,6.63,34.90,service,,,41.53\n",
    );
    assert_refused(&e, 2, "VAT %", "\"19x %\"");
}

#[test]
fn check_refuses_line_mappings_that_cannot_make_lines() {
    let company = Company::new();
    let path = company.path("pipeline.toml");
    let write_and_load = |body: &str| {
        std::fs::write(
            &path,
            format!("name = \"acme\"\n\n[inbox]\npath = \"inbox\"\n{body}"),
        )
        .unwrap();
        sluice::pipeline::load(&path)
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    let no_vat_amount = LINE_SOURCES.replace("vat_amount = \"VAT\"\n", "");
    let e = write_and_load(&no_vat_amount);
    assert!(e.contains("sources[1].columns.vat_rate"), "{e}");
    assert!(
        e.contains("map `vat_rate` and `vat_amount` together"),
        "{e}"
    );

    let no_quantity = LINE_SOURCES.replace("quantity = \"Qty\"\n", "");
    let e = write_and_load(&no_quantity);
    assert!(e.contains("missing mapping for `quantity`"), "{e}");

    let prices_on_a_bank = LINE_SOURCES.replace(
        "account = \"DE89370400440532013000\"",
        "account = \"DE89370400440532013000\"\nprices = \"gross\"",
    );
    let e = write_and_load(&prices_on_a_bank);
    assert!(e.contains("sources[0].prices"), "{e}");
    assert!(
        e.contains("only invoice_csv sources have this setting"),
        "{e}"
    );
}
