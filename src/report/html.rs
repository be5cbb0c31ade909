//! The page: one HTML file with its CSS and charts inline. Every number an auditor may check
//! carries its exact value in a `data-` attribute (`data-money-in="13997.50"`), so a browser
//! test — or a script — reads the figures the page shows without parsing grouped digits.

use std::collections::BTreeMap;
use std::fmt::Write;

use rust_decimal::Decimal;

use super::Report;
use super::chart::{self, Shape};
use super::lines::{LineReport, OUTCOMES, outcome_name};
use super::text::{escape, exact, money};
use crate::model::{Currency, MatchKind};

const STYLE: &str = r#"
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1d2939; margin: 0 auto; max-width: 1100px; padding: 24px 28px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 2px solid #e4e7ec; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.scope, p.note { color: #475467; margin: 4px 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eaecf0; vertical-align: top; }
th { background: #f2f4f7; font-weight: 600; }
td.date { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: 600; border-top: 2px solid #98a2b3; }
code, .sha { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { border: 1px solid #d0d5dd; border-radius: 8px; padding: 10px 14px; min-width: 150px; }
.card .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .label { color: #475467; font-size: 12px; }
ul.matches { margin: 0; padding-left: 16px; }
ul.matches li { margin: 2px 0; }
.why { color: #475467; }
.problem { color: #b42318; font-weight: 600; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 4px 0 12px; }
svg .axis { font: 11px system-ui, sans-serif; fill: #475467; }
details > summary { cursor: pointer; font-weight: 600; margin: 10px 0 4px; }
footer { margin-top: 40px; color: #667085; font-size: 12px; }
@media print { body { max-width: none; padding: 0; } details { display: block; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
"#;

pub fn html(report: &Report) -> String {
    let mut out = String::new();
    let pipeline = escape(&report.pipeline);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"sluice report\">\n<title>Reconciliation report — {pipeline}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    let ledger_at = match &report.ledger_at {
        Some(commit) => format!("the ledger as of commit <code>{}</code>", escape(commit)),
        None => "an empty ledger: nothing is committed yet".to_string(),
    };
    let _ = write!(
        out,
        "<header>\n<h1>Reconciliation report — {pipeline}</h1>\n<p class=\"scope\" id=\"scope\">Covers {}. Made {} from {ledger_at}.</p>\n<p class=\"note\">Every amount is the ledger's exact decimal; nothing is rounded. A line's id is what <code>sluice explain</code> takes to tell its whole story.</p>\n</header>\n",
        escape(&report.scope.describe()),
        report.generated.format("%Y-%m-%d %H:%M UTC"),
    );
    cards(&mut out, report);
    money_in_and_out(&mut out, report);
    documents(&mut out, report);
    charts(&mut out, report);
    reconciliation(&mut out, report);
    files(&mut out, report);
    batches(&mut out, report);
    out.push_str("<footer>Written by <code>sluice report</code> from committed ledger facts only. Check a batch against its manifest with <code>sluice verify</code>, a file against the SHA-256 shown with <code>sha256sum</code>.</footer>\n</body>\n</html>\n");
    out
}

fn count(lines: &[LineReport], outcome: crate::reconcile::Outcome) -> usize {
    lines.iter().filter(|l| l.outcome == outcome).count()
}

/// The money of standing `unmatched` matches, per currency: what waits for a person.
fn waiting(lines: &[LineReport]) -> BTreeMap<Currency, Decimal> {
    let mut by: BTreeMap<Currency, Decimal> = BTreeMap::new();
    for m in lines.iter().flat_map(|l| &l.matches) {
        if m.kind == MatchKind::Unmatched {
            *by.entry(m.amount.currency).or_default() += m.amount.amount;
        }
    }
    by.retain(|_, amount| !amount.is_zero());
    by
}

fn cards(out: &mut String, report: &Report) {
    use crate::reconcile::Outcome;
    out.push_str("<section id=\"summary\" class=\"cards\">\n");
    let card = |out: &mut String, attrs: String, value: String, label: &str| {
        let _ = writeln!(
            out,
            "<div class=\"card\"{attrs}><div class=\"value\">{value}</div><div class=\"label\">{label}</div></div>"
        );
    };
    card(
        out,
        format!(" data-bank-lines=\"{}\"", report.lines.len()),
        report.lines.len().to_string(),
        "bank lines",
    );
    for (outcome, label) in [
        (Outcome::Matched, "matched"),
        (Outcome::PartlyMatched, "partly matched"),
        (Outcome::Unmatched, "unmatched"),
    ] {
        let n = count(&report.lines, outcome);
        card(out, String::new(), n.to_string(), label);
    }
    for (currency, amount) in waiting(&report.lines) {
        card(
            out,
            format!(
                " data-waiting=\"{}\" data-value=\"{}\"",
                currency.code(),
                exact(amount, currency)
            ),
            format!("{} {}", currency.code(), money(amount, currency)),
            "waits for a person",
        );
    }
    out.push_str("</section>\n");
}

fn money_in_and_out(out: &mut String, report: &Report) {
    out.push_str("<section id=\"money\">\n<h2>Money in and out, per account</h2>\n");
    if report.accounts.is_empty() {
        out.push_str("<p class=\"note\">No bank line in this scope.</p>\n</section>\n");
        return;
    }
    out.push_str("<table>\n<thead><tr><th>Account</th><th>Currency</th><th class=\"num\">Lines in</th><th class=\"num\">Money in</th><th class=\"num\">Lines out</th><th class=\"num\">Money out</th><th class=\"num\">Net</th></tr></thead>\n<tbody>\n");
    let mut per_currency: BTreeMap<Currency, (usize, Decimal, usize, Decimal)> = BTreeMap::new();
    for a in &report.accounts {
        let c = a.currency;
        let _ = writeln!(
            out,
            "<tr data-account=\"{}\" data-currency=\"{}\"><td><code>{}</code></td><td>{}</td><td class=\"num\" data-lines-in=\"{}\">{}</td><td class=\"num\" data-money-in=\"{}\">{}</td><td class=\"num\" data-lines-out=\"{}\">{}</td><td class=\"num\" data-money-out=\"{}\">{}</td><td class=\"num\" data-net=\"{}\">{}</td></tr>",
            escape(&a.account),
            c.code(),
            escape(&a.account),
            c.code(),
            a.lines_in,
            a.lines_in,
            exact(a.money_in, c),
            money(a.money_in, c),
            a.lines_out,
            a.lines_out,
            exact(a.money_out, c),
            money(a.money_out, c),
            exact(a.net(), c),
            money(a.net(), c),
        );
        let t = per_currency.entry(c).or_default();
        t.0 += a.lines_in;
        t.1 += a.money_in;
        t.2 += a.lines_out;
        t.3 += a.money_out;
    }
    for (c, (lines_in, money_in, lines_out, money_out)) in per_currency {
        let _ = writeln!(
            out,
            "<tr class=\"total\" data-currency=\"{}\" data-total-in=\"{}\" data-total-out=\"{}\"><td>All accounts</td><td>{}</td><td class=\"num\">{lines_in}</td><td class=\"num\">{}</td><td class=\"num\">{lines_out}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            c.code(),
            exact(money_in, c),
            exact(money_out, c),
            c.code(),
            money(money_in, c),
            money(money_out, c),
            money(money_in - money_out, c),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn documents(out: &mut String, report: &Report) {
    out.push_str("<section id=\"documents\">\n<h2>Documents issued</h2>\n");
    if report.documents.is_empty() {
        out.push_str(
            "<p class=\"note\">No invoice or credit note in this scope.</p>\n</section>\n",
        );
        return;
    }
    out.push_str("<table>\n<thead><tr><th>Currency</th><th class=\"num\">Invoices</th><th class=\"num\">Invoiced</th><th class=\"num\">Credit notes</th><th class=\"num\">Credited</th><th class=\"num\">Recorded, not in the books</th></tr></thead>\n<tbody>\n");
    for d in &report.documents {
        let c = d.currency;
        let _ = writeln!(
            out,
            "<tr data-currency=\"{}\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\" data-invoiced=\"{}\">{}</td><td class=\"num\">{}</td><td class=\"num\" data-credited=\"{}\">{}</td><td class=\"num\">{}</td></tr>",
            c.code(),
            c.code(),
            d.invoices,
            exact(d.invoiced, c),
            money(d.invoiced, c),
            d.credit_notes,
            exact(d.credited, c),
            money(d.credited, c),
            d.not_applied,
        );
    }
    out.push_str("</tbody>\n</table>\n<p class=\"note\">Not in the books: deleted in the billing system, exported without lines, or a partner's on the ignore list.</p>\n</section>\n");
}

fn charts(out: &mut String, report: &Report) {
    out.push_str("<section id=\"charts\">\n<h2>Daily cash-in</h2>\n<p class=\"note\">Money in on each account, by booking date.</p>\n");
    if report.cash_in.is_empty() {
        out.push_str("<p class=\"note\">No money came in within this scope.</p>\n");
    }
    for series in &report.cash_in {
        let code = series.currency.code();
        let _ = write!(
            out,
            "<h3>{code}</h3>\n{}\n",
            chart::svg(
                &format!("cash-in-{code}"),
                &format!("Money in per day, {code}"),
                series,
                Shape::Bars,
            )
        );
    }
    out.push_str("<h2>Unmatched backlog</h2>\n<p class=\"note\">The money of lines booked so far that waits for a person, as it stood at the end of each day; it falls on the day a line is paired.</p>\n");
    if report.backlog.is_empty() {
        out.push_str("<p class=\"note\">No bank line in this scope.</p>\n");
    }
    for series in &report.backlog {
        let code = series.currency.code();
        let _ = write!(
            out,
            "<h3>{code}</h3>\n{}\n",
            chart::svg(
                &format!("backlog-{code}"),
                &format!("Unmatched money at the end of each day, {code}"),
                series,
                Shape::Steps,
            )
        );
    }
    out.push_str("</section>\n");
}

fn reconciliation(out: &mut String, report: &Report) {
    out.push_str("<section id=\"reconciliation\">\n<h2>What became of each bank line</h2>\n<table class=\"outcomes\">\n<thead><tr><th>Outcome</th><th class=\"num\">Lines</th></tr></thead>\n<tbody>\n");
    for outcome in OUTCOMES {
        let name = outcome_name(outcome);
        let _ = writeln!(
            out,
            "<tr><td>{name}</td><td class=\"num\" data-outcome=\"{}\" data-count=\"{}\">{}</td></tr>",
            slug(name),
            count(&report.lines, outcome),
            count(&report.lines, outcome),
        );
    }
    out.push_str("</tbody>\n</table>\n");
    for outcome in OUTCOMES {
        let lines: Vec<&LineReport> = report
            .lines
            .iter()
            .filter(|l| l.outcome == outcome)
            .collect();
        if lines.is_empty() {
            continue;
        }
        let name = outcome_name(outcome);
        let _ = write!(
            out,
            "<details open id=\"lines-{}\"><summary>{} ({})</summary>\n<table>\n<thead><tr><th>Booked</th><th>Line</th><th class=\"num\">Amount</th><th>Counterparty and text</th><th>Matches, with each rule's explanation</th></tr></thead>\n<tbody>\n",
            slug(name),
            capitalised(name),
            lines.len()
        );
        for line in lines {
            line_row(out, line);
        }
        out.push_str("</tbody>\n</table>\n</details>\n");
    }
    out.push_str("</section>\n");
}

fn line_row(out: &mut String, line: &LineReport) {
    let c = line.amount.currency;
    let _ = write!(
        out,
        "<tr data-line=\"{}\"><td class=\"date\">{}</td><td><code>{}</code><br><span class=\"why\">{}:{}</span></td><td class=\"num\" data-amount=\"{}\">{} {}</td><td>{}<br><span class=\"why\">{}</span></td><td><ul class=\"matches\">",
        escape(&line.id),
        line.booking_date,
        escape(&line.id),
        escape(&line.file),
        line.line,
        exact(line.amount.amount, c),
        c.code(),
        money(line.amount.amount, c),
        escape(&line.counterparty),
        escape(&line.text),
    );
    for m in &line.matches {
        let document = m
            .document
            .as_deref()
            .map(|d| format!(" <code>{}</code>", escape(d)))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<li><b>{}</b>{document} {} {} — <span class=\"why\">{} ({}%): {}</span></li>",
            m.kind.as_str(),
            m.amount.currency.code(),
            money(m.amount.amount, m.amount.currency),
            escape(&m.rule),
            m.confidence,
            escape(&m.explanation),
        );
    }
    out.push_str("</ul></td></tr>\n");
}

fn files(out: &mut String, report: &Report) {
    out.push_str("<section id=\"files\">\n<h2>Input files</h2>\n");
    if report.files.is_empty() {
        out.push_str("<p class=\"note\">No input file in this scope.</p>\n</section>\n");
        return;
    }
    out.push_str("<table>\n<thead><tr><th>File</th><th>Source</th><th>Status</th><th class=\"num\">Records</th><th>Run</th><th>SHA-256</th></tr></thead>\n<tbody>\n");
    for f in &report.files {
        let note = if f.note.is_empty() {
            String::new()
        } else {
            format!("<br><span class=\"why\">{}</span>", escape(&f.note))
        };
        let _ = writeln!(
            out,
            "<tr data-sha256=\"{}\"><td>{}{note}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td><code>{}</code></td><td class=\"sha\">{}</td></tr>",
            escape(&f.sha256),
            escape(&f.name),
            escape(&f.source),
            f.status.as_str(),
            f.records,
            escape(&f.run_id),
            escape(&f.sha256),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn batches(out: &mut String, report: &Report) {
    out.push_str("<section id=\"batches\">\n<h2>Batches produced</h2>\n");
    if report.batches.is_empty() {
        out.push_str("<p class=\"note\">No batch was staged in this scope.</p>\n</section>\n");
        return;
    }
    out.push_str("<p class=\"note\">The SHA-256 of each batch's <code>manifest.json</code>; the manifest holds the SHA-256 of every file in the batch.</p>\n<table>\n<thead><tr><th>Batch</th><th>Platform</th><th class=\"num\">Files</th><th class=\"num\">Records</th><th class=\"num\">Totals</th><th>Manifest SHA-256</th></tr></thead>\n<tbody>\n");
    for b in &report.batches {
        let totals: Vec<String> = b
            .totals
            .iter()
            .map(|(currency, amount)| {
                format!(
                    "{} {}",
                    escape(currency),
                    super::text::grouped(&escape(amount))
                )
            })
            .collect();
        let hash = match &b.problem {
            Some(problem) => format!("<span class=\"problem\">{}</span>", escape(problem)),
            None => escape(&b.manifest_sha256),
        };
        let _ = writeln!(
            out,
            "<tr data-batch=\"{}\" data-manifest-sha256=\"{}\"><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"sha\">{hash}</td></tr>",
            escape(&b.batch),
            escape(&b.manifest_sha256),
            escape(&b.batch),
            escape(&b.platform),
            b.files,
            b.records,
            totals.join("<br>"),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// `partly matched` → `partly-matched`: for ids and attributes.
fn slug(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
