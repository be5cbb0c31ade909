//! What a target's platform has: the documents staged for it, and the platform's ids of the
//! records it acknowledged. A request waits while it needs what the platform lacks — an
//! invoice the target held (`needs`), or a record whose platform id its body refers to —
//! and is sent once the platform has it, with the ids filled in.
//!
//! A body refers to the platform's id of another record by a placeholder,
//! `${remote:<kind>:<id>}` (`${remote:contact:C1}`): platforms whose documents name their
//! customer by the platform's own id (QuickBooks' `CustomerRef`) cannot be staged with the
//! id, which exists only once the customer is pushed. The staged bytes keep the placeholder;
//! `push` fills it in from the ledger's `remote_ids` (and what this push delivered), and the
//! delivery log records each id it filled in.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::log::RecordOutcome;
use crate::ledger::Facts;
use crate::outbox::StagedRequest;

const PLACEHOLDER: &str = "${remote:";

pub struct PlatformHas {
    target: String,
    platform: &'static str,
    /// Whether documents go through the API (then the platform has one once it answered),
    /// or as files a person imports (then once they are staged).
    documents_by_api: bool,
    /// The last staging decision of each document for the target: staged or held.
    staged: HashMap<String, bool>,
    /// Documents the platform acknowledged (the ledger's remote ids, and this push's).
    delivered: HashSet<String>,
    /// The platform's id of each record it acknowledged, by (kind, sluice's id).
    ids: HashMap<(String, String), String>,
}

impl PlatformHas {
    pub fn of(
        facts: &Facts,
        target: &str,
        platform: &'static str,
        documents_by_api: bool,
    ) -> PlatformHas {
        let mut staged = HashMap::new();
        for row in facts.target_documents.iter().filter(|r| r.target == target) {
            staged.insert(row.number.clone(), row.staged);
        }
        let mut delivered = HashSet::new();
        let mut ids = HashMap::new();
        for row in facts.remote_ids.iter().filter(|r| r.target == target) {
            if is_document(&row.kind) {
                delivered.insert(row.document.clone());
            }
            ids.insert(
                (row.kind.clone(), row.record_id.clone()),
                row.remote_id.clone(),
            );
        }
        PlatformHas {
            target: target.to_string(),
            platform,
            documents_by_api,
            staged,
            delivered,
            ids,
        }
    }

    /// Why `request` cannot go yet, if it cannot.
    pub fn lacks(&self, request: &StagedRequest) -> Option<String> {
        let mut missing: Vec<String> = request
            .needs
            .iter()
            .filter_map(|number| match self.staged.get(number) {
                Some(false) | None => Some(format!(
                    "{number} is held for target {} (`sluice run` lists why; once the pipeline covers it, a run stages it)",
                    self.target
                )),
                Some(true) if self.documents_by_api && !self.delivered.contains(number) => {
                    Some(format!(
                        "{number} is staged but not yet in {} (push its batch first)",
                        self.platform
                    ))
                }
                Some(true) => None,
            })
            .collect();
        for (kind, id) in placeholders(request.body.get()) {
            if !self.ids.contains_key(&(kind.to_string(), id.to_string())) {
                let what = format!("{kind} {id}, which {} does not have yet", self.platform);
                if !missing.contains(&what) {
                    missing.push(what);
                }
            }
        }
        (!missing.is_empty()).then(|| format!("waits for {}", missing.join("; ")))
    }

    /// The body to send, each placeholder replaced by the platform's id, and what was
    /// filled in (`contact:C1` → the id). Call after [`PlatformHas::lacks`] found nothing
    /// missing.
    pub fn resolve(&self, request: &StagedRequest) -> (String, BTreeMap<String, String>) {
        let body = request.body.get();
        let mut resolved = BTreeMap::new();
        if !body.contains(PLACEHOLDER) {
            return (body.to_string(), resolved);
        }
        let mut out = String::with_capacity(body.len());
        let mut rest = body;
        while let Some(start) = rest.find(PLACEHOLDER) {
            out.push_str(&rest[..start]);
            let after = &rest[start + PLACEHOLDER.len()..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let inner = &after[..end];
            let id = inner
                .split_once(':')
                .and_then(|(kind, id)| self.ids.get(&(kind.to_string(), id.to_string())));
            match id {
                Some(id) => {
                    // The id goes inside a JSON string: escaped as JSON would.
                    let text = serde_json::to_string(id).expect("a string serialises");
                    out.push_str(&text[1..text.len() - 1]);
                    resolved.insert(inner.to_string(), id.clone());
                }
                None => out.push_str(&rest[start..start + PLACEHOLDER.len() + end + 1]),
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        (out, resolved)
    }

    /// Takes note of what the platform acknowledged.
    pub fn delivered(&mut self, request: &StagedRequest, outcomes: &[RecordOutcome]) {
        for (record, outcome) in request.records.iter().zip(outcomes) {
            if !outcome.delivered() {
                continue;
            }
            if is_document(&record.kind) {
                self.delivered.insert(record.document.clone());
            }
            if !outcome.remote_id.is_empty() {
                self.ids.insert(
                    (record.kind.clone(), record.id.clone()),
                    outcome.remote_id.clone(),
                );
            }
        }
    }
}

fn is_document(kind: &str) -> bool {
    matches!(kind, "invoice" | "credit-note")
}

/// The (kind, id) of each placeholder in `body`.
fn placeholders(body: &str) -> Vec<(&str, &str)> {
    let mut found = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find(PLACEHOLDER) {
        let after = &rest[start + PLACEHOLDER.len()..];
        let Some(end) = after.find('}') else { break };
        if let Some(pair) = after[..end].split_once(':') {
            found.push(pair);
        }
        rest = &after[end + 1..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::RemoteIdRow;
    use crate::outbox::RecordRef;

    fn request(body: &str) -> StagedRequest {
        StagedRequest::new(
            "qbo",
            "POST",
            "/v3/company/1/invoice",
            vec![RecordRef {
                kind: "invoice".to_string(),
                id: "INV-1".to_string(),
                document: "INV-1".to_string(),
            }],
            body.to_string(),
        )
        .expect("a request")
    }

    fn facts() -> Facts {
        let row = |kind: &str, id: &str, remote: &str| RemoteIdRow {
            run_id: "r".to_string(),
            target: "qbo".to_string(),
            batch: "b".to_string(),
            request: "q".to_string(),
            kind: kind.to_string(),
            record_id: id.to_string(),
            document: String::new(),
            remote_id: remote.to_string(),
            at: chrono::DateTime::UNIX_EPOCH,
        };
        Facts {
            remote_ids: vec![row("contact", "C1", "58\"x")],
            ..Facts::default()
        }
    }

    #[test]
    fn a_placeholder_waits_for_its_record_and_is_filled_in_escaped() {
        let mut has = PlatformHas::of(&facts(), "qbo", "QuickBooks Online", true);
        let both = request(
            r#"{"CustomerRef":{"value":"${remote:contact:C1}"},"ItemRef":{"value":"${remote:item:X}"}}"#,
        );
        let why = has.lacks(&both).expect("the item is missing");
        assert!(
            why.contains("item X, which QuickBooks Online does not have yet"),
            "{why}"
        );
        assert!(!why.contains("contact C1"), "{why}");
        let one = request(r#"{"CustomerRef":{"value":"${remote:contact:C1}"}}"#);
        assert_eq!(has.lacks(&one), None);
        let (body, resolved) = has.resolve(&one);
        assert_eq!(body, r#"{"CustomerRef":{"value":"58\"x"}}"#);
        assert_eq!(resolved["contact:C1"], "58\"x");
        // Once this push delivered the item, the other request goes too.
        let item = StagedRequest::new(
            "qbo",
            "POST",
            "/item",
            vec![RecordRef {
                kind: "item".to_string(),
                id: "X".to_string(),
                document: String::new(),
            }],
            "{}".to_string(),
        )
        .expect("a request");
        has.delivered(
            &item,
            &[RecordOutcome {
                id: "X".to_string(),
                remote_id: "7".to_string(),
                error: String::new(),
                adopted: String::new(),
            }],
        );
        assert_eq!(has.lacks(&both), None);
        assert_eq!(
            has.resolve(&both).0,
            r#"{"CustomerRef":{"value":"58\"x"},"ItemRef":{"value":"7"}}"#
        );
        // A body without placeholders is sent as staged.
        let plain = request(r#"{"Name":"$ not a placeholder"}"#);
        assert_eq!(has.resolve(&plain).0, plain.body.get());
    }
}
