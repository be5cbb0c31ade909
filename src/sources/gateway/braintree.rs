//! Braintree: the Control Panel's transaction search download (Transactions → search →
//! Download), one row per transaction with about 120 fixed columns. Amounts are decimal
//! units written unsigned — `Transaction Type` gives the direction (`sale` in, `credit`
//! out) — and dates are `MM/DD/YYYY HH:MM:SS` (or ISO 8601).
//!
//! Column names: Braintree documents this download only inside its Control Panel, so the
//! names are those of real downloads as integrations read them — the whole header, in
//! order, in a LookML view of the raw CSV (`Transaction ID`, `Subscription ID`,
//! `Transaction Type`, `Transaction Status`, `Escrow Status`, `Created Datetime`,
//! `Created Timezone`, `Settlement Date`, `Disbursement Date`, `Merchant Account`,
//! `Currency ISO Code`, `Amount Authorized`, `Amount Submitted For Settlement`,
//! `Service Fee`, …, `Order ID`, …, `Refunded Transaction ID`, …, `Customer ID`, …,
//! `Customer First Name`, `Customer Last Name`, `Customer Company`, `Customer Email`, …),
//! the same first nine columns in an F# importer's header check, and a Next.js importer
//! reading `MM/DD/YYYY HH:MM:SS` (public code found with the corpus search, which names no
//! repository). Braintree's own reports use the same names and values: `Transaction ID`,
//! `Transaction Type` `sale`/`credit` in
//! <https://developer.paypal.com/limited-release/bill-pay/daily-settlement-detail-report>.
//! Field meanings: <https://developers.braintreepayments.com/reference/response/transaction/ruby>
//! (`order_id`, `customer_details.id`, `service_fee_amount`, `disbursement_details`,
//! statuses) and the search fields
//! <https://developer.paypal.com/braintree/docs/reference/request/transaction/search/python>
//! (`disbursement_date`: "the date the transaction was disbursed to your bank account").
//!
//! What the download does not carry: Braintree's processing fees (they come in the
//! transaction-level fee report and the monthly statement, not here) and the id of the
//! disbursement. `fee` is therefore only `Service Fee` — the marketplace fee Braintree
//! deducts before disbursing — and zero without it; and since Braintree disburses once per
//! merchant account and day, `payout_id` is `<Merchant Account>/<Disbursement Date>`. The
//! export has no payout rows: reconciliation knows a disbursement as the net of the
//! transactions naming it (`reconcile::payout`), and writes its clearing entry when the
//! bank's credit is matched.

use super::{
    DateOrder, GatewayExport, Layout, POINT_GROUPED, REDOWNLOAD, Table, joined, minus, negate,
};
use crate::model::{Gateway, GatewayTransaction, Money, TransactionKind};
use crate::sources::SourceError;

const DOWNLOAD: Layout = Layout {
    export: "Braintree transaction search download",
    required: &[
        "Transaction ID",
        "Transaction Type",
        "Transaction Status",
        "Created Datetime",
        "Currency ISO Code",
        "Amount Submitted For Settlement",
    ],
};

pub(super) const LAYOUTS: &[Layout] = &[DOWNLOAD];

/// `Transaction Type` (the API's `type`): `sale` takes money from the customer, `credit`
/// gives it back (a refund or a standalone credit).
fn kind(text: &str) -> TransactionKind {
    match text.trim().to_ascii_lowercase().as_str() {
        "sale" => TransactionKind::Payment,
        "credit" => TransactionKind::Refund,
        _ => TransactionKind::Other,
    }
}

/// `Transaction Status`: only `settled` money is disbursed (`settling`,
/// `submitted_for_settlement` and `settlement_pending` may still fail; `voided`,
/// `processor_declined`, `gateway_rejected`, `failed`, `authorization_expired`,
/// `settlement_declined` never pay). Written `settled` by the API, `Settled` on screen.
fn settled(status: &str) -> bool {
    status.trim().eq_ignore_ascii_case("settled")
}

pub(super) fn parse(
    table: &Table<'_>,
    _layout: &'static Layout,
) -> Result<GatewayExport, SourceError> {
    let id = table.col("Transaction ID")?;
    let kind_col = table.col("Transaction Type")?;
    let status = table.col("Transaction Status")?;
    let created = table.col("Created Datetime")?;
    let currency_col = table.col("Currency ISO Code")?;
    let submitted = table.col("Amount Submitted For Settlement")?;
    // A transaction never submitted (voided, declined) has only its authorized amount.
    let authorized = table.find("Amount Authorized");
    let service_fee = table.find("Service Fee");
    let disbursed = table.find("Disbursement Date");
    let merchant_account = table.find("Merchant Account");
    // Feeds `invoice_reference`: the API's `order_id`, which our checkout sets to the
    // invoice number.
    let order_id = table.find("Order ID");
    // Feeds `customer_reference`: the vault customer's id, which the billing integration
    // creates with our customer number.
    let customer_id = table.find("Customer ID");
    let first_name = table.find("Customer First Name");
    let last_name = table.find("Customer Last Name");
    let company = table.find("Customer Company");
    let cardholder = table.find("Cardholder Name");
    let email = table.find("Customer Email");
    let paypal_email = table.find("PayPal Payer Email");
    let refunded_id = table.find("Refunded Transaction ID");
    let dates = table.dates(&[Some(created), disbursed], Some(DateOrder::MonthFirst))?;

    let mut export = GatewayExport {
        gateway: Gateway::Braintree,
        export: DOWNLOAD.export,
        transactions: Vec::new(),
        payouts: Vec::new(),
    };
    for row in table.rows() {
        let row = row?;
        let currency = row.currency(currency_col)?;
        let amount = match row.optional_amount(Some(submitted), POINT_GROUPED, currency)? {
            Some(a) => a,
            None => row
                .optional_amount(authorized, POINT_GROUPED, currency)?
                .ok_or_else(|| {
                    row.fail(
                        submitted.name,
                        "has no amount (and neither has \"Amount Authorized\")".to_string(),
                        REDOWNLOAD,
                    )
                })?,
        };
        let service = row
            .optional_amount(service_fee, POINT_GROUPED, currency)?
            .unwrap_or_else(|| Money::zero(currency));
        let type_text = row.required_text(kind_col)?.to_string();
        let kind = kind(&type_text);
        // Unsigned in the download: a credit is money out, and so is its service fee
        // given back.
        let (gross, fee) = if kind == TransactionKind::Refund {
            (negate(amount.abs()), negate(service.abs()))
        } else {
            (amount, service)
        };
        let payout_date = row.optional_date(disbursed, dates)?;
        let payout_id = match payout_date {
            Some(day) => format!("{}/{day}", row.text(merchant_account)),
            None => String::new(),
        };
        let status_text = row.required_text(status)?.to_string();
        let mut payer_name = joined(&[row.text(first_name), row.text(last_name)]);
        if payer_name.is_empty() {
            payer_name = joined(&[row.text(company)]);
        }
        if payer_name.is_empty() {
            payer_name = row.text(cardholder).to_string();
        }
        let mut payer_email = row.text(email).to_string();
        if payer_email.is_empty() {
            payer_email = row.text(paypal_email).to_string();
        }
        export.transactions.push(GatewayTransaction {
            gateway: Gateway::Braintree,
            transaction_id: row.required_text(id)?.to_string(),
            kind,
            type_text,
            date: row.date(created, dates)?,
            gross,
            fee,
            net: minus(gross, fee),
            settled: settled(&status_text),
            status: status_text,
            payer_name,
            payer_email,
            customer_reference: row.text(customer_id).to_string(),
            invoice_reference: row.text(order_id).to_string(),
            description: String::new(),
            related_transaction_id: row.text(refunded_id).to_string(),
            payout_id,
            payout_date,
            balance: None,
            refunded: None,
            metadata: Vec::new(),
            lineage: row.lineage(),
        });
    }
    Ok(export)
}
