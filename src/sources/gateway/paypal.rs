//! PayPal: the activity download (Activity → Download, CSV "balance affecting" or "all
//! transactions") and the monthly/custom statement CSV, in English, and the statement in
//! Spanish (the only other language in our corpus). Amounts are decimal units with the
//! account language's separators (`1,653.75`, `4.626,81`); dates are `a/b/yyyy` in the
//! account's locale, whose order each file shows by itself (a day above 12).
//!
//! Column names and the layouts they come from:
//! - activity download: the default fields PayPal listed in 2018
//!   (<https://gist.github.com/Nullreff/409f7d6d8ca82ae004cbf31cff25df62>), the fields page
//!   (<https://developer.paypal.com/api/nvp-soap/paypal-payments-standard/admin/download-history>)
//!   and its successor's changed-fields page
//!   (<https://developer.paypal.com/reports/reference/changed-fields>); real files in
//!   tests/fixtures/gateway/paypal/ (OCA `activity_en.csv`).
//! - statement: <https://developer.paypal.com/reports/monthly-custom-statements> (balance
//!   affecting transactions only, never pending ones — so every row is settled) and the
//!   column list at
//!   <https://docs.continia.com/en-us/continia-banking/business-functionality/payment-import/payment-service-provider/paypal>;
//!   real files: OCA `statement_en.csv`, `statement_es.csv`.
//!
//! PayPal links no transaction to the withdrawal that took its money to the bank, so
//! `payout_id` stays empty; the `Balance` column is kept instead (a withdrawal that empties
//! the balance took everything booked since the last one).

use super::{
    COMMA_GROUPED, Col, DateOrder, GatewayExport, Layout, Numbers, POINT_GROUPED, Row, RowKind,
    Table, joined, negate,
};
use crate::model::{Currency, Gateway, GatewayPayout, GatewayTransaction, Money, TransactionKind};
use crate::sources::SourceError;

/// Which header names a layout uses for what sluice reads.
struct Names {
    layout: Layout,
    numbers: Numbers,
    /// Date order when no date in the file has a day above 12 (`None`: refuse).
    default_order: Option<DateOrder>,
    date: &'static str,
    /// The transaction type (`Type` in the activity download, `Description` in statements).
    kind: &'static str,
    /// Statements have no status: they list only completed, balance-affecting rows.
    status: Option<&'static str>,
    currency: &'static str,
    gross: &'static str,
    fee: &'static str,
    net: &'static str,
    balance: &'static str,
    id: &'static str,
    name: &'static str,
    from_email: &'static str,
    /// The other side of money going out (a refund's payer); only the activity download has it.
    to_email: Option<&'static str>,
    related: &'static str,
    /// Feeds `invoice_reference`: the `invoice` variable a PayPal checkout carries.
    invoice: &'static str,
    /// Feeds `customer_reference`: the `custom` pass-through variable, which our checkout
    /// fills with the customer number. Statements do not carry it.
    custom: Option<&'static str>,
    /// Feed `description`, joined.
    text: &'static [&'static str],
}

const ACTIVITY: Names = Names {
    layout: Layout {
        export: "PayPal activity download",
        required: &[
            "Date",
            "Name",
            "Type",
            "Status",
            "Currency",
            "Gross",
            "Fee",
            "Net",
            "Transaction ID",
        ],
    },
    numbers: POINT_GROUPED,
    // English accounts write day/month/year (UK, EU: activity_en.csv, 29/12/2015) or
    // month/day/year (US: statement_en.csv, 9/27/2018): a file that does not show which is
    // refused rather than guessed.
    default_order: None,
    date: "Date",
    kind: "Type",
    status: Some("Status"),
    currency: "Currency",
    gross: "Gross",
    fee: "Fee",
    net: "Net",
    balance: "Balance",
    id: "Transaction ID",
    name: "Name",
    from_email: "From Email Address",
    to_email: Some("To Email Address"),
    related: "Reference Txn ID",
    invoice: "Invoice Number",
    custom: Some("Custom Number"),
    text: &["Item Title", "Subject", "Note"],
};

const STATEMENT_EN: Names = Names {
    layout: Layout {
        export: "PayPal statement",
        required: &[
            "Date",
            "Description",
            "Currency",
            "Gross",
            "Fee",
            "Net",
            "Balance",
            "Transaction ID",
        ],
    },
    numbers: POINT_GROUPED,
    default_order: None,
    date: "Date",
    kind: "Description",
    status: None,
    currency: "Currency",
    gross: "Gross",
    fee: "Fee",
    net: "Net",
    balance: "Balance",
    id: "Transaction ID",
    name: "Name",
    from_email: "From Email Address",
    to_email: None,
    related: "Reference Txn ID",
    invoice: "Invoice ID",
    custom: None,
    text: &[],
};

/// The statement of a Spanish-language account (statement_es.csv): the same columns,
/// translated; decimal comma with `.` thousands; day/month/year.
const STATEMENT_ES: Names = Names {
    layout: Layout {
        export: "PayPal statement (Spanish)",
        required: &[
            "Fecha",
            "Descripción",
            "Divisa",
            "Bruto",
            "Comisión",
            "Neto",
            "Saldo",
            "Id. de transacción",
        ],
    },
    numbers: COMMA_GROUPED,
    default_order: Some(DateOrder::DayFirst),
    date: "Fecha",
    kind: "Descripción",
    status: None,
    currency: "Divisa",
    gross: "Bruto",
    fee: "Comisión",
    net: "Neto",
    balance: "Saldo",
    id: "Id. de transacción",
    name: "Nombre",
    from_email: "Correo electrónico del remitente",
    to_email: None,
    related: "Id. de referencia de trans.",
    invoice: "Id. de factura",
    custom: None,
    text: &[],
};

const ALL: [&Names; 3] = [&ACTIVITY, &STATEMENT_EN, &STATEMENT_ES];

pub(super) const LAYOUTS: &[Layout] = &[ACTIVITY.layout, STATEMENT_EN.layout, STATEMENT_ES.layout];

/// PayPal's `Type` (activity) or `Description` (statement) texts, mapped one by one. The
/// names are those of PayPal's transaction event codes
/// (<https://developer.paypal.com/reports/reference/t-codes>) as the downloads write them,
/// and those seen in real files; anything else is `Other`, its text kept.
fn kind(text: &str) -> RowKind {
    use TransactionKind::*;
    match text.trim() {
        // T00nn: money from a PayPal account or card to ours.
        "General Payment"
        | "Website Payment"
        | "Express Checkout Payment"
        | "Subscription Payment"
        | "Recurring Payment"
        | "Preapproved Payment Bill User Payment"
        | "Pre-approved Payment Bill User Payment"
        | "Mobile Payment"
        | "Donation Payment"
        | "Virtual Terminal Payment"
        | "Direct Credit Card Payment"
        // The legacy Download History's names for the same.
        | "Payment Received"
        | "Web Accept Payment Received"
        | "Shopping Cart Payment Received"
        | "Subscription Payment Received"
        | "Express Checkout Payment Received"
        | "Donation Received"
        // statement_es.csv
        | "Pago estándar" => RowKind::Transaction(Payment),
        // T11nn: reversals by us.
        "Payment Refund" | "Refund" => RowKind::Transaction(Refund),
        // T12nn / T11nn by the buyer's side: chargebacks, reversals, and their undoing.
        "Chargeback" | "Payment Reversal" | "Chargeback Reversal" | "Reversal" => {
            RowKind::Transaction(Chargeback)
        }
        "Chargeback Fee" | "Dispute Fee" => RowKind::Transaction(Fee),
        // T04nn: withdrawals to a bank account.
        "General Withdrawal"
        | "General Withdrawal - Bank Account"
        | "Withdraw Funds to Bank Account"
        | "Withdraw Funds to a Bank Account" => RowKind::Payout,
        _ => RowKind::Transaction(Other),
    }
}

pub(super) fn parse(
    table: &Table<'_>,
    layout: &'static Layout,
) -> Result<GatewayExport, SourceError> {
    let names = ALL
        .into_iter()
        .find(|n| n.layout.export == layout.export)
        .ok_or_else(|| table.unknown_layout(layout))?;
    let date = table.col(names.date)?;
    let kind_col = table.col(names.kind)?;
    let status = names.status.map(|s| table.col(s)).transpose()?;
    let currency = table.col(names.currency)?;
    let gross_col = table.col(names.gross)?;
    let fee_col = table.col(names.fee)?;
    let net_col = table.col(names.net)?;
    let balance = table.find(names.balance);
    let id = table.col(names.id)?;
    let name = table.find(names.name);
    let from_email = table.find(names.from_email);
    let to_email = names.to_email.and_then(|c| table.find(c));
    let related = table.find(names.related);
    let invoice = table.find(names.invoice);
    let custom = names.custom.and_then(|c| table.find(c));
    let text: Vec<Option<Col<'_>>> = names.text.iter().map(|c| table.find(c)).collect();
    let dates = table.dates(&[Some(date)], names.default_order)?;

    let mut export = GatewayExport {
        gateway: Gateway::PayPal,
        export: names.layout.export,
        transactions: Vec::new(),
        payouts: Vec::new(),
    };
    for row in table.rows() {
        let row = row?;
        let currency = row.currency(currency)?;
        let gross = row.amount(gross_col, names.numbers, currency)?;
        // PayPal writes the fee as it hits the balance (`-4.25`); sluice's fee is what was
        // kept, so the sign turns.
        let fee = negate(row.amount(fee_col, names.numbers, currency)?);
        let net = row.amount(net_col, names.numbers, currency)?;
        row.check_net(net_col, gross, fee, net)?;
        let status_text = row.text(status).to_string();
        let settled = status.is_none() || status_text.eq_ignore_ascii_case("Completed");
        let type_text = row.required_text(kind_col)?.to_string();
        match kind(&type_text) {
            RowKind::Payout => export.payouts.push(GatewayPayout {
                gateway: Gateway::PayPal,
                payout_id: row.required_text(id)?.to_string(),
                date: row.date(date, dates)?,
                // The withdrawal takes `-gross` from the balance and sends it to the bank.
                amount: negate(gross),
                fee: Some(fee),
                bank_reference: String::new(),
                status: status_text,
                settled,
                lineage: row.lineage(),
            }),
            RowKind::Transaction(kind) => export.transactions.push(GatewayTransaction {
                gateway: Gateway::PayPal,
                transaction_id: row.required_text(id)?.to_string(),
                kind,
                type_text,
                date: row.date(date, dates)?,
                gross,
                fee,
                net,
                status: status_text,
                settled,
                payer_name: row.text(name).to_string(),
                // Money in names the payer as sender; money out (a refund) as recipient.
                payer_email: if gross.is_negative() && to_email.is_some() {
                    row.text(to_email)
                } else {
                    row.text(from_email)
                }
                .to_string(),
                customer_reference: row.text(custom).to_string(),
                invoice_reference: row.text(invoice).to_string(),
                description: joined(&text.iter().map(|c| row.text(*c)).collect::<Vec<_>>()),
                related_transaction_id: row.text(related).to_string(),
                payout_id: String::new(),
                payout_date: None,
                balance: balance_of(&row, balance, names.numbers, currency)?,
                refunded: None,
                metadata: Vec::new(),
                lineage: row.lineage(),
            }),
        }
    }
    Ok(export)
}

/// The `Balance` after the row, in the row's currency; `None` when the export leaves it
/// out or shows `...` (PayPal's "no balance applies here").
fn balance_of(
    row: &Row<'_>,
    col: Option<Col<'_>>,
    numbers: Numbers,
    currency: Currency,
) -> Result<Option<Money>, SourceError> {
    if row.text(col) == "..." {
        return Ok(None);
    }
    row.optional_amount(col, numbers, currency)
}
