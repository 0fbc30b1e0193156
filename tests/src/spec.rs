//! The spec, embedded at compile time so that the tests need nothing outside the repository,
//! and the views of it the tests iterate over.

use std::sync::OnceLock;

use serde_json::Value;

const SPEC_TEXT: &str = include_str!("../../spec/drs-v3.yaml");
const HTTP_METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// The whole spec as a JSON value.
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| serde_norway::from_str(SPEC_TEXT).expect("spec/drs-v3.yaml parses"))
}

/// A named component schema.
pub fn schema(name: &str) -> &'static Value {
    &document()["components"]["schemas"][name]
}

/// The schema name a `$ref` points at.
pub fn schema_name(reference: &Value) -> Option<&str> {
    reference["$ref"]
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

/// One operation of the spec.
pub struct Operation {
    pub id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub body: &'static Value,
}

pub fn operations() -> Vec<Operation> {
    let mut found = Vec::new();
    for (path, item) in document()["paths"].as_object().into_iter().flatten() {
        for method in HTTP_METHODS {
            if let Some(body) = item.get(method) {
                let id = body["operationId"]
                    .as_str()
                    .expect("every operation has an id");
                found.push(Operation {
                    id,
                    method,
                    path,
                    body,
                });
            }
        }
    }
    found
}

/// Where an example sits: the request body or the response of one status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    Request,
    Response(u16),
}

/// One embedded example, with the schema it belongs to.
pub struct Example {
    pub operation: &'static str,
    pub place: Place,
    pub name: &'static str,
    pub schema: &'static str,
    pub value: &'static Value,
}

impl Example {
    /// A name that says where the example comes from, usable as a snapshot name.
    pub fn label(&self) -> String {
        match self.place {
            Place::Request => format!("{}__request__{}", self.operation, self.name),
            Place::Response(status) => format!("{}__{status}__{}", self.operation, self.name),
        }
    }
}

impl Operation {
    /// Every JSON example of the request body and of each response.
    pub fn examples(&self) -> Vec<Example> {
        let mut found = Vec::new();
        let mut bodies = vec![(Place::Request, &self.body["requestBody"])];
        for (status, response) in self.body["responses"].as_object().into_iter().flatten() {
            let status = status.parse().expect("statuses are numbers");
            bodies.push((Place::Response(status), response));
        }
        for (place, body) in bodies {
            let media = &body["content"]["application/json"];
            let Some(schema) = schema_name(&media["schema"]) else {
                continue;
            };
            for (name, example) in media["examples"].as_object().into_iter().flatten() {
                found.push(Example {
                    operation: self.id,
                    place: place.clone(),
                    name,
                    schema,
                    value: &example["value"],
                });
            }
        }
        found
    }

    /// The success statuses the operation documents, in the spec's order.
    pub fn success_statuses(&self) -> Vec<u16> {
        self.body["responses"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(status, _)| status.parse().ok())
            .filter(|status| (200..300).contains(status))
            .collect()
    }

    /// The documented request examples.
    pub fn request_examples(&self) -> Vec<RequestExample> {
        let bodies = &self.body["requestBody"]["content"]["application/json"]["examples"];
        self.body["x-drs-request-examples"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|example| RequestExample {
                url: example["url"]
                    .as_str()
                    .expect("request examples have a url"),
                body: example["body"].as_str().map(|name| &bodies[name]["value"]),
                headers: example["headers"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, value)| {
                        (name.clone(), value.as_str().unwrap_or_default().to_string())
                    })
                    .collect(),
            })
            .collect()
    }
}

/// A documented request: its URL (path and query), its body, and the header parameters the
/// reference gives values for.
pub struct RequestExample {
    pub url: &'static str,
    pub body: Option<&'static Value>,
    pub headers: Vec<(String, String)>,
}

/// Every example of every operation.
pub fn examples() -> Vec<Example> {
    operations().iter().flat_map(Operation::examples).collect()
}
