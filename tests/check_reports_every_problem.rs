//! `sluice check --pipeline P` reads a pipeline file and reports every problem in it at
//! once, each as `P:LINE: KEY: what is wrong`, and exits 2; a good file exits 0. `sluice run`
//! with a bad pipeline file exits 2 before it reads or writes anything.
//!
//! These tests run the real binary on pipeline files written into a temporary folder.

mod common;

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use common::{BANK_HEADER, Company, DEMO_SOURCES, tree};

/// The demo pipeline (bank CSV + invoice export + Xero), relative to the company folder.
fn good_pipeline() -> String {
    format!("name = \"acme\"\n\n[inbox]\npath = \"inbox\"\n{DEMO_SOURCES}")
}

/// `text` with the first occurrence of `anchor` (which must occur) replaced.
fn edit(text: &str, anchor: &str, replacement: &str) -> String {
    assert!(
        text.contains(anchor),
        "test set-up: {anchor:?} not in the pipeline"
    );
    text.replacen(anchor, replacement, 1)
}

/// The 1-based line of the only line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    let found: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(found.len(), 1, "test set-up: {needle:?} on lines {found:?}");
    found[0]
}

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Writes `text` as `pipeline.toml` in the company folder and runs `sluice <command>
/// --pipeline <that file>`.
fn sluice(company: &Company, command: &str, text: &str) -> (PathBuf, Output) {
    let path = company.path("pipeline.toml");
    fs::write(&path, text).expect("write pipeline");
    let out = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .arg(command)
        .arg("--pipeline")
        .arg(&path)
        .current_dir(company.dir.path())
        .env_remove("SLUICE_LOG")
        .output()
        .expect("sluice runs");
    let out = Output {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    (path, out)
}

/// `sluice check` on `text`: must exit 2. Returns the problem lines it printed, with the
/// pipeline path shortened to `P`.
fn problems(text: &str) -> Vec<String> {
    let company = Company::new();
    let (path, out) = sluice(&company, "check", text);
    assert_eq!(
        out.code, 2,
        "check of a bad pipeline exits 2\nstdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let path = path.display().to_string();
    let report = out.stderr.replace(&path, "P");
    let mut lines = report.lines();
    let heading = lines.next().unwrap_or_default().to_string();
    let problems: Vec<String> = lines
        .map(|l| {
            l.strip_prefix("  ")
                .filter(|p| p.starts_with("P:"))
                .unwrap_or_else(|| {
                    panic!("every problem on one line `  P:LINE: …`, not {l:?}:\n{report}")
                })
                .to_string()
        })
        .collect();
    assert_eq!(
        heading,
        format!("P has {} problem(s):", problems.len()),
        "the report counts its problems:\n{report}"
    );
    problems
}

/// Asserts one printed problem is `P:<line>: <key>: …<what>…`.
fn assert_reported(problems: &[String], line: usize, key: &str, what: &str) {
    let start = format!("P:{line}: {key}: ");
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with(&start) && p.contains(what)),
        "expected a problem starting {start:?} saying {what:?}; got:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_good_pipeline_passes_check_and_check_writes_nothing() {
    let company = Company::new();
    let before = tree(company.dir.path());

    let (_, out) = sluice(&company, "check", &good_pipeline());

    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("ok — pipeline \"acme\", 2 source(s), 1 target(s)"),
        "{}",
        out.stdout
    );
    let mut after = tree(company.dir.path());
    after.retain(|(name, _)| name != "pipeline.toml");
    assert_eq!(after, before);
    assert!(!company.path("ledger").exists());
}

#[test]
fn two_unknown_keys_in_different_sections_are_both_reported_on_their_lines() {
    let text = edit(
        &good_pipeline(),
        "path = \"inbox\"\n",
        "path = \"inbox\"\nachive = \"old\"\n",
    );
    let text = edit(
        &text,
        "thousands = \",\"\n",
        "thousands = \",\"\ndelimeter = \";\"\n",
    );

    let problems = problems(&text);

    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_reported(
        &problems,
        line_of(&text, "achive"),
        "inbox.achive",
        "unknown key",
    );
    let line = line_of(&text, "delimeter");
    assert!(
        problems[1].starts_with(&format!("P:{line}: sources"))
            && problems[1].contains("delimeter")
            && problems[1].contains("unknown key"),
        "{problems:#?}"
    );
}

#[test]
fn unknown_keys_in_a_source_are_named_like_every_other_source_key() {
    let text = edit(
        &good_pipeline(),
        "thousands = \",\"\n",
        "thousands = \",\"\ndelimeter = \";\"\n",
    );

    let problems = problems(&text);

    assert_reported(
        &problems,
        line_of(&text, "delimeter"),
        "sources[0].delimeter",
        "unknown key",
    );
}

#[test]
fn a_value_of_the_wrong_type_is_reported_on_its_line() {
    let text = edit(
        &good_pipeline(),
        "thousands = \",\"\n",
        "thousands = \",\"\nskip_lines = \"two\"\n",
    );

    let problems = problems(&text);

    assert_eq!(problems.len(), 1, "{problems:#?}");
    let line = line_of(&text, "skip_lines");
    assert!(
        problems[0].starts_with(&format!("P:{line}: "))
            && problems[0]
                .contains("skip_lines: wrong type: a text value \"two\", expected a whole number"),
        "{problems:#?}"
    );
}

#[test]
fn a_value_of_the_wrong_type_names_its_key() {
    let text = edit(
        &good_pipeline(),
        "thousands = \",\"\n",
        "thousands = \",\"\nskip_lines = \"two\"\n",
    );

    let problems = problems(&text);

    assert_reported(
        &problems,
        line_of(&text, "skip_lines"),
        "sources[0].skip_lines",
        "expected a whole number",
    );
}

#[test]
fn a_bank_source_without_a_booking_date_column_is_reported_at_its_columns() {
    let text = edit(&good_pipeline(), "booking_date = \"Booking Date\"\n", "");

    let problems = problems(&text);

    assert_eq!(problems.len(), 1, "{problems:#?}");
    let columns = text
        .lines()
        .position(|l| l == "[sources.columns]")
        .expect("first [sources.columns]")
        + 1;
    assert_reported(
        &problems,
        columns,
        "sources[0].columns",
        "missing mapping for `booking_date`",
    );
}

#[test]
fn an_unknown_currency_is_reported_with_its_key_and_line() {
    let text = edit(
        &good_pipeline(),
        "currency = \"EUR\"\n",
        "currency = \"EUX\"\n",
    );

    let problems = problems(&text);

    assert_reported(
        &problems,
        line_of(&text, "EUX"),
        "sources[0].currency",
        "\"EUX\" is not an ISO 4217 currency code",
    );
}

#[test]
fn an_unknown_currency_is_reported_once_not_also_as_missing() {
    let text = edit(
        &good_pipeline(),
        "currency = \"EUR\"\n",
        "currency = \"EUX\"\n",
    );

    let problems = problems(&text);

    assert_eq!(problems.len(), 1, "{problems:#?}");
}

#[test]
fn a_misspelt_column_role_is_reported_with_the_roles_sluice_knows() {
    let text = edit(
        &good_pipeline(),
        "amount = \"Amount\"\n",
        "amout = \"Amount\"\n",
    );

    let problems = problems(&text);

    assert_reported(
        &problems,
        line_of(&text, "amout"),
        "sources[0].columns.amout",
        "unknown column role (known: booking_date, value_date, amount, debit, credit",
    );
}

#[test]
fn a_bad_invoice_pattern_is_reported_with_its_key_and_line() {
    let text = format!(
        "{}\n[reconcile]\ninvoice_pattern = '(INV'\n",
        good_pipeline()
    );

    let problems = problems(&text);

    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_reported(
        &problems,
        line_of(&text, "invoice_pattern"),
        "reconcile.invoice_pattern",
        "not a valid regular expression",
    );
}

#[test]
fn each_bad_pattern_of_the_invoice_patterns_is_reported_at_its_place_in_the_list() {
    let text = format!(
        "{}\n[reconcile]\ninvoice_patterns = [\n  'INV-\\d+',\n  '(RE',\n  'X?',\n]\n",
        good_pipeline()
    );

    let problems = problems(&text);

    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_reported(
        &problems,
        line_of(&text, "'(RE'"),
        "reconcile.invoice_patterns[1]",
        "not a valid regular expression",
    );
    assert_reported(
        &problems,
        line_of(&text, "'X?'"),
        "reconcile.invoice_patterns[2]",
        "finds an empty text, so it would see an invoice number everywhere",
    );
}

#[test]
fn invoice_pattern_and_invoice_patterns_together_or_an_empty_list_are_reported() {
    let both = format!(
        "{}\n[reconcile]\ninvoice_pattern = 'INV-\\d+'\ninvoice_patterns = ['RE-\\d+']\n",
        good_pipeline()
    );
    let problems_of_both = problems(&both);
    assert_eq!(problems_of_both.len(), 1, "{problems_of_both:#?}");
    assert_reported(
        &problems_of_both,
        line_of(&both, "invoice_patterns"),
        "reconcile.invoice_patterns",
        "give either invoice_pattern (one) or invoice_patterns (a list), not both",
    );

    let empty = format!("{}\n[reconcile]\ninvoice_patterns = []\n", good_pipeline());
    let problems_of_empty = problems(&empty);
    assert_reported(
        &problems_of_empty,
        line_of(&empty, "invoice_patterns"),
        "reconcile.invoice_patterns",
        "is empty: list at least one pattern, or leave the key out for the default",
    );
}

#[test]
fn an_unknown_encoding_is_reported_with_the_encodings_to_use() {
    let text = edit(
        &good_pipeline(),
        "thousands = \",\"\n",
        "thousands = \",\"\nencoding = \"latin-9x\"\n",
    );

    let problems = problems(&text);

    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_reported(
        &problems,
        line_of(&text, "latin-9x"),
        "sources[0].encoding",
        "unknown encoding \"latin-9x\" (use utf-8, windows-1252 or iso-8859-1)",
    );
}

#[test]
fn a_missing_inbox_folder_is_reported_with_the_folder_it_looked_for() {
    let text = edit(&good_pipeline(), "path = \"inbox\"", "path = \"incoming\"");

    let problems = problems(&text);

    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_reported(
        &problems,
        line_of(&text, "incoming"),
        "inbox.path",
        "/incoming does not exist",
    );
}

/// Everything above wrong at once, except a value of the wrong type.
fn many_problems() -> String {
    let text = edit(
        &good_pipeline(),
        "path = \"inbox\"\n",
        "path = \"incoming\"\nachive = \"old\"\n",
    );
    let text = edit(
        &text,
        "thousands = \",\"\n",
        "thousands = \",\"\ndelimeter = \";\"\nencoding = \"latin-9x\"\n",
    );
    let text = edit(&text, "currency = \"EUR\"\n", "currency = \"EUX\"\n");
    let text = edit(&text, "booking_date = \"Booking Date\"\n", "");
    let text = edit(&text, "amount = \"Amount\"\n", "amout = \"Amount\"\n");
    format!("{text}\n[reconcile]\ninvoice_pattern = '(INV'\n")
}

fn assert_every_problem_of_many(text: &str, problems: &[String]) {
    assert_reported(
        problems,
        line_of(text, "incoming"),
        "inbox.path",
        "does not exist",
    );
    assert_reported(
        problems,
        line_of(text, "achive"),
        "inbox.achive",
        "unknown key",
    );
    assert!(
        problems.iter().any(
            |p| p.starts_with(&format!("P:{}: ", line_of(text, "delimeter")))
                && p.contains("delimeter")
        ),
        "{problems:#?}"
    );
    assert_reported(
        problems,
        line_of(text, "latin-9x"),
        "sources[0].encoding",
        "unknown encoding",
    );
    assert_reported(
        problems,
        line_of(text, "EUX"),
        "sources[0].currency",
        "ISO 4217",
    );
    assert_reported(
        problems,
        line_of(text, "amout"),
        "sources[0].columns.amout",
        "unknown column role",
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("sources[0].columns: missing mapping for `booking_date`")),
        "{problems:#?}"
    );
    assert_reported(
        problems,
        line_of(text, "invoice_pattern"),
        "reconcile.invoice_pattern",
        "not a valid regular expression",
    );
}

#[test]
fn every_problem_of_a_pipeline_is_reported_in_one_check() {
    let text = many_problems();

    let problems = problems(&text);

    assert_every_problem_of_many(&text, &problems);
}

#[test]
fn a_value_of_the_wrong_type_does_not_hide_the_other_problems() {
    let text = edit(
        &many_problems(),
        "thousands = \",\"\n",
        "thousands = \",\"\nskip_lines = \"two\"\n",
    );

    let problems = problems(&text);

    assert!(
        problems
            .iter()
            .any(|p| p.starts_with(&format!("P:{}: ", line_of(&text, "skip_lines")))),
        "{problems:#?}"
    );
    assert_every_problem_of_many(&text, &problems);
}

#[test]
fn run_with_a_bad_pipeline_exits_2_and_touches_nothing() {
    let company = Company::new();
    company.drop_file(
        "bank-2026-10.csv",
        format!("{BANK_HEADER}2026-10-01,2026-10-01,Anna,DE1,Abo,R1,29.90,EUR,29.90\n"),
    );
    let text = edit(
        &good_pipeline(),
        "currency = \"EUR\"\n",
        "currency = \"EUX\"\n",
    );
    fs::write(company.path("pipeline.toml"), &text).expect("write pipeline");
    let before = tree(company.dir.path());

    let (_, out) = sluice(&company, "run", &text);

    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("\"EUX\" is not an ISO 4217 currency code"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("nothing was read"), "{}", out.stderr);
    assert_eq!(tree(company.dir.path()), before, "not one file changed");
    for folder in ["ledger", "outbox", "quarantine", "archive"] {
        assert!(!company.path(folder).exists(), "{folder}/ was created");
    }
}

#[test]
fn a_sheet_numbered_from_zero_or_named_by_nothing_is_reported_on_its_line() {
    let text = edit(
        &good_pipeline(),
        "thousands = \",\"\n",
        "thousands = \",\"\nsheet = 0\n",
    );
    let text = edit(
        &text,
        "files = [\"invoices-*.csv\"]\n",
        "files = [\"invoices-*.csv\"]\nsheet = \" \"\n",
    );

    let problems = problems(&text);

    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_reported(
        &problems,
        line_of(&text, "sheet = 0"),
        "sources[0].sheet",
        "sheet number 0: sheets are counted from 1",
    );
    assert_reported(
        &problems,
        line_of(&text, "sheet = \" \""),
        "sources[1].sheet",
        "give the sheet's name as its tab shows it",
    );
}

#[test]
fn a_sheet_that_is_neither_name_nor_number_is_reported_in_plain_words() {
    let text = edit(
        &good_pipeline(),
        "thousands = \",\"\n",
        "thousands = \",\"\nsheet = true\n",
    );

    let problems = problems(&text);

    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_reported(
        &problems,
        line_of(&text, "sheet = true"),
        "sources[0].sheet",
        "expected a sheet name or a 1-based sheet number",
    );
}

#[test]
fn a_sheet_on_a_format_that_describes_itself_is_reported() {
    let text = format!(
        "{}\n[[sources]]\nname = \"collection-account\"\nformat = \"camt\"\nfiles = [\"camt053-*.xml\"]\nsheet = \"Statement\"\n",
        good_pipeline()
    );

    let problems = problems(&text);

    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_reported(
        &problems,
        line_of(&text, "sheet = \"Statement\""),
        "sources[2].sheet",
        "only sources with a [columns] mapping (bank_csv, invoice_csv, customers, transactions) read spreadsheets",
    );
}

#[test]
fn a_sheet_by_name_or_number_passes_check() {
    let company = Company::new();
    let text = edit(
        &good_pipeline(),
        "thousands = \",\"\n",
        "thousands = \",\"\nsheet = 2\n",
    );
    let text = edit(
        &text,
        "files = [\"invoices-*.csv\"]\n",
        "files = [\"invoices-*.csv\", \"invoices-*.xlsx\"]\nsheet = \"Invoices\"\n",
    );

    let (_, out) = sluice(&company, "check", &text);

    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn the_reconcile_rule_settings_are_checked_each_on_its_line() {
    let text = format!(
        "{}\n[reconcile]\namount_and_date_days = -3\ntolerance = 0.05\ntolerance_account = \"6855\"\nimport_from = \"01.10.2026\"\nby_customer = \"yes\"\n",
        good_pipeline()
    );

    let problems = problems(&text);

    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert_reported(
        &problems,
        line_of(&text, "amount_and_date_days"),
        "reconcile.amount_and_date_days",
        "-3 days: give a number of days from 0 to 366",
    );
    assert_reported(
        &problems,
        line_of(&text, "tolerance = "),
        "reconcile.tolerance",
        "write the amount in quotes, \"0.05\"",
    );
    assert_reported(
        &problems,
        line_of(&text, "import_from"),
        "reconcile.import_from",
        "01.10.2026 is not a day: write it as 2026-01-01",
    );
    assert_reported(
        &problems,
        line_of(&text, "by_customer"),
        "reconcile.by_customer",
        "expected true or false",
    );
}

#[test]
fn a_tolerance_without_an_account_to_book_it_to_is_reported() {
    let text = format!(
        "{}\n[reconcile]\ntolerance = {{ EUR = \"0.05\", XYZ = \"1\", CHF = \"-0.10\" }}\n",
        good_pipeline()
    );

    let problems = problems(&text);

    assert_eq!(problems.len(), 3, "{problems:#?}");
    let line = line_of(&text, "tolerance = ");
    assert_reported(
        &problems,
        line,
        "reconcile.tolerance_account",
        "missing: with a tolerance, name the account its differences are booked to",
    );
    assert_reported(&problems, line, "reconcile.tolerance.XYZ", "ISO 4217");
    assert_reported(
        &problems,
        line,
        "reconcile.tolerance.CHF",
        "-0.10 is negative",
    );
}

#[test]
fn the_reconcile_rule_settings_pass_check_when_right() {
    let company = Company::new();
    let text = format!(
        "{}\n[reconcile]\nby_customer = true\ncustomer_in_text = false\nby_amount_and_date = true\namount_and_date_days = 10\ntolerance = \"0.05\"\ntolerance_account = \"6855\"\ncredit_without_invoice = true\ncredit_for_paid_invoices = false\nimport_from = 2026-10-01\nrefunds_reduce_credit = true\n",
        good_pipeline()
    );

    let (_, out) = sluice(&company, "check", &text);

    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// The good pipeline with a journal target for `platform` and its `[targets.accounts]`
/// lines (the target is `targets[1]`).
fn with_journal(platform: &str, accounts: &str) -> String {
    format!(
        "{}\n[[targets]]\nname = \"audit\"\nplatform = \"{platform}\"\n\n[targets.accounts]\n{accounts}",
        good_pipeline()
    )
}

#[test]
fn a_journals_account_names_are_checked_against_beancounts_rules_each_on_its_line() {
    let text = with_journal(
        "beancount",
        "receivable = \"assets:receivable\"\nrevenue = \"Income:{rate}\"\nunmatched = \"Equity:Unmatched:\"\nvat = \"Liabilities:VAT:{rate}\"\n\n[targets.accounts.categories]\nservice = \"Income:service_fees\"\n\n[targets.accounts.vat_rates]\nstandard = \"Liabilities:VAT:Standard\"\n",
    );

    let problems = problems(&text);

    assert_eq!(problems.len(), 5, "{problems:#?}");
    assert_reported(
        &problems,
        line_of(&text, "receivable ="),
        "targets[1].accounts.receivable",
        "must start with Assets, Liabilities, Equity, Income or Expenses",
    );
    assert_reported(
        &problems,
        line_of(&text, "revenue ="),
        "targets[1].accounts.revenue",
        "{rate} cannot be used here, only {category}",
    );
    assert_reported(
        &problems,
        line_of(&text, "unmatched ="),
        "targets[1].accounts.unmatched",
        "has an empty part",
    );
    assert_reported(
        &problems,
        line_of(&text, "service ="),
        "targets[1].accounts.categories.service",
        "must start with a capital letter or a digit and hold only letters, digits and -",
    );
    assert_reported(
        &problems,
        line_of(&text, "standard ="),
        "targets[1].accounts.vat_rates.standard",
        "is not a VAT rate",
    );
}

#[test]
fn hledger_takes_lower_case_names_but_not_two_spaces_and_unknown_account_keys_are_named() {
    let text = with_journal(
        "hledger",
        "receivable = \"assets:receivable\"\nbank = \"assets:bank:{account}\"\nfees = \"expenses:gateway  fees\"\nsuspense = \"assets:suspense\"\n",
    );

    let problems = problems(&text);

    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_reported(
        &problems,
        line_of(&text, "fees ="),
        "targets[1].accounts.fees",
        "two spaces in a row",
    );
    assert_reported(
        &problems,
        line_of(&text, "suspense ="),
        "targets[1].accounts.suspense",
        "unknown key",
    );
}

#[test]
fn accounts_on_a_xero_target_and_a_date_format_on_a_journal_are_refused() {
    let text = edit(
        &good_pipeline(),
        "platform = \"xero\"\n",
        "platform = \"xero\"\n\n[targets.accounts]\nreceivable = \"Assets:Receivable\"\n\n[[targets]]\nname = \"audit\"\nplatform = \"hledger\"\ndate_format = \"%d.%m.%Y\"\n",
    );

    let problems = problems(&text);

    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_reported(
        &problems,
        line_of(&text, "[targets.accounts]") + 1,
        "targets[0].accounts",
        "only journal targets (platform \"hledger\" or \"beancount\") have this setting",
    );
    assert_reported(
        &problems,
        line_of(&text, "date_format = \"%d.%m.%Y\""),
        "targets[1].date_format",
        "a journal writes dates as YYYY-MM-DD",
    );
}

#[test]
fn journal_targets_with_their_accounts_pass_check() {
    let company = Company::new();
    let text = format!(
        "{}\n[[targets]]\nname = \"audit-beancount\"\nplatform = \"beancount\"\n\n[targets.accounts]\nreceivable = \"Assets:Debtors\"\nrevenue = \"Income:Sales:{{category}}\"\nbank = \"Assets:Bank:{{account}}\"\n\n[targets.accounts.banks]\n\"DE89 3704 0044 0532 0130 00\" = \"Assets:Bank:Business\"\n\n[targets.accounts.vat_rates]\n\"19\" = \"Liabilities:VAT:Standard\"\n\"5.5\" = \"Liabilities:VAT:Reduced\"\n\n[[targets]]\nname = \"audit-hledger\"\nplatform = \"hledger\"\n",
        good_pipeline()
    );

    let (_, out) = sluice(&company, "check", &text);

    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("3 target(s)"), "{}", out.stdout);
}

#[test]
fn the_xero_mapping_is_checked_each_value_on_its_line() {
    let text = edit(
        &good_pipeline(),
        "platform = \"xero\"\n",
        "platform = \"xero\"\n\n[targets.mapping]\ncontact_name = \"{name} {number}\"\namounts = \"gross\"\nnumbers = \"xero\"\ndefault_account = \"Revenue from sales\"\nlock_date = \"end of September\"\n\n[targets.mapping.categories]\nservice = \"\"\n\n[targets.mapping.tax_rates]\nnineteen = \"19% (VAT on Income)\"\n",
    );

    let problems = problems(&text);

    for (needle, key, what) in [
        ("{number}", "targets[0].mapping.contact_name", "{id}"),
        ("gross", "targets[0].mapping.amounts", "\"exclusive\""),
        (
            "numbers =",
            "targets[0].mapping.numbers",
            "needs each document's number",
        ),
        (
            "Revenue from sales",
            "targets[0].mapping.default_account",
            "10 characters",
        ),
        (
            "service = \"\"",
            "targets[0].mapping.categories.service",
            "is empty",
        ),
        (
            "nineteen",
            "targets[0].mapping.tax_rates.nineteen",
            "not a VAT rate",
        ),
        (
            "end of September",
            "targets[0].mapping.lock_date",
            "is not a date",
        ),
    ] {
        assert_reported(&problems, line_of(&text, needle), key, what);
    }
    assert_eq!(problems.len(), 7, "{problems:?}");
}

#[test]
fn the_xero_api_section_is_checked_each_value_on_its_line_and_names_no_secret() {
    let text = edit(
        &good_pipeline(),
        "platform = \"xero\"\n",
        "platform = \"xero\"\n\n[targets.mapping]\npayment_account = \"Business bank account\"\n\n[targets.api]\nbase_url = \"api.xero.com\"\ntoken_env = \"eyJhbGciOi.secret\"\nper_request = 500\n",
    );

    let problems = problems(&text);

    for (needle, key, what) in [
        ("base_url", "targets[0].api.base_url", "no web address"),
        ("token_env", "targets[0].api.token_env", "never the value"),
        ("base_url", "targets[0].api.tenant_env", "is missing"),
        (
            "payment_account",
            "targets[0].mapping.payment_account",
            "1 to 10 characters",
        ),
        (
            "per_request",
            "targets[0].api.per_request",
            "not from 1 to 100",
        ),
    ] {
        assert_reported(&problems, line_of(&text, needle), key, what);
    }
    assert_eq!(problems.len(), 5, "{problems:?}");
}

#[test]
fn the_statement_grouping_is_checked_on_its_line() {
    let text = edit(
        &good_pipeline(),
        "platform = \"xero\"\n",
        "platform = \"xero\"\nstatements = \"weekly\"\n",
    );
    let problems = problems(&text);
    assert_reported(
        &problems,
        line_of(&text, "weekly"),
        "targets[0].statements",
        "\"day\" or \"month\"",
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
}

#[test]
fn the_netsuite_target_is_checked_each_value_on_its_line() {
    let text = format!(
        "{}\n[[targets]]\nname = \"ns\"\nplatform = \"netsuite\"\n\n[targets.netsuite]\nsubsidiary = \" \"\n\n[targets.mapping]\namounts = \"inclusive\"\ndefault_account = \"Sales\"\npayment_account = \"Operating Account\"\n",
        good_pipeline()
    );
    let found = problems(&text);
    assert_reported(
        &found,
        line_of(&text, "subsidiary"),
        "targets[1].netsuite.subsidiary",
        "as NetSuite names it",
    );
    assert_reported(
        &found,
        line_of(&text, "amounts"),
        "targets[1].mapping.amounts",
        "before tax",
    );
    assert_eq!(found.len(), 2, "{found:?}");
    // The classification is NetSuite's alone, and NetSuite needs a mapping.
    let text = edit(
        &good_pipeline(),
        "platform = \"xero\"\n",
        "platform = \"xero\"\n\n[targets.netsuite]\nterms = \"Net 14\"\n",
    );
    let found = problems(&text);
    assert_reported(
        &found,
        line_of(&text, "Net 14"),
        "targets[0].netsuite",
        "only NetSuite targets",
    );
    let text = format!(
        "{}\n[[targets]]\nname = \"ns\"\nplatform = \"netsuite\"\n",
        good_pipeline()
    );
    let found = problems(&text);
    assert_reported(
        &found,
        line_of(&text, "\"netsuite\""),
        "targets[1].mapping",
        "need a [targets.mapping]",
    );
}

#[test]
fn the_payment_part_of_the_mapping_is_checked_each_value_on_its_line() {
    let text = format!(
        r#"{}
[[targets]]
name = "ns"
platform = "netsuite"

[targets.mapping]
default_account = "Internet service"

[[targets]]
name = "qbd"
platform = "quickbooks"
edition = "desktop"

[targets.mapping]
payment_account = " "
never_export = ["  "]

[targets.mapping.payment_accounts]
"DE89 3704 0044 0532 0130 00" = "Checking"
" " = "Savings"

[[targets]]
name = "qbo"
platform = "quickbooks"

[targets.mapping]
default_account = "Income"
payment_account = "Checking"
"#,
        good_pipeline()
    );

    let problems = problems(&text);

    for (needle, key, what) in [
        (
            "default_account = \"Internet service\"",
            "targets[1].mapping.payment_account",
            "is missing: NetSuite gets the run's payments",
        ),
        (
            "payment_account = \" \"",
            "targets[2].mapping.payment_account",
            "is not a QuickBooks Desktop bank account",
        ),
        (
            "never_export",
            "targets[2].mapping.never_export",
            "lists an empty account",
        ),
        (
            "\" \" = \"Savings\"",
            "targets[2].mapping.payment_accounts.\" \"",
            "names no bank account",
        ),
        (
            "payment_account = \"Checking\"",
            "targets[3].mapping.payment_account",
            "QuickBooks Online's import files take no payments",
        ),
    ] {
        assert_reported(&problems, line_of(&text, needle), key, what);
    }
    assert_eq!(problems.len(), 5, "{problems:?}");

    // A Xero target pushing payments needs to know where money is received.
    let text = edit(
        &good_pipeline(),
        "platform = \"xero\"\n",
        "platform = \"xero\"\n\n[targets.api]\ntoken_env = \"XERO_TOKEN\"\ntenant_env = \"XERO_TENANT\"\n",
    );
    let found = self::problems(&text);
    assert_reported(
        &found,
        line_of(&text, "token_env"),
        "targets[0].mapping.payment_account",
        "add payment_account = \"090\" (your code) under [targets.mapping]",
    );
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn a_mapping_on_a_journal_target_is_refused_on_its_line() {
    let text = format!(
        "{}\n[[targets]]\nname = \"audit\"\nplatform = \"hledger\"\n\n[targets.mapping]\ndefault_account = \"200\"\n",
        good_pipeline()
    );

    let problems = problems(&text);

    assert_reported(
        &problems,
        line_of(&text, "default_account"),
        "targets[1].mapping",
        "only Xero, QuickBooks, Sage and NetSuite targets",
    );
}

#[test]
fn the_quickbooks_target_is_checked_each_value_on_its_line() {
    let text = format!(
        "{}\n[[targets]]\nname = \"qbd\"\nplatform = \"quickbooks\"\nedition = \"desktop\"\ndate_format = \"%d.%m.%Y\"\n\n[targets.mapping]\ncontact_name = \"{{name}}: {{id}}\"\namounts = \"inclusive\"\nlineless_tax_rate = \"VAT 19%\"\npayment_account = \"Undeposited Funds\"\n\n[[targets]]\nname = \"qbo\"\nplatform = \"quickbooks\"\nedition = \"cloud\"\n\n[targets.mapping.items]\nhardware = \"Router\"\n\n[[targets]]\nname = \"bare\"\nplatform = \"quickbooks\"\n",
        good_pipeline()
    );

    let problems = problems(&text);

    for (needle, key, what) in [
        (
            "date_format = \"%d.%m",
            "targets[1].date_format",
            "MM/DD/YYYY",
        ),
        (
            "{name}: {id}",
            "targets[1].mapping.contact_name",
            "refuses in a name",
        ),
        (
            "amounts = \"inclusive\"",
            "targets[1].mapping.amounts",
            "leave amounts out",
        ),
        (
            "lineless_tax_rate",
            "targets[1].mapping.lineless_tax_rate",
            "default_account takes the whole total",
        ),
        ("edition = \"cloud\"", "targets[2].edition", "\"desktop\""),
        (
            "hardware = \"Router\"",
            "targets[2].mapping.items.hardware",
            "names no item",
        ),
    ] {
        assert_reported(&problems, line_of(&text, needle), key, what);
    }
    assert!(
        problems
            .iter()
            .any(|p| p.contains("targets[3].mapping") && p.contains("need a [targets.mapping]")),
        "{problems:?}"
    );
    assert_eq!(problems.len(), 7, "{problems:?}");
}

#[test]
fn the_sage_target_is_checked_each_value_on_its_line() {
    let text = format!(
        "{}\n[[targets]]\nname = \"sage\"\nplatform = \"sage\"\n\n[targets.mapping]\ndefault_account = \"Sales\"\nrounding_account = \"\"\nnumbers = \"sage\"\n\n[targets.mapping.tax_rates]\n\"15\" = \"Standard Rate\"\n\n[[targets]]\nname = \"xero-rounding\"\nplatform = \"xero\"\n\n[targets.mapping]\nrounding_account = \"Rounding\"\n\n[[targets]]\nname = \"bare-sage\"\nplatform = \"sage\"\n",
        good_pipeline()
    );

    let problems = problems(&text);

    for (needle, key, what) in [
        (
            "rounding_account = \"\"",
            "targets[1].mapping.rounding_account",
            "is empty",
        ),
        (
            "numbers = \"sage\"",
            "targets[1].mapping.numbers",
            "leave numbers out",
        ),
        (
            "default_account = \"Sales\"",
            "targets[1].mapping.tax_rates",
            "the rounding line carries no VAT",
        ),
        (
            "rounding_account = \"Rounding\"",
            "targets[2].mapping.rounding_account",
            "leave rounding_account out",
        ),
    ] {
        assert_reported(&problems, line_of(&text, needle), key, what);
    }
    assert!(
        problems
            .iter()
            .any(|p| p.contains("targets[3].mapping") && p.contains("need a [targets.mapping]")),
        "{problems:?}"
    );
    assert_eq!(problems.len(), 5, "{problems:?}");
}
