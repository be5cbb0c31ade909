//! A line-level invoice export reads into documents with their lines: the shipped sample
//! against its golden snapshot, gross prices, a derived total, and a document's head row
//! before its lines.

mod common;

use common::{
    Company, LINE_SOURCES, LINES_HEADER, assert_golden, documents_snapshot, invoice_lines_sample,
    read_documents,
};
use rust_decimal::Decimal;
use sluice::model::{DocumentKind, NotApplied};

#[test]
fn the_line_level_sample_reads_into_documents_with_their_lines() {
    let company = Company::new();
    let pipeline = company.pipeline("keep", LINE_SOURCES);
    let documents = read_documents(
        &pipeline,
        "invoice-lines-2026-10.csv",
        &invoice_lines_sample(),
    )
    .expect("the sample reads");
    assert_eq!(documents.len(), 8);
    let lines: usize = documents.iter().map(|d| d.lines.len()).sum();
    assert_eq!(lines, 15);
    let credit_notes: Vec<&str> = documents
        .iter()
        .filter(|d| d.kind == DocumentKind::CreditNote)
        .map(|d| d.number.as_str())
        .collect();
    assert_eq!(credit_notes, ["CN-2026-0007"]);
    let not_applied: Vec<(&str, NotApplied)> = documents
        .iter()
        .filter_map(|d| d.not_applied().map(|n| (d.number.as_str(), n)))
        .collect();
    assert_eq!(
        not_applied,
        [
            ("INV-2026-2005", NotApplied::Deleted),
            ("INV-2026-2006", NotApplied::WithoutLines)
        ]
    );
    assert_golden(
        "invoice_lines/invoice-lines-2026-10.txt",
        &documents_snapshot(&documents),
    );
}

const GROSS_SOURCE: &str = r#"
[[sources]]
name = "shop"
format = "invoice_csv"
files = ["shop-*.csv"]
currency = "EUR"
prices = "gross"

[sources.columns]
number = "Number"
customer_id = "Customer"
issue_date = "Date"
quantity = "Qty"
unit_price = "Price"
vat_rate = "Rate"
vat_amount = "VAT"
line_total = "Amount"
total = "Total"
"#;

#[test]
fn with_gross_prices_the_total_is_the_line_totals_and_the_vat_is_inside_them() {
    let company = Company::new();
    let pipeline = company.pipeline("keep", GROSS_SOURCE);
    let csv = "Number,Customer,Date,Qty,Price,Rate,VAT,Amount,Total\n\
               S-1,C1,2026-10-01,2,5.95,19,1.90,11.90,22.60\n\
               S-1,C1,2026-10-01,1,10.70,7%,0.70,10.70,22.60\n";
    let documents = read_documents(&pipeline, "shop-1.csv", csv.as_bytes()).expect("reads");
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0].total.amount, Decimal::new(2260, 2));
    assert_eq!(documents[0].lines[1].vat_rate, Decimal::new(7, 0));

    let net_read = company.pipeline("keep", &GROSS_SOURCE.replace("prices = \"gross\"", ""));
    let refused = read_documents(&net_read, "shop-1.csv", csv.as_bytes()).unwrap_err();
    assert_eq!(refused.line, Some(2));
    assert_eq!(refused.column.as_deref(), Some("VAT"));
    assert!(
        refused.message.contains("of the net line total"),
        "{refused}"
    );
}

#[test]
fn without_a_total_column_the_total_is_the_lines_plus_their_vat() {
    let company = Company::new();
    let body = LINE_SOURCES.replace("total = \"Invoice Total\"\n", "");
    let pipeline = company.pipeline("keep", &body);
    let csv = format!(
        "{LINES_HEADER}INV-1,C1,Ada,2026-10-01,,EUR,open,0,Fibre,1,34.90,19,6.63,34.90,service,,,999.99\n\
         INV-1,C1,Ada,2026-10-01,,EUR,open,0,Discount,1,-4.90,19,-0.93,-4.90,discount,,,999.99\n\
         CN-1,C1,Ada,2026-10-02,,EUR,open,0,Refund,-1,10.00,19,-1.90,-10.00,credit,,,999.99\n"
    );
    let documents =
        read_documents(&pipeline, "invoice-lines-x.csv", csv.as_bytes()).expect("reads");
    assert_eq!(documents[0].total.amount, Decimal::new(3570, 2));
    assert_eq!(documents[0].kind, DocumentKind::Invoice);
    assert_eq!(documents[1].total.amount, Decimal::new(-1190, 2));
    assert_eq!(documents[1].kind, DocumentKind::CreditNote);
}

#[test]
fn a_head_row_before_a_documents_lines_adds_no_line() {
    let company = Company::new();
    let pipeline = company.pipeline("keep", LINE_SOURCES);
    let csv = format!(
        "{LINES_HEADER}INV-1,C1,Ada,2026-10-01,,EUR,open,no,,,,,,,,,,41.53\n\
         INV-1,C1,Ada,2026-10-01,,EUR,open,no,Fibre,1,34.90,19,6.63,34.90,service,,,41.53\n"
    );
    let documents =
        read_documents(&pipeline, "invoice-lines-x.csv", csv.as_bytes()).expect("reads");
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0].lines.len(), 1);
    assert_eq!(documents[0].lineage.line, 2);
    assert_eq!(documents[0].lines[0].lineage.line, 3);
    assert_eq!(documents[0].not_applied(), None);
}
