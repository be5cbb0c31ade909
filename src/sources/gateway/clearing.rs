//! A gateway export as entries of the gateway's clearing account (`PayPal EUR`): the way
//! accountants keep a gateway balance, and the way the rest of sluice reads accounts. A
//! payment comes in gross; what the gateway kept goes out as a fee entry of its own; a payout
//! moves the balance to the bank. So the invoice side (gross payments) and the bank side
//! (payouts) each close on their own, and the fees are booked as fees.

use super::GatewayExport;
use chrono::NaiveDate;

use crate::model::{
    BankLine, EntryInfo, Gateway, GatewayEntry, GatewayPayout, GatewayRole, GatewayTransaction,
    Lineage, Money, TransactionKind,
};

/// The entries of a gateway export; transactions and payouts the gateway has not settled
/// (pending, declined, failed) are left out and counted.
pub struct ClearingEntries {
    pub lines: Vec<BankLine>,
    pub not_settled: usize,
}

pub fn clearing_entries(export: &GatewayExport) -> ClearingEntries {
    let mut lines = Vec::new();
    let mut not_settled = 0;
    for t in &export.transactions {
        if !t.settled {
            not_settled += 1;
            continue;
        }
        if t.kind == TransactionKind::Fee {
            // A fee charged on its own (a monthly or dispute fee): all it moves is a cost.
            lines.push(fee(t, t.net, ""));
            continue;
        }
        lines.push(payment(t));
        if !t.fee.is_zero() {
            lines.push(fee(t, -t.fee, ":fee"));
        }
    }
    for p in &export.payouts {
        if p.settled {
            lines.push(payout(p));
        } else {
            not_settled += 1;
        }
    }
    ClearingEntries { lines, not_settled }
}

/// The clearing account of a gateway in one currency.
pub fn account(gateway_name: &str, currency: &str) -> String {
    format!("{gateway_name} {currency}")
}

fn entry(t: &GatewayTransaction, role: GatewayRole) -> EntryInfo {
    EntryInfo {
        gateway: Some(GatewayEntry {
            gateway: t.gateway,
            role,
            transaction_id: t.transaction_id.clone(),
            payout_id: t.payout_id.clone(),
            payout_date: t.payout_date,
            customer_reference: t.customer_reference.clone(),
        }),
        ..EntryInfo::default()
    }
}

/// The id of an entry: the file and line it came from, as for a bank's entries.
fn id(lineage: &Lineage, suffix: &str) -> String {
    format!("{}{suffix}", lineage.record_id())
}

/// The money the customer paid (negative for a refund or chargeback), gross. Its text
/// holds what names the invoice, so the reference rules read it as they read a bank's.
fn payment(t: &GatewayTransaction) -> BankLine {
    let text: Vec<&str> = [
        t.invoice_reference.as_str(),
        t.description.as_str(),
        t.customer_reference.as_str(),
    ]
    .into_iter()
    .filter(|s| !s.trim().is_empty())
    .collect();
    BankLine {
        id: id(&t.lineage, ""),
        lineage: t.lineage.clone(),
        account: account(t.gateway.name(), t.gross.currency.code()),
        booking_date: t.date,
        value_date: None,
        amount: t.gross,
        counterparty: t.payer_name.clone(),
        counterparty_account: t.payer_email.clone(),
        bank_reference: t.transaction_id.clone(),
        text: text.join(" "),
        info: entry(t, GatewayRole::Payment),
    }
}

/// What the gateway kept, as money out of the clearing account (`amount`, negative; a fee
/// given back is positive).
fn fee(t: &GatewayTransaction, amount: Money, suffix: &str) -> BankLine {
    BankLine {
        id: id(&t.lineage, suffix),
        lineage: t.lineage.clone(),
        account: account(t.gateway.name(), amount.currency.code()),
        booking_date: t.date,
        value_date: None,
        amount,
        counterparty: t.gateway.name().to_string(),
        counterparty_account: String::new(),
        bank_reference: format!("{}{suffix}", t.transaction_id),
        text: format!("{} fee: {}", t.gateway.name(), fee_text(t)),
        info: entry(t, GatewayRole::Fee),
    }
}

fn fee_text(t: &GatewayTransaction) -> String {
    if t.kind == TransactionKind::Fee {
        let what = if t.description.is_empty() {
            &t.type_text
        } else {
            &t.description
        };
        format!("{what} ({})", t.transaction_id)
    } else {
        format!("for {}", t.transaction_id)
    }
}

/// The balance leaving for the bank.
fn payout(p: &GatewayPayout) -> BankLine {
    let mut text = format!("{} payout {}", p.gateway.name(), p.payout_id);
    if !p.bank_reference.is_empty() {
        text.push_str(&format!(" (bank reference {})", p.bank_reference));
    }
    BankLine {
        id: id(&p.lineage, ""),
        lineage: p.lineage.clone(),
        account: account(p.gateway.name(), p.amount.currency.code()),
        booking_date: p.date,
        value_date: None,
        amount: -p.amount,
        counterparty: p.gateway.name().to_string(),
        counterparty_account: String::new(),
        bank_reference: p.payout_id.clone(),
        text,
        info: EntryInfo {
            gateway: Some(GatewayEntry {
                gateway: p.gateway,
                role: GatewayRole::Payout,
                transaction_id: p.payout_id.clone(),
                payout_id: p.payout_id.clone(),
                payout_date: Some(p.date),
                customer_reference: String::new(),
            }),
            ..EntryInfo::default()
        },
    }
}

/// The payout entry of a gateway whose exports have no payout rows (Braintree): written
/// when the bank's credit of a disbursement is matched, so the clearing account empties as
/// it does for the other gateways. It comes from the bank line, and says so.
pub fn implied_payout(
    gateway: Gateway,
    payout_id: &str,
    date: NaiveDate,
    amount: Money,
    credit: &BankLine,
) -> BankLine {
    let mut line = payout(&GatewayPayout {
        gateway,
        payout_id: payout_id.to_string(),
        date,
        amount,
        fee: None,
        bank_reference: String::new(),
        status: String::new(),
        settled: true,
        lineage: credit.lineage.clone(),
    });
    line.id = format!("{}:{}-payout", credit.id, gateway.as_str());
    line.text = format!(
        "{} disbursement {payout_id} of {amount}, as the bank's credit {} received it (the export lists its transactions, not the disbursement)",
        gateway.name(),
        credit.id
    );
    line
}
