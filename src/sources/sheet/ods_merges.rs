//! Merged cells of one ODS sheet. calamine reads an ODS sheet's values but not its merged
//! areas, so `content.xml` is walked here: a `table:table-cell` with
//! `table:number-columns-spanned` / `table:number-rows-spanned` starts a merged area, and
//! `table:covered-table-cell`s fill the rest. Only rows up to the header are walked.

use std::io::{BufRead, BufReader, Cursor};

use calamine::Dimensions;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// The merged areas of sheet `sheet` that start in rows `0..=last_row` (0-based).
pub fn read(bytes: &[u8], sheet: &str, last_row: u32) -> Result<Vec<Dimensions>, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    // Streamed, not read whole: a few KB of ZIP can inflate to gigabytes of XML.
    let content = archive.by_name("content.xml").map_err(|e| e.to_string())?;
    merges(BufReader::new(content), sheet, last_row)
}

fn number(e: &BytesStart<'_>, name: &str) -> Result<u32, String> {
    match e.try_get_attribute(name).map_err(|e| e.to_string())? {
        Some(a) => a
            .value
            .trim()
            .parse()
            .ok()
            .ok_or_else(|| "a repeat or span count is not a number".to_string()),
        None => Ok(1),
    }
}

fn merges(content: impl BufRead, sheet: &str, last_row: u32) -> Result<Vec<Dimensions>, String> {
    let mut reader = Reader::from_reader(content);
    let mut buf = Vec::new();
    let mut found = Vec::new();
    let mut in_sheet = false;
    let (mut row, mut col) = (0u32, 0u32);
    let mut rows_repeated = 1u32;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| e.to_string())?;
        match event {
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                let name = e
                    .try_get_attribute("table:name")
                    .map_err(|e| e.to_string())?
                    .and_then(|a| {
                        a.normalized_value(XmlVersion::Implicit1_0)
                            .ok()
                            .map(|v| v.into_owned())
                    });
                in_sheet = name.as_deref() == Some(sheet);
                row = 0;
            }
            Event::End(e) if e.name().as_ref() == "table:table" && in_sheet => break,
            Event::Empty(e) if in_sheet && e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(number(&e, "table:number-rows-repeated")?);
            }
            Event::Start(e) | Event::Empty(e) if in_sheet => match e.name().as_ref() {
                "table:table-row" => {
                    if row > last_row {
                        break;
                    }
                    col = 0;
                    rows_repeated = number(&e, "table:number-rows-repeated")?;
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let columns = number(&e, "table:number-columns-spanned")?;
                    let rows = number(&e, "table:number-rows-spanned")?;
                    if e.name().as_ref() == "table:table-cell" && (columns > 1 || rows > 1) {
                        // Counts are the file's word: an area reaching past the last row
                        // or column ends there.
                        found.push(Dimensions::new(
                            (row, col),
                            (
                                row.saturating_add(rows - 1),
                                col.saturating_add(columns - 1),
                            ),
                        ));
                    }
                    col = col.saturating_add(number(&e, "table:number-columns-repeated")?);
                }
                _ => {}
            },
            Event::End(e) if in_sheet && e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(rows_repeated);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanned_cells_are_merged_areas() {
        let xml = br#"<office:spreadsheet>
<table:table table:name="Other"><table:table-row><table:table-cell table:number-columns-spanned="5"/></table:table-row></table:table>
<table:table table:name="Invoices">
  <table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3"/></table:table-row>
  <table:table-row>
    <table:table-cell table:number-columns-repeated="2"/>
    <table:table-cell table:number-columns-spanned="2" office:value-type="string"><text:p>Amount</text:p></table:table-cell>
    <table:covered-table-cell/>
    <table:table-cell table:number-rows-spanned="2"/>
  </table:table-row>
  <table:table-row><table:table-cell table:number-columns-spanned="9"/></table:table-row>
</table:table></office:spreadsheet>"#;
        let found = merges(&xml[..], "Invoices", 2).unwrap();
        assert_eq!(
            found,
            vec![
                Dimensions::new((2, 2), (2, 3)),
                Dimensions::new((2, 4), (3, 4))
            ]
        );
    }
}
