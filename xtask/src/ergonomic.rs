//! The ergonomic crate's generated files:
//!
//! - `operations.rs`: one request builder per operation, wrapping the low-level builder. It has
//!   the same setters (read from the low-level crate's generated code, so they cannot drift),
//!   the project id and language filled in, and a `send` that returns the crate's `Error`.
//! - `constraints.rs`: the request schemas of the spec reduced to their validation keywords,
//!   which the crate checks before sending.

use anyhow::{Context, Result, anyhow, bail};
use heck::ToUpperCamelCase;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::{Map, Value, json};

use crate::{codegen, spec};

/// Setters the wrapper does not offer: the client fills the project id in.
const FILLED_IN: [&str; 1] = ["project_id"];

pub fn operations(document: &Value, generated_client: &syn::File) -> Result<String> {
    let builders = codegen::module(generated_client, "builder")
        .ok_or_else(|| anyhow!("the generated client has no `builder` module"))?;

    let mut wrappers = Vec::new();
    let mut methods = Vec::new();
    for operation in spec::operations(document) {
        let name = operation.id.to_upper_camel_case();
        let builder = builder_impl(builders, &name)
            .ok_or_else(|| anyhow!("no generated builder `{name}` for `{}`", operation.id))?;
        let (wrapper, method) = wrap(document, &operation, &name, builder)?;
        wrappers.push(wrapper);
        methods.push(method);
    }

    let tokens = quote! {
        //! One request builder per DRS operation: the setters of the low-level builder, the
        //! project id and the language filled in by the client, and a `send` that returns the
        //! crate's [`Error`].

        use huaweicloud_drs_api::{builder, types, ByteStream, ResponseValue};

        use crate::{Client, Error};

        impl Client {
            #(#methods)*
        }

        #(#wrappers)*
    };
    render(tokens)
}

fn builder_impl<'a>(items: &'a [syn::Item], name: &str) -> Option<&'a syn::ItemImpl> {
    items.iter().find_map(|item| match item {
        syn::Item::Impl(block) if block.trait_.is_none() => match &*block.self_ty {
            syn::Type::Path(path)
                if path
                    .path
                    .segments
                    .last()
                    .is_some_and(|segment| segment.ident == name) =>
            {
                Some(block)
            }
            _ => None,
        },
        _ => None,
    })
}

fn wrap(
    document: &Value,
    operation: &spec::Operation<'_>,
    name: &str,
    builder: &syn::ItemImpl,
) -> Result<(TokenStream, TokenStream)> {
    let id = operation.id;
    let method = Ident::new(id, Span::call_site());
    let wrapper = Ident::new(name, Span::call_site());
    let summary = operation.body["summary"].as_str().unwrap_or_default();
    let section = operation.body["x-drs-section"].as_str().unwrap_or_default();
    let verb = operation.method.to_uppercase();
    let doc = format!(
        "{summary} (reference section {section}): `{verb} {}`.",
        operation.path
    );

    let mut setters = Vec::new();
    let mut success = None;
    for item in &builder.items {
        let syn::ImplItem::Fn(function) = item else {
            continue;
        };
        let setter = function.sig.ident.to_string();
        if setter == "new" || FILLED_IN.contains(&setter.as_str()) {
            continue;
        }
        if setter == "send" {
            success = Some(success_type(&function.sig.output)?);
            continue;
        }
        setters.push(forward(&function.sig)?);
    }
    let Some(success) = success else {
        bail!("the builder of `{id}` has no `send`");
    };

    let parameters = spec::parameters(document, operation.body);
    let named = |name: &str| parameters.iter().any(|parameter| parameter["name"] == name);
    let project = named("project_id").then(|| quote! { .project_id(self.project_id()) });
    let language = named("X-Language").then(|| {
        quote! {
            if let Some(language) = &self.shared.language {
                inner = inner.x_language(language.clone());
            }
        }
    });
    let is_stream = matches!(&success, syn::Type::Path(path)
        if path.qself.is_none() && path.path.is_ident("ByteStream"));
    let send = if is_stream {
        quote! {
            /// Sends the request; the answer's body is the file, as a stream of bytes.
            pub async fn send(self) -> Result<ResponseValue<ByteStream>, Error> {
                self.client.send_stream(#id, self.inner.send()).await
            }
        }
    } else {
        quote! {
            /// Sends the request and decodes the answer.
            pub async fn send(self) -> Result<ResponseValue<#success>, Error> {
                self.client.send_json(#id, self.inner.send()).await
            }
        }
    };
    let builder_doc = format!("Request builder of [`Client::{id}`].");

    let wrapper_tokens = quote! {
        #[doc = #builder_doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #wrapper<'a> {
            client: &'a Client,
            inner: builder::#wrapper<'a>,
        }

        impl<'a> #wrapper<'a> {
            #(#setters)*

            #send

            /// The low-level builder, whose `send` reports errors in the low-level form.
            pub fn into_inner(self) -> builder::#wrapper<'a> {
                self.inner
            }
        }
    };
    let method_tokens = quote! {
        #[doc = #doc]
        pub fn #method(&self) -> #wrapper<'_> {
            #[allow(unused_mut)]
            let mut inner = self.api.#method() #project;
            #language
            #wrapper { client: self, inner }
        }
    };
    Ok((wrapper_tokens, method_tokens))
}

/// A setter of the wrapper with the signature of the low-level one, forwarding to it.
fn forward(signature: &syn::Signature) -> Result<TokenStream> {
    let name = &signature.ident;
    let generics = &signature.generics;
    let where_clause = &signature.generics.where_clause;
    let mut arguments = Vec::new();
    let mut inputs = Vec::new();
    for input in &signature.inputs {
        match input {
            syn::FnArg::Receiver(_) => {}
            syn::FnArg::Typed(typed) => {
                let syn::Pat::Ident(pattern) = &*typed.pat else {
                    bail!("setter `{name}` has an argument that is not a plain name");
                };
                let argument = &pattern.ident;
                let kind = &typed.ty;
                inputs.push(quote! { #argument: #kind });
                arguments.push(argument.clone());
            }
        }
    }
    Ok(quote! {
        pub fn #name #generics (self, #(#inputs),*) -> Self #where_clause {
            Self { client: self.client, inner: self.inner.#name(#(#arguments),*) }
        }
    })
}

/// `T` of `Result<ResponseValue<T>, Error<…>>`.
fn success_type(output: &syn::ReturnType) -> Result<syn::Type> {
    let syn::ReturnType::Type(_, kind) = output else {
        bail!("`send` returns nothing");
    };
    let argument = |kind: &syn::Type| -> Option<syn::Type> {
        let syn::Type::Path(path) = kind else {
            return None;
        };
        let segment = path.path.segments.last()?;
        let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments else {
            return None;
        };
        arguments.args.iter().find_map(|argument| match argument {
            syn::GenericArgument::Type(kind) => Some(kind.clone()),
            _ => None,
        })
    };
    argument(kind)
        .as_ref()
        .and_then(argument)
        .ok_or_else(|| anyhow!("`send` does not return Result<ResponseValue<T>, _>"))
}

/// Keywords of a schema that constrain a value; the rest (descriptions, examples, defaults)
/// does not matter to validation.
const KEPT: [&str; 16] = [
    "$ref",
    "type",
    "format",
    "required",
    "enum",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "uniqueItems",
    "properties",
    "items",
    "allOf",
];

pub fn constraints(document: &Value) -> Result<String> {
    // The schemas the rules refer to, beginning with those of the requests.
    let mut pending: Vec<String> = Vec::new();
    let mut operations = Map::new();
    for operation in spec::operations(document) {
        let mut query = Map::new();
        for parameter in spec::parameters(document, operation.body) {
            if parameter["in"] == "query" {
                let name = parameter["name"].as_str().unwrap_or_default().to_string();
                let reduced = reduce(&parameter["schema"]);
                pending.extend(references(&reduced));
                query.insert(name, reduced);
            }
        }
        let mut rules = Map::new();
        if !query.is_empty() {
            rules.insert("query".into(), Value::Object(query));
        }
        let body = &operation.body["requestBody"]["content"]["application/json"]["schema"];
        if !body.is_null() {
            let reduced = reduce(body);
            pending.extend(references(&reduced));
            rules.insert("body".into(), reduced);
        }
        if !rules.is_empty() {
            operations.insert(operation.id.to_string(), Value::Object(rules));
        }
    }
    // Only the schemas a request can reach: response schemas are never checked.
    let all = spec::schemas(document);
    let mut schemas = Map::new();
    while let Some(name) = pending.pop() {
        if schemas.contains_key(&name) {
            continue;
        }
        let Some(schema) = all.get(&name) else {
            bail!("a request refers to the schema `{name}`, which the spec does not define");
        };
        let reduced = reduce(schema);
        pending.extend(references(&reduced));
        schemas.insert(name, reduced);
    }
    schemas.sort_keys();
    let rules = json!({ "operations": operations, "schemas": schemas });
    let text = serde_json::to_string(&rules)?;
    let tokens = quote! {
        //! The request constraints of the spec, for the checks made before a request is sent:
        //! `{"operations": {id: {"query": {name: schema}, "body": schema}}, "schemas": {…}}`,
        //! each schema reduced to its validation keywords.

        pub(crate) const RULES: &str = #text;
    };
    render(tokens)
}

/// The names of the component schemas a reduced schema refers to by `$ref`.
fn references(reduced: &Value) -> impl Iterator<Item = String> {
    spec::named_schemas(reduced)
        .into_iter()
        .filter(|(_, naming)| *naming == spec::Naming::Reference)
        .map(|(name, _)| name.to_string())
}

fn reduce(schema: &Value) -> Value {
    let Some(map) = schema.as_object() else {
        return schema.clone();
    };
    let mut kept = Map::new();
    for key in KEPT {
        let Some(value) = map.get(key) else { continue };
        let value = match key {
            "properties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, property)| (name.clone(), reduce(property)))
                    .collect(),
            ),
            "items" => reduce(value),
            "allOf" => Value::Array(value.as_array().into_iter().flatten().map(reduce).collect()),
            // Only `password` matters: it keeps the value out of error messages.
            "format" if value != "password" => continue,
            _ => value.clone(),
        };
        kept.insert(key.to_string(), value);
    }
    if let Some(additional @ Value::Object(_)) = map.get("additionalProperties") {
        kept.insert("additionalProperties".into(), reduce(additional));
    }
    Value::Object(kept)
}

fn render(tokens: TokenStream) -> Result<String> {
    let file: syn::File = syn::parse2(tokens).context("generated code does not parse")?;
    Ok(codegen::render(codegen::HEADER, &file))
}
