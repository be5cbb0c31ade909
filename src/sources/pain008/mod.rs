//! SEPA direct-debit initiation, pain.008: the collections we asked the bank to make,
//! versions 001.02 to 001.11 and the German DK variants 002.02 and 003.02. Each
//! `DrctDbtTxInf` becomes one `DirectDebit`, carrying the ids of its payment block
//! (`PmtInf`) and message, since banks book a block as one sum and report on all three.
//!
//! The shared `iso_xml` decodes and streams the file; this module knows the message's
//! shape, and `build` reads one payment block at a time — memory never holds more. A file
//! that was changed after it was written (counts or control sums that do not add up), an
//! IBAN that fails its check, a fraction of a cent, a missing end-to-end id, mandate or
//! collection date refuse the whole file at the line and XML path at fault: it is the record
//! of what we asked for, and half of it is worse than none.

mod build;

use rust_decimal::Decimal;

use super::iso_xml::{self, Element, Texts, Visitor, refusal};
use super::{InputFile, SourceError};
use crate::model::DirectDebit;

const NAMESPACE_PREFIX: &str = "urn:iso:std:iso:20022:tech:xsd:";

/// What a pain.008 refusal offers when the file itself is broken. The file is ours: the
/// billing system wrote it for the bank.
const ASK_AGAIN: &str =
    "the file is damaged or was cut short: take the copy the billing system wrote for the bank";

const TEXTS: Texts = Texts {
    supported: "sluice reads pain.008 versions 001.02 to 001.11 and the German DK variants pain.008.002.02 and pain.008.003.02",
    writer: "the billing system",
    ask_again: ASK_AGAIN,
    wrong_file: "check that the file dropped is the pain.008 direct-debit file sent to the bank, and not another file",
    no_namespace: "a bank accepts a pain.008 file only with its namespace (xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.008.001.02\" or similar): take the file that was sent",
    other_namespace: "check that the file dropped is a direct-debit file (pain.008), not a transfer order (pain.001), a status report (pain.002) or a statement (camt)",
    doctype: "a pain.008 file has no DOCTYPE: check where this file came from",
};

/// Reads every collection of a pain.008 message.
pub fn parse(file: &InputFile<'_>) -> Result<Vec<DirectDebit>, SourceError> {
    let text = iso_xml::decode(file, &TEXTS)?;
    let mut collections = Collections {
        file,
        header: None,
        transactions: Vec::new(),
        debits: Vec::new(),
    };
    let message = iso_xml::walk(file, &text, &TEXTS, &mut collections)?;
    let wrapper = format!("/Document/{WRAPPER}");
    let Some(header) = collections.header else {
        return Err(refusal(
            file,
            None,
            Some(wrapper),
            format!("this {} has no group header (GrpHdr)", message.name),
            ASK_AGAIN,
        ));
    };
    if collections.debits.is_empty() {
        return Err(refusal(
            file,
            Some(header.element.line),
            Some(wrapper),
            format!(
                "this {} holds no collection (PmtInf/DrctDbtTxInf): there is nothing to follow",
                message.name
            ),
            ASK_AGAIN,
        ));
    }
    let amounts: Vec<Decimal> = collections.debits.iter().map(|d| d.amount.amount).collect();
    build::check_totals(file, &header.element, "the message", &amounts)?;
    Ok(collections.debits)
}

/// True when the first few KB are XML in a pain.008 namespace.
pub fn sniff(bytes: &[u8]) -> bool {
    iso_xml::sniff(bytes, |namespace| {
        Message::from_namespace(namespace).is_some()
    })
}

/// The element below `Document` in every version sluice reads.
const WRAPPER: &str = "CstmrDrctDbtInitn";

/// Which pain.008 version a document is, from its namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Message {
    /// `pain.008.001.02`
    name: String,
}

impl Message {
    fn from_namespace(namespace: &str) -> Option<Message> {
        let name = namespace.strip_prefix(NAMESPACE_PREFIX)?;
        let (variant, version) = name.strip_prefix("pain.008.")?.split_once('.')?;
        let two_digits = version.len() == 2 && version.bytes().all(|b| b.is_ascii_digit());
        let known = two_digits
            && matches!(
                (variant, version.parse::<u8>().ok()?),
                ("001", 2..=11) | ("002" | "003", 2)
            );
        known.then(|| Message {
            name: name.to_string(),
        })
    }
}

/// The group header, read once it closes.
struct Header {
    message_id: String,
    element: Element,
}

/// What is gathered while the file streams past: the header, the collections of the payment
/// block now open, and the collections read so far.
struct Collections<'f, 'a> {
    file: &'f InputFile<'a>,
    header: Option<Header>,
    transactions: Vec<Element>,
    debits: Vec<DirectDebit>,
}

impl Visitor for Collections<'_, '_> {
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
            [_, _, "GrpHdr" | "PmtInf"] | [_, _, "PmtInf", "DrctDbtTxInf"] => Ok(true),
            _ => Ok(false),
        }
    }

    fn close(&mut self, _: &Message, scope: Element) -> Result<(), SourceError> {
        match scope.name.as_str() {
            "GrpHdr" => {
                let message_id = build::required(
                    self.file,
                    &scope,
                    "MsgId",
                    "the group header has no message id (MsgId)",
                )?
                .value
                .to_string();
                self.header = Some(Header {
                    message_id,
                    element: scope,
                });
            }
            "DrctDbtTxInf" => self.transactions.push(scope),
            _ => {
                let transactions = std::mem::take(&mut self.transactions);
                let Some(header) = &self.header else {
                    return Err(refusal(
                        self.file,
                        Some(scope.line),
                        Some(scope.path),
                        "the payment block comes before the group header (GrpHdr) that names the message".to_string(),
                        ASK_AGAIN,
                    ));
                };
                let block = build::block(self.file, &header.message_id, &scope, &transactions)?;
                self.debits.extend(block);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_001_02_to_001_11_and_the_dk_variants_are_known() {
        for version in 2..=11 {
            let ns = format!("{NAMESPACE_PREFIX}pain.008.001.{version:02}");
            assert!(Message::from_namespace(&ns).is_some(), "{ns}");
        }
        for ns in [
            "urn:iso:std:iso:20022:tech:xsd:pain.008.002.02",
            "urn:iso:std:iso:20022:tech:xsd:pain.008.003.02",
        ] {
            assert!(Message::from_namespace(ns).is_some(), "{ns}");
        }
        for ns in [
            "urn:iso:std:iso:20022:tech:xsd:pain.008.001.01",
            "urn:iso:std:iso:20022:tech:xsd:pain.008.001.12",
            "urn:iso:std:iso:20022:tech:xsd:pain.008.001.2",
            "urn:iso:std:iso:20022:tech:xsd:pain.008.003.03",
            "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03",
            "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03",
            "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02",
            "pain.008.001.02",
        ] {
            assert_eq!(Message::from_namespace(ns), None, "{ns}");
        }
    }

    #[test]
    fn sniff_recognises_pain_008_and_nothing_else() {
        let head = |ns: &str| format!("<?xml version=\"1.0\"?>\n<Document xmlns=\"{ns}\">");
        for ns in [
            "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02",
            "urn:iso:std:iso:20022:tech:xsd:pain.008.001.08",
            "urn:iso:std:iso:20022:tech:xsd:pain.008.003.02",
        ] {
            assert!(sniff(head(ns).as_bytes()), "{ns}");
        }
        let bom = [
            b"\xEF\xBB\xBF".as_slice(),
            head("urn:iso:std:iso:20022:tech:xsd:pain.008.001.02").as_bytes(),
        ]
        .concat();
        assert!(sniff(&bom));
        for ns in [
            "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03",
            "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03",
            "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02",
        ] {
            assert!(!sniff(head(ns).as_bytes()), "{ns}");
        }
        assert!(!sniff(
            b"EndToEndId;Amount\nurn:iso:std:iso:20022:tech:xsd:pain.008.001.02"
        ));
        assert!(!sniff(b""));
    }
}
