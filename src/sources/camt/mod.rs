//! ISO 20022 bank-to-customer cash management: camt.052 (intraday account report), camt.053
//! (end-of-day statement) and camt.054 (debit/credit notification), versions 001.01 to
//! 001.13. Each `Rpt` / `Stmt` / `Ntfctn` becomes one `Statement`, each `Ntry` one `BankLine`.
//!
//! Three steps, one file each: `decode` turns bytes into text in the encoding the XML
//! declaration names; `walk` streams the XML once with quick-xml (no tree of the document is
//! ever built) and hands over each statement's values keyed by their path; `build` reads
//! those values the way every version spells them and refuses what a finance person would
//! not accept — a bad IBAN, a fraction of a cent, a date that is not one. Every refusal
//! names the line and the XML path of the element at fault.

mod build;
mod decode;
mod walk;

use super::{InputFile, SourceError, Statement};

/// What every camt refusal offers when the file itself is broken.
const ASK_AGAIN: &str = "the file is damaged or was cut short: ask the bank to send it again";

const NAMESPACE_PREFIX: &str = "urn:iso:std:iso:20022:tech:xsd:";

/// Reads every statement (report, notification) of a camt document; each must add up from
/// its opening to its closing balance.
pub fn parse(file: &InputFile<'_>) -> Result<Vec<Statement>, SourceError> {
    let text = decode::decode(file)?;
    let mut statements = Vec::new();
    let message = walk::walk(file, &text, |message, raw| {
        let statement = build::statement(file, message, raw)?;
        statement.check_balances(file)?;
        statements.push(statement);
        Ok(())
    })?;
    if statements.is_empty() {
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
    Ok(statements)
}

/// True when the first few KB are XML in a camt.052, camt.053 or camt.054 namespace.
pub fn sniff(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let (text, _) = encoding_rs::UTF_8.decode_with_bom_removal(head);
    if !text.trim_start().starts_with('<') {
        return false;
    }
    text.match_indices(NAMESPACE_PREFIX).any(|(at, prefix)| {
        let rest = &text[at + prefix.len()..];
        let end = rest.find(['"', '\'']).unwrap_or(rest.len());
        Message::from_namespace(&rest[..end]).is_some()
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
    /// `message` is what follows the ISO prefix (`camt.053.001.02`); also accepts the
    /// whole namespace.
    fn from_namespace(namespace: &str) -> Option<Message> {
        let name = namespace
            .strip_prefix(NAMESPACE_PREFIX)
            .unwrap_or(namespace);
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

fn refusal(
    file: &InputFile<'_>,
    line: Option<u64>,
    path: Option<String>,
    message: String,
    hint: &str,
) -> SourceError {
    SourceError {
        file: file.name.to_string(),
        line,
        column: None,
        path,
        message,
        hint: hint.to_string(),
    }
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
