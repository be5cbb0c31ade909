//! Bytes to text. A byte-order mark decides the encoding; otherwise the XML declaration's
//! `encoding` does, and UTF-8 when it names none (XML 1.0, appendix F). Banks that still
//! write ISO-8859-1 or Windows-1252 say so in the declaration; invalid UTF-8 in a file that
//! claims UTF-8 is refused with its line rather than guessed at.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8};

use super::{ASK_AGAIN, refusal};
use crate::sources::{InputFile, SourceError};

/// How far into the file the XML declaration may end.
const DECLARATION_WITHIN: usize = 1024;

pub(super) fn decode<'a>(file: &InputFile<'a>) -> Result<Cow<'a, str>, SourceError> {
    if let Some((encoding, bom_length)) = Encoding::for_bom(file.bytes) {
        return decode_as(file, encoding, &file.bytes[bom_length..]);
    }
    let encoding = match declared_encoding(file.bytes) {
        None => UTF_8,
        Some(label) => match Encoding::for_label(label.trim().as_bytes()) {
            Some(encoding) if encoding.is_ascii_compatible() => encoding,
            _ => {
                return Err(refusal(
                    file,
                    Some(1),
                    None,
                    format!(
                        "the XML declaration names the encoding \"{label}\", which sluice cannot read"
                    ),
                    "ask the bank for a UTF-8 export (ISO-8859-1 and Windows-1252 are read too)",
                ));
            }
        },
    };
    decode_as(file, encoding, file.bytes)
}

fn decode_as<'a>(
    file: &InputFile<'a>,
    encoding: &'static Encoding,
    bytes: &'a [u8],
) -> Result<Cow<'a, str>, SourceError> {
    if encoding == UTF_8 {
        return std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| {
            let valid = &bytes[..e.valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
            refusal(
                file,
                Some(line),
                None,
                format!(
                    "is not valid UTF-8 (byte 0x{:02X}), although its XML declaration says UTF-8 or names no encoding",
                    bytes[e.valid_up_to()]
                ),
                "the bank probably wrote ISO-8859-1 or Windows-1252 without saying so: ask for a UTF-8 export, or for the encoding to be named in the XML declaration",
            )
        });
    }
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .ok_or_else(|| {
            refusal(
                file,
                None,
                None,
                format!("is not valid {} text", encoding.name()),
                ASK_AGAIN,
            )
        })
}

/// The `encoding` pseudo-attribute of `<?xml … ?>` at the very start of the file.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(DECLARATION_WITHIN)];
    let head = head.strip_prefix(b"<?xml")?;
    let end = head.windows(2).position(|w| w == b"?>")?;
    let declaration = std::str::from_utf8(&head[..end]).ok()?;
    let after = &declaration[declaration.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &after[1..];
    Some(value[..value.find(quote)?].to_string())
}

#[cfg(test)]
mod tests {
    use super::declared_encoding;

    #[test]
    fn the_declaration_names_the_encoding() {
        assert_eq!(
            declared_encoding(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(
            declared_encoding(b"<?xml version='1.0' encoding = 'windows-1252' ?>").as_deref(),
            Some("windows-1252")
        );
        assert_eq!(declared_encoding(b"<?xml version=\"1.0\"?><a/>"), None);
        assert_eq!(declared_encoding(b"<a/>"), None);
        assert_eq!(declared_encoding(b"<?xml encoding=\"UTF-8"), None);
    }
}
