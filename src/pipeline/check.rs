//! The second pass over a pipeline file: the values serde cannot judge (folders,
//! currencies, encodings, patterns, date formats, column mappings), each problem with its
//! key and line, and the resolution into a [`Pipeline`] with absolute paths.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::format::{Item, StrftimeItems};
use regex::Regex;
use toml::Spanned;

use super::load::Problem;
use super::schema::{
    ColumnRef, ColumnSpec, PipelineFile, Platform, SheetRef, SourceFormat, SourceSection,
    TargetSection,
};
use super::{
    CsvLayout, DEFAULT_INVOICE_PATTERN, Pipeline, Pull, ReconcileSettings, Source, Target,
};
use crate::line_index::LineIndex;
use crate::model::Currency;
use crate::sources;
use crate::targets::payments::PaymentAccounts;
use crate::targets::quickbooks::{self, Edition, QuickBooks};
use crate::targets::{journal, mapping, netsuite, sage, xero};

/// `not a valid regular expression: unclosed group`: the last line of the regex crate's
/// message, which points at the spot in lines above it.
fn not_a_regex(e: &regex::Error) -> String {
    format!(
        "not a valid regular expression: {}",
        e.to_string()
            .lines()
            .last()
            .unwrap_or_default()
            .trim_start_matches("error: ")
    )
}

/// The pipeline file's folder as an absolute path without `..`, which every relative path
/// in the file starts from.
pub fn folder_of(path: &Path) -> PathBuf {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let absolute = std::path::absolute(parent).unwrap_or_else(|_| parent.to_path_buf());
    normalize(&absolute)
}

/// Removes `.` and `..` without touching the file system (the folders may not exist yet).
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

struct Folders {
    inbox: PathBuf,
    after: super::AfterIntake,
    archive: PathBuf,
    quarantine: PathBuf,
    ledger: PathBuf,
    outbox: PathBuf,
}

pub struct Checker<'a> {
    pub lines: &'a LineIndex,
    pub problems: Vec<Problem>,
}

impl Checker<'_> {
    pub(super) fn problem(
        &mut self,
        span: Range<usize>,
        key: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.problems.push(Problem {
            line: if span.is_empty() && span.start == 0 {
                0
            } else {
                self.lines.line(span.start)
            },
            key: key.into(),
            message: message.into(),
        });
    }

    pub fn resolve(&mut self, file: PipelineFile, path: &Path, base: &Path) -> Option<Pipeline> {
        let name = match &file.name {
            Some(n) => {
                self.folder_name(n, "name");
                n.get_ref().clone()
            }
            None => path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "pipeline".to_string()),
        };
        let folders = file.inbox.as_ref().map(|section| {
            let inbox = normalize(&base.join(section.path.get_ref()));
            if !inbox.is_dir() {
                self.problem(
                    section.path.span(),
                    "inbox.path",
                    format!(
                        "folder {} does not exist (relative paths start at the pipeline file's folder)",
                        inbox.display()
                    ),
                );
            }
            let path_or = |given: Option<&Spanned<String>>, default: &str| match given {
                Some(p) => normalize(&base.join(p.get_ref())),
                // Beside the inbox: `inbox/` and `archive/` in one company folder.
                None => inbox
                    .parent()
                    .map(|p| p.join(default))
                    .unwrap_or_else(|| base.join(default)),
            };
            Folders {
                archive: path_or(section.archive.as_ref(), "archive"),
                quarantine: path_or(section.quarantine.as_ref(), "quarantine"),
                ledger: path_or(file.ledger.as_ref().map(|s| &s.path), "ledger"),
                outbox: path_or(file.outbox.as_ref().map(|s| &s.path), "outbox"),
                after: section.after,
                inbox,
            }
        });

        let mut seen = BTreeSet::new();
        let mut sources = Vec::new();
        for (i, section) in file.sources.iter().enumerate() {
            if !seen.insert(section.name.get_ref().clone()) {
                self.problem(
                    section.name.span(),
                    format!("sources[{i}].name"),
                    format!("\"{}\" is used by two sources", section.name.get_ref()),
                );
            }
            if let Some(source) = self.source(i, section) {
                sources.push(source);
            }
        }

        let invoice_pattern = self.invoice_pattern(file.reconcile.as_ref());
        let partners_ignore = self.partners_ignore(file.reconcile.as_ref());
        let rules = self.rule_settings(file.reconcile.as_ref());
        let watch = self.watch_settings(file.watch.as_ref());

        let mut targets = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, t) in file.targets.iter().enumerate() {
            self.folder_name(&t.name, &format!("targets[{i}].name"));
            if !seen.insert(t.name.get_ref().clone()) {
                self.problem(
                    t.name.span(),
                    format!("targets[{i}].name"),
                    format!("\"{}\" is used by two targets", t.name.get_ref()),
                );
            }
            self.date_format(&t.date_format, &format!("targets[{i}].date_format"));
            let accounts = self.target_accounts(i, t);
            let (xero_mapping, quickbooks, sage, netsuite_mapping) = self.target_mapping(i, t);
            let quickbooks = self.quickbooks_api(i, t, quickbooks);
            let netsuite = self.target_netsuite(i, t, netsuite_mapping);
            let xero_payments = xero_mapping.as_ref().and_then(|m| m.payments.clone());
            let xero_api = self.target_api(i, t, xero_payments);
            let sage_api = self.target_sage_api(i, t, sage.as_ref());
            // A mapping that names only where payments go is for the API's payments: no
            // contacts or invoices are staged (nor held) for it.
            let xero_mapping =
                xero_mapping.filter(|_| t.mapping.as_ref().is_some_and(|m| m.maps_documents()));
            let statements = self.target_statements(i, t);
            targets.push(Target {
                name: t.name.get_ref().clone(),
                platform: *t.platform.get_ref(),
                date_format: t.date_format.get_ref().clone(),
                accounts,
                xero_mapping,
                xero_api,
                statements,
                quickbooks,
                sage,
                sage_api,
                netsuite,
            });
        }

        self.pulled_from(&file, &sources, &targets);
        if !file.complete {
            return None;
        }
        let folders = folders?;
        Some(Pipeline {
            name,
            file: path.to_path_buf(),
            inbox: folders.inbox,
            after: folders.after,
            archive: folders.archive,
            quarantine: folders.quarantine,
            ledger: folders.ledger,
            outbox: folders.outbox,
            sources,
            reconcile: ReconcileSettings {
                invoice_pattern: invoice_pattern?,
                partners_ignore,
                ..rules
            },
            targets,
            watch,
        })
    }

    /// `reconcile.invoice_patterns` (or the single `invoice_pattern`, or the default), each
    /// a valid regular expression that cannot find an empty number, joined into one.
    fn invoice_pattern(
        &mut self,
        reconcile: Option<&super::schema::ReconcileSection>,
    ) -> Option<Regex> {
        let one = reconcile.and_then(|r| r.invoice_pattern.as_ref());
        let list = reconcile.and_then(|r| r.invoice_patterns.as_ref());
        let patterns: Vec<(Range<usize>, String, String)> = match (one, list) {
            (Some(_), Some(list)) => {
                self.problem(
                    list.span(),
                    "reconcile.invoice_patterns",
                    "give either invoice_pattern (one) or invoice_patterns (a list), not both",
                );
                return None;
            }
            (Some(one), None) => vec![(
                one.span(),
                "reconcile.invoice_pattern".to_string(),
                one.get_ref().clone(),
            )],
            (None, Some(list)) if list.get_ref().is_empty() => {
                self.problem(
                    list.span(),
                    "reconcile.invoice_patterns",
                    "is empty: list at least one pattern, or leave the key out for the default",
                );
                return None;
            }
            (None, Some(list)) => list
                .get_ref()
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    (
                        p.span(),
                        format!("reconcile.invoice_patterns[{i}]"),
                        p.get_ref().clone(),
                    )
                })
                .collect(),
            (None, None) => vec![(
                0..0,
                "reconcile.invoice_pattern".to_string(),
                DEFAULT_INVOICE_PATTERN.to_string(),
            )],
        };
        let mut valid = true;
        for (span, key, pattern) in &patterns {
            match Regex::new(pattern) {
                Ok(r) if r.is_match("") => {
                    self.problem(
                        span.clone(),
                        key,
                        "finds an empty text, so it would see an invoice number everywhere: require at least one character",
                    );
                    valid = false;
                }
                Ok(_) => {}
                Err(e) => {
                    self.problem(span.clone(), key, not_a_regex(&e));
                    valid = false;
                }
            }
        }
        if !valid {
            return None;
        }
        let texts: Vec<String> = patterns.iter().map(|(_, _, p)| p.clone()).collect();
        match super::joined_pattern(&texts) {
            Ok(joined) => Some(joined),
            Err(e) => {
                let (span, key, _) = &patterns[0];
                let key = if patterns.len() > 1 {
                    "reconcile.invoice_patterns"
                } else {
                    key.as_str()
                };
                self.problem(
                    span.clone(),
                    key,
                    format!("the patterns do not go together: {}", not_a_regex(&e)),
                );
                None
            }
        }
    }

    /// `reconcile.partners_ignore`: partner names, each once, none empty.
    fn partners_ignore(
        &mut self,
        reconcile: Option<&super::schema::ReconcileSection>,
    ) -> Vec<String> {
        let Some(list) = reconcile.and_then(|r| r.partners_ignore.as_ref()) else {
            return Vec::new();
        };
        let mut partners: Vec<String> = Vec::new();
        for (i, name) in list.get_ref().iter().enumerate() {
            let key = format!("reconcile.partners_ignore[{i}]");
            let name = name.trim();
            if name.is_empty() {
                self.problem(
                    list.span(),
                    key,
                    "is empty: name the partner as the customer export writes it",
                );
            } else if partners.iter().any(|p| super::same_partner(p, name)) {
                self.problem(list.span(), key, format!("\"{name}\" is listed twice"));
            } else {
                partners.push(name.to_string());
            }
        }
        partners
    }

    /// A journal target's `[targets.accounts]`, each account name checked against its
    /// tool's rules; the keys a journal does not read are refused on other targets and the
    /// other way round.
    fn target_accounts(&mut self, i: usize, t: &TargetSection) -> journal::Accounts {
        let platform = *t.platform.get_ref();
        let given_date_format =
            !(t.date_format.span().is_empty() && t.date_format.span().start == 0);
        if platform.is_journal() && given_date_format {
            self.problem(
                t.date_format.span(),
                format!("targets[{i}].date_format"),
                "a journal writes dates as YYYY-MM-DD, as hledger and beancount read them: leave date_format out",
            );
        }
        let section = t.accounts.as_ref();
        if !platform.is_journal() {
            if let Some(section) = section {
                self.problem(
                    section.first_span().unwrap_or_else(|| t.platform.span()),
                    format!("targets[{i}].accounts"),
                    "only journal targets (platform \"hledger\" or \"beancount\") have this setting",
                );
            }
            return journal::Accounts::default();
        }
        let (accounts, problems) = journal::accounts::resolve(section, platform);
        for p in problems {
            self.problem(
                p.span,
                format!("targets[{i}].accounts.{}", p.key),
                p.message,
            );
        }
        accounts
    }

    /// A Xero, QuickBooks or Sage target's `[targets.mapping]`, each value checked under
    /// its platform's rules (a QuickBooks target's by its `edition`); refused on other targets.
    fn target_mapping(
        &mut self,
        i: usize,
        t: &TargetSection,
    ) -> (
        Option<xero::Mapping>,
        Option<QuickBooks>,
        Option<mapping::Mapping>,
        Option<mapping::Mapping>,
    ) {
        let platform = *t.platform.get_ref();
        let edition = self.edition(i, t);
        let Some(section) = t.mapping.as_ref() else {
            let name = match platform {
                Platform::QuickBooks => Some("QuickBooks"),
                Platform::Sage => Some("Sage"),
                Platform::NetSuite => Some("NetSuite"),
                _ => None,
            };
            if let Some(name) = name {
                self.problem(
                    t.platform.span(),
                    format!("targets[{i}].mapping"),
                    format!(
                        "a {name} target stages customers, invoices and credit notes, which need a [targets.mapping] section: add one (README, \"The {name} target\")"
                    ),
                );
            }
            return (None, None, None, None);
        };
        let rules = match platform {
            Platform::Xero if documents_by_api(t) => &xero::mapping::XERO_API,
            Platform::Xero => &xero::mapping::XERO,
            Platform::QuickBooks => edition.rules_by_api(t.api.is_some()),
            Platform::Sage if t.api.is_some() => &sage::api::SAGE_API,
            Platform::Sage => &sage::SAGE,
            Platform::NetSuite => &netsuite::NETSUITE,
            Platform::Hledger | Platform::Beancount => {
                self.problem(
                    section.first_span().unwrap_or_else(|| t.platform.span()),
                    format!("targets[{i}].mapping"),
                    "only Xero, QuickBooks, Sage and NetSuite targets have this setting (journals name accounts in [targets.accounts])",
                );
                return (None, None, None, None);
            }
        };
        let (mapping, problems) = mapping::resolve(Some(section), rules);
        for p in problems {
            self.problem(p.span, format!("targets[{i}].mapping.{}", p.key), p.message);
        }
        self.customer_flags(i, t, section, platform);
        match platform {
            Platform::QuickBooks => {
                let quickbooks = QuickBooks {
                    edition,
                    mapping,
                    api: None,
                };
                (None, Some(quickbooks), None, None)
            }
            Platform::Sage => (None, None, Some(mapping), None),
            Platform::NetSuite => (None, None, None, Some(mapping)),
            _ => (Some(mapping), None, None, None),
        }
    }

    /// The customer flags, where the platform has them: whether a customer is active (Xero's
    /// `ContactStatus`, QuickBooks Online's `Active`, NetSuite's `isInactive`) and takes
    /// invoices electronically (QuickBooks Online's `PreferredDeliveryMethod`, NetSuite's
    /// `emailTransactions`) — set through their APIs; their import files have no column for
    /// them. No platform sluice writes to has a flag for allocating receipts by itself.
    fn customer_flags(
        &mut self,
        i: usize,
        t: &TargetSection,
        section: &mapping::MappingSection,
        platform: Platform,
    ) {
        let by_api = t.api.is_some();
        let (active, e_invoices) = match platform {
            Platform::Xero => (documents_by_api(t), false),
            Platform::QuickBooks | Platform::NetSuite => (by_api, by_api),
            _ => (false, false),
        };
        let name = match platform {
            Platform::Xero => "Xero",
            Platform::QuickBooks => "QuickBooks",
            Platform::Sage => "Sage",
            Platform::NetSuite => "NetSuite",
            _ => "this platform",
        };
        let how = match platform {
            Platform::Xero => "contacts pushed through its API (documents = \"api\")",
            Platform::QuickBooks | Platform::NetSuite => {
                "customers pushed through its API ([targets.api])"
            }
            _ => "no customer record sluice writes",
        };
        if let Some(statuses) = &section.inactive_statuses
            && !active
        {
            self.problem(
                statuses.span(),
                format!("targets[{i}].mapping.inactive_statuses"),
                format!("{name} takes whether a customer is active only on {how}: leave inactive_statuses out, or push the customers"),
            );
        }
        if let Some(flag) = &section.accepts_e_invoices
            && !e_invoices
        {
            self.problem(
                flag.span(),
                format!("targets[{i}].mapping.accepts_e_invoices"),
                format!("{name} has no such flag on what sluice writes (QuickBooks Online's and NetSuite's APIs do): leave accepts_e_invoices out"),
            );
        }
        if let Some(flag) = &section.auto_allocate_receipts {
            self.problem(
                flag.span(),
                format!("targets[{i}].mapping.auto_allocate_receipts"),
                "no platform sluice writes to has this flag (Sage One South Africa's own customer import does; sluice writes Sage Business Cloud's): allocate receipts with sluice's payments, and leave auto_allocate_receipts out",
            );
        }
    }

    /// A NetSuite target: its mapping and `[targets.netsuite]`; the section is refused on
    /// other targets.
    fn target_netsuite(
        &mut self,
        i: usize,
        t: &TargetSection,
        mapping: Option<mapping::Mapping>,
    ) -> Option<netsuite::NetSuite> {
        let section = t.netsuite.as_ref();
        if *t.platform.get_ref() != Platform::NetSuite {
            if let Some(section) = section {
                self.problem(
                    section.first_span().unwrap_or_else(|| t.platform.span()),
                    format!("targets[{i}].netsuite"),
                    "only NetSuite targets have this setting",
                );
            }
            return None;
        }
        let (classification, problems) = netsuite::resolve(section);
        for p in problems {
            self.problem(
                p.span,
                format!("targets[{i}].netsuite.{}", p.key),
                p.message,
            );
        }
        let api = self.netsuite_api(i, t, section);
        Some(netsuite::NetSuite {
            mapping: mapping?,
            classification,
            api,
        })
    }

    /// A NetSuite target's `[targets.api]`: the account and the token's variable, and the
    /// values its requests name records by, which must be internal ids.
    fn netsuite_api(
        &mut self,
        i: usize,
        t: &TargetSection,
        classification: Option<&netsuite::ClassificationSection>,
    ) -> Option<netsuite::api::Api> {
        let section = t.api.as_ref()?;
        let whole = section.first_span().unwrap_or_else(|| t.platform.span());
        let (api, mut problems) = netsuite::api::resolve(section, whole);
        problems
            .iter_mut()
            .for_each(|p| p.key = format!("api.{}", p.key));
        problems.extend(netsuite::api::internal_id_problems(
            t.mapping.as_ref(),
            classification,
        ));
        for p in problems {
            self.problem(p.span, format!("targets[{i}].{}", p.key), p.message);
        }
        Some(api)
    }

    /// A QuickBooks target's `edition`; refused on other targets. IIF dates have one form,
    /// so a desktop target refuses a `date_format`.
    fn edition(&mut self, i: usize, t: &TargetSection) -> Edition {
        let key = format!("targets[{i}].edition");
        let Some(edition) = &t.edition else {
            return Edition::default();
        };
        if *t.platform.get_ref() != Platform::QuickBooks {
            self.problem(
                edition.span(),
                key,
                "only QuickBooks targets have an edition",
            );
            return Edition::default();
        }
        match edition.get_ref().trim() {
            "online" => Edition::Online,
            "desktop" => {
                if !(t.date_format.span().is_empty() && t.date_format.span().start == 0) {
                    self.problem(
                        t.date_format.span(),
                        format!("targets[{i}].date_format"),
                        "QuickBooks Desktop's IIF import reads dates as MM/DD/YYYY only: leave date_format out",
                    );
                }
                Edition::Desktop
            }
            other => {
                self.problem(
                    edition.span(),
                    key,
                    format!("\"{other}\": write \"online\" (QuickBooks Online's CSV imports) or \"desktop\" (QuickBooks Desktop's IIF files)"),
                );
                Edition::default()
            }
        }
    }

    /// A Xero target's `statements` grouping; refused on other targets.
    fn target_statements(&mut self, i: usize, t: &TargetSection) -> xero::statements::Grouping {
        let Some(value) = &t.statements else {
            return xero::statements::Grouping::default();
        };
        let key = format!("targets[{i}].statements");
        if *t.platform.get_ref() != Platform::Xero {
            self.problem(
                value.span(),
                key,
                "only Xero targets write bank statement files",
            );
            return xero::statements::Grouping::default();
        }
        match xero::statements::Grouping::parse(value.get_ref()) {
            Some(grouping) => grouping,
            None => {
                self.problem(
                    value.span(),
                    key,
                    format!(
                        "\"{}\": write \"run\" (one statement per run, the default), \"day\" or \"month\"",
                        value.get_ref()
                    ),
                );
                xero::statements::Grouping::default()
            }
        }
    }

    /// A Xero target's `[targets.api]`, each value checked, with the payment settings of
    /// its `[targets.mapping]` (required); a Sage target's is `target_sage_api`'s; refused on
    /// other targets.
    fn target_api(
        &mut self,
        i: usize,
        t: &TargetSection,
        payments: Option<PaymentAccounts>,
    ) -> Option<xero::api::Api> {
        let section = t.api.as_ref()?;
        let whole = section.first_span().unwrap_or_else(|| t.platform.span());
        if matches!(*t.platform.get_ref(), Platform::NetSuite | Platform::Sage) {
            // Resolved with the rest of the target (`netsuite_api`, `sage_api`).
            return None;
        }
        if *t.platform.get_ref() != Platform::Xero {
            // A QuickBooks target's section is read by `quickbooks_api`.
            if *t.platform.get_ref() != Platform::QuickBooks {
                self.problem(
                    whole,
                    format!("targets[{i}].api"),
                    "only Xero, QuickBooks Online, Sage and NetSuite targets push through an API so far",
                );
            }
            return None;
        }
        if let Some(realm) = &section.realm_id {
            self.problem(
                realm.span(),
                format!("targets[{i}].api.realm_id"),
                "is QuickBooks Online's: a Xero organisation is named by tenant_env — remove realm_id",
            );
        }
        if let Some(id) = &section.business_id {
            self.problem(
                id.span(),
                format!("targets[{i}].api.business_id"),
                "is Sage's: a Xero target names its organisation with tenant_env",
            );
        }
        let payments = match payments {
            Some(payments) => payments,
            None => {
                // Said once: a mapping that has the key wrong or misses it for another reason
                // has its own problem already.
                if t.mapping.as_ref().is_none_or(|m| m.payments().is_empty()) {
                    self.problem(
                        whole.clone(),
                        format!("targets[{i}].mapping.payment_account"),
                        "is missing: a Xero target with [targets.api] pushes payments, which need the Xero account code of the bank account money is received into: add payment_account = \"090\" (your code) under [targets.mapping]",
                    );
                }
                PaymentAccounts::default()
            }
        };
        if let Some(account) = &section.account {
            self.problem(
                account.span(),
                format!("targets[{i}].api.account"),
                "only NetSuite targets name an account here: Xero's organisation is the tenant (tenant_env)",
            );
        }
        let (api, problems) = xero::api::resolve(section, whole.clone(), payments);
        for p in problems {
            self.problem(p.span, format!("targets[{i}].api.{}", p.key), p.message);
        }
        if api.documents == xero::api::DocumentsBy::Api {
            self.api_tax_types(i, t, whole);
        }
        Some(api)
    }

    /// A Sage target's `[targets.api]` (see `targets::sage::api`), with the payment
    /// settings of its mapping; the mapping's values must then be Sage's ids.
    fn target_sage_api(
        &mut self,
        i: usize,
        t: &TargetSection,
        mapping: Option<&mapping::Mapping>,
    ) -> Option<sage::api::Api> {
        let section = t.api.as_ref()?;
        if *t.platform.get_ref() != Platform::Sage {
            return None;
        }
        let whole = section.first_span().unwrap_or_else(|| t.platform.span());
        if let Some(written) = &t.mapping {
            for p in sage::api::mapping_ids(written) {
                self.problem(p.span, format!("targets[{i}].mapping.{}", p.key), p.message);
            }
        }
        let payments = mapping.and_then(|m| m.payments.clone()).unwrap_or_default();
        let (api, problems) = sage::api::resolve(section, whole, payments);
        for p in problems {
            self.problem(p.span, format!("targets[{i}].api.{}", p.key), p.message);
        }
        Some(api)
    }

    /// A QuickBooks Online target's `[targets.api]`, each value checked, and its mapping's
    /// values checked as the ids the API takes; refused on a desktop target.
    fn quickbooks_api(
        &mut self,
        i: usize,
        t: &TargetSection,
        quickbooks: Option<QuickBooks>,
    ) -> Option<QuickBooks> {
        let Some(section) = t.api.as_ref() else {
            return quickbooks;
        };
        let mut quickbooks = quickbooks?;
        let whole = section.first_span().unwrap_or_else(|| t.platform.span());
        if quickbooks.edition == Edition::Desktop {
            self.problem(
                whole,
                format!("targets[{i}].api"),
                "QuickBooks Desktop has no web API sluice pushes to: remove [targets.api] (IIF files are staged), or write edition = \"online\"",
            );
            return Some(quickbooks);
        }
        // A missing payment_account is reported by the mapping, whose rules require it.
        let payments = quickbooks.mapping.payments.clone().unwrap_or_default();
        let (api, problems) = quickbooks::api::resolve(section, whole, payments);
        for p in problems {
            self.problem(p.span, format!("targets[{i}].api.{}", p.key), p.message);
        }
        for p in t.mapping.iter().flat_map(quickbooks::api::mapping_ids) {
            self.problem(p.span, format!("targets[{i}].mapping.{}", p.key), p.message);
        }
        quickbooks.api = Some(api);
        Some(quickbooks)
    }

    /// Documents pushed through Xero's API name each line's tax by its code (`TaxType`),
    /// not by the name Xero's CSV import reads; and without a mapping no document is staged.
    fn api_tax_types(&mut self, i: usize, t: &TargetSection, whole: Range<usize>) {
        let Some(mapping) = &t.mapping else {
            self.problem(
                whole,
                format!("targets[{i}].api.documents"),
                "\"api\" pushes the documents a [targets.mapping] section stages, and this target has none: add one (accounts and tax types), or leave documents out",
            );
            return;
        };
        let rates = mapping
            .tax_rates
            .iter()
            .flatten()
            .map(|(rate, code)| (format!("targets[{i}].mapping.tax_rates.\"{rate}\""), code));
        let lineless = mapping
            .lineless_tax_rate
            .iter()
            .map(|code| (format!("targets[{i}].mapping.lineless_tax_rate"), code));
        let wrong: Vec<(String, Spanned<String>)> = rates
            .chain(lineless)
            .filter(|(_, code)| !is_xero_tax_type(code.get_ref()))
            .map(|(key, code)| (key, code.clone()))
            .collect();
        for (key, code) in wrong {
            self.problem(
                code.span(),
                key,
                format!(
                    "\"{}\" is a tax rate's name; Xero's API takes its code (TaxType, such as OUTPUT2 or TAX001: Settings › Tax rates, or GET /TaxRates)",
                    code.get_ref()
                ),
            );
        }
    }

    /// Names become folder names in the outbox, so they must be plain.
    fn folder_name(&mut self, name: &Spanned<String>, key: &str) {
        let n = name.get_ref();
        let plain = !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !plain {
            self.problem(
                name.span(),
                key,
                format!("\"{n}\" must be letters, digits, - or _ (it names a folder)"),
            );
        }
    }

    fn date_format(&mut self, format: &Spanned<String>, key: &str) {
        let bad = StrftimeItems::new(format.get_ref()).any(|item| matches!(item, Item::Error));
        if bad || format.get_ref().is_empty() {
            self.problem(
                format.span(),
                key,
                format!(
                    "\"{}\" is not a date format (examples: \"%Y-%m-%d\", \"%d.%m.%Y\", \"%m/%d/%Y\")",
                    format.get_ref()
                ),
            );
        }
    }

    fn sheet(&mut self, sheet: &Spanned<SheetRef>, format: SourceFormat, key: &str) {
        if !matches!(
            format,
            SourceFormat::BankCsv
                | SourceFormat::InvoiceCsv
                | SourceFormat::Customers
                | SourceFormat::Transactions
        ) {
            self.problem(
                sheet.span(),
                key,
                "only sources with a [columns] mapping (bank_csv, invoice_csv, customers, transactions) read spreadsheets",
            );
            return;
        }
        match sheet.get_ref() {
            SheetRef::Position(n) if *n < 1 => self.problem(
                sheet.span(),
                key,
                format!("sheet number {n}: sheets are counted from 1"),
            ),
            SheetRef::Name(name) if name.trim().is_empty() => self.problem(
                sheet.span(),
                key,
                "give the sheet's name as its tab shows it, or its number (1 is the first)",
            ),
            _ => {}
        }
    }

    fn source(&mut self, i: usize, s: &SourceSection) -> Option<Source> {
        let key = |field: &str| format!("sources[{i}].{field}");
        let before = self.problems.len();
        let pull = self.pull(i, s);

        let mut patterns = Vec::new();
        if s.files.get_ref().is_empty() {
            self.problem(
                s.files.span(),
                key("files"),
                "give at least one file-name pattern, e.g. [\"bank-*.csv\"]",
            );
        }
        for p in s.files.get_ref() {
            match glob::Pattern::new(p) {
                Ok(p) => patterns.push(p),
                Err(e) => self.problem(
                    s.files.span(),
                    key("files"),
                    format!("\"{p}\" is not a file-name pattern: {e}"),
                ),
            }
        }

        let encoding = encoding_rs::Encoding::for_label(s.encoding.get_ref().trim().as_bytes());
        if encoding.is_none() {
            self.problem(
                s.encoding.span(),
                key("encoding"),
                format!(
                    "unknown encoding \"{}\" (use utf-8, windows-1252 or iso-8859-1)",
                    s.encoding.get_ref()
                ),
            );
        }
        let delimiter = match s.delimiter.get_ref().as_str() {
            "\t" | "tab" => Some(b'\t'),
            d if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
            d => {
                self.problem(
                    s.delimiter.span(),
                    key("delimiter"),
                    format!("\"{d}\" is not one character (use \",\", \";\", \"|\" or \"tab\")"),
                );
                None
            }
        };
        self.date_format(&s.date_format, &key("date_format"));
        if let Some(sheet) = &s.sheet {
            self.sheet(sheet, *s.format.get_ref(), &key("sheet"));
        }
        let decimal = match s.decimal.get_ref().as_str() {
            "." => Some('.'),
            "," => Some(','),
            d => {
                self.problem(
                    s.decimal.span(),
                    key("decimal"),
                    format!("\"{d}\" is not a decimal separator (use \".\" or \",\")"),
                );
                None
            }
        };
        let thousands = match s.thousands.get_ref().as_str() {
            "" => None,
            "," => Some(','),
            "." => Some('.'),
            " " => Some(' '),
            "'" => Some('\''),
            t => {
                self.problem(s.thousands.span(), key("thousands"), format!("\"{t}\" is not a thousands separator (use \"\", \",\", \".\", \" \" or \"'\")"));
                None
            }
        };
        if thousands.is_some() && thousands == decimal {
            self.problem(
                s.thousands.span(),
                key("thousands"),
                "the thousands separator must differ from the decimal separator",
            );
        }
        let currency = s
            .currency
            .as_ref()
            .and_then(|c| match Currency::from_code(c.get_ref()) {
                Ok(c) => Some(c),
                Err(e) => {
                    self.problem(c.span(), key("currency"), e.to_string());
                    None
                }
            });

        let format = *s.format.get_ref();
        let empty = BTreeMap::new();
        let mapped = s.columns.as_ref().map(|c| c.get_ref()).unwrap_or(&empty);
        let columns_span = s
            .columns
            .as_ref()
            .map(|c| c.span())
            .unwrap_or_else(|| s.name.span());
        let columns: BTreeMap<String, ColumnSpec> = mapped
            .iter()
            .map(|(k, v)| (k.clone(), v.get_ref().clone()))
            .collect();
        for (role, spec) in mapped {
            let refs: Vec<&ColumnRef> = match spec.get_ref() {
                ColumnSpec::One(r) => vec![r],
                ColumnSpec::Many(rs) => rs.iter().collect(),
            };
            for r in refs {
                if let ColumnRef::Position(n) = r
                    && *n < 1
                {
                    self.problem(
                        spec.span(),
                        key(&format!("columns.{role}")),
                        format!("column number {n}: columns are counted from 1"),
                    );
                }
            }
        }
        for problem in sources::check_columns(format, &columns) {
            let span = problem
                .role
                .as_ref()
                .and_then(|r| mapped.get(r))
                .map(|v| v.span())
                .unwrap_or_else(|| columns_span.clone());
            let k = match &problem.role {
                Some(r) => key(&format!("columns.{r}")),
                None => key("columns"),
            };
            self.problem(span, k, problem.message);
        }

        let bank_only = [
            ("account", s.account.as_ref().map(|a| a.span())),
            ("debit_marks", s.debit_marks.as_ref().map(|a| a.span())),
            ("credit_marks", s.credit_marks.as_ref().map(|a| a.span())),
        ];
        if let Some(prices) = &s.prices
            && format != SourceFormat::InvoiceCsv
        {
            self.problem(
                prices.span(),
                key("prices"),
                "only invoice_csv sources have this setting",
            );
        }
        if !matches!(format, SourceFormat::BankCsv | SourceFormat::XeroPayments) {
            for (field, span) in bank_only.iter().take(1).cloned() {
                if let Some(span) = span {
                    self.problem(
                        span,
                        key(field),
                        "only bank_csv and xero_payments sources have this setting",
                    );
                }
            }
        }
        if format != SourceFormat::BankCsv {
            for (field, span) in bank_only.into_iter().skip(1) {
                if let Some(span) = span {
                    self.problem(span, key(field), "only bank_csv sources have this setting");
                }
            }
        }
        let has_direction = columns.contains_key("direction");
        let marks = |m: &Option<Spanned<Vec<String>>>, default: &[&str]| -> Vec<String> {
            m.as_ref()
                .map(|v| {
                    v.get_ref()
                        .iter()
                        .map(|s| s.trim().to_uppercase())
                        .collect()
                })
                .unwrap_or_else(|| default.iter().map(|s| s.to_string()).collect())
        };
        if !has_direction {
            for (field, m) in [
                ("debit_marks", &s.debit_marks),
                ("credit_marks", &s.credit_marks),
            ] {
                if let Some(m) = m {
                    self.problem(
                        m.span(),
                        key(field),
                        "only used with a `direction` column in [columns]",
                    );
                }
            }
        }
        if format == SourceFormat::BankCsv
            && s.currency.is_none()
            && !columns.contains_key("currency")
        {
            self.problem(
                s.name.span(),
                key("currency"),
                "set `currency = \"EUR\"` (or map a `currency` column): a bank line needs one",
            );
        }
        if format == SourceFormat::InvoiceCsv
            && s.currency.is_none()
            && !columns.contains_key("currency")
        {
            self.problem(
                s.name.span(),
                key("currency"),
                "set `currency = \"EUR\"` (or map a `currency` column): an invoice needs one",
            );
        }

        if self.problems.len() > before {
            return None;
        }
        Some(Source {
            name: s.name.get_ref().clone(),
            format,
            patterns,
            layout: CsvLayout {
                encoding: encoding?,
                delimiter: delimiter?,
                sheet: s.sheet.as_ref().map(|s| s.get_ref().clone()),
                skip_lines: s.skip_lines,
                skip_trailing: s.skip_trailing,
                header: s.header,
                date_format: s.date_format.get_ref().clone(),
                decimal: decimal?,
                thousands,
            },
            columns,
            currency,
            prices: s.prices.as_ref().map(|p| *p.get_ref()).unwrap_or_default(),
            account: s.account.as_ref().map(|a| a.get_ref().clone()),
            debit_marks: marks(&s.debit_marks, &["D", "DR", "DEBIT", "S", "SOLL", "-"]),
            credit_marks: marks(&s.credit_marks, &["C", "CR", "CREDIT", "H", "HABEN", "+"]),
            pull,
        })
    }

    /// A pulled source's `target`, `import_from` and `account`: what `sluice pull` needs.
    fn pull(&mut self, i: usize, s: &SourceSection) -> Option<Pull> {
        let key = |field: &str| format!("sources[{i}].{field}");
        if *s.format.get_ref() != SourceFormat::XeroPayments {
            for (field, span) in [
                ("target", s.target.as_ref().map(Spanned::span)),
                ("import_from", s.import_from.as_ref().map(Spanned::span)),
            ] {
                if let Some(span) = span {
                    self.problem(
                        span,
                        key(field),
                        "only xero_payments sources have this setting",
                    );
                }
            }
            return None;
        }
        if s.account
            .as_ref()
            .is_none_or(|a| a.get_ref().trim().is_empty())
        {
            self.problem(
                s.name.span(),
                key("account"),
                "is missing: name the bank account Xero received these payments on, as the statements name it (an IBAN), or a name of its own such as \"Xero 090\"",
            );
        }
        let target = match &s.target {
            Some(t) => t.get_ref().trim().to_string(),
            None => {
                self.problem(
                    s.name.span(),
                    key("target"),
                    "is missing: name the Xero target (with [targets.api]) whose payments `sluice pull` takes",
                );
                String::new()
            }
        };
        let import_from = match &s.import_from {
            Some(value) => {
                let date = crate::targets::mapping::toml_date(value.get_ref());
                if date.is_none() {
                    self.problem(
                        value.span(),
                        key("import_from"),
                        "is not a date: write the first day whose payments to take, e.g. import_from = 2026-10-01",
                    );
                }
                date
            }
            None => {
                self.problem(
                    s.name.span(),
                    key("import_from"),
                    "is missing: write the first day whose payments `sluice pull` takes, e.g. import_from = 2026-10-01 (payments before it are in the books already)",
                );
                None
            }
        };
        Some(Pull {
            target,
            import_from: import_from?,
        })
    }

    /// A pulled source names a Xero target that pushes through the API, and that target
    /// never pushes back the payments pulled from it.
    fn pulled_from(&mut self, file: &PipelineFile, sources: &[Source], targets: &[Target]) {
        for (i, source) in sources.iter().enumerate() {
            let Some(pull) = &source.pull else { continue };
            let span = file
                .sources
                .iter()
                .find(|s| *s.name.get_ref() == source.name)
                .and_then(|s| s.target.as_ref().map(Spanned::span))
                .unwrap_or(0..0);
            let key = format!("sources[{i}].target");
            let Some(target) = targets.iter().find(|t| t.name == pull.target) else {
                self.problem(
                    span,
                    key,
                    format!("\"{}\" is not a target of this pipeline", pull.target),
                );
                continue;
            };
            let Some(api) = &target.xero_api else {
                self.problem(
                    span,
                    key,
                    format!(
                        "target \"{}\" has no [targets.api]: payments are pulled from a Xero target's API",
                        pull.target
                    ),
                );
                continue;
            };
            if !api.payments.direction.imports() {
                self.problem(
                    span,
                    key,
                    format!(
                        "target \"{}\" only sends payments to Xero: write payment_direction = \"both\" (or \"import\") in its [targets.mapping] to take payments from it too",
                        pull.target
                    ),
                );
                continue;
            }
            let account = source.account.clone().unwrap_or_default();
            if api.pushes(&account) {
                self.problem(
                    span,
                    key,
                    format!(
                        "target \"{}\" would push the payments pulled from it back to Xero: add \"{account}\" to never_export in its [targets.mapping]",
                        pull.target
                    ),
                );
            }
        }
    }
}

/// Whether a Xero target's documents go through its API (`documents = "api"`, as written).
fn documents_by_api(t: &TargetSection) -> bool {
    t.api
        .as_ref()
        .and_then(|a| a.documents.as_ref())
        .is_some_and(|d| d.get_ref().trim() == "api")
}

/// Xero's tax types are codes of capitals and digits (`OUTPUT2`, `TAX001`, `EXEMPTOUTPUT`).
fn is_xero_tax_type(code: &str) -> bool {
    let code = code.trim();
    !code.is_empty()
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}
