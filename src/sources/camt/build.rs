//! From the values the walk collected to a `Statement` and its `BankLine`s. Versions differ
//! in spelling (`Sts` or `Sts/Cd`, `Dbtr/Nm` or `Dbtr/Pty/Nm`, `Dt` or `DtTm`): each value is
//! asked for under every spelling. What a finance person would not accept — an amount with
//! a fraction of a cent, an IBAN whose check digits are wrong, a date that is not one —
//! refuses the file at the element's line and path.

use chrono::NaiveDate;

use super::{ASK_AGAIN, Message};
use crate::model::{BankLine, EntryInfo, Lineage, Money, TransactionDetail};
use crate::sources::iso_xml::{self, Element, refusal};
use crate::sources::{Balance, InputFile, SourceError, Statement};

/// Where an IBAN is wrong, only the bank can correct it.
const IBAN_HINT: &str = "an IBAN that fails its check is mistyped or damaged, and money booked against it could reach the wrong account: ask the bank for a corrected file";

pub(super) struct RawEntry {
    pub element: Element,
    /// 1-based number of the entry in the file (all statements counted).
    pub number: usize,
    /// `NtryDtls/TxDtls`: one per payment in a batch booked as one entry.
    pub transactions: Vec<Element>,
}

/// The statement's own account, from its `Acct` element: an IBAN whose check digits hold, or
/// the bank's other identification.
pub(super) fn account(
    file: &InputFile<'_>,
    message: &Message,
    acct: &Element,
) -> Result<String, SourceError> {
    let fields = &acct.fields;
    match fields.first(&["Id/IBAN"]) {
        Some(iban) => iso_xml::checked_iban(file, iban, IBAN_HINT),
        None => fields
            .first(&["Id/Othr/Id", "Id/PrtryAcct/Id", "Id/BBAN"])
            .map(|f| f.value.to_string())
            .ok_or_else(|| no_account(file, message, acct)),
    }
}

/// A statement (report, notification) without an account to book on.
pub(super) fn no_account(file: &InputFile<'_>, message: &Message, at: &Element) -> SourceError {
    let item = message.kind.item();
    let name = if at.name == "Acct" { "Id" } else { "Acct/Id" };
    missing(
        file,
        at,
        name,
        &format!("the {item} names no account (Acct/Id)"),
    )
}

/// The statement itself, once its entries are read: its id, sequence and balances.
pub(super) fn statement(
    file: &InputFile<'_>,
    message: &Message,
    element: Element,
    balances: &[(&'static str, Balance)],
    account: String,
    lines: Vec<BankLine>,
    not_booked: Vec<BankLine>,
) -> Result<Statement, SourceError> {
    let item = message.kind.item();
    let fields = &element.fields;
    let id = fields
        .first(&["Id"])
        .ok_or_else(|| missing(file, &element, "Id", &format!("the {item} has no Id")))?;
    let sequence = fields
        .first(&["ElctrncSeqNb", "LglSeqNb"])
        .map(|f| f.value.to_string());
    let of_type = |code: &str| {
        balances
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, b)| b.clone())
    };
    let opening = of_type(OPENING).or_else(|| of_type(OPENING_INTERIM));
    let closing = of_type(CLOSING);
    Ok(Statement {
        message: message.name.clone(),
        id: id.value.to_string(),
        account,
        sequence,
        opening,
        closing,
        lines,
        not_booked,
        line: element.line,
        path: element.path,
    })
}

/// The balance types a statement is checked with: opened with, interim opening (a report's
/// previously closed booked), closed with.
const OPENING: &str = "OPBD";
const OPENING_INTERIM: &str = "PRCD";
const CLOSING: &str = "CLBD";

/// A `Bal` the statement is checked with, with its type; `None` for the other kinds
/// (available, interim, forward), which are not read. `seen` are those read before: only
/// the first of each type counts.
pub(super) fn typed_balance(
    file: &InputFile<'_>,
    element: &Element,
    seen: &[(&'static str, Balance)],
) -> Result<Option<(&'static str, Balance)>, SourceError> {
    let Some(code) = element.fields.first(&["Tp/CdOrPrtry/Cd", "Tp/Cd"]) else {
        return Ok(None);
    };
    let (code, what) = match code.value {
        OPENING => (OPENING, "the opening balance"),
        OPENING_INTERIM => (OPENING_INTERIM, "the opening balance"),
        CLOSING => (CLOSING, "the closing balance"),
        _ => return Ok(None),
    };
    if seen.iter().any(|(c, _)| *c == code) {
        return Ok(None);
    }
    Ok(Some((code, balance(file, element, what)?)))
}

fn balance(file: &InputFile<'_>, element: &Element, what: &str) -> Result<Balance, SourceError> {
    let amount = money(file, element, what)?;
    let date = date(file, element, &BALANCE_DATE)?.ok_or_else(|| {
        missing(
            file,
            element,
            "Dt",
            &format!("{what} has no date (Dt/Dt or Dt/DtTm)"),
        )
    })?;
    Ok(Balance { amount, date })
}

/// One entry; `true` when it is booked (`Sts` `BOOK`), the only kind that is applied.
pub(super) fn bank_line(
    file: &InputFile<'_>,
    account: &str,
    raw: &RawEntry,
) -> Result<(bool, BankLine), SourceError> {
    let entry = &raw.element;
    let fields = &entry.fields;
    let amount = money(file, entry, "the entry")?;
    let status = fields.first(&["Sts", "Sts/Cd"]).ok_or_else(|| {
        missing(
            file,
            entry,
            "Sts",
            "the entry has no status (Sts), so it is unknown whether it was booked",
        )
    })?;
    let booked = status.value == "BOOK";
    let booking_date = date(file, entry, &BOOKING_DATE)?;
    let value_date = date(file, entry, &VALUE_DATE)?;
    // Pending entries often carry only the value date.
    let booking_date = booking_date.or(value_date).ok_or_else(|| {
        missing(
            file,
            entry,
            "BookgDt",
            "the entry has neither a booking date (BookgDt) nor a value date (ValDt)",
        )
    })?;
    let reversal = fields
        .first(&["RvslInd"])
        .is_some_and(|f| f.value == "true" || f.value == "1");
    // A batch booked as one sum has one TxDtls per payment: the entry stays one BankLine
    // with the sum, and each payment becomes one of its `details`. What identifies a single
    // payment (references, counterparty) sits on the entry itself when there is just one.
    let single = match raw.transactions.as_slice() {
        [only] => Some(only),
        _ => None,
    };
    let charges = match charges(file, entry)? {
        Some(charges) => Some(charges),
        None => single.map(|tx| charges(file, tx)).transpose()?.flatten(),
    };
    let mut info = EntryInfo {
        charges,
        bank_transaction_code: transaction_code(entry)
            .or_else(|| single.and_then(transaction_code))
            .unwrap_or_default(),
        reversal,
        payment_information_id: fields
            .first(&["NtryDtls/Btch/PmtInfId"])
            .or_else(|| single.and_then(|tx| tx.fields.first(&["Refs/PmtInfId"])))
            .map(|f| f.value.to_string())
            .unwrap_or_default(),
        ..EntryInfo::default()
    };
    let (counterparty, counterparty_account) = match single {
        Some(tx) => {
            let detail = transaction_detail(file, account, tx, &amount, reversal)?;
            info.end_to_end_id = detail.end_to_end_id;
            info.instruction_id = detail.instruction_id;
            info.mandate_id = detail.mandate_id;
            info.creditor_reference = detail.creditor_reference;
            info.return_reason = detail.return_reason;
            info.counterparty_bic = counterparty_bic(tx, &amount, reversal);
            (detail.counterparty, detail.counterparty_account)
        }
        None => {
            for tx in &raw.transactions {
                info.details
                    .push(transaction_detail(file, account, tx, &amount, reversal)?);
            }
            (String::new(), String::new())
        }
    };
    let joined = |key: &str| {
        let parts: Vec<&str> = raw
            .transactions
            .iter()
            .flat_map(|tx| tx.fields.all(key))
            .map(|f| f.value)
            .filter(|v| !v.is_empty())
            .collect();
        parts.join(" ")
    };
    let entry_info = fields
        .first(&["AddtlNtryInf"])
        .map(|f| f.value.to_string())
        .unwrap_or_default();
    // A batch's payments keep their own remittance in `details`; the entry says what it is.
    let mut text = if info.details.is_empty() {
        joined("RmtInf/Ustrd")
    } else if !entry_info.is_empty() {
        entry_info.clone()
    } else {
        let batch = if info.payment_information_id.is_empty() {
            String::new()
        } else {
            format!(" {}", info.payment_information_id)
        };
        format!("batch{batch} of {} payments", info.details.len())
    };
    if text.is_empty() {
        text = joined("AddtlTxInf");
    }
    if text.is_empty() {
        text = entry_info;
    }
    let line = BankLine {
        id: format!(
            "{}:entry{}",
            &file.sha256[..12.min(file.sha256.len())],
            raw.number
        ),
        lineage: Lineage {
            file_sha256: file.sha256.to_string(),
            file_name: file.name.to_string(),
            line: entry.line,
        },
        account: account.to_string(),
        booking_date,
        value_date,
        amount,
        counterparty,
        counterparty_account,
        bank_reference: fields
            .first(&["AcctSvcrRef"])
            .map(|f| f.value.to_string())
            .unwrap_or_default(),
        text,
        info,
    };
    Ok((booked, line))
}

/// One payment of an entry: its references, the other side, its remittance and, for a
/// batch, its own amount (`Amt` from version 04 on, `AmtDtls/TxAmt/Amt` before), signed
/// like the entry it belongs to.
fn transaction_detail(
    file: &InputFile<'_>,
    account: &str,
    tx: &Element,
    entry_amount: &Money,
    reversal: bool,
) -> Result<TransactionDetail, SourceError> {
    let value = |keys: &[&str]| tx.fields.first(keys).map(|f| f.value.to_string());
    let sent_back = reversal || tx.fields.any_under("RtrInf");
    let (counterparty, counterparty_account) =
        counterparty_side(file, account, tx, entry_amount, sent_back)?;
    let amount = match iso_xml::amount(file, tx, "Amt", "the payment", ASK_AGAIN)? {
        Some(amount) => Some(amount),
        None => iso_xml::amount(file, tx, "AmtDtls/TxAmt/Amt", "the payment", ASK_AGAIN)?,
    }
    .map(|m| if entry_amount.is_negative() { -m } else { m });
    let text: Vec<String> = tx
        .fields
        .all("RmtInf/Ustrd")
        .map(|f| f.value.to_string())
        .filter(|v| !v.is_empty())
        .collect();
    Ok(TransactionDetail {
        amount,
        end_to_end_id: value(&["Refs/EndToEndId"])
            .filter(|id| !id.eq_ignore_ascii_case("NOTPROVIDED"))
            .unwrap_or_default(),
        instruction_id: value(&["Refs/InstrId"])
            .filter(|id| !id.eq_ignore_ascii_case("NOTPROVIDED"))
            .unwrap_or_default(),
        mandate_id: value(&["Refs/MndtId"]).unwrap_or_default(),
        counterparty,
        counterparty_account,
        creditor_reference: value(&["RmtInf/Strd/CdtrRefInf/Ref"]).unwrap_or_default(),
        text: text.join(" "),
        return_reason: value(&["RtrInf/Rsn/Cd", "RtrInf/Rsn/Prtry"]).unwrap_or_default(),
        line: tx.line,
    })
}

/// The other side's name and account: whoever paid us for money in, whoever we paid for
/// money out. A reversal or a return is booked against the original direction but names
/// the original parties (a returned direct debit still names the customer as debtor), so
/// the sides swap. Should that still point at the statement's own account, the other side
/// is taken: the counterparty is never ourselves.
fn counterparty_side(
    file: &InputFile<'_>,
    own_account: &str,
    tx: &Element,
    amount: &Money,
    sent_back: bool,
) -> Result<(String, String), SourceError> {
    let side = |party: &Party| -> Result<(String, String), SourceError> {
        let name = tx.fields.text(&party.name);
        let account = match tx.fields.first(&[party.iban]) {
            Some(iban) => iso_xml::checked_iban(file, iban, IBAN_HINT)?,
            None => tx.fields.text(&[party.other_account]),
        };
        Ok((name, account))
    };
    let money_in = !amount.is_negative();
    let (first, second) = if money_in != sent_back {
        (&DEBTOR, &CREDITOR)
    } else {
        (&CREDITOR, &DEBTOR)
    };
    let chosen = side(first)?;
    if chosen.1 == own_account {
        let other = side(second)?;
        if !other.1.is_empty() && other.1 != own_account {
            return Ok(other);
        }
    }
    Ok(chosen)
}

/// The BIC of the bank on the other side: the debtor's for money in, the creditor's for
/// money out (swapped for a return or reversal, as the parties are).
fn counterparty_bic(tx: &Element, amount: &Money, reversal: bool) -> String {
    let sent_back = reversal || tx.fields.any_under("RtrInf");
    let party = if amount.is_negative() == sent_back {
        &DEBTOR
    } else {
        &CREDITOR
    };
    tx.fields.text(&party.bic)
}

/// Where a transaction names one side: its name, account and bank, under every spelling.
struct Party {
    name: [&'static str; 2],
    iban: &'static str,
    other_account: &'static str,
    bic: [&'static str; 2],
}

const DEBTOR: Party = Party {
    name: ["RltdPties/Dbtr/Nm", "RltdPties/Dbtr/Pty/Nm"],
    iban: "RltdPties/DbtrAcct/Id/IBAN",
    other_account: "RltdPties/DbtrAcct/Id/Othr/Id",
    bic: [
        "RltdAgts/DbtrAgt/FinInstnId/BIC",
        "RltdAgts/DbtrAgt/FinInstnId/BICFI",
    ],
};

const CREDITOR: Party = Party {
    name: ["RltdPties/Cdtr/Nm", "RltdPties/Cdtr/Pty/Nm"],
    iban: "RltdPties/CdtrAcct/Id/IBAN",
    other_account: "RltdPties/CdtrAcct/Id/Othr/Id",
    bic: [
        "RltdAgts/CdtrAgt/FinInstnId/BIC",
        "RltdAgts/CdtrAgt/FinInstnId/BICFI",
    ],
};

/// What an entry was charged: the stated total (`TtlChrgsAndTaxAmt`, version 04 on), else
/// the sum of each charge (`Rcrd/Amt`, or `Amt` in version 02). `None` when none is stated.
fn charges(file: &InputFile<'_>, element: &Element) -> Result<Option<Money>, SourceError> {
    if let Some(total) = iso_xml::amount(
        file,
        element,
        "Chrgs/TtlChrgsAndTaxAmt",
        "the charges",
        ASK_AGAIN,
    )? {
        return Ok(Some(total));
    }
    for key in ["Chrgs/Rcrd/Amt", "Chrgs/Amt"] {
        let currencies: Vec<iso_xml::Field<'_>> =
            element.fields.all_attributes(key, "Ccy").collect();
        let mut sum: Option<Money> = None;
        for (n, field) in element.fields.all(key).enumerate() {
            let refuse = |message: String| {
                refusal(
                    file,
                    Some(field.line),
                    Some(field.path()),
                    message,
                    ASK_AGAIN,
                )
            };
            let value = iso_xml::decimal(field.value).ok_or_else(|| {
                refuse(format!("\"{}\" is not an amount of charges", field.value))
            })?;
            let currency = currencies
                .get(n)
                .ok_or_else(|| refuse("a charge has no currency (Ccy)".to_string()))
                .and_then(|c| {
                    crate::model::Currency::from_code(c.value).map_err(|e| refuse(e.to_string()))
                })?;
            let charge =
                Money::new(value, currency).map_err(|e| refuse(format!("a charge {e}")))?;
            sum = match sum {
                None => Some(charge),
                Some(s) if s.currency == charge.currency => Some(Money {
                    amount: s.amount + charge.amount,
                    currency: s.currency,
                }),
                Some(s) => {
                    return Err(refuse(format!(
                        "charges in {} and {} on one entry cannot be added up",
                        s.currency, charge.currency
                    )));
                }
            };
        }
        if sum.is_some() {
            return Ok(sum);
        }
    }
    Ok(None)
}

/// `PMNT/RCDT/ESCT` from the ISO domain, else the bank's proprietary code.
fn transaction_code(element: &Element) -> Option<String> {
    let value = |key: &str| element.fields.first(&[key]).map(|f| f.value);
    if let (Some(domain), Some(family), Some(sub)) = (
        value("BkTxCd/Domn/Cd"),
        value("BkTxCd/Domn/Fmly/Cd"),
        value("BkTxCd/Domn/Fmly/SubFmlyCd"),
    ) {
        return Some(format!("{domain}/{family}/{sub}"));
    }
    value("BkTxCd/Prtry/Cd").map(str::to_string)
}

/// `Amt` with its `Ccy`, signed by `CdtDbtInd` (money out is negative).
fn money(file: &InputFile<'_>, element: &Element, what: &str) -> Result<Money, SourceError> {
    let value = iso_xml::amount(file, element, "Amt", what, ASK_AGAIN)?
        .ok_or_else(|| missing(file, element, "Amt", &format!("{what} has no amount (Amt)")))?;
    let direction = element.fields.first(&["CdtDbtInd"]).ok_or_else(|| {
        missing(
            file,
            element,
            "CdtDbtInd",
            &format!("{what} does not say whether it is money in or out (CdtDbtInd)"),
        )
    })?;
    match direction.value {
        "CRDT" => Ok(value),
        "DBIT" => Ok(-value),
        other => Err(refusal(
            file,
            Some(direction.line),
            Some(direction.path()),
            format!("\"{other}\" is neither CRDT (money in) nor DBIT (money out)"),
            ASK_AGAIN,
        )),
    }
}

/// A date given as `Dt` or `DtTm` (the date of the bank's local time): `keys` are both
/// spellings, e.g. `BOOKING_DATE`. `None` when absent.
fn date(
    file: &InputFile<'_>,
    element: &Element,
    keys: &[&str; 2],
) -> Result<Option<NaiveDate>, SourceError> {
    element
        .fields
        .first(keys)
        .map(|field| iso_xml::date(file, field, ASK_AGAIN))
        .transpose()
}

const BALANCE_DATE: [&str; 2] = ["Dt/Dt", "Dt/DtTm"];
const BOOKING_DATE: [&str; 2] = ["BookgDt/Dt", "BookgDt/DtTm"];
const VALUE_DATE: [&str; 2] = ["ValDt/Dt", "ValDt/DtTm"];

/// A required element that is not there: at the enclosing element, naming what is missing.
fn missing(file: &InputFile<'_>, element: &Element, name: &str, message: &str) -> SourceError {
    iso_xml::missing(file, element, name, message, ASK_AGAIN)
}
