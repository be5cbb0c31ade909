#!/usr/bin/env python3
"""Writes the hand-made workbooks of tests/fixtures/fuzz/ (see SOURCES.md there): sheets
whose cells lie far apart, and ODS files whose repeat counts expand a few hundred bytes
into gigabytes. Run from the repository root; the bytes are the same on every run."""

import zipfile

PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Invoices" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}


def xlsx(path, rows, extra=()):
    with zipfile.ZipFile(path, "w") as z:
        sheet = (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + rows
            + "</sheetData></worksheet>"
        )
        for name, text in [*PARTS.items(), ("xl/worksheets/sheet1.xml", sheet), *extra]:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 23, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)


# A header cell, and one value in the sheet's very last cell.
xlsx(
    "tests/fixtures/fuzz/far-cell.xlsx",
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Invoice No</t></is></c></row>'
    '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
)
# 400 rows with a value in column A and in column XFD: 6.5 million cells as a table.
xlsx(
    "tests/fixtures/fuzz/wide-rows.xlsx",
    "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="XFD{n}"><v>1</v></c></row>'
        for n in range(1, 401)
    ),
)

# A shared-strings part claiming a hundred billion distinct texts (it holds one).
xlsx(
    "tests/fixtures/fuzz/xlsx-claims-100-billion-strings.xlsx",
    '<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
    [
        (
            "xl/sharedStrings.xml",
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
            ' count="1" uniqueCount="100000000000"><si><t>Invoice No</t></si></sst>',
        )
    ],
)


def ods(path, table):
    with zipfile.ZipFile(path, "w") as z:
        info = zipfile.ZipInfo("mimetype", date_time=(2026, 11, 23, 0, 0, 0))
        z.writestr(info, "application/vnd.oasis.opendocument.spreadsheet")
        content = (
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
            ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
            ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
            ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            '<office:body><office:spreadsheet><table:table table:name="Invoices">'
            + table
            + "</table:table></office:spreadsheet></office:body></office:document-content>"
        )
        manifest = (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
            ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>"
        )
        for name, text in [("META-INF/manifest.xml", manifest), ("content.xml", content)]:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 23, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)


# One row of 95 numbers, repeated 1,048,576 times: 99.6 million cells, just under
# calamine's own cap of 100 million.
ods(
    "tests/fixtures/fuzz/ods-repeated-rows.ods",
    '<table:table-row table:number-rows-repeated="1048576">'
    '<table:table-cell table:number-columns-repeated="95" office:value-type="float" office:value="1">'
    "<text:p>1</text:p></table:table-cell></table:table-row>",
)
# A text cell holding two billion spaces, written as one <text:s text:c="2000000000"/>.
ods(
    "tests/fixtures/fuzz/ods-two-billion-spaces.ods",
    '<table:table-row><table:table-cell office:value-type="string">'
    '<text:p>Invoice<text:s text:c="2000000000"/>No</text:p></table:table-cell></table:table-row>',
)
