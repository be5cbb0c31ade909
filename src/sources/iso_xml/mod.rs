//! What the ISO 20022 XML sources share: camt statements, pain.008 collections and pain.002
//! status reports are each one `<Document>` in a namespace that names message and version.
//! Each format only names its message, its scopes and its refusals' wording.
//!
//! `decode` turns bytes into text in the encoding the XML declaration names; `walk` streams
//! the XML once with quick-xml (no DTD, no tree of the document) and hands each scope the
//! format asks for — a statement entry, a collection — to the format as it closes; `values`
//! reads what every message spells the same way (IBANs, amounts, dates). The refusals
//! they raise speak of the format through its `Texts`, so a finance person reads "the camt
//! export" or "the pain.008 collection file", never "the document".

mod decode;
mod values;
mod walk;

pub(super) use decode::decode;
pub(super) use values::{Element, Field, amount, checked_iban, date, decimal, missing, required};
pub(super) use walk::{Visitor, walk};

use super::{InputFile, SourceError};

/// How a format's refusals name the file and what to do about it.
pub(super) struct Texts {
    /// What sluice reads of this kind: "sluice reads camt.052, … versions 001.01 to 001.13".
    pub supported: &'static str,
    /// Who writes such files, as a hint names them: "the bank".
    pub writer: &'static str,
    /// The hint when the file is damaged or cut short.
    pub ask_again: &'static str,
    /// The hint when the file is some other file altogether.
    pub wrong_file: &'static str,
    /// The hint when `<Document>` names no namespace.
    pub no_namespace: &'static str,
    /// The hint when `<Document>` is in a namespace the format does not read.
    pub other_namespace: &'static str,
    /// The hint when the file declares a DOCTYPE.
    pub doctype: &'static str,
}

pub(super) fn refusal(
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

/// The document's second element is not the one its message type holds (`<CstmrDrctDbtInitn>`
/// in a pain.008): the namespace and the content disagree.
pub(super) fn wrong_wrapper(
    file: &InputFile<'_>,
    message: &str,
    expected: &str,
    found: &str,
    line: u64,
    path: &str,
    hint: &str,
) -> SourceError {
    refusal(
        file,
        Some(line),
        Some(path.to_string()),
        format!("a {message} document holds <{expected}>, but this one holds <{found}>"),
        hint,
    )
}

/// True when the first few KB are XML whose elements are bound to a namespace `known`
/// accepts; what a format's `sniff` asks.
pub(super) fn sniff(bytes: &[u8], known: impl Fn(&str) -> bool) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let (text, _) = encoding_rs::UTF_8.decode_with_bom_removal(head);
    if !text.trim_start().starts_with('<') {
        return false;
    }
    text.match_indices("xmlns").any(|(at, xmlns)| {
        let rest = &text[at + xmlns.len()..];
        let rest = match rest.strip_prefix(':') {
            Some(prefixed) => prefixed.trim_start_matches(|c: char| c != '=' && c != '>'),
            None => rest,
        };
        let Some(rest) = rest.trim_start().strip_prefix('=') else {
            return false;
        };
        let rest = rest.trim_start();
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            return false;
        };
        let value = &rest[1..];
        value
            .find(quote)
            .is_some_and(|end| known(value[..end].trim()))
    })
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn sniff_looks_at_namespace_declarations_only() {
        let is_a = |ns: &str| ns == "urn:a";
        assert!(sniff(
            br#"<?xml version="1.0"?><Document xmlns="urn:a">"#,
            is_a
        ));
        assert!(sniff(b"\n  <x:Document xmlns:x = 'urn:a'>", is_a));
        assert!(!sniff(br#"<Document xmlns="urn:b"><a>urn:a</a>"#, is_a));
        assert!(!sniff(br#"<Document schemaLocation="urn:a">"#, is_a));
        assert!(!sniff(br#"text xmlns="urn:a""#, is_a));
        assert!(!sniff(br#"<Document xmlns="urn:a"#, is_a));
        assert!(!sniff(b"", is_a));
    }
}
