//! A bank statement as ISO 20022 and SWIFT formats deliver it: an account, opening and
//! closing balances, and the entries between them. A statement whose entries do not add up
//! from the opening to the closing balance is refused: something is missing or misread.

use chrono::NaiveDate;

use super::{InputFile, SourceError};
use crate::model::{BankLine, Money};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    pub amount: Money,
    pub date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The message and version: `camt.053.001.02`, `MT940`.
    pub message: String,
    /// The statement's own id (`Stmt/Id`, `:20:`).
    pub id: String,
    /// IBAN or account number.
    pub account: String,
    /// Electronic or legal sequence number (`ElctrncSeqNb`, `LglSeqNb`, `:28C:`).
    pub sequence: Option<String>,
    pub opening: Option<Balance>,
    pub closing: Option<Balance>,
    /// Booked entries: these are applied.
    pub lines: Vec<BankLine>,
    /// Pending or information-only entries: reported, never applied.
    pub not_booked: Vec<BankLine>,
    /// Where the statement starts in the file (line), for messages.
    pub line: u64,
    /// Its XML path or tag (`/Document/BkToCstmrStmt/Stmt[2]`, `:20:`), for messages.
    pub path: String,
}

impl Statement {
    /// Refuses a statement whose booked entries do not lead from the opening balance to the
    /// closing balance. Statements without both balances (notifications) are not checked.
    pub fn check_balances(&self, file: &InputFile<'_>) -> Result<(), SourceError> {
        let (Some(opening), Some(closing)) = (&self.opening, &self.closing) else {
            return Ok(());
        };
        let refuse = |message: String| {
            SourceError {
            file: file.name.to_string(),
            line: Some(self.line),
            column: None,
            path: Some(self.path.clone()),
            message,
            hint: "a statement that does not add up is missing entries or was cut short; ask the bank for the complete statement".to_string(),
        }
        };
        if opening.amount.currency != closing.amount.currency {
            return Err(refuse(format!(
                "statement {} opens in {} but closes in {}",
                self.id, opening.amount.currency, closing.amount.currency
            )));
        }
        let mut sum = opening.amount.amount;
        for line in &self.lines {
            if line.amount.currency != opening.amount.currency {
                return Err(refuse(format!(
                    "statement {} is in {} but its entry on line {} is in {}",
                    self.id, opening.amount.currency, line.lineage.line, line.amount.currency
                )));
            }
            sum += line.amount.amount;
        }
        if sum != closing.amount.amount {
            return Err(refuse(format!(
                "statement {} does not add up: opening balance {} plus {} booked entries gives {} {}, but the closing balance is {}",
                self.id,
                opening.amount,
                self.lines.len(),
                opening.amount.currency,
                sum,
                closing.amount
            )));
        }
        Ok(())
    }
}
