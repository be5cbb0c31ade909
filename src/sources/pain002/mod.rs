//! SEPA payment status reports, pain.002: what the banks said of the collections we sent —
//! accepted, pending, or rejected with a reason code (AC04 account closed, AM04 no funds,
//! MD01 no mandate …). Versions 001.03 to 001.14, the German DK variants 002.03 and 003.03,
//! and the Swiss pain.002.001.03.ch.02 of SIX.
//!
//! A report speaks at three levels: the whole original message (`OrgnlGrpInfAndSts`), one
//! payment block (`OrgnlPmtInfAndSts`), one transaction (`TxInfAndSts`). sluice keeps the
//! most precise level the report gives: one `PaymentStatus` per transaction listed, else
//! one per block, else one for the message. The shared `iso_xml` decodes and streams the
//! file; `build` turns one block at a time into records.

mod build;

use super::iso_xml::{self, Element, Texts, Visitor, refusal};
use super::{InputFile, SourceError};
use crate::model::PaymentStatus;

const NAMESPACE_PREFIX: &str = "urn:iso:std:iso:20022:tech:xsd:";

/// The Swiss variant names itself by the URL of its schema.
const SIX_NAMESPACE: &str = "http://www.six-interbank-clearing.com/de/pain.002.001.03.ch.02.xsd";

const ASK_AGAIN: &str = "the file is damaged or was cut short: ask the bank to send it again";

const TEXTS: Texts = Texts {
    supported: "sluice reads pain.002 versions 001.03 to 001.14, the German DK variants pain.002.002.03 and pain.002.003.03, and the Swiss pain.002.001.03.ch.02",
    writer: "the bank",
    ask_again: ASK_AGAIN,
    wrong_file: "check that the file dropped is the bank's status report (pain.002), and not another file",
    no_namespace: "ask the bank for the status report with its namespace (xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.03\" or similar)",
    other_namespace: "check that the file dropped is a status report (pain.002), not a payment order (pain.001, pain.008) or a statement (camt)",
    doctype: "a status report from a bank has no DOCTYPE: check where this file came from",
};

/// Reads every status a pain.002 report gives.
pub fn parse(file: &InputFile<'_>) -> Result<Vec<PaymentStatus>, SourceError> {
    let text = iso_xml::decode(file, &TEXTS)?;
    let mut report = Report {
        file,
        header: None,
        group: None,
        transactions: Vec::new(),
        statuses: Vec::new(),
        blocks: 0,
    };
    let message = iso_xml::walk(file, &text, &TEXTS, &mut report)?;
    let wrapper = format!("/Document/{WRAPPER}");
    let (Some(header), Some(group)) = (&report.header, &report.group) else {
        let what = match report.header {
            None => "group header (GrpHdr)",
            Some(_) => "original group information (OrgnlGrpInfAndSts)",
        };
        return Err(refusal(
            file,
            None,
            Some(wrapper),
            format!(
                "this {} has no {what}, so it is unknown which message it reports on",
                message.name
            ),
            ASK_AGAIN,
        ));
    };
    if report.blocks == 0 {
        report
            .statuses
            .push(build::for_message(file, header, group)?);
    }
    Ok(report.statuses)
}

/// True when the first few KB are XML in a pain.002 namespace.
pub fn sniff(bytes: &[u8]) -> bool {
    iso_xml::sniff(bytes, |namespace| {
        Message::from_namespace(namespace).is_some()
    })
}

/// The element below `Document` in every version sluice reads.
const WRAPPER: &str = "CstmrPmtStsRpt";

/// Which pain.002 version a document is, from its namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Message {
    /// `pain.002.001.03`, `pain.002.001.03.ch.02`
    name: String,
}

impl Message {
    fn from_namespace(namespace: &str) -> Option<Message> {
        if namespace == SIX_NAMESPACE {
            return Some(Message {
                name: "pain.002.001.03.ch.02".to_string(),
            });
        }
        let name = namespace.strip_prefix(NAMESPACE_PREFIX)?;
        let (variant, version) = name.strip_prefix("pain.002.")?.split_once('.')?;
        let two_digits = version.len() == 2 && version.bytes().all(|b| b.is_ascii_digit());
        let known = two_digits
            && matches!(
                (variant, version.parse::<u8>().ok()?),
                ("001", 3..=14) | ("002" | "003", 3)
            );
        known.then(|| Message {
            name: name.to_string(),
        })
    }
}

/// What is gathered while the report streams past.
struct Report<'f, 'a> {
    file: &'f InputFile<'a>,
    header: Option<build::Header>,
    group: Option<Element>,
    /// Of the payment block now open.
    transactions: Vec<Element>,
    statuses: Vec<PaymentStatus>,
    blocks: usize,
}

impl Visitor for Report<'_, '_> {
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
        match names {
            [_, wrapper] if *wrapper != WRAPPER => Err(iso_xml::wrong_wrapper(
                self.file,
                &message.name,
                WRAPPER,
                wrapper,
                line,
                path,
                ASK_AGAIN,
            )),
            [_, _, "GrpHdr" | "OrgnlGrpInfAndSts" | "OrgnlPmtInfAndSts"]
            | [_, _, "OrgnlPmtInfAndSts", "TxInfAndSts"] => Ok(true),
            _ => Ok(false),
        }
    }

    fn close(&mut self, _: &Message, scope: Element) -> Result<(), SourceError> {
        match scope.name.as_str() {
            "GrpHdr" => self.header = Some(build::header(self.file, scope)?),
            "OrgnlGrpInfAndSts" => self.group = Some(scope),
            "TxInfAndSts" => self.transactions.push(scope),
            _ => {
                self.blocks += 1;
                let transactions = std::mem::take(&mut self.transactions);
                let (Some(header), Some(group)) = (&self.header, &self.group) else {
                    return Err(refusal(
                        self.file,
                        Some(scope.line),
                        Some(scope.path),
                        "the payment block's status comes before the group header (GrpHdr) and the original group information (OrgnlGrpInfAndSts) that say which message it reports on".to_string(),
                        ASK_AGAIN,
                    ));
                };
                let statuses = build::for_block(self.file, header, group, &scope, &transactions)?;
                self.statuses.extend(statuses);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_001_03_to_001_14_the_dk_and_the_swiss_variants_are_known() {
        for version in 3..=14 {
            let ns = format!("{NAMESPACE_PREFIX}pain.002.001.{version:02}");
            assert!(Message::from_namespace(&ns).is_some(), "{ns}");
        }
        for ns in [
            "urn:iso:std:iso:20022:tech:xsd:pain.002.002.03",
            "urn:iso:std:iso:20022:tech:xsd:pain.002.003.03",
            SIX_NAMESPACE,
        ] {
            assert!(Message::from_namespace(ns).is_some(), "{ns}");
        }
        for ns in [
            "urn:iso:std:iso:20022:tech:xsd:pain.002.001.02",
            "urn:iso:std:iso:20022:tech:xsd:pain.002.001.15",
            "urn:iso:std:iso:20022:tech:xsd:pain.002.001.3",
            "urn:iso:std:iso:20022:tech:xsd:other.002.001.03",
            "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02",
            "http://www.six-interbank-clearing.com/de/pain.001.001.03.ch.02.xsd",
        ] {
            assert_eq!(Message::from_namespace(ns), None, "{ns}");
        }
    }

    #[test]
    fn sniff_recognises_pain_002_and_nothing_else() {
        let head = |ns: &str| format!("<?xml version=\"1.0\"?>\n<Document xmlns=\"{ns}\">");
        for ns in [
            "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03",
            "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10",
            "urn:iso:std:iso:20022:tech:xsd:pain.002.003.03",
            SIX_NAMESPACE,
        ] {
            assert!(sniff(head(ns).as_bytes()), "{ns}");
        }
        for ns in [
            "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02",
            "urn:iso:std:iso:20022:tech:xsd:other.002.001.03",
            "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02",
        ] {
            assert!(!sniff(head(ns).as_bytes()), "{ns}");
        }
        assert!(!sniff(b"<Document>\n<CstmrPmtStsRpt>"));
        assert!(!sniff(b""));
    }
}
