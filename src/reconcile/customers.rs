//! Who a payer is: the customers reconciliation can recognise, and by what evidence, for
//! rule 2 (money of an identified customer pays their oldest open invoices) and for refunds.
//!
//! Evidence, each kind said in words in the explanation of what it decided:
//! - the counterparty IBAN is on the customer's record (the latest customer export);
//! - the counterparty account paid the customer's invoice before: learned whenever money
//!   from it is allocated with the confidence of a reference or an identified customer
//!   (`Book::remember`), and rebuilt from the ledger's matches at the start of every run,
//!   so a guess by amount alone never teaches an account;
//! - a person paired money of this counterparty with the customer (`learn`): by IBAN when
//!   the pairing had one, else by the counterparty's exact name;
//! - the SEPA mandate is the customer's;
//! - a payment gateway's payment names the customer number;
//! - the text carries the customer number or login as a whole word (when the pipeline looks
//!   there). A word is a run of letters, digits and `- _ . @` between other characters, so
//!   `C10001` is found in `Kd-Nr C10001,` but never inside `29.90`, `2026-10-03` or `C100012`;
//!   numbers shorter than five digits and other words shorter than four characters are not
//!   looked for at all, since years, days and amounts are written the same way.
//!
//! All evidence is gathered; evidence pointing at two customers or more chooses none.
//!
//! The index also keeps each customer's credit with us per currency (their `credit` matches:
//! overpayments and money without an invoice, less refunds), which a refund draws on.

use super::FastMap;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::model::{Currency, Customer, Money};

/// The latest version of a customer, as far as recognising them goes.
#[derive(Debug, Clone)]
struct Record {
    name: String,
    iban: String,
    mandate: String,
    /// Customer number and login, upper-case, where long enough to look for in a text.
    words: Vec<String>,
}

/// The first payment from an account to one customer's invoice.
#[derive(Debug, Clone)]
struct Paid {
    invoice: String,
    date: NaiveDate,
}

/// How a person's pairing names the counterparty.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Counterparty {
    Account(String),
    Name(String),
}

/// What a payment says of who made it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Payer<'a> {
    pub account: &'a str,
    pub name: &'a str,
    pub mandate_id: &'a str,
    /// Where a customer number or login may be written; empty when not to be looked at.
    pub text: &'a str,
    /// A gateway's payment naming a customer: the gateway's name and the reference.
    pub gateway_reference: Option<(&'a str, &'a str)>,
}

/// One reason to think a payment is a customer's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    OnRecord {
        iban: String,
    },
    PaidBefore {
        account: String,
        invoice: String,
        date: NaiveDate,
    },
    Paired {
        counterparty: String,
        origin: String,
    },
    Mandate {
        id: String,
    },
    GatewayReference {
        gateway: String,
    },
    InText {
        word: String,
        login: bool,
    },
}

impl Evidence {
    /// "counterparty IBAN DE89… is on customer C1's record".
    pub fn describe(&self, customer_id: &str) -> String {
        match self {
            Evidence::OnRecord { iban } => {
                format!("counterparty IBAN {iban} is on customer {customer_id}'s record")
            }
            Evidence::PaidBefore {
                account,
                invoice,
                date,
            } => format!(
                "counterparty {} paid {customer_id}'s invoice {invoice} on {date}",
                account_words(account)
            ),
            Evidence::Paired {
                counterparty,
                origin,
            } => format!("counterparty {counterparty} is customer {customer_id}'s ({origin})"),
            Evidence::Mandate { id } => format!("mandate {id} is {customer_id}'s"),
            Evidence::GatewayReference { gateway } => {
                format!("the {gateway} payment names customer number {customer_id}")
            }
            Evidence::InText { word, login: false } => {
                format!("the text names customer number {word}")
            }
            Evidence::InText { word, login: true } => {
                format!("the text names {customer_id}'s login {word}")
            }
        }
    }
}

/// `IBAN DE89…` for what looks like an IBAN, `account bob@example.net` for anything else.
fn account_words(account: &str) -> String {
    let b = account.as_bytes();
    let iban = b.len() >= 15
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..4].iter().all(u8::is_ascii_digit);
    if iban {
        format!("IBAN {account}")
    } else {
        format!("account {account}")
    }
}

/// An account as compared: `de89 3704 0044…` is `DE893704…`.
pub fn normalize_account(account: &str) -> String {
    account
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// A counterparty name as compared: case and runs of spaces do not count.
fn normalize_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

/// How many customers an account paid before are named as evidence, at most.
const PAID_BEFORE_NAMED: usize = 3;

/// The longest name looked for, in words.
const MAX_NAME_WORDS: usize = 4;

/// A name's words, upper-case, with German umlauts and ß spelled out as people without
/// them type them (`Müller` is `MUELLER`), everything but letters and digits a separator.
fn name_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut folded = String::with_capacity(w.len() + 2);
            for c in w.chars() {
                match c {
                    'ä' | 'Ä' => folded.push_str("AE"),
                    'ö' | 'Ö' => folded.push_str("OE"),
                    'ü' | 'Ü' => folded.push_str("UE"),
                    'ß' => folded.push_str("SS"),
                    c => folded.extend(c.to_uppercase()),
                }
            }
            folded
        })
}

/// The key a full name is looked up by; empty (never looked for) for a single word or a
/// name longer than `MAX_NAME_WORDS`.
fn name_key(name: &str) -> String {
    let words: Vec<String> = name_words(name).collect();
    if (2..=MAX_NAME_WORDS).contains(&words.len()) {
        words.join(" ")
    } else {
        String::new()
    }
}

/// Characters that may sit inside a customer number or login.
fn inside_word(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '@')
}

/// The words of a text, upper-case, each once.
fn words_in(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !inside_word(c))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .collect()
}

/// Whether a customer number or login is distinctive enough to look for in a text.
fn searchable(word: &str) -> bool {
    let length = word.chars().count();
    if word.chars().all(|c| c.is_ascii_digit()) {
        length >= 5
    } else {
        length >= 4
    }
}

fn link(index: &mut FastMap<String, BTreeSet<String>>, key: &str, id: &str) {
    if !key.is_empty() {
        index
            .entry(key.to_string())
            .or_default()
            .insert(id.to_string());
    }
}

fn unlink(index: &mut FastMap<String, BTreeSet<String>>, key: &str, id: &str) {
    if let Some(ids) = index.get_mut(key) {
        ids.remove(id);
        if ids.is_empty() {
            index.remove(key);
        }
    }
}

#[derive(Debug, Default)]
pub struct CustomerIndex {
    records: FastMap<String, Record>,
    by_iban: FastMap<String, BTreeSet<String>>,
    by_mandate: FastMap<String, BTreeSet<String>>,
    by_word: FastMap<String, BTreeSet<String>>,
    /// Full names (two words or more, see `name_key`) → customers of that name.
    by_name: FastMap<String, BTreeSet<String>>,
    /// Account → customer id → the first payment from it to one of their invoices.
    paid_from: FastMap<String, BTreeMap<String, Paid>>,
    /// Counterparty → customer id → where a person paired them.
    learned: FastMap<Counterparty, BTreeMap<String, String>>,
    credit: FastMap<(String, Currency), Decimal>,
}

impl CustomerIndex {
    /// Takes a customer's latest version: what the earlier one said no longer counts.
    pub fn update(&mut self, customer: &Customer) {
        let id = customer.id.trim();
        if let Some(old) = self.records.remove(id) {
            unlink(&mut self.by_iban, &old.iban, id);
            unlink(&mut self.by_mandate, &old.mandate, id);
            for word in &old.words {
                unlink(&mut self.by_word, word, id);
            }
            unlink(&mut self.by_name, &name_key(&old.name), id);
        }
        let mut words: Vec<String> = [customer.id.trim(), customer.login.trim()]
            .into_iter()
            .filter(|w| searchable(w) && w.chars().all(inside_word))
            .map(str::to_uppercase)
            .collect();
        words.dedup();
        let record = Record {
            name: customer.name.trim().to_string(),
            iban: normalize_account(&customer.iban),
            mandate: customer.mandate_id.trim().to_uppercase(),
            words,
        };
        link(&mut self.by_iban, &record.iban, id);
        link(&mut self.by_mandate, &record.mandate, id);
        for word in &record.words {
            link(&mut self.by_word, word, id);
        }
        link(&mut self.by_name, &name_key(&record.name), id);
        self.records.insert(id.to_string(), record);
    }

    /// The customer's name as their latest export gives it, if one did.
    pub fn name(&self, customer_id: &str) -> Option<&str> {
        self.records
            .get(customer_id)
            .map(|r| r.name.as_str())
            .filter(|n| !n.is_empty())
    }

    /// A counterparty learned from a person's pairing: from now on it identifies the
    /// customer as an IBAN on their record does — by `iban` when given, else by the exact
    /// (case- and space-insensitive) `name`. `origin` is quoted in every explanation it
    /// leads to ("learned from pairing 20261123T101500Z-000007 on 2026-11-23").
    pub fn learn(&mut self, iban: &str, name: &str, customer_id: &str, origin: &str) {
        if let Some(key) = counterparty_key(iban, name) {
            self.learned
                .entry(key)
                .or_default()
                .insert(customer_id.trim().to_string(), origin.to_string());
        }
    }

    /// Undoes `learn` for that counterparty and customer; whether there was such a rule.
    pub fn forget(&mut self, iban: &str, name: &str, customer_id: &str) -> bool {
        let Some(key) = counterparty_key(iban, name) else {
            return false;
        };
        let Some(customers) = self.learned.get_mut(&key) else {
            return false;
        };
        let forgotten = customers.remove(customer_id.trim()).is_some();
        if customers.is_empty() {
            self.learned.remove(&key);
        }
        forgotten
    }

    /// Money from `account` was allocated to the customer's `invoice`; the first such
    /// payment is what explanations cite.
    pub fn paid(&mut self, account: &str, customer_id: &str, invoice: &str, date: NaiveDate) {
        let account = normalize_account(account);
        if account.is_empty() || customer_id.trim().is_empty() {
            return;
        }
        self.paid_from
            .entry(account)
            .or_default()
            .entry(customer_id.trim().to_string())
            .or_insert_with(|| Paid {
                invoice: invoice.to_string(),
                date,
            });
    }

    /// Adds a credit match's money (negative for a refund) to the customer's credit.
    pub fn add_credit(&mut self, customer_id: &str, money: Money) {
        *self
            .credit
            .entry((customer_id.trim().to_string(), money.currency))
            .or_default() += money.amount;
    }

    /// The customer's credit with us in a currency.
    pub fn credit(&self, customer_id: &str, currency: Currency) -> Decimal {
        self.credit
            .get(&(customer_id.trim().to_string(), currency))
            .copied()
            .unwrap_or_default()
    }

    /// The customers whose full name the text writes, as consecutive words (case, accents
    /// and punctuation aside: `Jürgen Müller` is written `JUERGEN MUELLER` too). A name is
    /// no proof of who paid — many customers share one — so rule 3 uses it only to narrow
    /// down the invoices of an amount.
    pub fn named_in(&self, text: &str) -> BTreeSet<String> {
        let words: Vec<String> = name_words(text).collect();
        let mut found = BTreeSet::new();
        for length in 2..=MAX_NAME_WORDS {
            for window in words.windows(length) {
                if let Some(ids) = self.by_name.get(&window.join(" ")) {
                    found.extend(ids.iter().cloned());
                }
            }
        }
        found
    }

    /// Every customer the payment points at, with all the evidence for each.
    pub fn identify(&self, payer: &Payer<'_>) -> BTreeMap<String, Vec<Evidence>> {
        self.gather(payer, true)
    }

    /// The customers the payment points at by what is theirs — the IBAN on their record, a
    /// counterparty a person paired with them, their mandate, a gateway reference, a word
    /// of the text — leaving out accounts that merely paid their invoices before.
    pub fn identify_own(&self, payer: &Payer<'_>) -> BTreeMap<String, Vec<Evidence>> {
        self.gather(payer, false)
    }

    fn gather(&self, payer: &Payer<'_>, paid_before: bool) -> BTreeMap<String, Vec<Evidence>> {
        let mut found: BTreeMap<String, Vec<Evidence>> = BTreeMap::new();
        let mut add = |id: &str, evidence: Evidence| {
            found.entry(id.to_string()).or_default().push(evidence);
        };
        let account = normalize_account(payer.account);
        if !account.is_empty() {
            for id in self.by_iban.get(&account).into_iter().flatten() {
                add(
                    id,
                    Evidence::OnRecord {
                        iban: account.clone(),
                    },
                );
            }
            let on_record = self.by_iban.get(&account);
            let paid_from = self
                .paid_from
                .get(&account)
                .filter(|_| paid_before)
                .into_iter()
                .flatten()
                // A pooled account (a payment provider's, a social services office's) may
                // have paid thousands of customers' invoices; two already make the payment
                // fit several customers, so naming more changes nothing but the cost.
                .take(PAID_BEFORE_NAMED);
            for (id, paid) in paid_from {
                // Said once: that the IBAN is on their record says it all.
                if on_record.is_some_and(|ids| ids.contains(id)) {
                    continue;
                }
                add(
                    id,
                    Evidence::PaidBefore {
                        account: account.clone(),
                        invoice: paid.invoice.clone(),
                        date: paid.date,
                    },
                );
            }
            let learned = self.learned.get(&Counterparty::Account(account.clone()));
            for (id, origin) in learned.into_iter().flatten() {
                add(
                    id,
                    Evidence::Paired {
                        counterparty: account_words(&account),
                        origin: origin.clone(),
                    },
                );
            }
        }
        let name = normalize_name(payer.name);
        if !name.is_empty() {
            let learned = self.learned.get(&Counterparty::Name(name));
            for (id, origin) in learned.into_iter().flatten() {
                add(
                    id,
                    Evidence::Paired {
                        counterparty: format!("\"{}\"", payer.name.trim()),
                        origin: origin.clone(),
                    },
                );
            }
        }
        let mandate = payer.mandate_id.trim().to_uppercase();
        for id in self.by_mandate.get(&mandate).into_iter().flatten() {
            add(
                id,
                Evidence::Mandate {
                    id: payer.mandate_id.trim().to_string(),
                },
            );
        }
        if let Some((gateway, reference)) = payer.gateway_reference
            && self.records.contains_key(reference.trim())
        {
            add(
                reference.trim(),
                Evidence::GatewayReference {
                    gateway: gateway.to_string(),
                },
            );
        }
        for word in words_in(payer.text) {
            for id in self.by_word.get(&word).into_iter().flatten() {
                let login = word != id.to_uppercase();
                add(
                    id,
                    Evidence::InText {
                        word: word.clone(),
                        login,
                    },
                );
            }
        }
        found
    }
}

fn counterparty_key(iban: &str, name: &str) -> Option<Counterparty> {
    let account = normalize_account(iban);
    let name = normalize_name(name);
    if !account.is_empty() {
        Some(Counterparty::Account(account))
    } else if !name.is_empty() {
        Some(Counterparty::Name(name))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lineage;

    fn customer(id: &str, login: &str, iban: &str, mandate: &str) -> Customer {
        Customer {
            id: id.to_string(),
            login: login.to_string(),
            name: format!("Name of {id}"),
            email: String::new(),
            phone: String::new(),
            street: String::new(),
            city: String::new(),
            zip: String::new(),
            country: String::new(),
            partner: String::new(),
            status: String::new(),
            iban: iban.to_string(),
            mandate_id: mandate.to_string(),
            mandate_signed: None,
            vat_id: String::new(),
            lineage: Lineage {
                file_sha256: "ab".repeat(32),
                file_name: "customers.csv".to_string(),
                line: 2,
            },
        }
    }

    fn ids(found: &BTreeMap<String, Vec<Evidence>>) -> Vec<&str> {
        found.keys().map(String::as_str).collect()
    }

    fn in_text(index: &CustomerIndex, text: &str) -> Vec<String> {
        let payer = Payer {
            text,
            ..Payer::default()
        };
        index.identify(&payer).into_keys().collect()
    }

    #[test]
    fn the_iban_on_the_record_identifies_the_customer_in_any_spelling() {
        let mut index = CustomerIndex::default();
        index.update(&customer("C10001", "ada", "DE89370400440532013000", ""));
        let payer = Payer {
            account: "de89 3704 0044 0532 0130 00",
            ..Payer::default()
        };
        let found = index.identify(&payer);
        assert_eq!(ids(&found), ["C10001"]);
        assert_eq!(
            found["C10001"][0].describe("C10001"),
            "counterparty IBAN DE89370400440532013000 is on customer C10001's record"
        );
    }

    #[test]
    fn a_new_version_of_the_customer_replaces_what_the_old_one_said() {
        let mut index = CustomerIndex::default();
        index.update(&customer("C10001", "", "DE89370400440532013000", "M-1"));
        index.update(&customer("C10001", "", "DE44500105175407324931", ""));
        let old = Payer {
            account: "DE89370400440532013000",
            mandate_id: "M-1",
            ..Payer::default()
        };
        assert!(index.identify(&old).is_empty());
    }

    #[test]
    fn a_customer_number_counts_only_as_a_whole_word() {
        let mut index = CustomerIndex::default();
        index.update(&customer("C10001", "jschulz", "", ""));
        index.update(&customer("10002", "", "", ""));
        assert_eq!(in_text(&index, "Kd-Nr C10001, Oktober"), ["C10001"]);
        assert_eq!(in_text(&index, "c10001/INV-2026-0001"), ["C10001"]);
        assert_eq!(in_text(&index, "login jschulz."), ["C10001"]);
        assert!(in_text(&index, "C100012 and XC10001").is_empty());
        assert_eq!(in_text(&index, "Kunde 10002"), ["10002"]);
        assert!(in_text(&index, "100.02 EUR on 10002.50 and 2026-10002").is_empty());
    }

    #[test]
    fn short_numbers_and_logins_are_never_looked_for() {
        let mut index = CustomerIndex::default();
        index.update(&customer("2026", "bob", "", ""));
        index.update(&customer("C1", "", "", ""));
        assert!(in_text(&index, "Rechnung 2026 bob C1").is_empty());
    }

    #[test]
    fn an_account_that_paid_two_customers_points_at_both() {
        let mut index = CustomerIndex::default();
        let day = NaiveDate::from_ymd_opt(2026, 10, 3).expect("a day");
        index.paid("DE89 3704 0044 0532 0130 00", "C1", "INV-1", day);
        index.paid("DE89370400440532013000", "C1", "INV-5", day);
        index.paid("DE89370400440532013000", "C2", "INV-2", day);
        let found = index.identify(&Payer {
            account: "DE89370400440532013000",
            ..Payer::default()
        });
        assert_eq!(ids(&found), ["C1", "C2"]);
        assert_eq!(
            found["C1"][0].describe("C1"),
            "counterparty IBAN DE89370400440532013000 paid C1's invoice INV-1 on 2026-10-03"
        );
    }

    #[test]
    fn a_pairing_is_learned_by_iban_or_else_by_name_and_can_be_forgotten() {
        let mut index = CustomerIndex::default();
        let origin = "learned from pairing 20261123T101500Z-000007 on 2026-11-23";
        index.learn("", "  Müller,  Hans ", "C7", origin);
        let found = index.identify(&Payer {
            name: "MÜLLER, HANS",
            ..Payer::default()
        });
        assert_eq!(ids(&found), ["C7"]);
        assert!(found["C7"][0].describe("C7").contains(origin));
        index.learn("GB82 WEST 1234 5698 7654 32", "Hans Müller", "C7", origin);
        let by_iban = Payer {
            account: "GB82WEST12345698765432",
            name: "someone else",
            ..Payer::default()
        };
        assert_eq!(ids(&index.identify(&by_iban)), ["C7"]);
        assert!(index.forget("GB82WEST12345698765432", "", "C7"));
        assert!(!index.forget("GB82WEST12345698765432", "", "C7"));
        assert!(index.identify(&by_iban).is_empty());
    }

    #[test]
    fn credit_is_kept_per_customer_and_currency() {
        let mut index = CustomerIndex::default();
        let eur = Currency::from_code("EUR").expect("EUR");
        let usd = Currency::from_code("USD").expect("USD");
        index.add_credit("C1", Money::from_minor(1000, eur));
        index.add_credit("C1", Money::from_minor(-400, eur));
        index.add_credit("C1", Money::from_minor(500, usd));
        assert_eq!(index.credit("C1", eur), Decimal::new(600, 2));
        assert_eq!(index.credit("C1", usd), Decimal::new(500, 2));
        assert_eq!(index.credit("C2", eur), Decimal::ZERO);
    }

    #[test]
    fn full_names_written_in_a_text_are_found_whatever_the_spelling() {
        let mut index = CustomerIndex::default();
        let named = |id: &str, name: &str| Customer {
            name: name.to_string(),
            ..customer(id, "", "", "")
        };
        index.update(&named("C1", "Jürgen Müller"));
        index.update(&named("C2", "Anna Schmidt"));
        index.update(&named("C3", "Anna Schmidt"));
        index.update(&named("C4", "Cher"));
        let found = |index: &CustomerIndex, text: &str| -> Vec<String> {
            index.named_in(text).into_iter().collect()
        };
        assert_eq!(
            found(&index, "Internet fuer Juergen Mueller, Oktober"),
            ["C1"]
        );
        assert_eq!(found(&index, "für JÜRGEN-MÜLLER"), ["C1"]);
        assert_eq!(found(&index, "Rechnung Anna Schmidt"), ["C2", "C3"]);
        // A single word, or a name split by other words, names no one.
        assert!(found(&index, "Cher Oktober").is_empty());
        assert!(found(&index, "Anna und Peter Schmidt").is_empty());
        // A newer version under another name forgets the old one.
        index.update(&named("C1", "Jürgen Meyer"));
        assert!(found(&index, "Juergen Mueller").is_empty());
        assert_eq!(found(&index, "Juergen Meyer"), ["C1"]);
    }

    #[test]
    fn a_pooled_account_that_paid_many_customers_names_a_few_and_is_no_ones_own() {
        let mut index = CustomerIndex::default();
        let day = NaiveDate::from_ymd_opt(2026, 10, 1).expect("a date");
        let pooled = "DE02120300000000202051";
        for n in 0..1000 {
            index.paid(pooled, &format!("C{n:04}"), &format!("INV-{n}"), day);
        }
        let payer = Payer {
            account: pooled,
            ..Payer::default()
        };
        // Several customers either way: three are enough to say so.
        assert_eq!(ids(&index.identify(&payer)), ["C0000", "C0001", "C0002"]);
        assert!(index.identify_own(&payer).is_empty());
        index.update(&customer("C0500", "", pooled, ""));
        assert_eq!(ids(&index.identify_own(&payer)), ["C0500"]);
    }
}
