//! Xero's official Accounting API specification (`tests/fixtures/xero/xero_accounting.yaml`,
//! MIT, see `SOURCES.md` there) turned into JSON-schema validators of request bodies: what
//! a staged request must satisfy before it may reach Xero. A mock server that answers 200
//! to anything proves nothing; these validators refuse a wrong type, a wrong enum value or
//! a missing array, as the spec says.

use std::path::Path;

use serde_json::{Map, Value};

pub struct XeroSpec {
    root: Value,
}

impl XeroSpec {
    pub fn load() -> XeroSpec {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xero/xero_accounting.yaml");
        let text = std::fs::read_to_string(&path).expect("the Xero specification is a fixture");
        let yaml: serde_yaml::Value =
            serde_yaml::from_str(&text).expect("the specification is YAML");
        XeroSpec { root: json(yaml) }
    }

    /// The schema of the JSON request body of `method` (lower case: `put`, `post`) on
    /// `path` (`/Payments`), with every component it may refer to.
    pub fn request_schema(&self, method: &str, path: &str) -> Value {
        let operation = &self.root["paths"][path][method];
        let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
        assert!(
            schema.is_object(),
            "the specification has no JSON request body for {method} {path}"
        );
        let mut document = Map::new();
        document.insert("allOf".to_string(), Value::Array(vec![schema.clone()]));
        document.insert("components".to_string(), self.root["components"].clone());
        Value::Object(document)
    }

    pub fn validator(&self, method: &str, path: &str) -> jsonschema::Validator {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .build(&self.request_schema(method, path))
            .expect("the specification's schema compiles")
    }
}

/// The errors of `body` against `validator`, one line each (empty: valid).
pub fn errors(validator: &jsonschema::Validator, body: &Value) -> Vec<String> {
    validator
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// YAML as JSON: keys that are numbers (response codes) become strings.
fn json(yaml: serde_yaml::Value) -> Value {
    match yaml {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                serde_json::Number::from_f64(n.as_f64().unwrap_or_default())
                    .map_or(Value::Null, Value::Number)
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => Value::Array(items.into_iter().map(json).collect()),
        serde_yaml::Value::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        serde_yaml::Value::String(s) => s,
                        other => serde_yaml::to_string(&other)
                            .unwrap_or_default()
                            .trim()
                            .to_string(),
                    };
                    (key, json(v))
                })
                .collect(),
        ),
        serde_yaml::Value::Tagged(tagged) => json(tagged.value),
    }
}
