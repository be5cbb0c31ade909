use std::path::PathBuf;

use serde_json::json;
use sluice::durable;
use sluice::model::{
    BankLine, BillingTransaction, Customer, DirectDebit, Document, DocumentLine, GatewayPayout,
    GatewayTransaction, PaymentStatus,
};
use sluice::pipeline::{self, SourceFormat};
use sluice::sources::{self, GatewayExport, InputFile, Records, Statement};

#[derive(clap::Args)]
pub struct InspectArgs {
    /// The file to look at
    file: PathBuf,
    /// Read it as this format instead of recognising it by its content
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Use this pipeline's sources (needed for CSV exports, whose layout it describes)
    #[arg(long)]
    pipeline: Option<PathBuf>,
    /// Print JSON lines: one per statement and one per record
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Camt,
    Mt940,
    Pain008,
    Pain002,
    BankCsv,
    InvoiceCsv,
    Customers,
    Transactions,
    #[value(name = "paypal")]
    PayPal,
    Braintree,
    #[value(name = "gocardless")]
    GoCardless,
    Stripe,
}

impl Format {
    fn source_format(self) -> SourceFormat {
        match self {
            Format::Camt => SourceFormat::Camt,
            Format::Mt940 => SourceFormat::Mt940,
            Format::Pain008 => SourceFormat::Pain008,
            Format::Pain002 => SourceFormat::Pain002,
            Format::BankCsv => SourceFormat::BankCsv,
            Format::InvoiceCsv => SourceFormat::InvoiceCsv,
            Format::Customers => SourceFormat::Customers,
            Format::Transactions => SourceFormat::Transactions,
            Format::PayPal => SourceFormat::PayPal,
            Format::Braintree => SourceFormat::Braintree,
            Format::GoCardless => SourceFormat::GoCardless,
            Format::Stripe => SourceFormat::Stripe,
        }
    }
}

pub fn main(args: InspectArgs) -> u8 {
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {}: {e}", args.file.display());
            return 1;
        }
    };
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let sha256 = durable::sha256_hex(&bytes);
    let file = InputFile {
        name: &name,
        sha256: &sha256,
        bytes: &bytes,
    };
    let pipeline = match args.pipeline.as_deref().map(pipeline::load).transpose() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    let format = args
        .format
        .map(Format::source_format)
        .or_else(|| sources::detect(&bytes));
    let result = match (format, &pipeline) {
        (Some(f), _)
            if !matches!(
                f,
                SourceFormat::BankCsv
                    | SourceFormat::InvoiceCsv
                    | SourceFormat::Customers
                    | SourceFormat::Transactions
            ) =>
        {
            sources::parse_standard(f, &file)
        }
        (wanted, Some(p)) => {
            let source = p.sources.iter().find(|s| {
                wanted.is_none_or(|w| s.format == w)
                    && (wanted.is_some() || s.matches_file_name(&name))
            });
            match source {
                Some(source) => sources::parse(source, &file),
                None => {
                    eprintln!(
                        "{name}: no source of {} fits this file (by its name{}) — check the `files` patterns",
                        p.file.display(),
                        if wanted.is_some() {
                            " and --format"
                        } else {
                            ""
                        }
                    );
                    return 1;
                }
            }
        }
        (_, None) => {
            eprintln!(
                "{name}: not a camt.052/053/054, MT940/MT942, pain.008 or pain.002 file, nor a PayPal, Braintree, GoCardless or Stripe export, by its content; for a CSV export or a spreadsheet give --pipeline, whose sources describe its layout"
            );
            return 1;
        }
    };
    match result {
        Ok(records) => {
            if args.json {
                for line in json_lines(&records) {
                    println!("{line}");
                }
            } else {
                print!("{}", text(&name, &records));
            }
            0
        }
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}

fn line_json(kind: &str, l: &BankLine) -> serde_json::Value {
    json!({
        "record": kind,
        "id": l.id,
        "line": l.lineage.line,
        "account": l.account,
        "booking_date": l.booking_date.to_string(),
        "value_date": l.value_date.map(|d| d.to_string()),
        "amount": l.amount.amount.to_string(),
        "currency": l.amount.currency.code(),
        "counterparty": l.counterparty,
        "counterparty_account": l.counterparty_account,
        "bank_reference": l.bank_reference,
        "text": l.text,
        "bank_transaction_code": l.info.bank_transaction_code,
        "end_to_end_id": l.info.end_to_end_id,
        "mandate_id": l.info.mandate_id,
        "creditor_reference": l.info.creditor_reference,
        "reversal": l.info.reversal,
        "return_reason": l.info.return_reason,
        "instruction_id": l.info.instruction_id,
        "payment_information_id": l.info.payment_information_id,
        "charges": l.info.charges.map(|c| c.amount.to_string()),
        "charges_currency": l.info.charges.as_ref().map(|c| c.currency.code()),
        "counterparty_bic": l.info.counterparty_bic,
        "payments": l.info.details.iter().map(|d| json!({
            "line": d.line,
            "amount": d.amount.map(|a| a.amount.to_string()),
            "end_to_end_id": d.end_to_end_id,
            "instruction_id": d.instruction_id,
            "mandate_id": d.mandate_id,
            "counterparty": d.counterparty,
            "counterparty_account": d.counterparty_account,
            "creditor_reference": d.creditor_reference,
            "text": d.text,
            "return_reason": d.return_reason,
        })).collect::<Vec<_>>(),
    })
}

fn document_json(d: &Document) -> serde_json::Value {
    json!({
        "record": d.kind.as_str(),
        "line": d.lineage.line,
        "number": d.number,
        "customer_id": d.customer_id,
        "customer_name": d.customer_name,
        "issue_date": d.issue_date.to_string(),
        "due_date": d.due_date.map(|d| d.to_string()),
        "total": d.total.amount.to_string(),
        "currency": d.total.currency.code(),
        "status": d.status.as_str(),
        "deleted": d.deleted,
        "lines": d.lines.iter().map(|l| json!({
            "line": l.lineage.line,
            "description": l.description,
            "quantity": l.quantity.normalize().to_string(),
            "unit_price": l.unit_price.amount.to_string(),
            "vat_rate": l.vat_rate.normalize().to_string(),
            "vat_amount": l.vat_amount.amount.to_string(),
            "line_total": l.line_total.amount.to_string(),
            "category": l.category,
            "period_from": l.period_from.map(|d| d.to_string()),
            "period_to": l.period_to.map(|d| d.to_string()),
        })).collect::<Vec<_>>(),
    })
}

fn transaction_json(t: &BillingTransaction) -> serde_json::Value {
    json!({
        "record": "transaction",
        "line": t.lineage.line,
        "id": t.id,
        "customer_id": t.customer_id,
        "date": t.date.to_string(),
        "kind": t.kind.as_str(),
        "type": t.type_text,
        "currency": t.debit.currency.code(),
        "debit": t.debit.amount.to_string(),
        "credit": t.credit.amount.to_string(),
        "description": t.description,
        "document": t.document,
        "category": t.category,
    })
}

fn customer_json(c: &Customer) -> serde_json::Value {
    json!({
        "record": "customer",
        "line": c.lineage.line,
        "id": c.id,
        "login": c.login,
        "name": c.name,
        "email": c.email,
        "phone": c.phone,
        "street": c.street,
        "city": c.city,
        "zip": c.zip,
        "country": c.country,
        "partner": c.partner,
        "status": c.status,
        "iban": c.iban,
        "mandate_id": c.mandate_id,
        "mandate_signed": c.mandate_signed.map(|d| d.to_string()),
        "vat_id": c.vat_id,
    })
}

fn direct_debit_json(d: &DirectDebit) -> serde_json::Value {
    json!({
        "record": "collection",
        "line": d.lineage.line,
        "message_id": d.message_id,
        "payment_information_id": d.payment_information_id,
        "end_to_end_id": d.end_to_end_id,
        "instruction_id": d.instruction_id,
        "mandate_id": d.mandate_id,
        "mandate_signed": d.mandate_signed.map(|d| d.to_string()),
        "sequence_type": d.sequence_type,
        "creditor_account": d.creditor_account,
        "debtor_name": d.debtor_name,
        "debtor_iban": d.debtor_iban,
        "debtor_bic": d.debtor_bic,
        "amount": d.amount.amount.to_string(),
        "currency": d.amount.currency.code(),
        "collection_date": d.collection_date.to_string(),
        "remittance": d.remittance,
        "creditor_reference": d.creditor_reference,
    })
}

fn status_json(s: &PaymentStatus) -> serde_json::Value {
    json!({
        "record": "status",
        "line": s.lineage.line,
        "message_id": s.message_id,
        "created": s.created.map(|d| d.to_string()),
        "original_message_id": s.original_message_id,
        "original_message_name": s.original_message_name,
        "original_payment_information_id": s.original_payment_information_id,
        "end_to_end_id": s.end_to_end_id,
        "instruction_id": s.instruction_id,
        "status": s.status,
        "reason_code": s.reason_code,
        "reason_text": s.reason_text,
        "amount": s.amount.map(|a| a.amount.to_string()),
        "currency": s.amount.as_ref().map(|a| a.currency.code()),
        "mandate_id": s.mandate_id,
    })
}

fn gateway_json(g: &GatewayExport) -> serde_json::Value {
    json!({
        "record": "gateway_export",
        "gateway": g.gateway.as_str(),
        "export": g.export,
        "transactions": g.transactions.len(),
        "payouts": g.payouts.len(),
    })
}

fn gateway_transaction_json(t: &GatewayTransaction) -> serde_json::Value {
    json!({
        "record": "gateway_transaction",
        "line": t.lineage.line,
        "gateway": t.gateway.as_str(),
        "transaction_id": t.transaction_id,
        "kind": t.kind.as_str(),
        "type": t.type_text,
        "date": t.date.to_string(),
        "currency": t.gross.currency.code(),
        "gross": t.gross.amount.to_string(),
        "fee": t.fee.amount.to_string(),
        "net": t.net.amount.to_string(),
        "status": t.status,
        "settled": t.settled,
        "payer_name": t.payer_name,
        "payer_email": t.payer_email,
        "customer_reference": t.customer_reference,
        "invoice_reference": t.invoice_reference,
        "description": t.description,
        "related_transaction_id": t.related_transaction_id,
        "payout_id": t.payout_id,
        "payout_date": t.payout_date.map(|d| d.to_string()),
        "balance": t.balance.map(|b| b.amount.to_string()),
        "refunded": t.refunded.map(|r| r.amount.to_string()),
        "metadata": t.metadata.iter().map(|(k, v)| json!({"key": k, "value": v})).collect::<Vec<_>>(),
    })
}

fn gateway_payout_json(p: &GatewayPayout) -> serde_json::Value {
    json!({
        "record": "gateway_payout",
        "line": p.lineage.line,
        "gateway": p.gateway.as_str(),
        "payout_id": p.payout_id,
        "date": p.date.to_string(),
        "currency": p.amount.currency.code(),
        "amount": p.amount.amount.to_string(),
        "fee": p.fee.map(|f| f.amount.to_string()),
        "bank_reference": p.bank_reference,
        "status": p.status,
        "settled": p.settled,
    })
}

fn statement_json(s: &Statement) -> serde_json::Value {
    let balance = |b: &Option<sources::Balance>| {
        b.as_ref().map(|b| json!({"date": b.date.to_string(), "amount": b.amount.amount.to_string(), "currency": b.amount.currency.code()}))
    };
    json!({
        "record": "statement",
        "message": s.message,
        "id": s.id,
        "account": s.account,
        "sequence": s.sequence,
        "opening": balance(&s.opening),
        "closing": balance(&s.closing),
        "booked": s.lines.len(),
        "not_booked": s.not_booked.len(),
    })
}

fn json_lines(records: &Records) -> Vec<String> {
    let mut out = Vec::new();
    match records {
        Records::BankLines(lines) => out.extend(lines.iter().map(|l| line_json("entry", l))),
        Records::Documents(docs) => out.extend(docs.iter().map(document_json)),
        Records::Customers(customers) => out.extend(customers.iter().map(customer_json)),
        Records::Transactions(transactions) => {
            out.extend(transactions.iter().map(transaction_json));
        }
        Records::DirectDebits(debits) => out.extend(debits.iter().map(direct_debit_json)),
        Records::PaymentStatuses(statuses) => out.extend(statuses.iter().map(status_json)),
        Records::Gateway(g) => {
            out.push(gateway_json(g));
            out.extend(g.transactions.iter().map(gateway_transaction_json));
            out.extend(g.payouts.iter().map(gateway_payout_json));
        }
        Records::Statements(statements) => {
            for s in statements {
                out.push(statement_json(s));
                out.extend(s.lines.iter().map(|l| line_json("entry", l)));
                out.extend(s.not_booked.iter().map(|l| line_json("not_booked", l)));
            }
        }
    }
    out.into_iter().map(|v| v.to_string()).collect()
}

/// One line of an itemised document, below it: what, how many at what price, the VAT, the
/// line's total.
fn document_line_text(l: &DocumentLine) -> String {
    let period = match (l.period_from, l.period_to) {
        (Some(from), Some(to)) => format!("  {from}..{to}"),
        (Some(from), None) => format!("  from {from}"),
        (None, Some(to)) => format!("  to {to}"),
        (None, None) => String::new(),
    };
    let category = if l.category.is_empty() {
        String::new()
    } else {
        format!("  [{}]", l.category)
    };
    format!(
        "    line {:>5}  {} × {}  VAT {}% {}  = {}  {}{category}{period}\n",
        l.lineage.line,
        l.quantity,
        l.unit_price,
        l.vat_rate,
        l.vat_amount,
        l.line_total,
        l.description
    )
}

fn entry_text(l: &BankLine) -> String {
    let mut parts = vec![format!(
        "  line {:>5}  {}  {:>14}  {}",
        l.lineage.line,
        l.booking_date,
        l.amount.to_string(),
        l.counterparty
    )];
    // A batch shows its payments one by one below it, not their texts run together.
    if !l.text.is_empty() && l.info.details.is_empty() {
        parts.push(format!("| {}", l.text));
    }
    if !l.info.end_to_end_id.is_empty() {
        parts.push(format!("| e2e {}", l.info.end_to_end_id));
    }
    if !l.info.payment_information_id.is_empty() {
        parts.push(format!("| batch {}", l.info.payment_information_id));
    }
    if !l.info.return_reason.is_empty() {
        parts.push(format!("| RETURN {}", l.info.return_reason));
    }
    if l.info.reversal {
        parts.push("| REVERSAL".to_string());
    }
    let mut out = parts.join(" ");
    for d in &l.info.details {
        out.push_str(&format!(
            "\n      payment line {:>5}  {:>14}  {}  | {}{}",
            d.line,
            d.amount.map(|a| a.to_string()).unwrap_or_default(),
            d.counterparty,
            d.text,
            if d.end_to_end_id.is_empty() {
                String::new()
            } else {
                format!(" | e2e {}", d.end_to_end_id)
            }
        ));
    }
    out
}

fn gateway_text(name: &str, g: &GatewayExport) -> String {
    let mut out = format!(
        "{name}: {}, {} transaction(s), {} payout(s)\n",
        g.export,
        g.transactions.len(),
        g.payouts.len()
    );
    for t in &g.transactions {
        let mut parts = vec![format!(
            "  line {:>5}  {}  {:<10}  {:>14}  fee {:>8}  net {:>14}  {}",
            t.lineage.line,
            t.date,
            t.kind.as_str(),
            t.gross.to_string(),
            t.fee.amount.to_string(),
            t.net.to_string(),
            non_empty_joined(&[&t.transaction_id, &status_text(&t.status, t.settled)])
        )];
        let payer = non_empty_joined(&[&t.payer_name, &t.payer_email]);
        if !payer.is_empty() {
            parts.push(format!("| {payer}"));
        }
        if !t.invoice_reference.is_empty() {
            parts.push(format!("| invoice {}", t.invoice_reference));
        }
        if !t.customer_reference.is_empty() {
            parts.push(format!("| customer {}", t.customer_reference));
        }
        if !t.payout_id.is_empty() {
            parts.push(format!("| payout {}", t.payout_id));
        }
        out.push_str(&parts.join(" "));
        out.push('\n');
    }
    for p in &g.payouts {
        out.push_str(&format!(
            "  line {:>5}  {}  payout      {:>14}  {}{}\n",
            p.lineage.line,
            p.date,
            p.amount.to_string(),
            non_empty_joined(&[&p.payout_id, &status_text(&p.status, p.settled)]),
            if p.bank_reference.is_empty() {
                String::new()
            } else {
                format!(" | bank reference {}", p.bank_reference)
            }
        ));
    }
    out
}

/// The gateway's status, and whether the money is the merchant's yet.
fn status_text(status: &str, settled: bool) -> String {
    if settled {
        status.to_string()
    } else {
        format!("{status} (not settled)")
    }
}

/// Non-empty parts joined by a space.
fn non_empty_joined(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn text(name: &str, records: &Records) -> String {
    let mut out = String::new();
    match records {
        Records::Gateway(g) => out.push_str(&gateway_text(name, g)),
        Records::BankLines(lines) => {
            out.push_str(&format!("{name}: bank CSV, {} entries\n", lines.len()));
            for l in lines {
                out.push_str(&entry_text(l));
                out.push('\n');
            }
        }
        Records::Documents(docs) => {
            out.push_str(&format!(
                "{name}: invoice export, {} documents\n",
                docs.len()
            ));
            for d in docs {
                let mut flags = String::new();
                if d.deleted {
                    flags.push_str("  DELETED (not applied)");
                }
                if d.itemized && d.lines.is_empty() {
                    flags.push_str("  NO LINES (not applied)");
                }
                out.push_str(&format!(
                    "  line {:>5}  {}  {}  {}  {}  {}{flags}\n",
                    d.lineage.line,
                    d.number,
                    d.issue_date,
                    d.total,
                    d.status.as_str(),
                    d.customer_name
                ));
                for l in &d.lines {
                    out.push_str(&document_line_text(l));
                }
            }
        }
        Records::Customers(customers) => {
            out.push_str(&format!(
                "{name}: customer export, {} customers\n",
                customers.len()
            ));
            for c in customers {
                let partner = if c.partner.is_empty() {
                    String::new()
                } else {
                    format!("  partner {}", c.partner)
                };
                out.push_str(&format!(
                    "  line {:>5}  {}  {}  {}{partner}\n",
                    c.lineage.line,
                    c.id,
                    c.name,
                    if c.iban.is_empty() { "-" } else { &c.iban },
                ));
            }
        }
        Records::Transactions(transactions) => {
            out.push_str(&format!(
                "{name}: transaction export, {} transactions\n",
                transactions.len()
            ));
            for t in transactions {
                out.push_str(&format!(
                    "  line {:>5}  {}  {}  {}  {:<11}  debit {}  credit {}  {}\n",
                    t.lineage.line,
                    t.id,
                    t.customer_id,
                    t.date,
                    t.kind.as_str(),
                    t.debit,
                    t.credit,
                    t.document,
                ));
            }
        }
        Records::DirectDebits(debits) => {
            out.push_str(&format!(
                "{name}: pain.008 direct-debit collections, {} transactions\n",
                debits.len()
            ));
            for d in debits {
                out.push_str(&format!(
                    "  line {:>5}  {}  {:>14}  {}  mandate {}  {} {}  | {}\n",
                    d.lineage.line,
                    d.collection_date,
                    d.amount.to_string(),
                    d.end_to_end_id,
                    d.mandate_id,
                    d.debtor_name,
                    d.debtor_iban,
                    d.remittance
                ));
            }
        }
        Records::PaymentStatuses(statuses) => {
            // A report answers one message: a pain.008 (collections) or a pain.001.
            let on = statuses
                .first()
                .map(|s| {
                    let kind = if s.is_about_collections() {
                        "collections"
                    } else {
                        "payments sent, not collections: recorded only"
                    };
                    format!(" on {} ({kind})", s.original_message_name)
                })
                .unwrap_or_default();
            out.push_str(&format!(
                "{name}: pain.002 payment status report{on}, {} statuses\n",
                statuses.len()
            ));
            for s in statuses {
                let of = if !s.end_to_end_id.is_empty() {
                    format!("transaction {}", s.end_to_end_id)
                } else if !s.original_payment_information_id.is_empty() {
                    format!("payment block {}", s.original_payment_information_id)
                } else {
                    format!("message {}", s.original_message_id)
                };
                out.push_str(&format!(
                    "  line {:>5}  {}  {}  {} {}\n",
                    s.lineage.line, of, s.status, s.reason_code, s.reason_text
                ));
            }
        }
        Records::Statements(statements) => {
            out.push_str(&format!("{name}: {} statement(s)\n", statements.len()));
            for s in statements {
                let balance = |b: &Option<sources::Balance>| {
                    b.as_ref()
                        .map(|b| format!("{} on {}", b.amount, b.date))
                        .unwrap_or_else(|| "none".to_string())
                };
                out.push_str(&format!(
                    "{} {} account {}{} — opening {}, closing {}; {} booked, {} not booked\n",
                    s.message,
                    s.id,
                    s.account,
                    s.sequence
                        .as_deref()
                        .map(|q| format!(" (sequence {q})"))
                        .unwrap_or_default(),
                    balance(&s.opening),
                    balance(&s.closing),
                    s.lines.len(),
                    s.not_booked.len()
                ));
                for l in &s.lines {
                    out.push_str(&entry_text(l));
                    out.push('\n');
                }
                for l in &s.not_booked {
                    out.push_str(&format!("{} (not booked)\n", entry_text(l)));
                }
            }
        }
    }
    out
}
