//! The request shapes of Sage Business Cloud Accounting's API v3.1
//! (`tests/fixtures/sage/requests.schema.json`, written field by field from Sage's API
//! reference; see `SOURCES.md` there) as JSON-schema validators: what a staged request must
//! satisfy before it may reach Sage. They refuse a missing required field, a wrong type, an
//! unknown field and a wrong transaction type.

use std::path::Path;

use serde_json::{Map, Value};

pub use super::xero_spec::errors;

pub struct SageSpec {
    root: Value,
}

impl SageSpec {
    pub fn load() -> SageSpec {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sage/requests.schema.json");
        let text = std::fs::read_to_string(&path).expect("the Sage request shapes are a fixture");
        SageSpec {
            root: serde_json::from_str(&text).expect("the request shapes are JSON"),
        }
    }

    /// The validator of the body of `POST <path>` (`/contacts` …).
    pub fn validator(&self, path: &str) -> jsonschema::Validator {
        let schema = &self.root["operations"][format!("POST {path}")];
        assert!(schema.is_object(), "no request shape for POST {path}");
        let mut document = Map::new();
        document.insert("allOf".to_string(), Value::Array(vec![schema.clone()]));
        document.insert("definitions".to_string(), self.root["definitions"].clone());
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .build(&Value::Object(document))
            .expect("the request shapes compile")
    }
}
