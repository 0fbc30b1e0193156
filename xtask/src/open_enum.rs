//! Emits the open enumerations: one Rust enum per string enumeration of the spec, with a variant
//! per documented value and an `Unknown` variant that keeps any other value the service sends.

use anyhow::{Result, bail};
use heck::ToUpperCamelCase;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::prepare::OpenEnum;

/// The Rust variant name of a documented value: `cloudDataGuard-mysql` → `CloudDataGuardMysql`,
/// `2xlarge` → `V2xlarge`, `Sharding4.0+` → `Sharding40`.
fn variant_name(value: &str) -> String {
    let camel = value.to_upper_camel_case();
    if camel.is_empty() {
        return "Empty".to_string();
    }
    if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else {
        camel
    }
}

pub fn emit(open_enum: &OpenEnum) -> Result<TokenStream> {
    let name = Ident::new(&open_enum.name, Span::call_site());
    let mut variants: Vec<(String, &str)> = Vec::new();
    for value in &open_enum.values {
        let mut variant = variant_name(value);
        if variants.iter().any(|(seen, _)| *seen == variant) {
            // Values that differ only in case (`active`, `ACTIVE`): the later one says which.
            variant.push_str(if value.chars().any(char::is_lowercase) {
                "Lower"
            } else {
                "Upper"
            });
        }
        if variant == "Unknown" || variants.iter().any(|(seen, _)| *seen == variant) {
            bail!(
                "enumeration {}: value `{value}` maps to a Rust variant used twice",
                open_enum.name
            );
        }
        variants.push((variant, value.as_str()));
    }

    let description = if open_enum.description.is_empty() {
        format!("Values of `{}`.", open_enum.name)
    } else {
        open_enum.description.clone()
    };
    let doc_unknown = "Any value this version of the crate does not know; kept as sent.";
    let idents: Vec<Ident> = variants
        .iter()
        .map(|(v, _)| Ident::new(v, Span::call_site()))
        .collect();
    let values: Vec<&str> = variants.iter().map(|(_, value)| *value).collect();
    let docs: Vec<String> = values.iter().map(|value| format!("`{value}`")).collect();

    Ok(quote! {
        #[doc = #description]
        ///
        /// The enumeration is open: a value the reference does not list decodes as
        /// `Unknown` and encodes back unchanged. It is `#[non_exhaustive]`, so that a value
        /// documented by a later revision of the reference is an addition.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #docs] #idents, )*
            #[doc = #doc_unknown]
            Unknown(crate::UnknownValue),
        }

        impl #name {
            /// Every documented value, as the service spells it.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value as the service spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #values, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Whether the value is one the reference does not list.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#idents, )*
                    other => Self::Unknown(crate::UnknownValue::new(other)),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::deserialize_open_enum(deserializer)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::variant_name;

    #[test]
    fn variant_names_are_rust_identifiers() {
        assert_eq!(variant_name("cloudDataGuard-mysql"), "CloudDataGuardMysql");
        assert_eq!(variant_name("2xlarge"), "V2xlarge");
        assert_eq!(variant_name("FULL_INCR_TRANS"), "FullIncrTrans");
        assert_eq!(variant_name("en-us"), "EnUs");
        assert_eq!(variant_name("Sharding4.0+"), "Sharding40");
    }
}
