//! GoCardless: the dashboard's payments export (Payments → Export) and payouts export
//! (Payments → Payouts → Export). Amounts are decimal units (`59.90`; the API's minor units
//! are not what the dashboard writes); dates are ISO 8601, or day/month/year once a file
//! has been through a UK spreadsheet.
//!
//! Column names:
//! - payments: <https://support.gocardless.com/hc/en-us/articles/17144227946140-Payment-reports>
//!   (`id`, `created_at`, `charge_date`, `amount`, `description`, `currency`, `status`,
//!   `amount_refunded`, `reference`, `transaction_fee`, `payout_date`, `app_fee`,
//!   `links.mandate`, `links.creditor`, `links.customer`, `links.payout`,
//!   `links.subscription`, `customers.id`, …, `customers.email`, `customers.given_name`,
//!   `customers.family_name`, `customers.company_name`, …, then `metadata.*` — the
//!   payment's own key/values); the same header, in that order, is what a charity's
//!   importer on GitHub checks for, reading `charge_date` as `%d/%m/%Y`.
//! - payouts: <https://support.gocardless.com/hc/en-us/articles/17144187437468-Payout-reports>
//!   (`id`, `amount`, `currency`, `created_at`, `reference`, `status`, `arrival_date`,
//!   `transaction_fee_debit`, `transaction_fee_credit`, `app_fee_debit`, `app_fee_credit`,
//!   `total_payment_amount`, `links.creditor_bank_account`, `links.creditor`, …).
//! - statuses: <https://developer.gocardless.com/api-reference/#core-endpoints-payments> and
//!   `#core-endpoints-payouts`.
//!
//! The payments export lists payments only: a refund is not a row but the payment's
//! `amount_refunded` (kept as `refunded`); GoCardless deducts it from a later payout.

use super::{DateOrder, GatewayExport, Layout, POINT, Table, joined, minus};
use crate::model::{Gateway, GatewayPayout, GatewayTransaction, Money, TransactionKind};
use crate::sources::SourceError;

const PAYMENTS: Layout = Layout {
    export: "GoCardless payments export",
    required: &[
        "id",
        "charge_date",
        "amount",
        "currency",
        "status",
        "transaction_fee",
    ],
};

const PAYOUTS: Layout = Layout {
    export: "GoCardless payouts export",
    required: &[
        "id",
        "amount",
        "currency",
        "created_at",
        "reference",
        "status",
        "arrival_date",
    ],
};

pub(super) const LAYOUTS: &[Layout] = &[PAYMENTS, PAYOUTS];

/// GoCardless is British: `a/b/yyyy` dates are day first unless a file shows otherwise.
const ORDER: Option<DateOrder> = Some(DateOrder::DayFirst);

/// Metadata keys our billing integration writes on each payment.
const INVOICE_KEY: &str = "metadata.invoice_number";
const CUSTOMER_KEY: &str = "metadata.customer_number";

pub(super) fn parse(
    table: &Table<'_>,
    layout: &'static Layout,
) -> Result<GatewayExport, SourceError> {
    if layout.export == PAYOUTS.export {
        payouts(table)
    } else if layout.export == PAYMENTS.export {
        payments(table)
    } else {
        Err(table.unknown_layout(layout))
    }
}

/// Payment `status`: the money is ours once `confirmed` (collected from the payer's bank)
/// or `paid_out`. `pending_*`, `submitted` may still fail; `failed`, `cancelled`,
/// `customer_approval_denied` and `charged_back` never pay.
fn payment_settled(status: &str) -> bool {
    matches!(status.trim(), "confirmed" | "paid_out")
}

fn payments(table: &Table<'_>) -> Result<GatewayExport, SourceError> {
    let id = table.col("id")?;
    let charge_date = table.col("charge_date")?;
    let amount_col = table.col("amount")?;
    let currency_col = table.col("currency")?;
    let status = table.col("status")?;
    let transaction_fee = table.col("transaction_fee")?;
    let app_fee = table.find("app_fee");
    let refunded = table.find("amount_refunded");
    let description = table.find("description");
    // Feeds `invoice_reference` when the payment has no `metadata.invoice_number`: the
    // reference the payer's bank statement shows, which we set to the invoice number.
    let reference = table.find("reference");
    let payout = table.find("links.payout");
    let payout_date = table.find("payout_date");
    let given = table.find("customers.given_name");
    let family = table.find("customers.family_name");
    let company = table.find("customers.company_name");
    let email = table.find("customers.email");
    let invoice_key = table.find(INVOICE_KEY);
    // Feeds `customer_reference`; GoCardless's own customer ids (`CU…`) are not ours.
    let customer_key = table.find(CUSTOMER_KEY);
    let metadata: Vec<_> = table
        .header
        .iter()
        .filter(|h| h.starts_with("metadata."))
        .filter_map(|h| table.find(h))
        .collect();
    let dates = table.dates(&[Some(charge_date), payout_date], ORDER)?;

    let mut export = GatewayExport {
        gateway: Gateway::GoCardless,
        export: PAYMENTS.export,
        transactions: Vec::new(),
        payouts: Vec::new(),
    };
    for row in table.rows() {
        let row = row?;
        let currency = row.currency(currency_col)?;
        let gross = row.amount(amount_col, POINT, currency)?;
        let zero = Money::zero(currency);
        let transaction = row
            .optional_amount(Some(transaction_fee), POINT, currency)?
            .unwrap_or(zero);
        let app = row
            .optional_amount(app_fee, POINT, currency)?
            .unwrap_or(zero);
        let fee = Money {
            amount: transaction.amount + app.amount,
            currency,
        };
        let status_text = row.required_text(status)?.to_string();
        let mut payer_name = joined(&[row.text(given), row.text(family)]);
        if payer_name.is_empty() {
            payer_name = row.text(company).to_string();
        }
        let invoice = match row.text(invoice_key) {
            "" => row.text(reference),
            key => key,
        };
        export.transactions.push(GatewayTransaction {
            gateway: Gateway::GoCardless,
            transaction_id: row.required_text(id)?.to_string(),
            kind: TransactionKind::Payment,
            type_text: "payment".to_string(),
            date: row.date(charge_date, dates)?,
            gross,
            fee,
            net: minus(gross, fee),
            settled: payment_settled(&status_text),
            status: status_text,
            payer_name,
            payer_email: row.text(email).to_string(),
            customer_reference: row.text(customer_key).to_string(),
            invoice_reference: invoice.to_string(),
            description: row.text(description).to_string(),
            related_transaction_id: String::new(),
            payout_id: row.text(payout).to_string(),
            payout_date: row.optional_date(payout_date, dates)?,
            balance: None,
            refunded: row.optional_amount(refunded, POINT, currency)?,
            metadata: metadata
                .iter()
                .filter(|c| !row.text(Some(**c)).is_empty())
                .map(|c| (c.name.to_string(), row.text(Some(*c)).to_string()))
                .collect(),
            lineage: row.lineage(),
        });
    }
    Ok(export)
}

fn payouts(table: &Table<'_>) -> Result<GatewayExport, SourceError> {
    let id = table.col("id")?;
    let amount_col = table.col("amount")?;
    let currency_col = table.col("currency")?;
    let created = table.col("created_at")?;
    let reference = table.col("reference")?;
    let status = table.col("status")?;
    let arrival = table.col("arrival_date")?;
    // Fees taken from this payout, and fees given back in it.
    let fee_columns = [
        (table.find("transaction_fee_debit"), false),
        (table.find("transaction_fee_credit"), true),
        (table.find("app_fee_debit"), false),
        (table.find("app_fee_credit"), true),
    ];
    let dates = table.dates(&[Some(arrival), Some(created)], ORDER)?;

    let mut export = GatewayExport {
        gateway: Gateway::GoCardless,
        export: PAYOUTS.export,
        transactions: Vec::new(),
        payouts: Vec::new(),
    };
    for row in table.rows() {
        let row = row?;
        let currency = row.currency(currency_col)?;
        let amount = row.amount(amount_col, POINT, currency)?;
        let mut fee: Option<Money> = None;
        for (col, given_back) in fee_columns {
            if let Some(part) = row.optional_amount(col, POINT, currency)? {
                let part = if given_back { -part } else { part };
                fee = Some(Money {
                    amount: fee.map_or(part.amount, |f| f.amount + part.amount),
                    currency,
                });
            }
        }
        let status_text = row.required_text(status)?.to_string();
        // A payout not yet paid may have no arrival date: the day it was created stands in.
        let date = match row.optional_date(Some(arrival), dates)? {
            Some(day) => day,
            None => row.date(created, dates)?,
        };
        export.payouts.push(GatewayPayout {
            gateway: Gateway::GoCardless,
            payout_id: row.required_text(id)?.to_string(),
            date,
            amount,
            fee,
            // The reference GoCardless sends with the transfer: the bank line shows it.
            bank_reference: row.text(Some(reference)).to_string(),
            // `pending` until sent, `paid` once sent, `bounced` if the bank refused it.
            settled: status_text == "paid",
            status: status_text,
            lineage: row.lineage(),
        });
    }
    Ok(export)
}
