//! What sluice did with a generated month, against what each bank line truly pays.
//!
//! Only automatic placements are judged: money a rule put on an invoice (`allocation`, or a
//! `reversal` taking it back) and money it kept as a customer's `credit`. One such match on
//! a bank line is
//! - **agreeing** when truth puts money of the same sign on the same invoice (or as credit
//!   of the same customer) and at least as much;
//! - **right customer** when it does not agree but is money of the customer truth says it
//!   is from: credit where truth pays an invoice (two months paid naming one), or another
//!   of their invoices (the oldest first, where truth says the payer meant the newest; a
//!   second payment topping up an invoice that truth says a credit note settled). Not
//!   wrong — the customer's balance is right — but an invoice's state is not;
//! - **wrong** otherwise: money put with a customer truth does not name.
//!
//! Per bank line:
//! - *precision* = lines with an automatic match and no wrong one / lines with an automatic
//!   match (so 100 % means no money was put with the wrong customer; how many lines were
//!   right only by customer is counted apart);
//! - *recall* = matchable lines (truth is not `none`) on which every invoice and credit of
//!   truth got exactly its amount from agreeing matches, with nothing wrong / matchable lines.
//!
//! Per money: *precision* = agreeing and right-customer money / all automatically placed
//! money; *recall* = agreeing money / the matchable money (amounts taken without sign).
//!
//! Per invoice: *precision* = invoices sluice allocated money to whose money from every
//! bank line is exactly truth's / invoices sluice allocated money to; *recall* = invoices
//! truth pays whose money from every bank line is exactly truth's / invoices truth pays.
//!
//! Money waiting for a person (`unmatched`) is counted apart: it is neither right nor
//! wrong, it lowers recall only.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use rust_decimal::Decimal;

use super::truth::{Target, Truth};
use crate::ledger::Facts;
use crate::model::{Match, MatchKind};

#[derive(Debug, Default)]
pub struct Score {
    /// Bank lines the truth describes.
    pub lines: usize,
    /// Truth lines the ledger has no applied bank line for (`file:line`).
    pub missing: Vec<String>,
    pub matchable_lines: usize,
    /// Lines with at least one automatic match.
    pub placed_lines: usize,
    pub wrong_lines: usize,
    /// Lines with nothing wrong but some money only with the right customer, not where
    /// truth puts it.
    pub right_customer_lines: usize,
    /// Matchable lines placed exactly as truth says.
    pub matched_lines: usize,
    /// Lines with money waiting for a person, and how many of them truth can place.
    pub unmatched_lines: usize,
    pub unmatched_matchable: usize,
    pub matchable_money: Decimal,
    pub placed_money: Decimal,
    pub agreeing_money: Decimal,
    pub right_customer_money: Decimal,
    pub invoices_allocated: usize,
    pub invoices_agreeing: usize,
    pub invoices_paid: usize,
    pub invoices_matched: usize,
    pub cases: BTreeMap<String, CaseScore>,
    /// Every line with a wrong match: what sluice did, what truth says.
    pub wrong: Vec<WrongLine>,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct CaseScore {
    pub lines: usize,
    pub matched: usize,
    pub placed: usize,
    pub wrong: usize,
    pub unmatched: usize,
}

#[derive(Debug, Clone)]
pub struct WrongLine {
    pub line: String,
    pub case: String,
    pub sluice: String,
    pub truth: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Agrees,
    RightCustomer,
    Wrong,
}

/// The automatic placements of a match, as a truth target.
fn placed(m: &Match) -> Option<Target> {
    match (m.kind, &m.document, &m.customer_id) {
        (MatchKind::Allocation | MatchKind::Reversal, Some(doc), _) => {
            Some(Target::Invoice(doc.clone()))
        }
        (MatchKind::Credit, _, Some(customer)) => Some(Target::Customer(customer.clone())),
        _ => None,
    }
}

pub fn score(facts: &Facts, truth: &[Truth]) -> Score {
    let line_ids: HashMap<(&str, u64), &str> = facts
        .bank_lines
        .iter()
        .filter(|r| r.applied)
        .map(|r| {
            let l = &r.line.lineage;
            ((l.file_name.as_str(), l.line), r.line.id.as_str())
        })
        .collect();
    let mut matches: HashMap<&str, Vec<&Match>> = HashMap::new();
    for row in &facts.matches {
        let m = &row.matched;
        matches.entry(m.bank_line_id.as_str()).or_default().push(m);
    }
    let customer_of: HashMap<&str, &str> = facts
        .documents
        .iter()
        .map(|r| (r.document.number.as_str(), r.document.customer_id.as_str()))
        .collect();

    let mut score = Score::default();
    // Money per (invoice, bank line): what sluice allocated, what truth says.
    let mut allocated: HashMap<(String, usize), Decimal> = HashMap::new();
    let mut owed: HashMap<(String, usize), Decimal> = HashMap::new();
    for (n, t) in truth.iter().enumerate() {
        score.lines += 1;
        let Some(id) = line_ids.get(&(t.file.as_str(), t.line)) else {
            score.missing.push(format!("{}:{}", t.file, t.line));
            continue;
        };
        let line_matches = matches.get(id).map(Vec::as_slice).unwrap_or_default();
        let mut truth_by_target: BTreeMap<&Target, Decimal> = BTreeMap::new();
        for (target, amount) in &t.pays {
            *truth_by_target.entry(target).or_default() += amount;
            if let Target::Invoice(number) = target {
                *owed.entry((number.clone(), n)).or_default() += amount;
            }
        }
        let customers: HashSet<&str> = t
            .pays
            .iter()
            .filter_map(|(target, _)| match target {
                Target::Invoice(number) => customer_of.get(number.as_str()).copied(),
                Target::Customer(id) => Some(id.as_str()),
            })
            .collect();

        let mut got: BTreeMap<Target, Decimal> = BTreeMap::new();
        let mut verdicts = Vec::new();
        for m in line_matches {
            let Some(target) = placed(m) else { continue };
            let amount = m.amount.amount;
            if let Target::Invoice(number) = &target {
                *allocated.entry((number.clone(), n)).or_default() += amount;
            }
            let owed_here = truth_by_target.get(&target).copied().unwrap_or_default();
            let verdict = if !owed_here.is_zero()
                && owed_here.is_sign_negative() == amount.is_sign_negative()
                && amount.abs() <= owed_here.abs()
            {
                Verdict::Agrees
            } else if customers.contains(match &target {
                Target::Invoice(number) => customer_of.get(number.as_str()).copied().unwrap_or(""),
                Target::Customer(id) => id.as_str(),
            }) {
                Verdict::RightCustomer
            } else {
                Verdict::Wrong
            };
            score.placed_money += amount.abs();
            match verdict {
                Verdict::Agrees => {
                    score.agreeing_money += amount.abs();
                    *got.entry(target.clone()).or_default() += amount;
                }
                Verdict::RightCustomer => score.right_customer_money += amount.abs(),
                Verdict::Wrong => {}
            }
            verdicts.push((target, amount, verdict));
        }

        let matchable = !t.pays.is_empty();
        let placed_any = !verdicts.is_empty();
        let wrong = verdicts.iter().any(|(_, _, v)| *v == Verdict::Wrong);
        let matched = matchable
            && !wrong
            && truth_by_target
                .iter()
                .all(|(target, amount)| got.get(*target) == Some(amount));
        let unmatched = line_matches.iter().any(|m| m.kind == MatchKind::Unmatched);

        score.matchable_lines += usize::from(matchable);
        score.matchable_money += t.pays.iter().map(|(_, a)| a.abs()).sum::<Decimal>();
        score.placed_lines += usize::from(placed_any);
        score.wrong_lines += usize::from(wrong);
        score.right_customer_lines += usize::from(
            !wrong
                && verdicts
                    .iter()
                    .any(|(_, _, v)| *v == Verdict::RightCustomer),
        );
        score.matched_lines += usize::from(matched);
        score.unmatched_lines += usize::from(unmatched);
        score.unmatched_matchable += usize::from(unmatched && matchable);
        let case = score.cases.entry(t.case.clone()).or_default();
        case.lines += 1;
        case.matched += usize::from(matched);
        case.placed += usize::from(placed_any);
        case.wrong += usize::from(wrong);
        case.unmatched += usize::from(unmatched);
        if wrong {
            score.wrong.push(WrongLine {
                line: format!("{}:{}", t.file, t.line),
                case: t.case.clone(),
                sluice: verdicts
                    .iter()
                    .map(|(target, amount, _)| format!("{} {amount}", target.text()))
                    .collect::<Vec<_>>()
                    .join("; "),
                truth: t.describe(),
            });
        }
    }

    let sluice = by_invoice(&allocated);
    let truth_money = by_invoice(&owed);
    score.invoices_allocated = sluice.len();
    score.invoices_agreeing = sluice
        .iter()
        .filter(|(number, lines)| {
            lines.iter().all(|(line, amount)| {
                truth_money.get(*number).and_then(|t| t.get(line)) == Some(amount)
            })
        })
        .count();
    score.invoices_paid = truth_money.len();
    score.invoices_matched = truth_money
        .iter()
        .filter(|(number, lines)| sluice.get(*number) == Some(lines))
        .count();
    score
}

/// Money per invoice, then per bank line (by its place in the truth), zeros left out.
fn by_invoice(
    money: &HashMap<(String, usize), Decimal>,
) -> HashMap<&str, BTreeMap<usize, Decimal>> {
    let mut per: HashMap<&str, BTreeMap<usize, Decimal>> = HashMap::new();
    for ((number, line), amount) in money {
        if !amount.is_zero() {
            per.entry(number.as_str())
                .or_default()
                .insert(*line, *amount);
        }
    }
    per
}

/// `part` of `whole` in per cent, two decimals; 100 when there is nothing to count.
pub fn percent(part: impl Into<Decimal>, whole: impl Into<Decimal>) -> Decimal {
    let whole = whole.into();
    if whole.is_zero() {
        return Decimal::ONE_HUNDRED;
    }
    (part.into() * Decimal::ONE_HUNDRED / whole).round_dp(2)
}

impl Score {
    pub fn line_precision(&self) -> Decimal {
        percent(
            (self.placed_lines - self.wrong_lines) as u64,
            self.placed_lines as u64,
        )
    }

    pub fn line_recall(&self) -> Decimal {
        percent(self.matched_lines as u64, self.matchable_lines as u64)
    }

    pub fn money_precision(&self) -> Decimal {
        percent(
            self.agreeing_money + self.right_customer_money,
            self.placed_money,
        )
    }

    pub fn money_recall(&self) -> Decimal {
        percent(self.agreeing_money, self.matchable_money)
    }

    pub fn invoice_precision(&self) -> Decimal {
        percent(
            self.invoices_agreeing as u64,
            self.invoices_allocated as u64,
        )
    }

    pub fn invoice_recall(&self) -> Decimal {
        percent(self.invoices_matched as u64, self.invoices_paid as u64)
    }
}

/// The score as a person reads it, with a few wrong lines of each case.
impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "bank lines   {} in truth, {} matchable, {} not in the ledger",
            self.lines,
            self.matchable_lines,
            self.missing.len()
        )?;
        writeln!(
            f,
            "per line     precision {:>6} %  ({} of {} lines with an automatic match have nothing wrong; {} of them right by customer only)",
            self.line_precision(),
            self.placed_lines - self.wrong_lines,
            self.placed_lines,
            self.right_customer_lines
        )?;
        writeln!(
            f,
            "             recall    {:>6} %  ({} of {} matchable lines placed exactly as truth says)",
            self.line_recall(),
            self.matched_lines,
            self.matchable_lines
        )?;
        writeln!(
            f,
            "per money    precision {:>6} %  (EUR {} right of EUR {} placed; EUR {} of it right by customer only)",
            self.money_precision(),
            self.agreeing_money + self.right_customer_money,
            self.placed_money,
            self.right_customer_money
        )?;
        writeln!(
            f,
            "             recall    {:>6} %  (EUR {} of EUR {} matchable)",
            self.money_recall(),
            self.agreeing_money,
            self.matchable_money
        )?;
        writeln!(
            f,
            "per invoice  precision {:>6} %  ({} of {} invoices sluice allocated to got exactly truth's money)",
            self.invoice_precision(),
            self.invoices_agreeing,
            self.invoices_allocated
        )?;
        writeln!(
            f,
            "             recall    {:>6} %  ({} of {} invoices truth pays)",
            self.invoice_recall(),
            self.invoices_matched,
            self.invoices_paid
        )?;
        writeln!(
            f,
            "wrong        {} line(s) with a wrong automatic match",
            self.wrong_lines
        )?;
        writeln!(
            f,
            "unmatched    {} line(s) wait for a person ({} of them matchable)",
            self.unmatched_lines, self.unmatched_matchable
        )?;
        writeln!(
            f,
            "\n{:<22} {:>7} {:>8} {:>7} {:>6} {:>10}",
            "case", "lines", "matched", "placed", "wrong", "unmatched"
        )?;
        for (case, c) in &self.cases {
            writeln!(
                f,
                "{case:<22} {:>7} {:>8} {:>7} {:>6} {:>10}",
                c.lines, c.matched, c.placed, c.wrong, c.unmatched
            )?;
        }
        if !self.wrong.is_empty() {
            writeln!(
                f,
                "\nwrong matches ({}; at most three of each case):",
                self.wrong.len()
            )?;
            let mut shown: BTreeMap<&str, usize> = BTreeMap::new();
            for w in &self.wrong {
                let count = shown.entry(w.case.as_str()).or_default();
                *count += 1;
                if *count <= 3 {
                    writeln!(
                        f,
                        "  {} ({}): sluice {} — truth {}",
                        w.line, w.case, w.sluice, w.truth
                    )?;
                }
            }
        }
        Ok(())
    }
}
