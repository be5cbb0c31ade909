//! Continuity of an account's statements across files and runs: each statement opens with
//! the balance the previous one closed with, and the bank's numbering does not skip. A
//! missing statement is the most expensive silent error in bank reconciliation — its
//! entries never reach the ledger and nothing else notices — so every break is named with
//! both neighbouring statements, their files, and what to ask the bank for. Nothing here
//! refuses anything: the entries are applied either way.
//!
//! An account's statements (one series per account and currency) are ordered by date, then
//! by number and page. Not by number alone: banks restart their numbering (each year, some
//! each month), while the closing date always moves forward. The numbers then say what is
//! missing between two neighbours. Only end-of-day statements (camt.053, MT940) form a
//! series; interim reports and notifications (camt.052, camt.054, MT942) repeat what a
//! statement books and are numbered on their own.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::StatementRow;
use crate::model::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A statement does not open with the balance the previous one closed with.
    BalanceMismatch,
    /// The statement numbers skip: statements are missing.
    SequenceGap,
    /// The pages of one MT940 statement skip.
    PageGap,
    /// A statement is numbered lower than the one dated before it.
    OutOfSequence,
    /// A statement read again has other balances than the first time.
    RepeatDiffers,
    /// A statement that arrived late fills an earlier gap: reported once, by its run.
    GapFilled,
}

impl FindingKind {
    /// Whether someone has to do something about it (everything but a filled gap).
    pub fn is_problem(&self) -> bool {
        *self != FindingKind::GapFilled
    }
}

/// One break in an account's statements (or the news that one was filled), in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub account: String,
    pub kind: FindingKind,
    pub message: String,
}

/// What a run's new statements say about continuity.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Continuity {
    /// Every finding that concerns a new statement, by account, in statement order.
    pub findings: Vec<Finding>,
    /// For each new statement, in the order given: its `continuity` note, empty when it
    /// follows on.
    pub notes: Vec<String>,
}

/// Checks the statements of a run against each other and against those already in the
/// ledger (`earlier`, in commit order).
pub fn check_new(earlier: &[StatementRow], new: &[StatementRow]) -> Continuity {
    let mut notes = vec![Vec::new(); new.len()];
    let mut findings = Vec::new();
    for s in series(earlier, new) {
        for found in examine(&s) {
            for &i in &found.note_for {
                notes[i].push(found.message.clone());
            }
            if let (Some(kind), true) = (found.kind, found.concerns_new) {
                findings.push(Finding {
                    account: s.account.to_string(),
                    kind,
                    message: found.message,
                });
            }
        }
    }
    Continuity {
        findings,
        notes: notes.into_iter().map(|n| n.join("; ")).collect(),
    }
}

/// Every break still open among all statements in the ledger: a gap that a later file
/// filled is gone.
pub fn open_problems(all: &[StatementRow]) -> Vec<Finding> {
    series(all, &[])
        .iter()
        .flat_map(|s| {
            examine(s).into_iter().filter_map(|found| {
                Some(Finding {
                    account: s.account.to_string(),
                    kind: found.kind.filter(FindingKind::is_problem)?,
                    message: found.message,
                })
            })
        })
        .collect()
}

/// The latest statement of each account and currency, by account.
pub fn latest(all: &[StatementRow]) -> Vec<&StatementRow> {
    series(all, &[])
        .into_iter()
        .filter_map(|s| s.chain.last().map(|i| i.row))
        .collect()
}

/// A statement in its series.
#[derive(Clone, Copy)]
struct Item<'a> {
    row: &'a StatementRow,
    /// Its index among the run's new statements; `None` when already in the ledger.
    new: Option<usize>,
    number: Option<u64>,
    page: Option<u64>,
    /// The closing date (the opening date when it gives no closing balance).
    date: NaiveDate,
}

/// One account's statements in one currency: in order, and the ones read again.
struct Series<'a> {
    account: &'a str,
    chain: Vec<Item<'a>>,
    /// (first read, read again)
    repeats: Vec<(Item<'a>, Item<'a>)>,
}

/// What makes two statements the same one, read twice.
#[derive(PartialEq, Eq, Hash)]
enum Identity<'a> {
    /// The year keeps apart statements of numberings that restart each year.
    Numbered {
        number: u64,
        page: Option<u64>,
        year: i32,
    },
    Unnumbered {
        id: &'a str,
        date: NaiveDate,
    },
}

impl<'a> Item<'a> {
    fn new(row: &'a StatementRow, new: Option<usize>) -> Option<Item<'a>> {
        let is_statement = row.message == "MT940" || row.message.starts_with("camt.053");
        if !is_statement {
            return None;
        }
        let date = row.closing.as_ref().or(row.opening.as_ref())?.date;
        let (number, page) = row
            .sequence
            .as_deref()
            .map(parse_sequence)
            .unwrap_or_default();
        Some(Item {
            row,
            new,
            number,
            page,
            date,
        })
    }

    fn identity(&self) -> Identity<'a> {
        match self.number {
            Some(number) => Identity::Numbered {
                number,
                page: self.page,
                year: self.date.year(),
            },
            None => Identity::Unnumbered {
                id: &self.row.id,
                date: self.date,
            },
        }
    }

    /// `statement 42 (file b.sta)`, `statement 42 page 2 (file b.sta)`.
    fn name(&self) -> String {
        let what = match (self.number, self.page) {
            (Some(n), Some(p)) if p > 1 => format!("statement {n} page {p}"),
            (Some(n), _) => format!("statement {n}"),
            (None, _) => format!("statement {}", self.row.id),
        };
        format!("{what} (file {})", self.row.file_name)
    }

    fn closes(&self) -> String {
        match &self.row.closing {
            Some(b) => format!("{} closes on {} with {}", self.name(), b.date, b.amount),
            None => format!("{} gives no closing balance", self.name()),
        }
    }

    fn opens(&self) -> String {
        match &self.row.opening {
            Some(b) => format!("{} opens on {} with {}", self.name(), b.date, b.amount),
            None => format!("{} gives no opening balance", self.name()),
        }
    }
}

/// `00042/001` (MT940 statement number and page), `42` (CAMT). `0` or `00000` means the
/// bank does not number its statements; so does anything that is not a number.
fn parse_sequence(raw: &str) -> (Option<u64>, Option<u64>) {
    let (number, page) = match raw.split_once('/') {
        Some((number, page)) => (number, Some(page)),
        None => (raw, None),
    };
    let number = number.trim().parse::<u64>().ok().filter(|n| *n > 0);
    let page = page
        .and_then(|p| p.trim().parse::<u64>().ok())
        .filter(|_| number.is_some());
    (number, page)
}

fn series<'a>(earlier: &'a [StatementRow], new: &'a [StatementRow]) -> Vec<Series<'a>> {
    let items = earlier
        .iter()
        .map(|row| Item::new(row, None))
        .chain(
            new.iter()
                .enumerate()
                .map(|(i, row)| Item::new(row, Some(i))),
        )
        .flatten();
    let mut by_account: BTreeMap<(&str, &str), Series<'a>> = BTreeMap::new();
    let mut seen: HashMap<(&str, &str, Identity<'a>), usize> = HashMap::new();
    for item in items {
        let balance = item.row.closing.as_ref().or(item.row.opening.as_ref());
        let currency = balance.map(|b| b.amount.currency.code()).unwrap_or("");
        let key = (item.row.account.as_str(), currency);
        let s = by_account.entry(key).or_insert_with(|| Series {
            account: &item.row.account,
            chain: Vec::new(),
            repeats: Vec::new(),
        });
        match seen.get(&(key.0, key.1, item.identity())) {
            Some(&first) => s.repeats.push((s.chain[first], item)),
            None => {
                seen.insert((key.0, key.1, item.identity()), s.chain.len());
                s.chain.push(item);
            }
        }
    }
    let mut all: Vec<Series<'a>> = by_account.into_values().collect();
    for s in &mut all {
        // Stable: of two statements alike in date and number, the one read first stays first.
        s.chain
            .sort_by_key(|i| (i.date, i.number.unwrap_or(0), i.page.unwrap_or(0)));
    }
    all
}

/// A finding or a note, with the new statements it is written beside.
struct Found {
    /// `None`: a note only (a statement read again, as it was).
    kind: Option<FindingKind>,
    message: String,
    note_for: Vec<usize>,
    concerns_new: bool,
}

fn examine(s: &Series<'_>) -> Vec<Found> {
    let mut steps: Vec<(usize, Found)> = Vec::new();
    for k in 1..s.chain.len() {
        for found in step(s.account, &s.chain[k - 1], &s.chain[k]) {
            steps.push((k, found));
        }
    }
    let mut found = filled(s, &steps);
    found.extend(steps.into_iter().map(|(_, f)| f));
    found.extend(
        s.repeats
            .iter()
            .map(|(first, again)| repeat(s.account, first, again)),
    );
    found
}

/// What is wrong between two neighbours of a series.
fn step(account: &str, a: &Item<'_>, b: &Item<'_>) -> Vec<Found> {
    let finding = |kind, message| Found {
        kind: Some(kind),
        message,
        note_for: b.new.into_iter().collect(),
        concerns_new: a.new.is_some() || b.new.is_some(),
    };
    let mut found = Vec::new();
    if let (Some(p), Some(n)) = (a.number, b.number) {
        if n == p {
            if let (Some(x), Some(y)) = (a.page, b.page)
                && y > x + 1
            {
                found.push(finding(
                    FindingKind::PageGap,
                    page_gap(account, n, x + 1, y - 1, a, b),
                ));
            }
        } else if n > p {
            if n > p + 1 {
                found.push(finding(
                    FindingKind::SequenceGap,
                    sequence_gap(account, p + 1, n - 1, "", a, b),
                ));
            }
            if let Some(y) = b.page.filter(|y| *y > 1) {
                found.push(finding(
                    FindingKind::PageGap,
                    page_gap(account, n, 1, y - 1, a, b),
                ));
            }
        } else if n == 1 {
            // The numbering restarted (a new year, or a new month at some banks).
        } else if b.date.year() > a.date.year() {
            let restarted = format!(" (the numbering restarted in {})", b.date.year());
            found.push(finding(
                FindingKind::SequenceGap,
                sequence_gap(account, 1, n - 1, &restarted, a, b),
            ));
        } else {
            found.push(finding(
                FindingKind::OutOfSequence,
                format!(
                    "{} of account {account} is dated {}, after {} dated {}, but numbered lower — check the dates and numbers of both statements with the bank",
                    b.name(),
                    b.date,
                    a.name(),
                    a.date
                ),
            ));
        }
    }
    // Across a gap the balances differ by what the missing statements booked.
    if found.is_empty()
        && let Some(message) = mismatch(account, a, b)
    {
        found.push(finding(FindingKind::BalanceMismatch, message));
    }
    found
}

fn range(what: &str, from: u64, to: u64) -> String {
    if from == to {
        format!("{what} {from}")
    } else {
        format!("{what}s {from} to {to}")
    }
}

fn sequence_gap(
    account: &str,
    from: u64,
    to: u64,
    why: &str,
    a: &Item<'_>,
    b: &Item<'_>,
) -> String {
    let missing = range("statement", from, to);
    let verb = if from == to { "is" } else { "are" };
    format!(
        "{missing} of account {account} {verb} missing{why}: {}, {} — ask the bank for {missing} of account {account}",
        a.closes(),
        b.opens()
    )
}

fn page_gap(
    account: &str,
    statement: u64,
    from: u64,
    to: u64,
    a: &Item<'_>,
    b: &Item<'_>,
) -> String {
    let verb = if from == to { "is" } else { "are" };
    format!(
        "{} of statement {statement} of account {account} {verb} missing: {}, {} — ask the bank for the complete statement {statement} of account {account}",
        range("page", from, to),
        a.closes(),
        b.opens()
    )
}

fn mismatch(account: &str, a: &Item<'_>, b: &Item<'_>) -> Option<String> {
    let (Some(close), Some(open)) = (&a.row.closing, &b.row.opening) else {
        return None;
    };
    if close.amount == open.amount {
        return None;
    }
    let difference = Money {
        amount: open.amount.amount - close.amount.amount,
        currency: open.amount.currency,
    };
    let advice = if a.number.is_some() && b.number.is_some() {
        "compare both statements with the bank's online banking and ask the bank for a corrected statement".to_string()
    } else {
        format!(
            "a statement between {} and {} may be missing: ask the bank for the statements of account {account} between these dates",
            close.date, open.date
        )
    };
    Some(format!(
        "{} of account {account} opens on {} with {}, but {} closed on {} with {} (a difference of {difference}) — {advice}",
        b.name(),
        open.date,
        open.amount,
        a.name(),
        close.date,
        close.amount
    ))
}

/// New statements that landed between two earlier ones with a problem between them: they
/// arrived late and fill that gap, wholly or in part.
fn filled(s: &Series<'_>, steps: &[(usize, Found)]) -> Vec<Found> {
    let earlier: Vec<usize> = (0..s.chain.len())
        .filter(|&k| s.chain[k].new.is_none())
        .collect();
    let mut found = Vec::new();
    for pair in earlier.windows(2) {
        let (before, after) = (pair[0], pair[1]);
        let late = &s.chain[before + 1..after];
        let (first, last) = (&s.chain[before], &s.chain[after]);
        let was_open = step(s.account, first, last)
            .iter()
            .any(|f| f.kind.is_some_and(|k| k.is_problem()));
        if late.is_empty() || !was_open {
            continue;
        }
        let still_open = steps
            .iter()
            .any(|(k, f)| *k > before && *k <= after && f.kind.is_some_and(|k| k.is_problem()));
        let names: Vec<String> = late.iter().map(Item::name).collect();
        let one = late.len() == 1;
        let how = match (still_open, one) {
            (false, true) => "closes the gap",
            (false, false) => "close the gap",
            (true, true) => "fills part of the gap",
            (true, false) => "fill part of the gap",
        };
        let rest = if still_open {
            "; what is still missing is reported on its own"
        } else {
            ""
        };
        found.push(Found {
            kind: Some(FindingKind::GapFilled),
            message: format!(
                "{} of account {} arrived late and {how} between {} and {}{rest}",
                names.join(" and "),
                s.account,
                first.name(),
                last.name()
            ),
            note_for: late.iter().filter_map(|i| i.new).collect(),
            concerns_new: true,
        });
    }
    found
}

/// A statement read again: a note when it is the same, a finding when its balances differ.
fn repeat(account: &str, first: &Item<'_>, again: &Item<'_>) -> Found {
    let same = (&first.row.opening, &first.row.closing) == (&again.row.opening, &again.row.closing);
    let (kind, message) = if same {
        (None, format!("repeats {}", first.name()))
    } else {
        (
            Some(FindingKind::RepeatDiffers),
            format!(
                "{} of account {account} has the number and date of {} but other balances ({}; {}; the earlier one: {}; {}) — ask the bank which statement is right",
                again.name(),
                first.name(),
                again.opens(),
                again.closes(),
                first.opens(),
                first.closes()
            ),
        )
    };
    Found {
        kind,
        message,
        note_for: again.new.into_iter().collect(),
        concerns_new: first.new.is_some() || again.new.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Currency;
    use crate::sources::Balance;

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    fn eur(text: &str) -> Money {
        Money::new(
            text.parse().expect("an amount"),
            Currency::from_code("EUR").unwrap(),
        )
        .unwrap()
    }

    /// A statement: `sequence`, `file`, opening `(date, amount)`, closing `(date, amount)`.
    fn stmt(
        sequence: &str,
        file: &str,
        opening: (&str, &str),
        closing: (&str, &str),
    ) -> StatementRow {
        StatementRow {
            run_id: "run".to_string(),
            file_sha256: format!("sha-{file}"),
            file_name: file.to_string(),
            line: 1,
            message: "MT940".to_string(),
            id: format!("STMT-{sequence}"),
            account: "DE89370400440532013000".to_string(),
            sequence: (!sequence.is_empty()).then(|| sequence.to_string()),
            opening: Some(Balance {
                amount: eur(opening.1),
                date: date(opening.0),
            }),
            closing: Some(Balance {
                amount: eur(closing.1),
                date: date(closing.0),
            }),
            booked: 1,
            not_booked: 0,
            continuity: String::new(),
        }
    }

    fn kinds(findings: &[Finding]) -> Vec<FindingKind> {
        findings.iter().map(|f| f.kind).collect()
    }

    #[test]
    fn sequence_numbers_and_pages_are_read_from_mt940_and_camt() {
        assert_eq!(parse_sequence("00041/001"), (Some(41), Some(1)));
        assert_eq!(parse_sequence("41"), (Some(41), None));
        assert_eq!(parse_sequence(" 7 / 2 "), (Some(7), Some(2)));
        assert_eq!(parse_sequence("00000"), (None, None));
        assert_eq!(parse_sequence("0/1"), (None, None));
        assert_eq!(parse_sequence("A12"), (None, None));
    }

    #[test]
    fn statements_that_follow_on_have_no_findings_and_empty_notes() {
        let earlier = [stmt(
            "41",
            "a.sta",
            ("2026-10-01", "100"),
            ("2026-10-03", "150"),
        )];
        let new = [
            stmt("42", "b.sta", ("2026-10-03", "150"), ("2026-10-04", "90")),
            stmt("43", "b.sta", ("2026-10-04", "90"), ("2026-10-05", "90")),
        ];
        let continuity = check_new(&earlier, &new);
        assert_eq!(continuity.findings, []);
        assert_eq!(continuity.notes, ["", ""]);
    }

    #[test]
    fn a_sequence_gap_names_the_missing_range_both_files_and_what_to_ask_for() {
        let earlier = [stmt(
            "41",
            "a.xml",
            ("2026-10-01", "100"),
            ("2026-10-03", "150"),
        )];
        let new = [stmt(
            "44",
            "b.xml",
            ("2026-10-07", "200"),
            ("2026-10-08", "210"),
        )];
        let continuity = check_new(&earlier, &new);
        assert_eq!(kinds(&continuity.findings), [FindingKind::SequenceGap]);
        assert_eq!(
            continuity.findings[0].message,
            "statements 42 to 43 of account DE89370400440532013000 are missing: \
             statement 41 (file a.xml) closes on 2026-10-03 with EUR 150.00, \
             statement 44 (file b.xml) opens on 2026-10-07 with EUR 200.00 — \
             ask the bank for statements 42 to 43 of account DE89370400440532013000"
        );
        assert_eq!(continuity.notes, [continuity.findings[0].message.clone()]);
    }

    #[test]
    fn a_single_missing_statement_is_named_alone() {
        let all = [
            stmt("41", "a.xml", ("2026-10-01", "100"), ("2026-10-03", "150")),
            stmt("43", "b.xml", ("2026-10-05", "150"), ("2026-10-06", "150")),
        ];
        let problems = open_problems(&all);
        assert_eq!(kinds(&problems), [FindingKind::SequenceGap]);
        assert!(
            problems[0]
                .message
                .starts_with("statement 42 of account DE89370400440532013000 is missing: "),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn a_balance_mismatch_names_both_figures_both_statements_and_the_difference() {
        let earlier = [stmt(
            "41",
            "a.sta",
            ("2026-10-01", "100"),
            ("2026-10-03", "1137.60"),
        )];
        let new = [stmt(
            "42",
            "b.sta",
            ("2026-10-03", "1100"),
            ("2026-10-04", "1100"),
        )];
        let continuity = check_new(&earlier, &new);
        assert_eq!(kinds(&continuity.findings), [FindingKind::BalanceMismatch]);
        let message = &continuity.findings[0].message;
        for part in [
            "statement 42 (file b.sta) of account DE89370400440532013000 opens on 2026-10-03 with EUR 1100.00",
            "statement 41 (file a.sta) closed on 2026-10-03 with EUR 1137.60",
            "a difference of EUR -37.60",
            "ask the bank for a corrected statement",
        ] {
            assert!(message.contains(part), "{part:?} not in {message}");
        }
    }

    #[test]
    fn across_a_gap_only_the_gap_is_reported_not_the_balances() {
        let all = [
            stmt("41", "a.sta", ("2026-10-01", "100"), ("2026-10-03", "150")),
            stmt("43", "b.sta", ("2026-10-05", "175"), ("2026-10-06", "175")),
        ];
        assert_eq!(kinds(&open_problems(&all)), [FindingKind::SequenceGap]);
    }

    #[test]
    fn a_statement_read_again_is_not_a_gap_and_its_note_says_what_it_repeats() {
        let earlier = [stmt(
            "41",
            "a.sta",
            ("2026-10-01", "100"),
            ("2026-10-03", "150"),
        )];
        let new = [
            stmt("41", "b.sta", ("2026-10-01", "100"), ("2026-10-03", "150")),
            stmt("42", "b.sta", ("2026-10-03", "150"), ("2026-10-04", "150")),
        ];
        let continuity = check_new(&earlier, &new);
        assert_eq!(continuity.findings, []);
        assert_eq!(continuity.notes, ["repeats statement 41 (file a.sta)", ""]);
    }

    #[test]
    fn a_statement_read_again_with_other_balances_is_reported() {
        let earlier = [stmt(
            "41",
            "a.sta",
            ("2026-10-01", "100"),
            ("2026-10-03", "150"),
        )];
        let new = [stmt(
            "41",
            "b.sta",
            ("2026-10-01", "100"),
            ("2026-10-03", "160"),
        )];
        let continuity = check_new(&earlier, &new);
        assert_eq!(kinds(&continuity.findings), [FindingKind::RepeatDiffers]);
        assert!(continuity.findings[0].message.contains("EUR 160.00"));
        assert!(continuity.findings[0].message.contains("EUR 150.00"));
    }

    #[test]
    fn a_late_statement_closes_the_gap_and_the_gap_is_no_longer_open() {
        let earlier = [
            stmt("41", "a.sta", ("2026-10-01", "100"), ("2026-10-03", "150")),
            stmt("44", "c.sta", ("2026-10-07", "200"), ("2026-10-08", "200")),
        ];
        assert_eq!(kinds(&open_problems(&earlier)), [FindingKind::SequenceGap]);
        let new = [
            stmt("43", "b.sta", ("2026-10-05", "180"), ("2026-10-06", "200")),
            stmt("42", "b.sta", ("2026-10-03", "150"), ("2026-10-05", "180")),
        ];
        let continuity = check_new(&earlier, &new);
        assert_eq!(kinds(&continuity.findings), [FindingKind::GapFilled]);
        let message = &continuity.findings[0].message;
        assert_eq!(
            message,
            "statement 42 (file b.sta) and statement 43 (file b.sta) of account \
             DE89370400440532013000 arrived late and close the gap between \
             statement 41 (file a.sta) and statement 44 (file c.sta)"
        );
        assert_eq!(continuity.notes, [message.clone(), message.clone()]);
        let all: Vec<StatementRow> = earlier.iter().chain(&new).cloned().collect();
        assert_eq!(open_problems(&all), []);
        assert_eq!(latest(&all)[0].sequence.as_deref(), Some("44"));
    }

    #[test]
    fn a_late_statement_that_fills_part_of_a_gap_leaves_the_rest_reported() {
        let earlier = [
            stmt("41", "a.sta", ("2026-10-01", "100"), ("2026-10-03", "150")),
            stmt("44", "c.sta", ("2026-10-07", "200"), ("2026-10-08", "200")),
        ];
        let new = [stmt(
            "42",
            "b.sta",
            ("2026-10-03", "150"),
            ("2026-10-05", "180"),
        )];
        let continuity = check_new(&earlier, &new);
        assert_eq!(
            kinds(&continuity.findings),
            [FindingKind::GapFilled, FindingKind::SequenceGap]
        );
        assert!(
            continuity.findings[0]
                .message
                .contains("fills part of the gap")
        );
        assert!(
            continuity.findings[1]
                .message
                .starts_with("statement 43 of account")
        );
    }

    #[test]
    fn mt940_pages_continue_each_other_and_a_missing_page_is_named() {
        let all = [
            stmt(
                "00042/001",
                "a.sta",
                ("2026-10-03", "100"),
                ("2026-10-04", "120"),
            ),
            stmt(
                "00042/002",
                "a.sta",
                ("2026-10-04", "120"),
                ("2026-10-04", "130"),
            ),
            stmt(
                "00043/001",
                "b.sta",
                ("2026-10-04", "130"),
                ("2026-10-05", "130"),
            ),
        ];
        assert_eq!(open_problems(&all), []);
        let gap = [
            stmt(
                "00042/001",
                "a.sta",
                ("2026-10-03", "100"),
                ("2026-10-04", "120"),
            ),
            stmt(
                "00042/003",
                "a.sta",
                ("2026-10-04", "125"),
                ("2026-10-04", "130"),
            ),
        ];
        let problems = open_problems(&gap);
        assert_eq!(kinds(&problems), [FindingKind::PageGap]);
        assert!(
            problems[0]
                .message
                .starts_with("page 2 of statement 42 of account DE89370400440532013000 is missing"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn a_numbering_that_restarts_in_a_new_year_is_not_a_gap() {
        let all = [
            stmt("250", "a.sta", ("2026-12-30", "100"), ("2026-12-31", "150")),
            stmt("1", "b.sta", ("2026-12-31", "150"), ("2027-01-02", "150")),
        ];
        assert_eq!(open_problems(&all), []);
        let missing_first = [
            stmt("250", "a.sta", ("2026-12-30", "100"), ("2026-12-31", "150")),
            stmt("2", "b.sta", ("2027-01-02", "170"), ("2027-01-03", "170")),
        ];
        let problems = open_problems(&missing_first);
        assert_eq!(kinds(&problems), [FindingKind::SequenceGap]);
        assert!(
            problems[0]
                .message
                .contains("(the numbering restarted in 2027)")
        );
    }

    #[test]
    fn a_lower_number_dated_later_is_out_of_sequence() {
        let all = [
            stmt("41", "a.sta", ("2026-10-01", "100"), ("2026-10-03", "150")),
            stmt("40", "b.sta", ("2026-10-03", "150"), ("2026-10-04", "150")),
        ];
        assert_eq!(kinds(&open_problems(&all)), [FindingKind::OutOfSequence]);
    }

    #[test]
    fn unnumbered_statements_are_ordered_by_date_and_a_mismatch_names_the_dates() {
        let all = [
            stmt("", "b.sta", ("2026-10-06", "170"), ("2026-10-07", "170")),
            stmt("", "a.sta", ("2026-10-01", "100"), ("2026-10-03", "150")),
        ];
        let problems = open_problems(&all);
        assert_eq!(kinds(&problems), [FindingKind::BalanceMismatch]);
        assert!(problems[0].message.contains(
            "a statement between 2026-10-03 and 2026-10-06 may be missing: ask the bank for the statements of account DE89370400440532013000 between these dates"
        ));
    }

    #[test]
    fn interim_reports_and_other_accounts_are_not_part_of_a_series() {
        let mut interim = stmt("45", "c.sta", ("2026-10-09", "1"), ("2026-10-09", "2"));
        interim.message = "MT942".to_string();
        let mut other = stmt("99", "d.xml", ("2026-10-09", "5"), ("2026-10-09", "5"));
        other.account = "GB33BUKB20201555555555".to_string();
        other.message = "camt.053.001.08".to_string();
        let all = [
            stmt("41", "a.sta", ("2026-10-01", "100"), ("2026-10-03", "150")),
            interim,
            other,
            stmt("42", "b.sta", ("2026-10-03", "150"), ("2026-10-04", "150")),
        ];
        assert_eq!(open_problems(&all), []);
        let last: Vec<_> = latest(&all).iter().map(|r| r.file_name.as_str()).collect();
        assert_eq!(last, ["b.sta", "d.xml"]);
    }
}
