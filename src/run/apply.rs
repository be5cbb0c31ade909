//! Applying what was taken in: documents become new versions only when they changed, bank
//! entries only when they were not seen before, and every new entry is reconciled.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::Run;
use super::known::{OpenLine, same_content};
use super::take_in::Parsed;
use crate::intake;
use crate::ledger::{
    BankLineRow, DecisionAction, DecisionRow, DocumentRow, FileRow, FileStatus, MatchRow,
};
use crate::model::{BankLine, Document, DocumentKind, GatewayRole, Match, MatchKind, NotApplied};
use crate::reconcile::{self, Outcome, Pass, reconcile_line_in};
use crate::sources::{Records, clearing_entries, implied_payout};

/// Money placed in a run, per currency.
#[derive(Default)]
struct Totals {
    matched_money: BTreeMap<String, Decimal>,
    fees: BTreeMap<String, Decimal>,
}

impl Run<'_> {
    pub(super) fn apply(&mut self, mut parsed: Vec<Parsed<'_>>) {
        // Customers first (whether their documents and payments are kept out depends on
        // them), then documents and the billing system's transactions (recorded, not
        // reconciled), then the collections we sent and what the banks said of them,
        // then the gateways' transactions before their payouts, so a statement and
        // everything it pays, returns or receives from a gateway can arrive in the same run.
        parsed.sort_by_key(|p| match &p.records {
            Records::Customers(_) => 0,
            Records::Documents(_) => 1,
            Records::Transactions(_) => 2,
            Records::DirectDebits(_) => 3,
            Records::PaymentStatuses(_) => 4,
            Records::Gateway(export) if !export.transactions.is_empty() => 5,
            Records::Gateway(_) => 6,
            Records::BankLines(_) | Records::Statements(_) => 7,
        });
        // The run's new entries, in the order they are reconciled.
        let mut new_lines: Vec<BankLine> = Vec::new();
        let mut status_matches = Vec::new();
        for p in &mut parsed {
            self.summary.files.processed += 1;
            let archived_as = self.plan_archive(&mut p.file, false);
            self.new.files.push(FileRow {
                run_id: self.run_id.clone(),
                sha256: p.file.sha256.clone(),
                name: p.file.name.clone(),
                source: p.source.name.clone(),
                status: FileStatus::Processed,
                records: p.records.len() as i64,
                note: String::new(),
                archived_as,
            });
            match &p.records {
                Records::Customers(customers) => self.apply_customers(customers),
                Records::Transactions(transactions) => self.apply_transactions(transactions),
                Records::Documents(documents) => self.apply_documents(documents),
                Records::BankLines(lines) => self.apply_bank_lines(lines, &mut new_lines),
                Records::Statements(statements) => {
                    for statement in statements {
                        self.summary.bank_lines.not_booked += statement.not_booked.len();
                        self.apply_bank_lines(&statement.lines, &mut new_lines);
                    }
                }
                Records::DirectDebits(debits) => self.apply_direct_debits(debits),
                Records::PaymentStatuses(statuses) => {
                    status_matches.extend(self.apply_statuses(statuses));
                }
                Records::Gateway(export) => {
                    let entries = clearing_entries(export);
                    let counts = &mut self.summary.gateways;
                    counts.not_settled += entries.not_settled;
                    counts.transactions += export.transactions.iter().filter(|t| t.settled).count();
                    counts.payouts += export.payouts.iter().filter(|p| p.settled).count();
                    self.apply_bank_lines(&entries.lines, &mut new_lines);
                }
            }
        }
        // Money is placed in the order it moved, whichever file told of it: a collection
        // booked on the 15th pays its invoice before the card payment of the 20th does,
        // though the card payment came in a gateway's export read first. The same day keeps
        // the order the files were read in.
        new_lines.sort_by_key(|line| line.booking_date);
        let mut totals = Totals::default();
        let retry = std::mem::take(&mut self.known.open);
        let reconcile_started = std::time::Instant::now();
        let mut matches = self.reconcile(&new_lines, retry, &mut totals);
        // A Braintree disbursement is known from its bank credit: its entry on the
        // clearing account follows the credit, and is checked like any payout entry.
        let implied = self.implied_payout_entries(&new_lines);
        if !implied.is_empty() {
            let start = new_lines.len();
            self.apply_bank_lines(&implied, &mut new_lines);
            let entered = new_lines[start..].to_vec();
            matches.extend(self.reconcile(&entered, Vec::new(), &mut totals));
        }
        self.timings.reconcile += reconcile_started.elapsed();
        self.summary.gateways.fees = super::direct_debits::per_currency(&totals.fees);
        self.summary.money_matched = totals
            .matched_money
            .into_iter()
            .map(|(c, a)| (c, a.to_string()))
            .collect();
        self.summary.invoices = self.known.book.invoice_counts();
        // Matches of rejections and retries belong to lines of earlier runs: the ledger keeps
        // them; a bank statement target renders only this run's lines, a journal books them
        // as corrections of what it booked before.
        let retried = std::mem::take(&mut self.retried_matches);
        self.new.matches = status_matches
            .into_iter()
            .chain(retried)
            .chain(matches)
            .map(|m| MatchRow {
                run_id: self.run_id.clone(),
                matched: m,
            })
            .collect();
        self.summary.money_reversed = super::direct_debits::per_currency(&self.money_reversed);
    }

    fn apply_documents(&mut self, documents: &[Document]) {
        for doc in documents {
            let version = match self.known.documents.get(&doc.number) {
                None => {
                    self.summary.documents.new += 1;
                    1
                }
                Some(old) if same_content(&old.document, doc) => {
                    self.summary.documents.unchanged += 1;
                    continue;
                }
                Some(old) => {
                    self.summary.documents.updated += 1;
                    self.replaced_documents.push(old.clone());
                    old.version + 1
                }
            };
            if doc.kind == DocumentKind::CreditNote {
                self.summary.documents.credit_notes += 1;
            }
            // A document whose customer no customer export has named yet is reconciled as
            // always: nothing says its partner is on the partners-ignore list.
            let ignored = self.known.book.ignored.document_reason(&doc.customer_id);
            let note = if ignored.is_some() {
                self.summary.ignored.documents += 1;
                self.known.book.remove(&doc.number);
                String::new()
            } else {
                self.place_in_book(doc)
            };
            let row = DocumentRow {
                run_id: self.run_id.clone(),
                version,
                document: doc.clone(),
                // Deleted or without lines; being kept out for the partners-ignore list is
                // `ignored`, which follows the customer's latest version instead.
                applied: note.is_empty(),
                note,
                ignored,
            };
            self.known.documents.insert(doc.number.clone(), row.clone());
            self.new.documents.push(row);
        }
    }

    /// Puts a document version in the book, or takes it out when it is not applied;
    /// returns the note on why not (empty when applied). Money allocated to a document that
    /// leaves the book stays allocated: it was received and booked, and moving it to the
    /// corrected invoice or back to the customer is a person's decision, so the note and the
    /// summary say it is there.
    fn place_in_book(&mut self, doc: &Document) -> String {
        let Some(why) = doc.not_applied() else {
            self.known.book.upsert(doc.clone());
            return String::new();
        };
        let counts = &mut self.summary.documents;
        match why {
            NotApplied::Deleted => counts.deleted += 1,
            NotApplied::WithoutLines => counts.without_lines += 1,
        }
        let mut note = why.reason().to_string();
        if let Some(money) = self.known.book.allocated_to(&doc.number) {
            counts.withdrawn_with_money += 1;
            note.push_str(&format!(
                "; {money} was allocated to it before and stays allocated until a person moves it"
            ));
        }
        self.known.book.remove(&doc.number);
        note
    }

    /// Records every entry; the ones not seen before are also pushed to `applied`.
    fn apply_bank_lines(&mut self, lines: &[BankLine], applied: &mut Vec<BankLine>) {
        for (line, fingerprint) in lines.iter().zip(intake::fingerprint_lines(lines)) {
            let row = match self.known.fingerprints.earlier(&fingerprint) {
                Some(earlier) => {
                    self.summary.bank_lines.skipped_as_seen_before += 1;
                    let what = if line.bank_reference.trim().is_empty() {
                        "same account, date, amount and text".to_string()
                    } else {
                        format!("same bank reference \"{}\"", line.bank_reference.trim())
                    };
                    BankLineRow {
                        run_id: self.run_id.clone(),
                        line: line.clone(),
                        applied: false,
                        duplicate_of: earlier.id.clone(),
                        note: format!(
                            "{what} as {} line {}; not applied again",
                            earlier.file_name, earlier.line
                        ),
                        fingerprint,
                    }
                }
                None if self.booked_before_import_from(line) => {
                    self.not_imported(line, fingerprint)
                }
                None => {
                    self.summary.bank_lines.new += 1;
                    self.known.fingerprints.insert(&fingerprint, line);
                    self.known.book.payouts.record(line);
                    applied.push(line.clone());
                    BankLineRow {
                        run_id: self.run_id.clone(),
                        line: line.clone(),
                        applied: true,
                        duplicate_of: String::new(),
                        note: String::new(),
                        fingerprint,
                    }
                }
            };
            self.new.bank_lines.push(row);
        }
    }

    /// The clearing-account entries of implied payouts (Braintree's) whose bank credit
    /// was just matched.
    fn implied_payout_entries(&mut self, lines: &[BankLine]) -> Vec<BankLine> {
        self.known
            .book
            .payouts
            .take_unentered_credited()
            .into_iter()
            .filter_map(|(payout, credit_id)| {
                let credit = lines.iter().find(|l| l.id == credit_id)?;
                self.summary.gateways.payouts_implied += 1;
                Some(implied_payout(
                    payout.gateway,
                    &payout.id,
                    payout.date,
                    payout.amount,
                    credit,
                ))
            })
            .collect()
    }

    /// Places the new lines, and tries again the money of earlier runs that waited for a
    /// person, all in the order the money moved (an earlier run's line before a new one of
    /// the same day). Returns the new lines' matches; what a retry placed goes to the
    /// ledger with a `retry` decision, and a retry that places nothing writes nothing.
    fn reconcile(
        &mut self,
        lines: &[BankLine],
        retry: Vec<OpenLine>,
        totals: &mut Totals,
    ) -> Vec<Match> {
        let mut items: Vec<(&BankLine, Option<&OpenLine>)> = retry
            .iter()
            .map(|open| (&open.line, Some(open)))
            .chain(lines.iter().map(|line| (line, None)))
            .collect();
        items.sort_by_key(|(line, _)| line.booking_date);
        let settings = &self.pipeline.reconcile;
        let mut placed: Vec<Vec<Match>> = items
            .iter()
            .map(|(line, _)| reconcile_line_in(line, &mut self.known.book, settings, Pass::Named))
            .collect();
        // Then what still waits may be placed by its amount alone.
        for ((line, _), matches) in items.iter().zip(placed.iter_mut()) {
            if matches.iter().all(|m| m.kind == MatchKind::Unmatched) {
                *matches = reconcile_line_in(line, &mut self.known.book, settings, Pass::All);
            }
        }
        let mut all = Vec::new();
        let mut per_line = Vec::new();
        for ((line, open), matches) in items.into_iter().zip(placed) {
            if let Some(open) = open {
                self.retried(open, matches, totals);
                continue;
            }
            self.count(&matches, totals);
            let payout_entry = line
                .info
                .gateway
                .as_ref()
                .is_some_and(|g| g.role == GatewayRole::Payout);
            if payout_entry && matches.iter().any(|m| m.kind == MatchKind::Unmatched) {
                self.summary.gateways.payouts_with_difference += 1;
            }
            per_line.push(matches.len());
            all.extend(matches);
        }
        // Outcomes are judged once the whole run is placed: a later line may settle an
        // invoice an earlier one paid in part.
        let mut rest = all.as_slice();
        for n in per_line {
            let (of_line, tail) = rest.split_at(n);
            rest = tail;
            let counts = &mut self.summary.reconciled;
            match reconcile::outcome(of_line, &self.known.book) {
                Outcome::Matched => counts.matched += 1,
                Outcome::PartlyMatched => counts.partly_matched += 1,
                Outcome::Unmatched => counts.unmatched += 1,
                Outcome::Outgoing => counts.outgoing += 1,
                Outcome::Returned => counts.returned += 1,
                Outcome::Ignored => self.summary.ignored.entries += 1,
            }
        }
        all
    }

    /// An earlier line tried again: when the rules now place (some of) its money, its new
    /// matches replace the unmatched ones.
    fn retried(&mut self, open: &OpenLine, matches: Vec<Match>, totals: &mut Totals) {
        if matches.iter().all(|m| m.kind == MatchKind::Unmatched) {
            return;
        }
        self.count(&matches, totals);
        self.summary.reconciled.placed_on_retry += 1;
        self.new.decisions.push(DecisionRow {
            run_id: self.run_id.clone(),
            action: DecisionAction::Retry,
            bank_line_id: open.line.id.clone(),
            replaces: open.matched_in.clone(),
            by: "sluice".to_string(),
            at: self.options.now,
            documents: Vec::new(),
            customer_id: String::new(),
            counterparty_account: String::new(),
            counterparty_name: String::new(),
            learned: false,
            note: format!(
                "placed by run {} on retry; it waited since {}",
                self.run_id,
                open.matched_in.join(", ")
            ),
        });
        self.retried_matches.extend(matches);
        self.retried_lines.push(open.line.clone());
        self.withdrawn_matches.extend(open.matches.iter().cloned());
    }

    fn count(&mut self, matches: &[Match], totals: &mut Totals) {
        for m in matches {
            let currency = m.amount.currency.code().to_string();
            match m.kind {
                MatchKind::Allocation => {
                    *totals.matched_money.entry(currency).or_default() += m.amount.amount
                }
                MatchKind::Reversal => {
                    *self.money_reversed.entry(currency).or_default() -= m.amount.amount
                }
                MatchKind::Fee => *totals.fees.entry(currency).or_default() -= m.amount.amount,
                MatchKind::Payout if m.amount.amount.is_sign_positive() => {
                    self.summary.gateways.payouts_credited += 1
                }
                _ => {}
            }
        }
    }
}
