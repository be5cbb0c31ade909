//! A customer as the billing system exports it: who they are, how to reach them, which
//! partner (reseller) brought them, and what a direct debit or an incoming transfer of
//! theirs carries (IBAN, SEPA mandate). Reconciliation knows a payer by these, and the
//! pipeline's partners-ignore list keeps a reseller's customers out of our books.

use chrono::NaiveDate;

use super::Lineage;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// The billing system's customer number: what invoices and gateways name.
    pub id: String,
    pub login: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub street: String,
    pub city: String,
    pub zip: String,
    pub country: String,
    /// The reseller the customer came through; empty for our own customers.
    pub partner: String,
    /// As the billing system words it (`active`, `suspended`, `terminated` …).
    pub status: String,
    /// Electronic form (`DE89370400440532013000`), check digits verified; empty when none.
    pub iban: String,
    pub mandate_id: String,
    pub mandate_signed: Option<NaiveDate>,
    pub vat_id: String,
    pub lineage: Lineage,
}

impl Customer {
    /// Whether a re-exported customer says anything new (where it came from does not count).
    pub fn same_content(&self, other: &Customer) -> bool {
        fn key(c: &Customer) -> ([&str; 14], Option<NaiveDate>) {
            (
                [
                    &c.id,
                    &c.login,
                    &c.name,
                    &c.email,
                    &c.phone,
                    &c.street,
                    &c.city,
                    &c.zip,
                    &c.country,
                    &c.partner,
                    &c.status,
                    &c.iban,
                    &c.mandate_id,
                    &c.vat_id,
                ],
                c.mandate_signed,
            )
        }
        key(self) == key(other)
    }
}
