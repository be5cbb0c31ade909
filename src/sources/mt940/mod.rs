//! SWIFT MT940 (customer statement) and MT942 (interim transaction report).
//!
//! Our own line-by-line parser, not the `mt940` crate: that crate is strict by design and
//! asks callers to run sanitizers over the text first (which rewrite characters and cut
//! lines, so an error no longer points at the bank's line), its MT942 support is only
//! planned, SWIFT envelopes are left to the caller, and `:86:` comes back as one opaque
//! string. What sluice needs — every refusal named by file, line and tag, the quirks of
//! real banks accepted deliberately and one by one, `?`-sub-fields and `/KEY/` pairs read
//! into the entry — is a small state machine over lines, so we own it.
//!
//! The file is read one line at a time: a line starting with a known tag (`:61:`) opens a
//! field, other lines continue it; `{1:…}{2:…}{4:` and `-}` (or a lone `-`) frame messages;
//! `:20:` opens a statement, which is checked (account, both balances, adding up) when the
//! next one opens or the message ends. Quirks of real banks accepted on purpose:
//! - control characters around messages (SOH/ETX: mBank, PostFinance, Alpha Bank) and
//!   header lines before the first `:20:` (ABN AMRO's `ABNANL2A`/`940`, Rabobank's `:940:`);
//! - a `:61:` without `:86:` (Danske Bank, Citi, Sberbank — field 86 is optional in SWIFT's
//!   MT940), and several `:86:` for one entry (old Rabobank);
//! - in `:61:`: four spaces for a missing entry date (ASN Bank), value date 30 February
//!   (German fee settlements), a space before the transaction type (Commerzbank, Deutsche
//!   Bank), two-letter types padded with a space (`NOV `: ING, Triodos), no type before `//`
//!   (Zetb);
//! - in `:86:`: a line that starts like a tag (`:12:11` of a wrapped time, ING's `:00:`,
//!   Deutsche Bank's `:KO:`) or is a lone `-` (Rabobank, ING) is text, not structure;
//! - an identifier wrapped onto a second line (ING's `:28C:0000` + `0`), and an `:86:` after
//!   the closing balance (statement-level information such as ING's `/SUM/`: not an entry).
//!
//! Text must be UTF-8: a file in another character set is refused with its line rather
//! than guessed (the corpus's one such file is in the DOS code page 852, where a Latin-1
//! reading would garble every Hungarian name silently).

mod details;
mod entry;

use std::borrow::Cow;

use super::{Balance, InputFile, SourceError, Statement};
use crate::model::{BankLine, Currency, EntryInfo, Lineage, Money};
use entry::{LineProblem, StatementLine};

/// True when the start of the file looks like MT940/MT942: a SWIFT envelope (`{1:`, `{4:`)
/// or a `:20:` field followed by `:25:`.
pub fn sniff(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head));
    let mut lines = head.lines().map(clean).filter(|l| !l.trim().is_empty());
    let mut seen_20 = false;
    for line in lines.by_ref().take(20) {
        let line = line.trim_start();
        if !seen_20 && (line.starts_with("{1:") || line.starts_with("{4:")) {
            return true;
        }
        if line.starts_with(":20:") {
            seen_20 = true;
        } else if seen_20 && line.starts_with(":25:") {
            return true;
        }
    }
    false
}

pub fn parse(file: &InputFile<'_>) -> Result<Vec<Statement>, SourceError> {
    let text = decode(file)?;
    let mut reader = Reader {
        file,
        field: None,
        spare: Field::default(),
        kind: None,
        draft: None,
        pending_dash: None,
        statements: Vec::new(),
    };
    let mut last = 0;
    for (n, raw) in text.split('\n').enumerate() {
        let line = clean(raw);
        if !line.trim().is_empty() {
            last = n as u64 + 1;
        }
        reader.line(n as u64 + 1, &line)?;
    }
    reader.end_of_file(last)?;
    if reader.statements.is_empty() {
        return Err(refuse(
            file,
            None,
            ":20:",
            "holds no MT940 or MT942 statement (no :20: field)".to_string(),
            "check that this is the bank's MT940 export and that the source's `files` pattern matches only those",
        ));
    }
    Ok(reader.statements)
}

/// The line without its line break and without control characters (SOH/ETX frame messages
/// at some banks; they carry nothing). Borrowed unless there is such a character: nearly
/// every line has none but the `\r` of its CRLF.
fn clean(raw: &str) -> Cow<'_, str> {
    let line = raw.strip_suffix('\r').unwrap_or(raw);
    if may_hold_control(line) {
        Cow::Owned(
            raw.chars()
                .filter(|c| *c == '\t' || !c.is_control())
                .collect(),
        )
    } else {
        Cow::Borrowed(line)
    }
}

/// False when `line` surely holds no control character but tab. Bytes, not chars, for
/// speed: the C0 controls and DEL are single bytes, and the C1 controls (U+0080–U+009F)
/// start with 0xC2 in UTF-8 — as do some printable characters (`§`, `°`, no-break space),
/// which merely take the exact path.
fn may_hold_control(line: &str) -> bool {
    // A fold without early exit, which the compiler turns into wide vector compares.
    line.bytes().fold(false, |found, b| {
        found | ((b < 0x20 && b != b'\t') || b == 0x7F || b == 0xC2)
    })
}

fn decode<'a>(file: &InputFile<'a>) -> Result<&'a str, SourceError> {
    let bytes = file
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(file.bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        let tag = last_tag_before(&bytes[..e.valid_up_to()]);
        refuse(
            file,
            Some(line),
            &tag,
            "has a character that is not UTF-8 (the bank used another character set)".to_string(),
            "sluice reads MT940 as UTF-8 and will not guess a code page that could garble names; convert the file to UTF-8 (or ask the bank for UTF-8) and drop it again",
        )
    })
}

/// The tag of the field a byte position is in, for messages about it.
fn last_tag_before(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .rev()
        .find_map(|l| tag_of(l).map(|(tag, _)| format!(":{tag}:")))
        .unwrap_or_default()
}

fn refuse(
    file: &InputFile<'_>,
    line: Option<u64>,
    tag: &str,
    message: String,
    hint: &str,
) -> SourceError {
    SourceError {
        file: file.name.to_string(),
        line,
        column: None,
        path: (!tag.is_empty()).then(|| tag.to_string()),
        message,
        hint: hint.to_string(),
    }
}

const TAGS: [&str; 19] = [
    "20", "21", "25", "28", "28C", "60F", "60M", "61", "86", "62F", "62M", "64", "65", "13", "13D",
    "34F", "90D", "90C", "NS",
];

/// `{1:`, `{2:`, `{4:` …: a SWIFT envelope block.
fn is_envelope(line: &str) -> bool {
    let b = line.as_bytes();
    b.first() == Some(&b'{') && b.get(1).is_some_and(u8::is_ascii_digit) && b.get(2) == Some(&b':')
}

/// `:61:…` → (`61`, rest) when the line opens a field; `:940:` and the like are headers.
fn tag_of(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix(':')?;
    let (tag, value) = rest.split_once(':')?;
    let shaped = (2..=4).contains(&tag.len()) && tag.bytes().all(|c| c.is_ascii_alphanumeric());
    shaped.then_some((tag, value))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Mt940,
    Mt942,
}

/// A field while its lines arrive. One is reused for every field of a file (see
/// [`Reader::spare`]), so its strings keep their capacity.
#[derive(Default)]
struct Field {
    tag: String,
    line: u64,
    value: String,
}

struct Entry {
    line: u64,
    statement_line: StatementLine,
    details: Option<String>,
}

/// A statement while its fields arrive.
struct Draft {
    kind: Option<Kind>,
    line: u64,
    id: String,
    account: Option<String>,
    sequence: Option<String>,
    opening: Option<(u64, entry::BalanceValue)>,
    closing: Option<(u64, entry::BalanceValue)>,
    /// From `:34F:` or `:90D:`/`:90C:` when an MT942 has no balances.
    currency: Option<Currency>,
    /// MT942 `:90D:`/`:90C:`: line, credit?, count, sum.
    totals: Vec<(u64, bool, u64, Money)>,
    entries: Vec<Entry>,
    /// The last field was an entry's `:61:` or `:86:`: a following `:86:` belongs to it.
    in_entry: bool,
}

struct Reader<'f, 'a> {
    file: &'f InputFile<'a>,
    field: Option<Field>,
    /// The last field flushed, kept for its buffers: opening a field then allocates nothing.
    spare: Field,
    /// The message type named by the envelope (`{2:I940…}`), if any.
    kind: Option<Kind>,
    draft: Option<Draft>,
    /// A lone `-` ends a message, unless the next line shows it was wrapped `:86:` text.
    pending_dash: Option<u64>,
    statements: Vec<Statement>,
}

impl Reader<'_, '_> {
    fn line(&mut self, n: u64, line: &str) -> Result<(), SourceError> {
        let trimmed = line.trim();
        if let Some(dash) = self.pending_dash {
            if trimmed.is_empty() {
                return Ok(());
            }
            self.pending_dash = None;
            let next_message =
                is_envelope(trimmed) || tag_of(line).is_some_and(|(tag, _)| tag == "20");
            match self.field.as_mut() {
                // A wrapped `:86:` can put a lone `-` on a line of its own (Rabobank, ING).
                Some(field) if field.tag == "86" && !next_message => {
                    field.value.push_str("\n-");
                }
                _ => self.end_message(dash)?,
            }
        }
        if trimmed == "-" {
            self.pending_dash = Some(n);
            return Ok(());
        }
        // `-}{1:…}{4:` and `{1:…}{4::20:…`: frames and the first field share a line. A loop,
        // not recursion, so that no line of any length can exhaust the stack.
        let mut line = line;
        loop {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix("-}") {
                self.end_message(n)?;
                line = rest;
            } else if is_envelope(trimmed) {
                self.flush_field()?;
                match self.envelope(trimmed) {
                    Some(body) => line = body,
                    None => return Ok(()),
                }
            } else {
                break;
            }
        }
        match tag_of(line) {
            // Outside a statement, `:940:` and the like are a bank's header lines.
            Some((tag, _))
                if !TAGS.contains(&tag) && self.draft.is_none() && self.field.is_none() => {}
            // Wrapped `:86:` text can start a line with `:12:` (a time), ING's `:00:` or
            // Deutsche Bank's `:KO:` (from `VERTR:KO:NR`); only a known tag ends it.
            Some((tag, _)) if !TAGS.contains(&tag) && self.in_details() => {
                self.continue_field(line)
            }
            Some((tag, value)) => {
                self.flush_field()?;
                let mut field = std::mem::take(&mut self.spare);
                field.tag.clear();
                field.tag.push_str(tag);
                field.line = n;
                field.value.clear();
                field.value.push_str(value);
                self.field = Some(field);
            }
            None => self.continue_field(line),
        }
        Ok(())
    }

    /// A line that is not a field's first continues the open field; outside any field
    /// (blank lines, bank headers, text between messages) it carries nothing.
    fn continue_field(&mut self, line: &str) {
        if let Some(field) = &mut self.field {
            field.value.push('\n');
            field.value.push_str(line);
        }
    }

    /// `-}` or a lone `-`: the message, and with it the statement, is complete.
    fn end_message(&mut self, n: u64) -> Result<(), SourceError> {
        self.flush_field()?;
        self.finish_statement(n)?;
        self.kind = None;
        Ok(())
    }

    fn end_of_file(&mut self, last: u64) -> Result<(), SourceError> {
        if let Some(dash) = self.pending_dash.take() {
            return self.end_message(dash);
        }
        self.flush_field()?;
        self.finish_statement(last)
    }

    fn in_details(&self) -> bool {
        self.field.as_ref().is_some_and(|f| f.tag == "86")
    }

    /// `{1:…}{2:I940…}{3:…}{4:`: notes the message type, and returns what follows `{4:`.
    fn envelope<'l>(&mut self, mut rest: &'l str) -> Option<&'l str> {
        while let Some(block) = rest.strip_prefix('{') {
            if let Some(body) = block.strip_prefix("4:") {
                return Some(body);
            }
            if let Some(kind) = block.strip_prefix("2:") {
                self.kind = match kind.get(1..4) {
                    Some("942") => Some(Kind::Mt942),
                    Some("940") => Some(Kind::Mt940),
                    _ => self.kind,
                };
            }
            let mut depth = 1;
            let end = block.char_indices().find_map(|(i, c)| {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                (depth == 0).then_some(i + 1)
            });
            rest = end.map_or("", |end| &block[end..]).trim_start();
        }
        None
    }

    fn flush_field(&mut self) -> Result<(), SourceError> {
        let Some(field) = self.field.take() else {
            return Ok(());
        };
        let result = self.apply_field(&field);
        self.spare = field;
        result
    }

    /// What a complete field says, into the statement it belongs to.
    fn apply_field(&mut self, field: &Field) -> Result<(), SourceError> {
        let file = self.file;
        let tag = || format!(":{}:", field.tag);
        let bad =
            |message: String, hint: &str| refuse(file, Some(field.line), &tag(), message, hint);
        const ASK: &str =
            "the bank's file is damaged here; ask the bank to send the statement again";
        // Identifiers wrapped onto a second line (ING's `:28C:0000` + `0`) are one value.
        let one_value = || field.value.lines().map(str::trim).collect::<String>();
        if field.tag == "20" {
            self.finish_statement(field.line.saturating_sub(1))?;
            self.draft = Some(Draft {
                kind: self.kind,
                line: field.line,
                id: one_value(),
                account: None,
                sequence: None,
                opening: None,
                closing: None,
                currency: None,
                totals: Vec::new(),
                entries: Vec::new(),
                in_entry: false,
            });
            return Ok(());
        }
        let Some(draft) = self.draft.as_mut() else {
            return Err(bad(
                format!(
                    "field {} comes before the statement's reference :20:",
                    tag()
                ),
                "the start of the statement is missing; ask the bank for the complete file",
            ));
        };
        let was_in_entry = std::mem::replace(&mut draft.in_entry, false);
        match field.tag.as_str() {
            "25" => draft.account = Some(one_value()),
            "28" | "28C" => draft.sequence = Some(one_value()),
            "60F" | "60M" | "62F" | "62M" => {
                let what = if field.tag.starts_with("60") {
                    "opening"
                } else {
                    "closing"
                };
                let balance = match entry::balance(&field.value) {
                    Ok(balance) => balance,
                    Err(e) => {
                        return Err(bad(format!("the {what} balance is unreadable: {e}"), ASK));
                    }
                };
                let slot = if what == "opening" {
                    &mut draft.opening
                } else {
                    &mut draft.closing
                };
                if slot.is_some() {
                    return Err(bad(
                        format!("statement {} has a second {what} balance", draft.id),
                        "two statements run together without a :20: between them; ask the bank for a corrected file",
                    ));
                }
                *slot = Some((field.line, balance));
            }
            "61" if draft.closing.is_some() => {
                return Err(bad(
                    format!(
                        "an entry follows the closing balance of statement {}",
                        draft.id
                    ),
                    "entries belong between the opening and the closing balance; ask the bank for a corrected file",
                ));
            }
            "61" => {
                let statement_line = entry::statement_line(&field.value).map_err(|problem| {
                    let (message, hint) = match problem {
                        LineProblem::Date(e) => (
                            format!("the entry's date is wrong: {e}"),
                            "the bank wrote an impossible date; ask the bank for a corrected statement",
                        ),
                        LineProblem::Mark(e) => (
                            format!("the entry is neither credit nor debit: {e}"),
                            "MT940 marks money in C, money out D, reversals RC or RD; ask the bank what this entry is",
                        ),
                        LineProblem::Amount(e) => (format!("the entry's amount is unreadable: {e}"), ASK),
                        LineProblem::Other(e) => (format!("the entry is malformed: {e}"), ASK),
                    };
                    bad(message, hint)
                })?;
                draft.entries.push(Entry {
                    line: field.line,
                    statement_line,
                    details: None,
                });
                draft.in_entry = true;
            }
            "86" if was_in_entry => {
                if let Some(entry) = draft.entries.last_mut() {
                    let details = entry.details.get_or_insert_with(String::new);
                    if !details.is_empty() {
                        details.push('\n');
                    }
                    details.push_str(&field.value);
                }
                draft.in_entry = true;
            }
            "34F" => {
                draft.kind = Some(Kind::Mt942);
                match entry::floor_limit_currency(&field.value) {
                    Ok(currency) => draft.currency = draft.currency.or(Some(currency)),
                    Err(e) => return Err(bad(format!("the floor limit is unreadable: {e}"), ASK)),
                }
            }
            "90D" | "90C" => {
                draft.kind = Some(Kind::Mt942);
                match entry::total(&field.value) {
                    Ok((count, sum)) => {
                        draft.currency = draft.currency.or(Some(sum.currency));
                        draft
                            .totals
                            .push((field.line, field.tag == "90C", count, sum));
                    }
                    Err(e) => return Err(bad(format!("the entry total is unreadable: {e}"), ASK)),
                }
            }
            "13D" => draft.kind = Some(Kind::Mt942),
            // :21: related reference, :64:/:65: available balances, :13: date-time,
            // statement-level :86:, :NS: non-SWIFT data: nothing sluice books.
            "21" | "64" | "65" | "13" | "86" | "NS" => {}
            _ => {
                return Err(bad(
                    format!("{} is not an MT940 or MT942 field", tag()),
                    "sluice does not know what this field means for the money; ask the bank what it is, or for a standard MT940",
                ));
            }
        }
        Ok(())
    }

    /// Completes the open statement: checks it is whole and adds up, builds its entries.
    /// `end` is the statement's last line, for a statement that was cut short.
    fn finish_statement(&mut self, end: u64) -> Result<(), SourceError> {
        let Some(draft) = self.draft.take() else {
            return Ok(());
        };
        let file = self.file;
        let kind = draft.kind.unwrap_or(Kind::Mt940);
        let Some(account) = draft.account.clone() else {
            return Err(refuse(
                file,
                Some(draft.line),
                ":25:",
                format!(
                    "statement {} names no account (field :25: is missing)",
                    draft.id
                ),
                "without the account the entries cannot be booked; ask the bank for a complete statement",
            ));
        };
        if kind == Kind::Mt940 {
            let missing = if draft.closing.is_none() {
                Some((":62F:", "closing"))
            } else if draft.opening.is_none() {
                Some((":60F:", "opening"))
            } else {
                None
            };
            if let Some((tag, what)) = missing {
                return Err(refuse(
                    file,
                    Some(end.max(draft.line)),
                    tag,
                    format!(
                        "statement {} ends without its {what} balance ({tag}): the file was cut short",
                        draft.id
                    ),
                    "download the statement from the bank again; a statement is only booked whole",
                ));
            }
        }
        let currency = draft
            .opening
            .as_ref()
            .or(draft.closing.as_ref())
            .map(|(_, b)| b.amount.currency)
            .or(draft.currency);
        let mut lines = Vec::with_capacity(draft.entries.len());
        for entry in draft.entries {
            let Some(currency) = currency else {
                return Err(refuse(
                    file,
                    Some(entry.line),
                    ":61:",
                    format!(
                        "statement {} says nowhere which currency its entries are in",
                        draft.id
                    ),
                    "an MT942 needs :34F: or a balance; ask the bank for a complete report",
                ));
            };
            lines.push(self.bank_line(entry, &account, currency)?);
        }
        let mt942_totals = draft.totals.clone();
        let balance = |b: Option<(u64, entry::BalanceValue)>| {
            b.map(|(_, b)| Balance {
                amount: b.amount,
                date: b.date,
            })
        };
        let mut statement = Statement {
            message: match kind {
                Kind::Mt940 => "MT940",
                Kind::Mt942 => "MT942",
            }
            .to_string(),
            id: draft.id,
            account,
            sequence: draft.sequence,
            opening: balance(draft.opening),
            closing: balance(draft.closing),
            lines: Vec::new(),
            not_booked: Vec::new(),
            line: draft.line,
            path: ":20:".to_string(),
        };
        match kind {
            Kind::Mt940 => {
                statement.lines = lines;
                statement.check_balances(file)?;
            }
            // An interim report lists what moved during the day; the day's MT940 books
            // the same entries, so here they are reported, never applied.
            Kind::Mt942 => {
                check_totals(file, &statement.id, &lines, &mt942_totals)?;
                let as_booked = Statement {
                    lines,
                    ..statement.clone()
                };
                as_booked.check_balances(file)?;
                statement.not_booked = as_booked.lines;
            }
        }
        self.statements.push(statement);
        Ok(())
    }

    fn bank_line(
        &self,
        entry: Entry,
        account: &str,
        currency: Currency,
    ) -> Result<BankLine, SourceError> {
        let file = self.file;
        let l = entry.statement_line;
        let amount = entry::money(l.amount, currency).map_err(|e| {
            refuse(
                file,
                Some(entry.line),
                ":61:",
                format!("the entry's amount does not fit the statement's currency: {e}"),
                "the bank's file is damaged here; ask the bank to send the statement again",
            )
        })?;
        let d = entry
            .details
            .as_deref()
            .map(details::parse)
            .unwrap_or_default();
        let mut text = d.text;
        // What :61: adds (Rabobank's and ASN's counterparty, mBank's booking text, the
        // reference the account owner gave) is kept when :86: does not already say it.
        // Placeholders (ING's `EREF`: "see the end-to-end id in :86:") and coded details
        // (`/TRCD/00100/`, `/OCMT/…`) say nothing a person reads.
        let placeholder = ["NONREF", "NOTPROVIDED", "EREF", "PREF", "MARF", "KREF+"]
            .iter()
            .any(|p| l.customer_reference.eq_ignore_ascii_case(p));
        let customer_reference = (!placeholder).then_some(l.customer_reference.as_str());
        let supplementary = Some(l.supplementary.as_str()).filter(|s| !s.starts_with('/'));
        for extra in [supplementary, customer_reference].into_iter().flatten() {
            if !extra.is_empty() && !text.contains(extra) {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(extra);
            }
        }
        let lineage = Lineage {
            file_sha256: file.sha256.to_string(),
            file_name: file.name.to_string(),
            line: entry.line,
        };
        let mut bank_transaction_code = l.transaction_type;
        if !d.code.is_empty() {
            bank_transaction_code.push('/');
            bank_transaction_code.push_str(&d.code);
        }
        Ok(BankLine {
            id: lineage.record_id(),
            account: account.to_string(),
            booking_date: l.booking_date,
            value_date: Some(l.value_date),
            amount,
            counterparty: d.counterparty,
            counterparty_account: d.counterparty_account,
            bank_reference: l.bank_reference,
            text,
            info: EntryInfo {
                bank_transaction_code,
                end_to_end_id: d.end_to_end_id,
                mandate_id: d.mandate_id,
                creditor_reference: d.creditor_reference,
                reversal: l.reversal,
                return_reason: d.return_reason,
                ..EntryInfo::default()
            },
            lineage,
        })
    }
}

/// MT942 `:90D:`/`:90C:` state how many debits and credits the report holds and their sum.
fn check_totals(
    file: &InputFile<'_>,
    id: &str,
    lines: &[BankLine],
    totals: &[(u64, bool, u64, Money)],
) -> Result<(), SourceError> {
    for &(line, credit, count, sum) in totals {
        let side: Vec<&BankLine> = lines
            .iter()
            .filter(|l| !l.amount.is_zero() && l.amount.is_negative() != credit)
            .collect();
        let actual = side
            .iter()
            .map(|l| l.amount.amount.abs())
            .sum::<rust_decimal::Decimal>();
        let (tag, what) = if credit {
            (":90C:", "credits")
        } else {
            (":90D:", "debits")
        };
        if side.len() as u64 != count || actual != sum.amount {
            return Err(refuse(
                file,
                Some(line),
                tag,
                format!(
                    "report {id} announces {count} {what} totalling {sum}, but lists {} totalling {} {actual}",
                    side.len(),
                    sum.currency
                ),
                "entries are missing or misread; ask the bank for the complete report",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{clean, sniff};

    #[test]
    fn clean_drops_every_control_character_but_tab() {
        // C0, DEL and C1 controls, and printable characters that share their first bytes.
        let chars = [
            "\t", "\r", "\x01", "\x1f", "\x7f", "\u{80}", "\u{85}", "\u{9f}", "\u{a0}", "§", "é",
            "a",
        ];
        let mut texts = vec![String::new()];
        for _ in 0..3 {
            texts = texts
                .iter()
                .flat_map(|t| chars.iter().map(move |c| format!("{t}{c}")))
                .collect();
            for text in &texts {
                let wanted: String = text
                    .chars()
                    .filter(|c| *c == '\t' || !c.is_control())
                    .collect();
                assert_eq!(clean(text), wanted, "{text:?}");
            }
        }
    }

    #[test]
    fn sniff_recognises_mt940_and_nothing_else() {
        assert!(sniff(
            b"{1:F01INGBNL2ABXXX0000000000}{2:I940INGBNL2AXXXN}{4:\r\n:20:X\r\n"
        ));
        assert!(sniff(
            b"\x01\r\n:20:STARTUMSE\r\n:25:12345678/1020304050\r\n"
        ));
        assert!(sniff(b":940:\n:20:940S130403\n:25:NL50RABO0123456789\n"));
        assert!(!sniff(b"<?xml version=\"1.0\"?><Document/>"));
        assert!(!sniff(b"Date,Amount\n:20:,1\n"));
        assert!(!sniff(b""));
    }
}
