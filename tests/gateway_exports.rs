//! Payment-gateway exports (PayPal, Braintree, GoCardless, Stripe): each is recognised by
//! its header row alone and read into transactions and payouts that match golden snapshots
//! a reviewer can read — the demo's samples and real PayPal files; every kind of broken
//! row is refused with the file, the line, the column and the reason; no bytes make a
//! reader panic; and a payout's records carry what reconciliation needs to check it against
//! its transactions, without the reader refusing a payout that does not add up.

mod common;

use std::fmt::Write;
use std::fs;
use std::path::Path;

use common::{assert_golden, fixture};
use proptest::prelude::*;
use rust_decimal::Decimal;
use sluice::durable::sha256_hex;
use sluice::model::Money;
use sluice::pipeline::SourceFormat;
use sluice::sources::{self, GatewayExport, InputFile, Records, SourceError};

const GATEWAYS: [SourceFormat; 4] = [
    SourceFormat::PayPal,
    SourceFormat::Braintree,
    SourceFormat::GoCardless,
    SourceFormat::Stripe,
];

fn read(format: SourceFormat, name: &str, bytes: &[u8]) -> Result<GatewayExport, SourceError> {
    let sha256 = sha256_hex(bytes);
    let file = InputFile {
        name,
        sha256: &sha256,
        bytes,
    };
    match sources::parse_standard(format, &file)? {
        Records::Gateway(export) => Ok(export),
        other => panic!("{name} was read as {other:?}, not as a gateway export"),
    }
}

/// A gateway sample: Stripe's beside the demo's other inputs, the rest in `gateways/`.
fn sample(name: &str) -> Vec<u8> {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let path = if name.starts_with("stripe-") {
        samples.join(name)
    } else {
        samples.join("gateways").join(name)
    };
    fs::read(&path).unwrap_or_else(|e| panic!("sample {}: {e}", path.display()))
}

fn dash(text: &str) -> &str {
    if text.is_empty() { "-" } else { text }
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// An export as stable text, one line per record: what golden files hold.
fn snapshot(export: &GatewayExport) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "{} | {} | {} transaction(s), {} payout(s)",
        export.gateway.as_str(),
        export.export,
        export.transactions.len(),
        export.payouts.len()
    )
    .unwrap();
    for t in &export.transactions {
        writeln!(
            out,
            "transaction line={} id={} kind={} type={:?} date={} gross={} fee={} net={} status={} settled={}",
            t.lineage.line,
            t.transaction_id,
            t.kind.as_str(),
            t.type_text,
            t.date,
            t.gross,
            t.fee,
            t.net,
            dash(&t.status),
            t.settled
        )
        .unwrap();
        writeln!(
            out,
            "  payer={} <{}> customer={} invoice={} related={} payout={} payout_date={} balance={} refunded={}",
            dash(&t.payer_name),
            dash(&t.payer_email),
            dash(&t.customer_reference),
            dash(&t.invoice_reference),
            dash(&t.related_transaction_id),
            dash(&t.payout_id),
            opt(t.payout_date),
            opt(t.balance),
            opt(t.refunded)
        )
        .unwrap();
        if !t.description.is_empty() || !t.metadata.is_empty() {
            let metadata: Vec<String> =
                t.metadata.iter().map(|(k, v)| format!("{k}={v}")).collect();
            writeln!(
                out,
                "  text={:?} metadata=[{}]",
                t.description,
                metadata.join(", ")
            )
            .unwrap();
        }
    }
    for p in &export.payouts {
        writeln!(
            out,
            "payout line={} id={} date={} amount={} fee={} bank_reference={} status={} settled={}",
            p.lineage.line,
            p.payout_id,
            p.date,
            p.amount,
            opt(p.fee),
            dash(&p.bank_reference),
            dash(&p.status),
            p.settled
        )
        .unwrap();
    }
    out
}

const SAMPLES: [(&str, SourceFormat); 6] = [
    ("paypal-activity-2026-10.csv", SourceFormat::PayPal),
    (
        "braintree-transactions-2026-10.csv",
        SourceFormat::Braintree,
    ),
    ("gocardless-payments-2026-10.csv", SourceFormat::GoCardless),
    ("gocardless-payouts-2026-10.csv", SourceFormat::GoCardless),
    (
        "stripe-payout-reconciliation-2026-10.csv",
        SourceFormat::Stripe,
    ),
    ("stripe-payouts-2026-10.csv", SourceFormat::Stripe),
];

const PAYPAL_FIXTURES: [&str; 4] = [
    "activity_en.csv",
    "empty_activity.csv",
    "statement_en.csv",
    "statement_es.csv",
];

// ---- golden snapshots ---------------------------------------------------------------------

/// The demo's samples; read the golden files against the CSVs when either changes.
#[test]
fn the_samples_match_their_golden_snapshots() {
    for (name, format) in SAMPLES {
        let export = read(format, name, &sample(name)).unwrap_or_else(|e| panic!("{e}"));
        assert_golden(
            &format!("gateway/{}", name.replace(".csv", ".txt")),
            &snapshot(&export),
        );
    }
}

/// Real PayPal files: an activity download, an empty one, an English and a Spanish
/// statement.
#[test]
fn real_paypal_exports_match_their_golden_snapshots() {
    for name in PAYPAL_FIXTURES {
        let bytes = fixture(&format!("gateway/paypal/{name}"));
        let export = read(SourceFormat::PayPal, name, &bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_golden(
            &format!("gateway/paypal-{}", name.replace(".csv", ".txt")),
            &snapshot(&export),
        );
    }
}

#[test]
fn the_fixtures_are_the_bytes_sources_md_lists() {
    let listed = String::from_utf8(fixture("gateway/SOURCES.md")).unwrap();
    for name in PAYPAL_FIXTURES {
        let line = format!(
            "{}  paypal/{name}",
            sha256_hex(&fixture(&format!("gateway/paypal/{name}")))
        );
        assert!(listed.contains(&line), "SOURCES.md does not list {line}");
    }
}

/// What the samples promise the reconciliation that will read them: every payout is the
/// net of its transactions, and every payment names an invoice of the demo's export.
#[test]
fn every_sample_payout_is_the_net_of_its_transactions() {
    let gocardless = read(
        SourceFormat::GoCardless,
        "p",
        &sample("gocardless-payments-2026-10.csv"),
    )
    .unwrap();
    let gocardless_payouts = read(
        SourceFormat::GoCardless,
        "q",
        &sample("gocardless-payouts-2026-10.csv"),
    )
    .unwrap();
    let stripe = read(
        SourceFormat::Stripe,
        "r",
        &sample("stripe-payout-reconciliation-2026-10.csv"),
    )
    .unwrap();
    let stripe_payouts = read(
        SourceFormat::Stripe,
        "s",
        &sample("stripe-payouts-2026-10.csv"),
    )
    .unwrap();
    for (transactions, payouts) in [
        (&gocardless.transactions, &gocardless_payouts.payouts),
        (&stripe.transactions, &stripe_payouts.payouts),
    ] {
        assert!(!payouts.is_empty());
        for p in payouts {
            assert!(p.unexplained(transactions).is_zero(), "{p:?}");
        }
    }

    // PayPal names no payout on its transactions: the withdrawal took the whole balance.
    let paypal = read(
        SourceFormat::PayPal,
        "t",
        &sample("paypal-activity-2026-10.csv"),
    )
    .unwrap();
    let withdrawal = &paypal.payouts[0];
    let before: Decimal = paypal
        .transactions
        .iter()
        .filter(|t| t.lineage.line < withdrawal.lineage.line)
        .map(|t| t.net.amount)
        .sum();
    assert_eq!(withdrawal.amount.amount, before);

    // Braintree names its disbursements by merchant account and day.
    let braintree = read(
        SourceFormat::Braintree,
        "u",
        &sample("braintree-transactions-2026-10.csv"),
    )
    .unwrap();
    let disbursed: Decimal = braintree
        .transactions
        .iter()
        .filter(|t| t.payout_id == "acmeispEUR/2026-10-15")
        .map(|t| t.net.amount)
        .sum();
    assert_eq!(disbursed.to_string(), "119.70");

    let demo =
        sluice::pipeline::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("pipelines/demo.toml"))
            .unwrap();
    let billing = demo
        .sources
        .iter()
        .find(|s| s.format == SourceFormat::InvoiceCsv)
        .unwrap();
    let bytes =
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/invoices-2026-10.xlsx"))
            .unwrap();
    let sha256 = sha256_hex(&bytes);
    let file = InputFile {
        name: "invoices-2026-10.xlsx",
        sha256: &sha256,
        bytes: &bytes,
    };
    let Records::Documents(invoices) = sources::parse(billing, &file).unwrap() else {
        panic!("the demo's invoice export reads as documents");
    };
    for export in [&paypal, &braintree, &gocardless, &stripe] {
        for t in &export.transactions {
            assert!(
                invoices
                    .iter()
                    .any(|d| d.number == t.invoice_reference
                        && d.customer_id == t.customer_reference),
                "{} of customer {} is not an invoice of the demo",
                t.invoice_reference,
                t.customer_reference
            );
        }
    }
}

// ---- recognised by the header row --------------------------------------------------------

#[test]
fn each_export_is_recognised_by_its_header_as_its_gateway_and_nothing_else() {
    let mut files: Vec<(String, Vec<u8>, SourceFormat)> = SAMPLES
        .iter()
        .map(|(name, format)| (name.to_string(), sample(name), *format))
        .collect();
    for name in PAYPAL_FIXTURES {
        files.push((
            name.to_string(),
            fixture(&format!("gateway/paypal/{name}")),
            SourceFormat::PayPal,
        ));
    }
    for (name, bytes, format) in files {
        assert_eq!(sources::detect(&bytes), Some(format), "{name}");
        // The header row alone is enough: no rows, another name.
        let header = bytes.split(|b| *b == b'\n').next().unwrap();
        assert_eq!(sources::detect(header), Some(format), "header of {name}");
        for other in GATEWAYS.into_iter().filter(|f| *f != format) {
            let e = read(other, &name, &bytes).expect_err("read as another gateway");
            assert_eq!(e.line, Some(1), "{name} as {other:?}: {e}");
            assert!(e.message.contains("the header has no column"), "{e}");
        }
    }
}

#[test]
fn bank_and_billing_csvs_are_not_gateway_exports() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for path in [
        root.join("samples/bank-2026-10.csv"),
        root.join("samples/invoices-2026-10.xlsx"),
        root.join("tests/fixtures/sheets/invoices.csv"),
        root.join("tests/fixtures/bank_csv/debit_credit.csv"),
        root.join("tests/fixtures/bank_csv/meta_data_separated_credit_debit.csv"),
        root.join("tests/fixtures/bank_csv/german_soll_haben_cp1252.csv"),
    ] {
        let bytes = fs::read(&path).unwrap();
        assert_eq!(sources::detect(&bytes), None, "{}", path.display());
    }
    // A header that has most of PayPal's columns is still not PayPal's.
    let almost = b"Date,Time,Name,Type,Status,Currency,Gross,Fee,Net\n";
    assert_eq!(sources::detect(almost), None);
}

// ---- refusals: file, line, column, reason -------------------------------------------------

const PAYPAL_HEADER: &str = "\"Date\",\"Time\",\"TimeZone\",\"Name\",\"Type\",\"Status\",\"Currency\",\"Gross\",\"Fee\",\"Net\",\"From Email Address\",\"To Email Address\",\"Transaction ID\",\"Balance\"\n";

fn paypal_row(date: &str, currency: &str, gross: &str, fee: &str, net: &str) -> String {
    format!(
        "\"{date}\",\"10:00:00\",\"CEST\",\"Ada Lovelace\",\"Website Payment\",\"Completed\",\"{currency}\",\"{gross}\",\"{fee}\",\"{net}\",\"ada@example.net\",\"shop@example.net\",\"TX1\",\"{net}\"\n"
    )
}

/// Two good rows (lines 2, 3), then `bad` on line 4.
fn paypal_with(bad: &str) -> String {
    format!(
        "{PAYPAL_HEADER}{}{}{bad}",
        paypal_row("13/10/2026", "EUR", "39.90", "-1.34", "38.56"),
        paypal_row("14/10/2026", "EUR", "1,039.90", "-26.24", "1,013.66")
    )
}

fn refusal(format: SourceFormat, text: &str) -> SourceError {
    read(format, "export.csv", text.as_bytes()).expect_err("the file is refused")
}

fn assert_refused(e: &SourceError, line: Option<u64>, column: Option<&str>, reason: &str) {
    assert_eq!(e.file, "export.csv", "{e}");
    assert_eq!(e.line, line, "{e}");
    assert_eq!(e.column.as_deref(), column, "{e}");
    assert!(e.message.contains(reason), "expected {reason:?} in: {e}");
    assert!(!e.hint.is_empty(), "{e}");
    let shown = e.to_string();
    assert!(shown.starts_with("export.csv:"), "{shown}");
}

#[test]
fn the_good_rows_of_the_refusal_tests_read() {
    let export = read(
        SourceFormat::PayPal,
        "export.csv",
        paypal_with("").as_bytes(),
    )
    .unwrap();
    assert_eq!(export.transactions.len(), 2);
    assert_eq!(export.transactions[1].gross.to_string(), "EUR 1039.90");
    assert_eq!(export.transactions[1].fee.to_string(), "EUR 26.24");
}

#[test]
fn a_bad_amount_is_refused_with_its_line_and_column() {
    let e = refusal(
        SourceFormat::PayPal,
        &paypal_with(&paypal_row("15/10/2026", "EUR", "39,9x", "-1.34", "38.56")),
    );
    assert_refused(&e, Some(4), Some("Gross"), "\"39,9x\" is not an amount");
}

#[test]
fn a_row_whose_net_is_not_gross_less_fee_is_refused_naming_the_three_figures() {
    let e = refusal(
        SourceFormat::PayPal,
        &paypal_with(&paypal_row("15/10/2026", "EUR", "39.90", "-1.34", "38.65")),
    );
    assert_refused(
        &e,
        Some(4),
        Some("Net"),
        "gross 39.90 − fee 1.34 = 38.56, but the row says net 38.65",
    );

    let stripe =
        format!("{STRIPE_HEADER}txn_1,2026-10-02 10:15:31,eur,29.90,0.70,29.30,charge,INV-1\n");
    let e = refusal(SourceFormat::Stripe, &stripe);
    assert_refused(
        &e,
        Some(2),
        Some("net"),
        "gross 29.90 − fee 0.70 = 29.20, but the row says net 29.30",
    );
}

#[test]
fn a_missing_required_column_is_refused_at_the_header() {
    let header = PAYPAL_HEADER.replace(",\"Net\"", "");
    let e = refusal(SourceFormat::PayPal, &header);
    assert_refused(
        &e,
        Some(1),
        Some("Net"),
        "the header has no column \"Net\": this is not a PayPal activity download",
    );

    let e = refusal(
        SourceFormat::GoCardless,
        "id,amount,currency,status\nPM1,1.00,EUR,paid_out\n",
    );
    assert_refused(
        &e,
        Some(1),
        Some("charge_date"),
        "GoCardless payments export",
    );
}

#[test]
fn a_bad_date_is_refused_with_its_line_and_column() {
    let e = refusal(
        SourceFormat::PayPal,
        &paypal_with(&paypal_row("31/02/2026", "EUR", "39.90", "-1.34", "38.56")),
    );
    assert_refused(&e, Some(4), Some("Date"), "\"31/02/2026\" is not a date");

    let e = refusal(
        SourceFormat::PayPal,
        &paypal_with(&paypal_row("Oct 15", "EUR", "39.90", "-1.34", "38.56")),
    );
    assert_refused(&e, Some(4), Some("Date"), "\"Oct 15\" is not a date");
}

#[test]
fn dates_that_could_be_either_order_are_refused_rather_than_guessed() {
    let text = format!(
        "{PAYPAL_HEADER}{}",
        paypal_row("05/10/2026", "EUR", "39.90", "-1.34", "38.56")
    );
    let e = refusal(SourceFormat::PayPal, &text);
    assert_refused(
        &e,
        Some(2),
        Some("Date"),
        "could be day/month/year or month/day/year",
    );
}

#[test]
fn dates_of_one_file_in_both_orders_are_refused() {
    let text = format!(
        "{PAYPAL_HEADER}{}{}",
        paypal_row("13/10/2026", "EUR", "39.90", "-1.34", "38.56"),
        paypal_row("10/14/2026", "EUR", "39.90", "-1.34", "38.56")
    );
    let e = refusal(SourceFormat::PayPal, &text);
    assert_refused(&e, Some(3), Some("Date"), "the dates of the file disagree");
}

#[test]
fn an_unknown_currency_is_refused_with_its_line_and_column() {
    let e = refusal(
        SourceFormat::PayPal,
        &paypal_with(&paypal_row("15/10/2026", "EUX", "39.90", "-1.34", "38.56")),
    );
    assert_refused(
        &e,
        Some(4),
        Some("Currency"),
        "\"EUX\" is not an ISO 4217 currency code",
    );
}

#[test]
fn more_decimals_than_the_currency_has_are_refused_not_rounded() {
    let e = refusal(
        SourceFormat::PayPal,
        &paypal_with(&paypal_row("15/10/2026", "JPY", "3990.5", "-134", "3856.5")),
    );
    assert_refused(
        &e,
        Some(4),
        Some("Gross"),
        "has more decimals than JPY has (0)",
    );
}

#[test]
fn a_row_cut_short_is_refused_naming_the_first_missing_column() {
    let full = paypal_with(&paypal_row("15/10/2026", "EUR", "39.90", "-1.34", "38.56"));
    // The file ends in the middle of its last row, after `"Gross"`.
    let cut = &full[..full.rfind(",\"-1.34\"").unwrap()];
    let e = refusal(SourceFormat::PayPal, cut);
    assert_refused(
        &e,
        Some(4),
        Some("Fee"),
        "the row ends after 8 of the 14 columns the header names: it is cut short",
    );
}

#[test]
fn a_row_with_more_fields_than_the_header_is_refused() {
    let e = refusal(
        SourceFormat::GoCardless,
        &format!("{GC_HEADER}PM1,2026-10-06,1,234.50,EUR,paid_out,0.20,PO1\n"),
    );
    assert_refused(
        &e,
        Some(2),
        None,
        "the row has 8 fields but the header names 7",
    );
}

#[test]
fn an_empty_transaction_id_is_refused() {
    let e = refusal(
        SourceFormat::GoCardless,
        &format!(
            "{GC_HEADER}PM1,2026-10-06,10.00,EUR,paid_out,0.30,PO1\n,2026-10-06,10.00,EUR,paid_out,0.30,PO1\n"
        ),
    );
    assert_refused(&e, Some(3), Some("id"), "is empty");
}

#[test]
fn a_stripe_report_run_with_a_decimal_comma_is_refused_clearly() {
    let e = refusal(
        SourceFormat::Stripe,
        &format!(
            "{STRIPE_HEADER}txn_1,2026-10-02 10:15:31,eur,\"29,90\",\"0,70\",\"29,20\",charge,INV-1\n"
        ),
    );
    assert_refused(&e, Some(2), Some("gross"), "\"29,90\" is not an amount");
    assert!(e.message.contains("like 1234.56"), "{e}");
}

#[test]
fn a_stripe_payouts_report_with_a_row_that_is_no_payout_is_refused() {
    let e = refusal(
        SourceFormat::Stripe,
        "payout_id,currency,gross,fee,net,reporting_category,payout_status,payout_expected_arrival_date\npo_1,eur,-10.00,0.00,-10.00,charge,paid,2026-10-09\n",
    );
    assert_refused(
        &e,
        Some(2),
        Some("reporting_category"),
        "\"charge\" is not a payout",
    );
}

#[test]
fn a_file_that_is_not_utf8_is_refused_with_its_line() {
    let mut bytes = paypal_with("").into_bytes();
    bytes.extend(b"\"15/10/2026\",\"10:00:00\",\"CEST\",\"M\xfcller\"\n");
    let e = read(SourceFormat::PayPal, "export.csv", &bytes).unwrap_err();
    assert_eq!(e.line, Some(4), "{e}");
    assert!(e.message.contains("is not valid UTF-8"), "{e}");
    assert!(e.hint.contains("PayPal exports are UTF-8 CSV"), "{e}");
}

const STRIPE_HEADER: &str = "balance_transaction_id,created,currency,gross,fee,net,reporting_category,payment_metadata[invoice_number]\n";
const GC_HEADER: &str = "id,charge_date,amount,currency,status,transaction_fee,links.payout\n";

// ---- properties ----------------------------------------------------------------------------

fn cents(n: i64) -> String {
    Money::from_minor(n, sluice::model::Currency::from_code("EUR").unwrap())
        .amount
        .to_string()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Whatever bytes arrive — real exports with bytes overwritten anywhere, or anything
    /// after a gateway's header — every reader returns records or a refusal with a reason
    /// and a hint: never a panic.
    #[test]
    fn any_bytes_are_read_or_refused_never_a_panic(
        which in 0..SAMPLES.len(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        tail in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut bytes = sample(SAMPLES[which].0);
        for (at, byte) in &edits {
            let i = at.index(bytes.len());
            bytes[i] = *byte;
        }
        let header_end = bytes.iter().position(|b| *b == b'\n').map_or(bytes.len(), |i| i + 1);
        let mut header_and_tail = bytes[..header_end].to_vec();
        header_and_tail.extend(&tail);
        for candidate in [&bytes, &header_and_tail] {
            let _ = sources::detect(candidate);
            for format in GATEWAYS {
                if let Err(e) = read(format, "mangled.csv", candidate) {
                    prop_assert!(!e.message.is_empty() && !e.hint.is_empty());
                }
            }
        }
    }

    /// A payout is the net of the transactions that name it, or reconciliation sees the
    /// difference: the reader refuses neither. Written as Stripe's payout reconciliation
    /// and payouts reports, and as GoCardless's payments and payouts exports.
    #[test]
    fn a_payout_is_the_net_of_its_transactions_or_its_records_show_the_difference(
        rows in proptest::collection::vec((1i64..500_000, 0i64..5_000, any::<bool>()), 1..12),
        difference in prop_oneof![Just(0i64), -10_000i64..10_000],
    ) {
        let mut stripe = String::from(
            "automatic_payout_id,automatic_payout_effective_at,balance_transaction_id,created,currency,gross,fee,net,reporting_category\n",
        );
        let mut gocardless = String::from("id,charge_date,amount,currency,status,transaction_fee,links.payout\n");
        let mut net_total = 0i64;
        let mut gc_total = 0i64;
        for (k, (amount, fee, refund)) in rows.iter().enumerate() {
            let (gross, category) = if *refund { (-amount, "refund") } else { (*amount, "charge") };
            net_total += gross - fee;
            writeln!(
                stripe,
                "po_1,2026-10-23 02:00:00,txn_{k},2026-10-02 10:15:31,eur,{},{},{},{category}",
                cents(gross), cents(*fee), cents(gross - fee)
            ).unwrap();
            gc_total += amount - fee;
            writeln!(
                gocardless,
                "PM{k},2026-10-06,{},EUR,paid_out,{},PO1",
                cents(*amount), cents(*fee)
            ).unwrap();
        }
        let stripe_payouts = format!(
            "payout_id,currency,gross,fee,net,reporting_category,payout_status,payout_expected_arrival_date\npo_1,eur,{},0.00,{},payout,paid,2026-10-23\n",
            cents(-(net_total + difference)), cents(-(net_total + difference))
        );
        let gocardless_payouts = format!(
            "id,amount,currency,created_at,reference,status,arrival_date\nPO1,{},EUR,2026-10-07,REF,paid,2026-10-09\n",
            cents(gc_total + difference)
        );
        for (format, transactions, payouts) in [
            (SourceFormat::Stripe, stripe, stripe_payouts),
            (SourceFormat::GoCardless, gocardless, gocardless_payouts),
        ] {
            let transactions = read(format, "t.csv", transactions.as_bytes()).unwrap();
            let payouts = read(format, "p.csv", payouts.as_bytes()).unwrap();
            prop_assert_eq!(payouts.payouts.len(), 1);
            let payout = &payouts.payouts[0];
            for t in &transactions.transactions {
                prop_assert_eq!(t.net.amount, t.gross.amount - t.fee.amount);
                prop_assert_eq!(&t.payout_id, &payout.payout_id);
            }
            let unexplained = payout.unexplained(&transactions.transactions);
            prop_assert_eq!(unexplained.to_minor().unwrap(), difference);
            prop_assert_eq!(payout.gateway, transactions.gateway);
        }
    }
}
