//! ISO 20022 bank-to-customer cash management: camt.052 (intraday account report), camt.053
//! (end-of-day statement) and camt.054 (debit/credit notification), versions 001.01 to
//! 001.13. Each `Rpt` / `Stmt` / `Ntfctn` becomes one `Statement`, each `Ntry` one `BankLine`.
//!
//! The shared `iso_xml` decodes the bytes and streams the XML once (no tree of the document
//! is ever built). This module names camt's scopes — statement, balance, entry, transaction
//! details — and hands each statement to `build` as soon as it closes, so memory holds one
//! statement at a time. `build` reads the values the way every version spells them and
//! refuses what a finance person would not accept — a bad IBAN, a fraction of a cent, a date
//! that is not one. Every refusal names the line and the XML path of the element at fault.

mod build;

use std::mem;

use super::iso_xml::{self, Element, Texts, Visitor, refusal};
use super::{Balance, InputFile, SourceError, Statement};
use crate::model::BankLine;
use build::RawEntry;

/// What every camt refusal offers when the file itself is broken.
const ASK_AGAIN: &str = "the file is damaged or was cut short: ask the bank to send it again";

const NAMESPACE_PREFIX: &str = "urn:iso:std:iso:20022:tech:xsd:";

const TEXTS: Texts = Texts {
    supported: "sluice reads camt.052, camt.053 and camt.054, versions 001.01 to 001.13",
    writer: "the bank",
    ask_again: ASK_AGAIN,
    wrong_file: "check that the file dropped is the camt export and not another file",
    no_namespace: "ask the bank for a camt export with its namespace (xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\" or similar)",
    other_namespace: "check that the file dropped is a bank statement (camt.05x), not a payment order or status report",
    doctype: "a camt file from a bank has no DOCTYPE: check where this file came from",
};

/// Reads every statement (report, notification) of a camt document; each must add up from
/// its opening to its closing balance.
pub fn parse(file: &InputFile<'_>) -> Result<Vec<Statement>, SourceError> {
    let text = iso_xml::decode(file, &TEXTS)?;
    let mut statements = Statements {
        file,
        account: None,
        balances: Vec::new(),
        booked: Vec::new(),
        not_booked: Vec::new(),
        waiting: Vec::new(),
        transactions: Vec::new(),
        entries_seen: 0,
        read: Vec::new(),
    };
    let message = iso_xml::walk(file, &text, &TEXTS, &mut statements)?;
    if statements.read.is_empty() {
        return Err(refusal(
            file,
            None,
            Some(format!("/Document/{}", message.kind.wrapper())),
            format!(
                "this {} holds no {} (only a group header): there is nothing to book",
                message.name,
                message.kind.item()
            ),
            "ask the bank for the complete file",
        ));
    }
    Ok(statements.read)
}

/// True when the first few KB are XML in a camt.052, camt.053 or camt.054 namespace.
pub fn sniff(bytes: &[u8]) -> bool {
    iso_xml::sniff(bytes, |namespace| {
        Message::from_namespace(namespace).is_some()
    })
}

/// Which camt message a document is, from its namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Message {
    /// `camt.053.001.02`
    name: String,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Report,
    Statement,
    Notification,
}

impl Kind {
    /// The element below `Document` (version 01 adds `V01` to it).
    fn wrapper(self) -> &'static str {
        match self {
            Kind::Report => "BkToCstmrAcctRpt",
            Kind::Statement => "BkToCstmrStmt",
            Kind::Notification => "BkToCstmrDbtCdtNtfctn",
        }
    }

    /// The element of one statement.
    fn item(self) -> &'static str {
        match self {
            Kind::Report => "Rpt",
            Kind::Statement => "Stmt",
            Kind::Notification => "Ntfctn",
        }
    }
}

impl Message {
    fn from_namespace(namespace: &str) -> Option<Message> {
        let name = namespace.strip_prefix(NAMESPACE_PREFIX)?;
        let version = name.strip_prefix("camt.05")?;
        let (kind, version) = match version.split_at_checked(1)? {
            ("2", rest) => (Kind::Report, rest),
            ("3", rest) => (Kind::Statement, rest),
            ("4", rest) => (Kind::Notification, rest),
            _ => return None,
        };
        let number = version.strip_prefix(".001.")?;
        let supported = number.len() == 2
            && number.bytes().all(|b| b.is_ascii_digit())
            && matches!(number.parse::<u8>(), Ok(1..=13));
        supported.then(|| Message {
            name: name.to_string(),
            kind,
        })
    }
}

/// What is gathered while the file streams past: the account, balances and entries of the
/// statement now open, the transaction details of the entry now open, and the statements
/// read so far. Each entry becomes its `BankLine` as soon as it closes, so only what the
/// statement keeps stays in memory.
struct Statements<'f, 'a> {
    file: &'f InputFile<'a>,
    /// The open statement's account, known once its `Acct` closed (the schema puts it
    /// before every entry).
    account: Option<String>,
    /// The opening and closing balances read so far, with their type (`OPBD` …).
    balances: Vec<(&'static str, Balance)>,
    booked: Vec<BankLine>,
    not_booked: Vec<BankLine>,
    /// Entries of a statement that names its account only after them, against the schema.
    waiting: Vec<RawEntry>,
    transactions: Vec<Element>,
    /// Entries closed so far, all statements counted.
    entries_seen: usize,
    read: Vec<Statement>,
}

impl Statements<'_, '_> {
    fn entry(&mut self, account: &str, raw: &RawEntry) -> Result<(), SourceError> {
        let (booked, line) = build::bank_line(self.file, account, raw)?;
        if booked {
            self.booked.push(line);
        } else {
            self.not_booked.push(line);
        }
        Ok(())
    }
}

impl Visitor for Statements<'_, '_> {
    type Message = Message;

    fn message(&self, namespace: &str) -> Option<Message> {
        Message::from_namespace(namespace)
    }

    fn open(
        &mut self,
        message: &Message,
        names: &[&str],
        line: u64,
        path: &str,
    ) -> Result<bool, SourceError> {
        let item = message.kind.item();
        match names {
            [_, wrapper] => {
                let expected = message.kind.wrapper();
                let known = wrapper
                    .strip_prefix(expected)
                    .is_some_and(|rest| rest.is_empty() || rest == "V01");
                if known {
                    return Ok(false);
                }
                Err(iso_xml::wrong_wrapper(
                    self.file,
                    &message.name,
                    expected,
                    wrapper,
                    line,
                    path,
                    ASK_AGAIN,
                ))
            }
            [_, _, statement] | [_, _, statement, "Acct" | "Bal" | "Ntry"] => {
                Ok(*statement == item)
            }
            [_, _, statement, "Ntry", below @ ..] => {
                Ok(*statement == item && is_transaction(below))
            }
            _ => Ok(false),
        }
    }

    fn close(&mut self, message: &Message, scope: Element) -> Result<(), SourceError> {
        match scope.name.as_str() {
            "TxDtls" => self.transactions.push(scope),
            "Bal" => {
                if let Some(balance) = build::typed_balance(self.file, &scope, &self.balances)? {
                    self.balances.push(balance);
                }
            }
            "Acct" => {
                let account = build::account(self.file, message, &scope)?;
                for raw in mem::take(&mut self.waiting) {
                    self.entry(&account, &raw)?;
                }
                self.account = Some(account);
            }
            "Ntry" => {
                self.entries_seen += 1;
                let raw = RawEntry {
                    element: scope,
                    number: self.entries_seen,
                    transactions: mem::take(&mut self.transactions),
                };
                match self.account.take() {
                    Some(account) => {
                        let read = self.entry(&account, &raw);
                        self.account = Some(account);
                        read?;
                    }
                    None => self.waiting.push(raw),
                }
            }
            _ => {
                let account = self
                    .account
                    .take()
                    .ok_or_else(|| build::no_account(self.file, message, &scope))?;
                for raw in mem::take(&mut self.waiting) {
                    self.entry(&account, &raw)?;
                }
                let statement = build::statement(
                    self.file,
                    message,
                    scope,
                    &mem::take(&mut self.balances),
                    account,
                    mem::take(&mut self.booked),
                    mem::take(&mut self.not_booked),
                )?;
                statement.check_balances(self.file)?;
                self.read.push(statement);
            }
        }
        Ok(())
    }
}

/// Whether the last of `below` (the names below an entry) is one payment's details,
/// `NtryDtls/TxDtls`, and not one nested in the details of another.
fn is_transaction(below: &[&str]) -> bool {
    const DETAILS: [&str; 2] = ["NtryDtls", "TxDtls"];
    below.ends_with(&DETAILS) && below.windows(2).filter(|pair| *pair == DETAILS).count() == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_from_01_to_13_of_the_three_messages_is_known() {
        for kind in ["052", "053", "054"] {
            for version in 1..=13 {
                let ns = format!("{NAMESPACE_PREFIX}camt.{kind}.001.{version:02}");
                assert!(Message::from_namespace(&ns).is_some(), "{ns}");
            }
        }
        for ns in [
            "urn:iso:std:iso:20022:tech:xsd:camt.053.001.14",
            "urn:iso:std:iso:20022:tech:xsd:camt.053.001.00",
            "urn:iso:std:iso:20022:tech:xsd:camt.053.001.2",
            "urn:iso:std:iso:20022:tech:xsd:camt.055.001.02",
            "urn:iso:std:iso:20022:tech:xsd:camt",
            "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03",
        ] {
            assert_eq!(Message::from_namespace(ns), None, "{ns}");
        }
    }

    #[test]
    fn sniff_recognises_camt_and_nothing_else() {
        let camt = br#"<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">"#;
        assert!(sniff(camt));
        assert!(sniff(&[b"\xEF\xBB\xBF".as_slice(), camt].concat()));
        let pain = br#"<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">"#;
        assert!(!sniff(pain));
        assert!(!sniff(
            b":20:STARTUMS\n:25:urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
        ));
        assert!(!sniff(b""));
    }
}
