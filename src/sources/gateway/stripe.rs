//! Stripe: the financial reports' itemized CSVs, as the Dashboard downloads them and the
//! Reports API writes them — the itemized payout reconciliation report
//! (`payout_reconciliation.itemized.5`; the balance report's
//! `balance_change_from_activity.itemized.3` has the same columns) and the itemized payouts
//! report (`payouts.itemized.3`). These report CSVs write amounts in major units as
//! decimals (`10.00` for USD 10 — <https://docs.stripe.com/reports/api>: "CSV and API
//! monetary formats differ"; the API and some Dashboard list exports use integer minor
//! units, which sluice does not read) with `.` unless the report was run with
//! `decimal_separator`, and dates as `YYYY-MM-DD HH:MM:SS`.
//!
//! Column names: <https://docs.stripe.com/reports/report-types/payout-reconciliation> and
//! <https://docs.stripe.com/reports/report-types/balance> (`automatic_payout_id`,
//! `automatic_payout_effective_at`, `balance_transaction_id`, `created_utc`, `created`,
//! `available_on_utc`, `available_on`, `currency`, `gross`, `fee`, `net`,
//! `reporting_category`, `source_id`, `description`, `customer_id`, `customer_email`,
//! `customer_name`, `charge_id`, `invoice_number`, `payment_metadata[key]`,
//! `refund_metadata[key]` …; for payouts `payout_id`, `effective_at`,
//! `payout_expected_arrival_date`, `payout_status`, `trace_id` …). Reporting categories:
//! <https://docs.stripe.com/reports/reporting-categories>.
//!
//! Signs are the balance's: a charge is positive, a refund negative, and a payout — money
//! leaving the balance for the bank — negative; its `amount` here is therefore `-gross`.

use super::{Col, GatewayExport, Layout, POINT, REDOWNLOAD, Row, RowKind, Table, negate};
use crate::model::{Gateway, GatewayPayout, GatewayTransaction, Money, TransactionKind};
use crate::sources::SourceError;

const TRANSACTIONS: Layout = Layout {
    export: "Stripe itemized payout reconciliation report",
    required: &[
        "balance_transaction_id",
        "currency",
        "gross",
        "fee",
        "net",
        "reporting_category",
    ],
};

const PAYOUTS: Layout = Layout {
    export: "Stripe itemized payouts report",
    required: &[
        "payout_id",
        "currency",
        "gross",
        "fee",
        "net",
        "reporting_category",
        "payout_status",
    ],
};

pub(super) const LAYOUTS: &[Layout] = &[TRANSACTIONS, PAYOUTS];

/// Metadata keys our billing integration writes on each PaymentIntent.
const INVOICE_KEY: &str = "payment_metadata[invoice_number]";
const CUSTOMER_KEY: &str = "payment_metadata[customer_number]";

/// `reporting_category`, mapped one by one; the rest (transfers, top-ups, reserves,
/// Connect and Issuing categories, `other_adjustment` …) is `Other`.
fn kind(category: &str) -> RowKind {
    use TransactionKind::*;
    match category.trim() {
        "charge" => RowKind::Transaction(Payment),
        // A refund, and a refund that failed and gave the money back to the balance.
        "refund" | "refund_failure" => RowKind::Transaction(Refund),
        // A dispute, a won dispute, and an asynchronous payment (SEPA or ACH debit) that
        // failed after it was booked.
        "dispute" | "dispute_reversal" | "charge_failure" => RowKind::Transaction(Chargeback),
        // Stripe fees on their own rows, network costs, and tax on Stripe's fees.
        "fee" | "network_cost" | "tax" => RowKind::Transaction(Fee),
        "payout" | "payout_reversal" => RowKind::Payout,
        _ => RowKind::Transaction(Other),
    }
}

pub(super) fn parse(
    table: &Table<'_>,
    layout: &'static Layout,
) -> Result<GatewayExport, SourceError> {
    if layout.export == PAYOUTS.export {
        payouts(table)
    } else if layout.export == TRANSACTIONS.export {
        transactions(table)
    } else {
        Err(table.unknown_layout(layout))
    }
}

/// The columns of a row's money, which both reports share.
struct Figures<'t> {
    currency: Col<'t>,
    gross: Col<'t>,
    fee: Col<'t>,
    net: Col<'t>,
}

impl<'t> Figures<'t> {
    fn of(table: &'t Table<'_>) -> Result<Figures<'t>, SourceError> {
        Ok(Figures {
            currency: table.col("currency")?,
            gross: table.col("gross")?,
            fee: table.col("fee")?,
            net: table.col("net")?,
        })
    }

    /// Gross, fee and net of a row, refused unless `net = gross − fee`.
    fn read(&self, row: &Row<'_>) -> Result<(Money, Money, Money), SourceError> {
        let currency = row.currency(self.currency)?;
        let gross = row.amount(self.gross, POINT, currency)?;
        let fee = row.amount(self.fee, POINT, currency)?;
        let net = row.amount(self.net, POINT, currency)?;
        row.check_net(self.net, gross, fee, net)?;
        Ok((gross, fee, net))
    }
}

fn transactions(table: &Table<'_>) -> Result<GatewayExport, SourceError> {
    let id = table.col("balance_transaction_id")?;
    let category = table.col("reporting_category")?;
    // `created` is in the report's time zone; `created_utc` when only that was asked for.
    let created = table.first_of(&["created", "created_utc"])?;
    let payout = table.find("automatic_payout_id");
    let payout_date = table.any_of(&[
        "automatic_payout_effective_at",
        "automatic_payout_effective_at_utc",
    ]);
    let source = table.find("source_id");
    let charge = table.find("charge_id");
    let description = table.find("description");
    let name = table.find("customer_name");
    let email = table.find("customer_email");
    // Feed `invoice_reference`: our invoice number in the payment's metadata, else Stripe
    // Billing's own `invoice_number` (when the invoice was made in Stripe).
    let invoice_key = table.find(INVOICE_KEY);
    let stripe_invoice = table.find("invoice_number");
    // Feeds `customer_reference`; Stripe's `customer_id` (`cus_…`) is not ours.
    let customer_key = table.find(CUSTOMER_KEY);
    let metadata: Vec<_> = table
        .header
        .iter()
        .filter(|h| h.contains("_metadata["))
        .filter_map(|h| table.find(h))
        .collect();
    let figures = Figures::of(table)?;
    let dates = table.dates(&[Some(created), payout_date], None)?;

    let mut export = GatewayExport {
        gateway: Gateway::Stripe,
        export: TRANSACTIONS.export,
        transactions: Vec::new(),
        payouts: Vec::new(),
    };
    for row in table.rows() {
        let row = row?;
        let (gross, fee, net) = figures.read(&row)?;
        let type_text = row.required_text(category)?.to_string();
        let date = row.date(created, dates)?;
        match kind(&type_text) {
            RowKind::Payout => export.payouts.push(GatewayPayout {
                gateway: Gateway::Stripe,
                // The payout object (`po_…`) is the row's source.
                payout_id: match row.text(source) {
                    "" => row.required_text(id)?.to_string(),
                    po => po.to_string(),
                },
                date,
                amount: negate(gross),
                fee: Some(fee),
                bank_reference: String::new(),
                status: String::new(),
                settled: true,
                lineage: row.lineage(),
            }),
            RowKind::Transaction(kind) => {
                let invoice = match row.text(invoice_key) {
                    "" => row.text(stripe_invoice),
                    key => key,
                };
                // The object the Dashboard shows — the charge `ch_…`, refund `re_…`,
                // dispute `dp_…` — which a refund's `charge_id` names; the balance
                // transaction when the report was run without `source_id`.
                let transaction_id = match row.text(source) {
                    "" => row.required_text(id)?,
                    source => source,
                };
                export.transactions.push(GatewayTransaction {
                    gateway: Gateway::Stripe,
                    transaction_id: transaction_id.to_string(),
                    kind,
                    type_text,
                    date,
                    gross,
                    fee,
                    net,
                    // A balance transaction in a report is booked on the balance; the
                    // report has no status column.
                    status: String::new(),
                    settled: true,
                    payer_name: row.text(name).to_string(),
                    payer_email: row.text(email).to_string(),
                    customer_reference: row.text(customer_key).to_string(),
                    invoice_reference: invoice.to_string(),
                    description: row.text(description).to_string(),
                    // The charge a refund or dispute belongs to (empty on the charge).
                    related_transaction_id: match row.text(charge) {
                        c if c == row.text(source) => String::new(),
                        c => c.to_string(),
                    },
                    payout_id: row.text(payout).to_string(),
                    payout_date: row.optional_date(payout_date, dates)?,
                    balance: None,
                    refunded: None,
                    metadata: metadata
                        .iter()
                        .filter(|c| !row.text(Some(**c)).is_empty())
                        .map(|c| (c.name.to_string(), row.text(Some(*c)).to_string()))
                        .collect(),
                    lineage: row.lineage(),
                });
            }
        }
    }
    Ok(export)
}

fn payouts(table: &Table<'_>) -> Result<GatewayExport, SourceError> {
    let id = table.col("payout_id")?;
    let category = table.col("reporting_category")?;
    let status = table.col("payout_status")?;
    // The day the money reaches the bank; the day it leaves the balance when the report
    // was run without that column.
    let date_col = table.first_of(&[
        "payout_expected_arrival_date",
        "effective_at",
        "effective_at_utc",
    ])?;
    // The bank's own reference for the transfer, when Stripe has it.
    let trace = table.find("trace_id");
    let figures = Figures::of(table)?;
    let dates = table.dates(&[Some(date_col)], None)?;

    let mut export = GatewayExport {
        gateway: Gateway::Stripe,
        export: PAYOUTS.export,
        transactions: Vec::new(),
        payouts: Vec::new(),
    };
    for row in table.rows() {
        let row = row?;
        let (gross, fee, _) = figures.read(&row)?;
        let type_text = row.required_text(category)?;
        if !matches!(kind(type_text), RowKind::Payout) {
            return Err(row.fail(
                category.name,
                format!("\"{type_text}\" is not a payout, and this report lists only payouts"),
                REDOWNLOAD,
            ));
        }
        let status_text = row.required_text(status)?.to_string();
        export.payouts.push(GatewayPayout {
            gateway: Gateway::Stripe,
            payout_id: row.required_text(id)?.to_string(),
            date: row.date(date_col, dates)?,
            amount: negate(gross),
            fee: Some(fee),
            bank_reference: row.text(trace).to_string(),
            // `pending`, then `in_transit`, then `paid`; or `failed` / `canceled`.
            settled: status_text == "paid",
            status: status_text,
            lineage: row.lineage(),
        });
    }
    Ok(export)
}
