//! What kind of workbook a file is, by its first bytes and its ZIP entry names, never by
//! its name: a billing export saved as `.csv` that is really XLSX is read as XLSX, and a
//! `.xls` that is really HTML or text is read as text (and refused there if it is neither).

/// A spreadsheet format sluice reads, or a ZIP archive that is none of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Xls,
    Ods,
    /// A ZIP archive without a workbook in it (a zipped CSV, a Word document …).
    OtherZip,
}

const ZIP: &[u8] = b"PK\x03\x04";
const OLE2: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// ODF stores `mimetype` first and uncompressed, so name and content follow each other.
const ODS_MIMETYPE: &[u8] = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet";
const XLSX_WORKBOOK: &[u8] = b"xl/workbook.xml";

impl Kind {
    /// `None` for anything that is not a workbook: delimited text, by elimination.
    pub fn of(bytes: &[u8]) -> Option<Kind> {
        if bytes.starts_with(OLE2) {
            Some(Kind::Xls)
        } else if bytes.starts_with(ZIP) {
            Some(if contains(bytes, ODS_MIMETYPE) {
                Kind::Ods
            } else if contains(bytes, XLSX_WORKBOOK) {
                Kind::Xlsx
            } else {
                Kind::OtherZip
            })
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Xlsx => "XLSX",
            Kind::Xls => "XLS",
            Kind::Ods => "ODS",
            Kind::OtherZip => "ZIP",
        }
    }
}

fn contains(bytes: &[u8], needle: &[u8]) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_tells_the_kind() {
        assert_eq!(Kind::of(b"Invoice No,Total\n"), None);
        assert_eq!(Kind::of(b""), None);
        assert_eq!(
            Kind::of(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"),
            Some(Kind::Xls)
        );
        assert_eq!(
            Kind::of(b"PK\x03\x04....[Content_Types].xml....xl/workbook.xml"),
            Some(Kind::Xlsx)
        );
        let mut ods = b"PK\x03\x04".to_vec();
        ods.extend([0u8; 26]);
        ods.extend(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet");
        assert_eq!(Kind::of(&ods), Some(Kind::Ods));
        assert_eq!(
            Kind::of(b"PK\x03\x04....word/document.xml"),
            Some(Kind::OtherZip)
        );
    }
}
