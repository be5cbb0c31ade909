//! Shared set-up for the integration tests: a temporary company folder with an inbox, a
//! pipeline file written into it, and runs at a fixed time (so run ids and manifests are
//! the same on every machine).
#![allow(dead_code)] // each test binary uses its own part of this module

pub mod crash;
pub mod http;
pub mod journal;
pub mod netsuite_mock;
pub mod quickbooks_mock;
pub mod quickbooks_shape;
pub mod report;
pub mod sage_mock;
pub mod sage_spec;
pub mod watcher;
pub mod xero_mock;
pub mod xero_spec;

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use sluice::ledger::{Facts, Ledger};
use sluice::pipeline::{self, Pipeline};
use sluice::run::{self, FailPoint, RunError, RunOptions, Summary};
use tempfile::TempDir;

/// The demo bank's CSV layout, as in pipelines/demo.toml (a macro, so that `concat!` can
/// put it in front of other sources).
macro_rules! demo_bank_source {
    () => {
        r#"
[[sources]]
name = "demo-bank"
format = "bank_csv"
files = ["bank-*.csv"]
account = "DE89370400440532013000"
currency = "EUR"
thousands = ","

[sources.columns]
booking_date = "Booking Date"
value_date = "Value Date"
amount = "Amount"
currency = "Currency"
counterparty = "Counterparty"
counterparty_account = "Counterparty IBAN"
reference = "Bank Reference"
text = "Remittance Information"
"#
    };
}

/// The billing system's invoice export without lines, as in pipelines/demo.toml.
macro_rules! invoice_source {
    () => {
        r#"
[[sources]]
name = "billing-invoices"
format = "invoice_csv"
files = ["invoices-*.csv"]
currency = "EUR"

[sources.columns]
number = "Invoice No"
customer_id = "Customer No"
customer_name = "Customer Name"
issue_date = "Invoice Date"
due_date = "Due Date"
total = "Total"
currency = "Currency"
status = "Status"

"#
    };
}

/// The billing system's invoice export without lines (`invoices-*.csv`, `INVOICE_HEADER`).
pub const INVOICE_SOURCE: &str = invoice_source!();

/// The demo bank's layout and the billing system's invoice export, as in pipelines/demo.toml.
pub const DEMO_SOURCES: &str = concat!(
    demo_bank_source!(),
    invoice_source!(),
    r#"
[[targets]]
name = "xero"
platform = "xero"
"#
);

/// The billing system's customer export, mapped as in pipelines/demo.toml.
pub const CUSTOMER_SOURCE: &str = r#"
[[sources]]
name = "billing-customers"
format = "customers"
files = ["customers-*"]

[sources.columns]
id = "Customer No"
login = "Login"
name = "Name"
email = "Email"
phone = "Phone"
street = "Street"
city = "City"
zip = "ZIP"
country = "Country"
partner = "Partner"
status = "Status"
iban = "IBAN"
mandate_id = "Mandate ID"
mandate_signed = "Mandate Signed"
vat_id = "VAT ID"
"#;

pub const CUSTOMER_HEADER: &str = "Customer No,Login,Name,Email,Phone,Street,City,ZIP,Country,Partner,Status,IBAN,Mandate ID,Mandate Signed,VAT ID\n";

/// One row of a customer export: id, name, partner and IBAN; the rest made up from the id.
pub fn customer_row(id: &str, name: &str, partner: &str, iban: &str) -> String {
    let login = id.to_lowercase();
    format!(
        "{id},{login},{name},{login}@example.net,+49 30 555,Hauptstraße 1,Berlin,10115,DE,{partner},active,{iban},,,\n"
    )
}

/// The billing system's transaction export, mapped as in pipelines/demo.toml.
pub const TRANSACTION_SOURCE: &str = r#"
[[sources]]
name = "billing-transactions"
format = "transactions"
files = ["transactions-*"]
currency = "EUR"

[sources.columns]
id = "ID"
customer_id = "Customer ID"
date = "Date"
type = "Type"
debit = "Debit"
credit = "Credit"
currency = "Currency"
description = "Description"
document = "Invoice"
category = "Category"
"#;

pub const TRANSACTION_HEADER: &str =
    "ID,Customer ID,Date,Type,Debit,Credit,Currency,Description,Invoice,Category\n";

/// The demo's transaction export, samples/billing/transactions-2026-10.csv.
pub fn transactions_sample() -> Vec<u8> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/billing/transactions-2026-10.csv");
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub const BANK_HEADER: &str = "Booking Date,Value Date,Counterparty,Counterparty IBAN,Remittance Information,Bank Reference,Amount,Currency,Balance\n";
pub const INVOICE_HEADER: &str =
    "Invoice No,Customer No,Customer Name,Invoice Date,Due Date,Total,Currency,Status\n";

/// A company folder: `inbox/`, and beside it whatever the pipeline writes.
pub struct Company {
    pub dir: TempDir,
}

impl Company {
    pub fn new() -> Company {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join("inbox")).expect("inbox");
        Company { dir }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Writes `pipeline.toml` (inbox section with `after`, then `body`) and loads it.
    pub fn pipeline(&self, after: &str, body: &str) -> Pipeline {
        let text =
            format!("name = \"acme\"\n\n[inbox]\npath = \"inbox\"\nafter = \"{after}\"\n{body}");
        let path = self.path("pipeline.toml");
        fs::write(&path, text).expect("write pipeline");
        pipeline::load(&path).unwrap_or_else(|e| panic!("test pipeline is invalid: {e}"))
    }

    pub fn drop_file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path("inbox").join(name);
        fs::write(&path, bytes).expect("drop file");
        path
    }

    /// Drops `customers-2026-10.csv` with these customers (id, name), no partner or IBAN.
    pub fn drop_customers(&self, customers: &[(&str, &str)]) -> PathBuf {
        let rows: String = customers
            .iter()
            .map(|(id, name)| customer_row(id, name, "", ""))
            .collect();
        self.drop_file("customers-2026-10.csv", format!("{CUSTOMER_HEADER}{rows}"))
    }

    pub fn ledger(&self) -> Facts {
        Ledger::new(&self.path("ledger"))
            .load()
            .expect("ledger loads")
    }
}

pub fn at(time: &str) -> DateTime<Utc> {
    time.parse().expect("RFC 3339 time")
}

pub fn run_at(pipeline: &Pipeline, time: &str) -> Summary {
    try_run_at(pipeline, time, None).unwrap_or_else(|e| panic!("run failed: {e}"))
}

pub fn try_run_at(
    pipeline: &Pipeline,
    time: &str,
    fail_at: Option<FailPoint>,
) -> Result<Summary, RunError> {
    run::run(
        pipeline,
        &RunOptions {
            now: at(time),
            progress: false,
            fail_at,
            crash_at: None,
            only_files: None,
            before_archive: None,
            after_listing: None,
        },
    )
}

/// The repository: where the shipped pipelines, samples and golden files are.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped pipeline and samples, copied so the test never writes into the repository.
/// Sub-folders of `samples/` come along (the gateway exports in `samples/gateways/`): the
/// demo's run reads only the files directly in its inbox, and the golden batches prove it.
pub fn demo_copy() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("pipelines")).expect("mkdir");
    fs::copy(
        repo().join("pipelines/demo.toml"),
        dir.path().join("pipelines/demo.toml"),
    )
    .expect("copy pipeline");
    let samples = repo().join("samples");
    for entry in walkdir::WalkDir::new(&samples) {
        let entry = entry.expect("entry");
        let to = dir
            .path()
            .join("samples")
            .join(entry.path().strip_prefix(&samples).expect("below samples"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&to).expect("mkdir");
        } else {
            fs::copy(entry.path(), &to).expect("copy sample");
        }
    }
    dir
}

/// Compares a batch folder with its golden folder, file for file and byte for byte; with
/// SLUICE_BLESS set, replaces the golden folder instead (review the diff before committing).
pub fn compare_with_golden(produced: &Path, golden: &Path) {
    let bless = std::env::var_os("SLUICE_BLESS").is_some();
    if bless {
        let _ = fs::remove_dir_all(golden);
        fs::create_dir_all(golden).expect("golden dir");
    }
    let produced_files = tree(produced);
    for (name, bytes) in &produced_files {
        let expected = golden.join(name);
        if bless {
            fs::write(&expected, bytes).expect("write golden");
            continue;
        }
        let want = fs::read(&expected).unwrap_or_else(|_| {
            panic!("{} is not in the golden folder {}", name, golden.display())
        });
        assert!(
            *bytes == want,
            "{name} differs from {}; if the change is deliberate, regenerate with SLUICE_BLESS=1",
            expected.display()
        );
    }
    let golden_names: Vec<String> = tree(golden).into_iter().map(|(n, _)| n).collect();
    let produced_names: Vec<String> = produced_files.into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        produced_names, golden_names,
        "the batch holds other files than the golden folder"
    );
}

/// Every file below `dir`, relative, with its bytes: a whole folder to compare.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("below dir")
                .display()
                .to_string();
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// The bytes of a file under `tests/fixtures/`, e.g. `fixture("bank_csv/debit_credit.csv")`.
pub fn fixture(relative: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative);
    fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// How many runs are committed: the journal records under `ledger/journal/`.
pub fn journal_count(company: &Company) -> usize {
    match fs::read_dir(company.path("ledger").join("journal")) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .count(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
        Err(e) => panic!("journal folder: {e}"),
    }
}

/// A CSV file's text: `header` (e.g. `BANK_HEADER`, with its newline), then the rows, each
/// field quoted only where CSV needs it (`"1,234.56"`, `"Müller, Hans"`).
pub fn csv_text(header: &str, rows: &[Vec<String>]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for row in rows {
        writer.write_record(row).expect("write to memory");
    }
    let body = String::from_utf8(writer.into_inner().expect("write to memory")).expect("UTF-8");
    format!("{header}{body}")
}

/// `1234567` written with a thousands separator: `1,234,567`.
pub fn group_digits(digits: &str, separator: char) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// Reads bank statements the way a run does, in a format that describes itself (camt,
/// MT940); a file read as anything else fails the test.
pub fn read_statements(
    format: sluice::pipeline::SourceFormat,
    name: &str,
    bytes: &[u8],
) -> Result<Vec<sluice::sources::Statement>, sluice::sources::SourceError> {
    let sha256 = sluice::durable::sha256_hex(bytes);
    let file = sluice::sources::InputFile {
        name,
        sha256: &sha256,
        bytes,
    };
    match sluice::sources::parse_standard(format, &file)? {
        sluice::sources::Records::Statements(statements) => Ok(statements),
        other => panic!("{name} was read as {other:?}, not as statements"),
    }
}

/// Statements as stable text, one line per balance and entry: what golden files hold.
pub fn snapshot(statements: &[sluice::sources::Statement]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for s in statements {
        let balance = |b: &Option<sluice::sources::Balance>| {
            b.as_ref()
                .map(|b| format!("{} {}", b.date, b.amount))
                .unwrap_or_else(|| "-".to_string())
        };
        writeln!(
            out,
            "statement {} {} account={} seq={} opening={} closing={} booked={} not_booked={}",
            s.message,
            s.id,
            s.account,
            s.sequence.as_deref().unwrap_or("-"),
            balance(&s.opening),
            balance(&s.closing),
            s.lines.len(),
            s.not_booked.len()
        )
        .unwrap();
        for (kind, lines) in [("entry", &s.lines), ("not-booked", &s.not_booked)] {
            for l in lines {
                writeln!(
                    out,
                    "  {kind} line={} booked={} value={} {} | {} | {} | ref={} | code={} e2e={} mandate={} cref={} reversal={} return={} | {}",
                    l.lineage.line,
                    l.booking_date,
                    l.value_date.map(|d| d.to_string()).unwrap_or_else(|| "-".to_string()),
                    l.amount,
                    l.counterparty,
                    l.counterparty_account,
                    l.bank_reference,
                    l.info.bank_transaction_code,
                    l.info.end_to_end_id,
                    l.info.mandate_id,
                    l.info.creditor_reference,
                    l.info.reversal,
                    l.info.return_reason,
                    l.text
                )
                .unwrap();
                if !l.info.instruction_id.is_empty() || !l.info.payment_information_id.is_empty() {
                    writeln!(
                        out,
                        "    instr={} batch={}",
                        l.info.instruction_id, l.info.payment_information_id
                    )
                    .unwrap();
                }
                if l.info.charges.is_some() || !l.info.counterparty_bic.is_empty() {
                    writeln!(
                        out,
                        "    charges={} bic={}",
                        l.info
                            .charges
                            .map(|c| c.to_string())
                            .unwrap_or_else(|| "-".to_string()),
                        l.info.counterparty_bic
                    )
                    .unwrap();
                }
                for d in &l.info.details {
                    writeln!(
                        out,
                        "    payment line={} {} | {} | {} | e2e={} instr={} mandate={} cref={} return={} | {}",
                        d.line,
                        d.amount.map(|a| a.to_string()).unwrap_or_else(|| "-".to_string()),
                        d.counterparty,
                        d.counterparty_account,
                        d.end_to_end_id,
                        d.instruction_id,
                        d.mandate_id,
                        d.creditor_reference,
                        d.return_reason,
                        d.text
                    )
                    .unwrap();
                }
            }
        }
    }
    out
}

/// Compares `actual` with the golden file at `tests/golden/<relative>`; with SLUICE_BLESS
/// set, writes it instead (review the diff before committing).
pub fn assert_golden(relative: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(relative);
    if std::env::var_os("SLUICE_BLESS").is_some() {
        fs::create_dir_all(path.parent().expect("a folder")).expect("golden folder");
        fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing; create it with SLUICE_BLESS=1",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{} differs (regenerate with SLUICE_BLESS=1 if the change is deliberate):\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

/// The account of `mt940_statement`.
pub const MT940_ACCOUNT: &str = "DE89370400440532013000";

/// One MT940 statement of `MT940_ACCOUNT` in EUR, ending with its `-` line: `:28C:`
/// `sequence`, the opening balance `opening` (in cents) on `from`, one credit of `credit`
/// cents booked on `to` with bank reference `reference`, and the closing balance that
/// follows on `to`. Several statements in one file are simply written one after another.
pub fn mt940_statement(
    sequence: &str,
    from: &str,
    opening: i64,
    to: &str,
    credit: i64,
    reference: &str,
) -> String {
    let day = |date: &str| date.replace('-', "")[2..].to_string();
    let amount = |cents: i64| format!("{},{:02}", cents / 100, cents % 100);
    format!(
        ":20:STMT-{sequence}\n:25:{MT940_ACCOUNT}\n:28C:{sequence}\n:60F:C{}EUR{}\n\
         :61:{}{}C{}NTRFNONREF//{reference}\n:86:Payment {reference}\n:62F:C{}EUR{}\n-\n",
        day(from),
        amount(opening),
        day(to),
        &day(to)[2..],
        amount(credit),
        day(to),
        amount(opening + credit)
    )
}

/// Every applied entry's standing matches (those no later decision withdrew) add up to its
/// amount: no money created or lost.
pub fn assert_lines_add_up(facts: &Facts) {
    let standing = sluice::ledger::current_matches(&facts.matches, &facts.decisions);
    for row in facts.bank_lines.iter().filter(|r| r.applied) {
        let sum: rust_decimal::Decimal = standing
            .iter()
            .filter(|m| m.matched.bank_line_id == row.line.id)
            .map(|m| m.matched.amount.amount)
            .sum();
        assert_eq!(
            sum, row.line.amount.amount,
            "matches of {} ({})",
            row.line.id, row.line.text
        );
    }
}

/// The demo bank, and a billing system's line-level invoice export as in
/// `samples/billing/invoice-lines-2026-10.csv` (net prices, the document's fields repeated
/// on every line).
pub const LINE_SOURCES: &str = concat!(
    demo_bank_source!(),
    r#"
[[sources]]
name = "billing-lines"
format = "invoice_csv"
files = ["invoice-lines-*.csv"]
currency = "EUR"

[sources.columns]
number = "Invoice No"
customer_id = "Customer No"
customer_name = "Customer Name"
issue_date = "Invoice Date"
due_date = "Due Date"
currency = "Currency"
status = "Status"
deleted = "Deleted"
line_description = "Item"
quantity = "Qty"
unit_price = "Unit Price"
vat_rate = "VAT %"
vat_amount = "VAT"
line_total = "Line Total"
category = "Category"
period_from = "Period From"
period_to = "Period To"
total = "Invoice Total"
"#
);

/// Invoice lines, the bank and customers, and a Xero target whose mapping names the
/// categories `service`, `hardware`, `one-time` and whatever `extra_categories` adds (lines
/// of `[targets.mapping.categories]`); the last table is the Xero target's, so more of its
/// sections may follow.
pub fn xero_mapped_pipeline(extra_categories: &str) -> String {
    format!(
        r#"{LINE_SOURCES}{CUSTOMER_SOURCE}
[[targets]]
name = "xero"
platform = "xero"

[targets.mapping]
contact_name = "{{name}} ({{id}})"

[targets.mapping.categories]
service = "200"
hardware = "210"
one-time = "220"
{extra_categories}

[targets.mapping.items]
hardware = "ROUTER"

[targets.mapping.tax_rates]
"19" = "19% (VAT on Income)"
"7" = "7% (VAT on Income)"
"0" = "Zero Rated Income"
"#
    )
}

pub const LINES_HEADER: &str = "Invoice No,Customer No,Customer Name,Invoice Date,Due Date,Currency,Status,Deleted,Item,Qty,Unit Price,VAT %,VAT,Line Total,Category,Period From,Period To,Invoice Total\n";

/// The line-level sample export shipped in `samples/billing/`.
pub fn invoice_lines_sample() -> Vec<u8> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/billing/invoice-lines-2026-10.csv");
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads `bytes` as the file `name` with the pipeline's source for that name, as a run
/// would; anything but documents fails the test.
pub fn read_documents(
    pipeline: &Pipeline,
    name: &str,
    bytes: &[u8],
) -> Result<Vec<sluice::model::Document>, sluice::sources::SourceError> {
    let source = pipeline
        .sources
        .iter()
        .find(|s| s.matches_file_name(name))
        .unwrap_or_else(|| panic!("no source reads {name}"));
    let sha256 = sluice::durable::sha256_hex(bytes);
    let file = sluice::sources::InputFile {
        name,
        sha256: &sha256,
        bytes,
    };
    match sluice::sources::parse(source, &file)? {
        sluice::sources::Records::Documents(documents) => Ok(documents),
        other => panic!("{name} was read as {other:?}, not as documents"),
    }
}

/// Documents and their lines as stable text: what golden files hold.
pub fn documents_snapshot(documents: &[sluice::model::Document]) -> String {
    use std::fmt::Write;
    let date =
        |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "-".to_string());
    let mut out = String::new();
    for d in documents {
        writeln!(
            out,
            "{} {} line={} customer={} ({}) issued={} due={} total={} status={} deleted={} itemized={} not_applied={}",
            d.kind.as_str(),
            d.number,
            d.lineage.line,
            d.customer_id,
            d.customer_name,
            d.issue_date,
            date(d.due_date),
            d.total,
            d.status.as_str(),
            d.deleted,
            d.itemized,
            d.not_applied().map(|n| n.reason()).unwrap_or("-"),
        )
        .unwrap();
        for l in &d.lines {
            writeln!(
                out,
                "  line={} {} | {} × {} = {} | VAT {} % {} | {} | {} .. {}",
                l.lineage.line,
                l.description,
                l.quantity,
                l.unit_price.amount,
                l.line_total.amount,
                l.vat_rate,
                l.vat_amount.amount,
                l.category,
                date(l.period_from),
                date(l.period_to),
            )
            .unwrap();
        }
    }
    out
}

/// The matches of the entry with this bank reference, in the order written.
pub fn matches_of<'a>(facts: &'a Facts, bank_reference: &str) -> Vec<&'a sluice::model::Match> {
    let line = facts
        .bank_lines
        .iter()
        .find(|r| r.line.bank_reference == bank_reference)
        .unwrap_or_else(|| panic!("no entry with bank reference {bank_reference}"));
    facts
        .matches
        .iter()
        .filter(|m| m.matched.bank_line_id == line.line.id)
        .map(|m| &m.matched)
        .collect()
}

/// Push options for tests: a short time-out and back-off, `attempts` tries per request.
pub fn quick_push(attempts: u32) -> sluice::delivery::PushOptions {
    sluice::delivery::PushOptions {
        timeout: std::time::Duration::from_millis(500),
        backoff: std::time::Duration::from_millis(10),
        max_attempts: attempts,
        ..sluice::delivery::PushOptions::default()
    }
}
