//! An itemised month for the journal targets, in two runs: first the billing system's
//! invoice lines (the sample), its customers and a bank statement whose money pays, pays a
//! few cents short (within the tolerance), pays too much, names an invoice not yet exported,
//! and goes out to a supplier; then an export that changes an invoice's lines and brings the
//! invoice the waiting money names, which a retry places. Both journal targets name some
//! accounts of their own and take the defaults for the rest.

use std::path::PathBuf;

use super::{CUSTOMER_SOURCE, Company, LINE_SOURCES, fixture, invoice_lines_sample, run_at};

pub const FIRST_RUN_AT: &str = "2026-10-31T18:00:00Z";
pub const FIRST_BATCH: &str = "20261031T180000Z-000001";
pub const SECOND_RUN_AT: &str = "2026-11-02T08:00:00Z";
pub const SECOND_BATCH: &str = "20261102T080000Z-000002";

/// The journal targets' shared `[targets.accounts]`.
const ACCOUNTS: &str = r#"
[targets.accounts]
revenue = "Income:Sales:{category}"
difference = "Expenses:Bank-Differences"

[targets.accounts.categories]
discount = "Expenses:Discounts"

[targets.accounts.vat_rates]
"7" = "Liabilities:VAT:Reduced"

[targets.accounts.banks]
"DE89 3704 0044 0532 0130 00" = "Assets:Bank:Business"
"#;

pub struct ItemisedMonth {
    pub company: Company,
}

impl ItemisedMonth {
    /// The batch folder a run wrote for a target.
    pub fn batch(&self, target: &str, batch: &str) -> PathBuf {
        self.company
            .path("outbox")
            .join("acme")
            .join(target)
            .join(batch)
    }
}

/// Both runs done; every batch is in the company's outbox.
pub fn itemised_month() -> ItemisedMonth {
    let company = Company::new();
    let body = format!(
        "{LINE_SOURCES}{CUSTOMER_SOURCE}\n[reconcile]\ntolerance = \"0.05\"\ntolerance_account = \"6855\"\n\n\
         [[targets]]\nname = \"audit-hledger\"\nplatform = \"hledger\"\n{ACCOUNTS}\n\
         [[targets]]\nname = \"audit-beancount\"\nplatform = \"beancount\"\n{ACCOUNTS}"
    );
    let pipeline = company.pipeline("archive", &body);
    company.drop_file("invoice-lines-2026-10.csv", invoice_lines_sample());
    company.drop_file(
        "customers-2026-10.csv",
        fixture("journal/customers-2026-10.csv"),
    );
    company.drop_file("bank-2026-10.csv", fixture("journal/bank-2026-10.csv"));
    let first = run_at(&pipeline, FIRST_RUN_AT);
    assert_eq!(first.run_id.as_deref(), Some(FIRST_BATCH));
    assert_eq!(first.exit_code(), 0, "{:?}", first.quarantined);
    company.drop_file(
        "invoice-lines-2026-11.csv",
        fixture("journal/invoice-lines-2026-11.csv"),
    );
    let second = run_at(&pipeline, SECOND_RUN_AT);
    assert_eq!(second.run_id.as_deref(), Some(SECOND_BATCH));
    assert_eq!(second.reconciled.placed_on_retry, 1, "{second:?}");
    ItemisedMonth { company }
}
