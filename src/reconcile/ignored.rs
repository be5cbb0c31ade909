//! The partners-ignore list: customers a reseller brought in are accounted by that reseller,
//! not by us. Their invoices never enter the book (see `run::apply`), and their money — an
//! entry from their IBAN, or a gateway payment naming their customer number — is recorded
//! with one `ignored` match for its whole amount instead of going through the rules, so no
//! money is ever allocated to them or turned into credit, and no target renders it.
//!
//! Only the latest version of each customer counts: a customer moved to another partner
//! follows the move from the run that reads it on.

use super::Book;
use super::FastMap;
use super::allocate;
use super::part::Part;
use crate::model::{BankLine, Customer, GatewayRole, Match, MatchKind};
use crate::pipeline::same_partner;

pub const RULE_PARTNERS_IGNORE: &str = "partners-ignore";

/// A customer kept out, with what explanations name.
#[derive(Debug, Clone)]
struct Kept {
    name: String,
    partner: String,
    iban: String,
}

/// The customers whose latest version belongs to a partner on the list.
#[derive(Debug, Default)]
pub struct IgnoredCustomers {
    partners: Vec<String>,
    by_id: FastMap<String, Kept>,
    /// Electronic IBAN → customer id.
    by_iban: FastMap<String, String>,
}

impl IgnoredCustomers {
    pub fn new(partners: &[String]) -> IgnoredCustomers {
        IgnoredCustomers {
            partners: partners.to_vec(),
            ..IgnoredCustomers::default()
        }
    }

    /// Why this version of a customer is kept out, if it is.
    pub fn reason(&self, customer: &Customer) -> Option<String> {
        let listed = self
            .partners
            .iter()
            .any(|p| !customer.partner.trim().is_empty() && same_partner(p, &customer.partner));
        listed.then(|| {
            format!(
                "partner \"{}\" is in reconcile.partners_ignore",
                customer.partner.trim()
            )
        })
    }

    /// Takes a customer's latest version; returns whether it is kept out.
    pub fn update(&mut self, customer: &Customer) -> bool {
        if let Some(old) = self.by_id.remove(&customer.id)
            && self.by_iban.get(&old.iban) == Some(&customer.id)
        {
            self.by_iban.remove(&old.iban);
        }
        if self.reason(customer).is_none() {
            return false;
        }
        if !customer.iban.is_empty() {
            self.by_iban
                .insert(customer.iban.clone(), customer.id.clone());
        }
        self.by_id.insert(
            customer.id.clone(),
            Kept {
                name: customer.name.clone(),
                partner: customer.partner.trim().to_string(),
                iban: customer.iban.clone(),
            },
        );
        true
    }

    pub fn is_kept_out(&self, customer_id: &str) -> bool {
        self.by_id.contains_key(customer_id.trim())
    }

    /// Why a document of this customer is kept out, if it is. A customer sluice has not
    /// seen in any customer export is not kept out: without its partner nothing says so.
    pub fn document_reason(&self, customer_id: &str) -> Option<String> {
        self.by_id.get(customer_id.trim()).map(|k| {
            format!(
                "customer {} {} belongs to partner \"{}\", which is in reconcile.partners_ignore",
                customer_id.trim(),
                k.name,
                k.partner
            )
        })
    }
}

/// The `ignored` match for a payment of a kept-out customer, or `None` when the part is
/// not theirs. Only a gateway's payment entries carry a customer: its fees and payouts are
/// ours and go through the rules.
pub fn payment(line: &BankLine, part: &Part, book: &Book) -> Option<Vec<Match>> {
    let ignored = &book.ignored;
    let by_iban = || {
        let iban: String = part
            .counterparty_account
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let id = ignored.by_iban.get(&iban)?;
        Some((
            id.clone(),
            format!("the counterparty IBAN {iban} is theirs"),
        ))
    };
    let by_reference = || {
        let entry = line.info.gateway.as_ref()?;
        let reference = entry.customer_reference.trim();
        (entry.role == GatewayRole::Payment && ignored.by_id.contains_key(reference)).then(|| {
            (
                reference.to_string(),
                format!(
                    "the {} payment names their customer number",
                    entry.gateway.name()
                ),
            )
        })
    };
    let (id, how) = by_iban().or_else(by_reference)?;
    let kept = ignored.by_id.get(&id)?;
    let mut matched = allocate::base(
        line,
        part,
        MatchKind::Ignored,
        part.amount,
        RULE_PARTNERS_IGNORE,
        100,
        format!(
            "money of customer {id} {} ({how}), whose partner \"{}\" is in reconcile.partners_ignore: recorded, kept out of reconciliation and of the targets",
            kept.name, kept.partner
        ),
    );
    matched.customer_id = Some(id);
    Some(vec![matched])
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::model::{Currency, EntryInfo, Gateway, GatewayEntry, Lineage, Money};
    use crate::reconcile::part;

    fn lineage() -> Lineage {
        Lineage {
            file_sha256: "ab".repeat(32),
            file_name: "x.csv".to_string(),
            line: 2,
        }
    }

    fn customer(id: &str, partner: &str, iban: &str) -> Customer {
        Customer {
            id: id.to_string(),
            login: String::new(),
            name: "Bob Byron".to_string(),
            email: String::new(),
            phone: String::new(),
            street: String::new(),
            city: String::new(),
            zip: String::new(),
            country: String::new(),
            partner: partner.to_string(),
            status: String::new(),
            iban: iban.to_string(),
            mandate_id: String::new(),
            mandate_signed: None,
            vat_id: String::new(),
            lineage: lineage(),
        }
    }

    fn entry(account: &str, gateway: Option<(GatewayRole, &str)>) -> BankLine {
        BankLine {
            id: "line-1".to_string(),
            lineage: lineage(),
            account: "PayPal EUR".to_string(),
            booking_date: NaiveDate::from_ymd_opt(2026, 10, 3).expect("date"),
            value_date: None,
            amount: Money::new(
                "29.90".parse().expect("amount"),
                Currency::from_code("EUR").expect("EUR"),
            )
            .expect("money"),
            counterparty: "Bob Byron".to_string(),
            counterparty_account: account.to_string(),
            bank_reference: String::new(),
            text: String::new(),
            info: EntryInfo {
                gateway: gateway.map(|(role, reference)| GatewayEntry {
                    gateway: Gateway::PayPal,
                    role,
                    transaction_id: "T1".to_string(),
                    payout_id: String::new(),
                    payout_date: None,
                    customer_reference: reference.to_string(),
                }),
                ..EntryInfo::default()
            },
        }
    }

    fn book_with(customers: &[Customer]) -> Book {
        let mut book = Book::default();
        book.ignored = IgnoredCustomers::new(&["Reseller North".to_string()]);
        for c in customers {
            book.ignored.update(c);
        }
        book
    }

    fn placed(line: &BankLine, book: &Book) -> Option<Vec<Match>> {
        let parts = part::parts(line);
        payment(line, &parts[0], book)
    }

    #[test]
    fn an_iban_written_in_groups_finds_the_customer() {
        let book = book_with(&[customer("C2", " reseller north", "DE89370400440532013000")]);
        let line = entry("de89 3704 0044 0532 0130 00", None);
        let matches = placed(&line, &book).expect("kept out");
        assert_eq!(matches.len(), 1);
        assert_eq!(matches[0].kind, MatchKind::Ignored);
        assert_eq!(matches[0].amount, line.amount);
        assert_eq!(matches[0].customer_id.as_deref(), Some("C2"));
    }

    #[test]
    fn a_gateway_payment_naming_the_customer_is_kept_out_but_its_fee_is_not() {
        let book = book_with(&[customer("C2", "Reseller North", "")]);
        let payment_entry = entry("bob@example.net", Some((GatewayRole::Payment, "C2")));
        let matches = placed(&payment_entry, &book).expect("kept out");
        assert!(
            matches[0]
                .explanation
                .contains("PayPal payment names their customer number")
        );
        let fee = entry("", Some((GatewayRole::Fee, "C2")));
        assert!(placed(&fee, &book).is_none());
    }

    #[test]
    fn the_latest_version_decides() {
        let mut book = book_with(&[customer("C2", "Reseller North", "DE89370400440532013000")]);
        book.ignored
            .update(&customer("C2", "Reseller South", "DE89370400440532013000"));
        assert!(!book.ignored.is_kept_out("C2"));
        assert!(placed(&entry("DE89370400440532013000", None), &book).is_none());
    }
}
