//! What an XLSX file says about its shared strings, checked before calamine believes it.
//! calamine (0.38) reserves room for as many shared strings as the `uniqueCount` of
//! `sharedStrings.xml` claims when it opens the workbook; a claim of a hundred billion is
//! an allocation that fails and takes the process with it. Every part named
//! `…sharedStrings.xml` is looked at (calamine picks one through the workbook's
//! relationships, which this check need not follow to be safe). The sheets' own cells are
//! bounded as they are read (see `xlsx_cells` in the module above).

use std::io::{BufReader, Cursor};

use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// `Err` with the claimed count when a shared-strings part claims more than `max`.
pub fn check(bytes: &[u8], max: u64) -> Result<(), u64> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let parts: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"))
        .map(|n| n.into_owned())
        .collect();
    for part in parts {
        let Ok(entry) = archive.by_name(&part) else {
            continue;
        };
        if let Some(claimed) = unique_count(BufReader::new(entry))
            && claimed > max
        {
            return Err(claimed);
        }
    }
    Ok(())
}

/// The `uniqueCount` of the part's `sst` element, read as calamine reads it (digits only).
fn unique_count(content: impl std::io::BufRead) -> Option<u64> {
    let mut reader = Reader::from_reader(content);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sst" => {
                let value = e.try_get_attribute("uniqueCount").ok()??.value;
                let digits = value.trim_start_matches('+');
                // Past u64 is past any limit.
                return if digits.bytes().all(|b| b.is_ascii_digit()) && !digits.is_empty() {
                    Some(digits.parse().unwrap_or(u64::MAX))
                } else {
                    None
                };
            }
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}
