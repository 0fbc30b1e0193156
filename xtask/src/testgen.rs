//! Emits the tables the test suite drives itself from: which Rust type decodes each schema, and
//! how to call each operation from a documented request (path, query, headers, body).

use anyhow::{Result, anyhow, bail};
use heck::ToSnakeCase;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::codegen;
use crate::prepare::Prepared;
use crate::spec::{self, schema_name};

const RUST_KEYWORDS: [&str; 38] = [
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
    "where", "while", "yield",
];

/// The builder method progenitor names after a parameter.
fn method_name(parameter: &str) -> Ident {
    let snake = parameter
        .replace(|c: char| !c.is_alphanumeric() && c != '_', "-")
        .to_snake_case();
    if RUST_KEYWORDS.contains(&snake.as_str()) {
        format_ident!("{snake}_")
    } else {
        Ident::new(&snake, Span::call_site())
    }
}

pub fn tables(document: &Value, prepared: &Prepared) -> Result<String> {
    let schema_names: Vec<&String> = spec::schemas(document).keys().collect();
    let schema_idents: Vec<Ident> = schema_names
        .iter()
        .map(|name| Ident::new(name, Span::call_site()))
        .collect();

    let mut arms = Vec::new();
    for operation in spec::operations(&prepared.document) {
        arms.push(call_arm(&prepared.document, &operation)?);
    }

    let tokens = quote! {
        use drs_api::types;
        use serde_json::Value;

        use crate::support::{Decoded, Reply, RequestParts, decode, reply};

        /// Every component schema of the spec, by name.
        pub const SCHEMAS: &[&str] = &[#(#schema_names),*];

        /// Decodes `value` into the Rust type generated for `schema` and encodes it back.
        /// `None` when the spec has no schema of that name.
        pub fn roundtrip(schema: &str, value: &Value) -> Option<Result<Decoded, serde_json::Error>> {
            Some(match schema {
                #( #schema_names => Decoded::of::<types::#schema_idents>(value), )*
                _ => return None,
            })
        }

        /// Calls `operation` through the generated client with the parts of a documented request.
        pub async fn call(client: &drs_api::Client, operation: &str, request: &RequestParts) -> Result<Reply, String> {
            match operation {
                #(#arms)*
                other => Err(format!("the spec has no operation `{other}`")),
            }
        }
    };
    let file: syn::File =
        syn::parse2(tokens).map_err(|error| anyhow!("test tables do not parse: {error}"))?;
    Ok(codegen::render(codegen::HEADER, &file))
}

fn call_arm(document: &Value, operation: &spec::Operation<'_>) -> Result<TokenStream> {
    let id = operation.id;
    let method = Ident::new(id, Span::call_site());
    let mut steps = Vec::new();

    for parameter in spec::parameters(document, operation.body) {
        let name = parameter["name"].as_str().unwrap_or_default();
        let setter = method_name(name);
        let value = parameter_value(document, &parameter["schema"], name)?;
        match parameter["in"].as_str() {
            Some("path") => steps.push(quote! {
                let value = request.path(#name)?;
                builder = builder.#setter(#value);
            }),
            Some("query") => steps.push(quote! {
                if let Some(value) = request.query(#name) {
                    builder = builder.#setter(#value);
                }
            }),
            Some("header") => steps.push(quote! {
                if let Some(value) = request.header(#name) {
                    builder = builder.#setter(#value);
                }
            }),
            other => bail!("{id}: parameter `{name}` is in {other:?}, which the tests cannot send"),
        }
    }
    if let Some(body) =
        schema_name(&operation.body["requestBody"]["content"]["application/json"]["schema"])
    {
        let body = Ident::new(body, Span::call_site());
        steps.push(quote! {
            if let Some(body) = request.body() {
                builder = builder.body(decode::<types::#body>(#id, body)?);
            }
        });
    }

    let answer = if returns_file(operation.body) {
        quote! { crate::support::reply_file(builder.send().await).await }
    } else {
        quote! { reply(builder.send().await) }
    };
    Ok(quote! {
        #id => {
            let mut builder = client.#method();
            #(#steps)*
            #answer
        }
    })
}

/// Whether the operation answers with a file (`application/octet-stream`) rather than JSON.
fn returns_file(operation: &Value) -> bool {
    operation["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .any(|(status, response)| {
            status.starts_with('2')
                && response["content"]
                    .get("application/octet-stream")
                    .is_some()
        })
}

/// The expression that turns the text of a parameter (`value: &str`) into what its builder
/// method takes.
fn parameter_value(document: &Value, schema: &Value, name: &str) -> Result<TokenStream> {
    if let Some(target) = schema_name(schema) {
        let named = &document["components"]["schemas"][target];
        if named["type"] == "string" && named.get("enum").is_some() {
            let ident = Ident::new(target, Span::call_site());
            return Ok(quote! { types::#ident::from(value) });
        }
        // A named number or string: the builder converts the plain value into it.
        return parameter_value(document, named, name);
    }
    Ok(match (schema["type"].as_str(), schema["format"].as_str()) {
        (Some("string"), _) if schema.get("enum").is_some() => {
            bail!("parameter `{name}`: an enumerated parameter must $ref a named schema")
        }
        (Some("string"), _) => quote! { value.to_string() },
        (Some("integer"), Some("int32")) => quote! { crate::support::parse::<i32>(#name, value)? },
        (Some("integer"), _) => quote! { crate::support::parse::<i64>(#name, value)? },
        (Some("number"), Some("float")) => quote! { crate::support::parse::<f32>(#name, value)? },
        (Some("number"), _) => quote! { crate::support::parse::<f64>(#name, value)? },
        (Some("boolean"), _) => quote! { crate::support::parse::<bool>(#name, value)? },
        (other, _) => bail!("parameter `{name}`: type {other:?} is not supported"),
    })
}
