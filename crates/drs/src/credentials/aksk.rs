//! AK/SK request signing as Huawei Cloud's API gateway defines it (`SDK-HMAC-SHA256`), the
//! same computation as the official SDKs' signer.
//!
//! A signature covers a canonical form of the request:
//!
//! ```text
//! METHOD \n canonical URI \n canonical query \n canonical headers \n signed headers \n hex(SHA-256(body))
//! ```
//!
//! The string signed with HMAC-SHA256 under the secret key is
//! `SDK-HMAC-SHA256 \n X-Sdk-Date \n hex(SHA-256(canonical request))`, and the gateway receives
//! `Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b;c, Signature=hex`. [`sign`]
//! computes it without side effects; [`AkSk`] applies it to each request.

use std::fmt;
use std::time::SystemTime;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use reqwest::header::{AUTHORIZATION, HOST, HeaderMap, HeaderName, HeaderValue};
use ring::{digest, hmac};

use super::{BoxFuture, Credentials, RequestContext};
use crate::Secret;
use crate::error::AuthenticationError;
use crate::time::sdk_date;

/// The name of the algorithm, first word of the `Authorization` header.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

const X_SDK_DATE: HeaderName = HeaderName::from_static("x-sdk-date");
const X_SDK_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-sdk-content-sha256");
const X_PROJECT_ID: HeaderName = HeaderName::from_static("x-project-id");
const X_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-security-token");

/// What the payload hash is replaced with when the body is not JSON (or BSON): the gateway
/// then does not check the body.
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Every byte but the unreserved ones (letters, digits, `-`, `.`, `_`, `~`) is percent-encoded
/// in the canonical URI and query.
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// An access key pair (and, for temporary credentials, a security token). Each request gets
/// `X-Sdk-Date`, `X-Project-Id` (when the request acts in a project), `X-Security-Token` (for
/// temporary credentials) and an `Authorization` signature.
#[derive(Clone)]
pub struct AkSk {
    access_key: String,
    secret_key: Secret,
    security_token: Option<HeaderValue>,
}

impl AkSk {
    /// Fails when either key is empty, or when the access key holds a character the
    /// `Authorization` header cannot carry (anything but visible ASCII, or a comma).
    pub fn new(
        access_key: &str,
        secret_key: impl Into<Secret>,
    ) -> Result<Self, AuthenticationError> {
        let secret_key = secret_key.into();
        if access_key.is_empty() {
            return Err(AuthenticationError::new("the access key (AK) is empty"));
        }
        if !access_key
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b',')
        {
            return Err(AuthenticationError::new(
                "the access key (AK) must be visible ASCII characters other than a comma",
            ));
        }
        if secret_key.expose().is_empty() {
            return Err(AuthenticationError::new("the secret key (SK) is empty"));
        }
        Ok(Self {
            access_key: access_key.to_string(),
            secret_key,
            security_token: None,
        })
    }

    /// Temporary credentials: the security token that goes with a temporary AK/SK, sent (and
    /// signed) as `X-Security-Token`. Fails when the token is empty or holds characters an
    /// HTTP header cannot carry.
    pub fn with_security_token(
        mut self,
        token: impl Into<Secret>,
    ) -> Result<Self, AuthenticationError> {
        let token = token.into();
        if token.expose().is_empty() {
            return Err(AuthenticationError::new("the security token is empty"));
        }
        self.security_token = Some(super::sensitive_header(token.expose(), "security token")?);
        Ok(self)
    }

    pub fn access_key(&self) -> &str {
        &self.access_key
    }

    /// Signs `request` as made at `time`, acting in `project_id`: adds `X-Project-Id`,
    /// `X-Security-Token`, `X-Sdk-Date` and `Authorization` (replacing any already there),
    /// trims the spaces around header values, and rewrites the query string in its canonical
    /// form, as the official SDK sends it. The `Host` header is left to the HTTP client, which
    /// derives it from the URL just as the signature does.
    pub fn sign_request(
        &self,
        request: &mut reqwest::Request,
        project_id: Option<&str>,
        time: SystemTime,
    ) -> Result<(), AuthenticationError> {
        let headers = request.headers_mut();
        headers.remove(AUTHORIZATION);
        if let Some(project_id) = project_id {
            let value = HeaderValue::from_str(project_id).map_err(|_| {
                AuthenticationError::new("the project id holds characters a header cannot carry")
            })?;
            headers.insert(X_PROJECT_ID, value);
        }
        if let Some(token) = &self.security_token {
            headers.insert(X_SECURITY_TOKEN, token.clone());
        }

        let body = match request.body() {
            None => &[][..],
            Some(body) => body.as_bytes().ok_or_else(|| {
                AuthenticationError::new(
                    "a streamed body cannot be signed: its bytes are not known in advance",
                )
            })?,
        };
        let signature = sign(
            request.method().as_str(),
            request.url(),
            request.headers(),
            body,
            &self.access_key,
            &self.secret_key,
            time,
        )?;

        trim_header_values(request.headers_mut());
        let headers = request.headers_mut();
        headers.insert(
            X_SDK_DATE,
            HeaderValue::from_str(&signature.sdk_date).map_err(|_| {
                AuthenticationError::new("the X-Sdk-Date stamp is not a header value")
            })?,
        );
        if signature.unsigned_payload {
            headers.insert(
                X_SDK_CONTENT_SHA256,
                HeaderValue::from_static(UNSIGNED_PAYLOAD),
            );
        }
        headers.insert(AUTHORIZATION, signature.authorization.clone());
        let query = signature.canonical_query;
        request
            .url_mut()
            .set_query((!query.is_empty()).then_some(query.as_str()));
        Ok(())
    }
}

impl fmt::Debug for AkSk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AkSk")
            .field("access_key", &self.access_key)
            .field("secret_key", &self.secret_key)
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "***"),
            )
            .finish()
    }
}

impl Credentials for AkSk {
    fn authorize<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        context: RequestContext<'a>,
    ) -> BoxFuture<'a, Result<(), AuthenticationError>> {
        let outcome = self.sign_request(request, context.project_id, SystemTime::now());
        Box::pin(std::future::ready(outcome))
    }
}

/// The result of [`sign`]: the headers to add and what was signed. `Debug` leaves out the
/// signature and the canonical request (which holds the security token).
#[derive(Clone)]
pub struct Signature {
    /// The `X-Sdk-Date` value: the signing time, `20240314T063014Z`.
    pub sdk_date: String,
    /// The host the signature covers: the `Host` header when the request carries one, else
    /// the URL's host, with its port when the URL names a port that is not the scheme's
    /// default (what an HTTP client sends as `Host`).
    pub host: String,
    /// Whether the payload is left unsigned (the `Content-Type` is neither JSON nor BSON): the
    /// request must then carry `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD`, which is signed, and
    /// a non-empty body is not hashed.
    pub unsigned_payload: bool,
    /// The signed header names, lowercase, sorted and joined by `;`.
    pub signed_headers: String,
    /// The query string in canonical form: pairs sorted, every byte but the unreserved ones
    /// percent-encoded. The official SDK sends the query in this form.
    pub canonical_query: String,
    canonical_request: String,
    authorization: HeaderValue,
}

impl Signature {
    /// The `Authorization` header value (a sensitive header value: hidden in `Debug`).
    pub fn authorization(&self) -> &HeaderValue {
        &self.authorization
    }

    /// The canonical request the signature covers, for comparison with another signer. It
    /// holds the signed header values, the security token among them.
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signature")
            .field("sdk_date", &self.sdk_date)
            .field("host", &self.host)
            .field("unsigned_payload", &self.unsigned_payload)
            .field("signed_headers", &self.signed_headers)
            .finish_non_exhaustive()
    }
}

/// Signs a request made at `time`. A pure function of its arguments.
///
/// `headers` are those the request will carry: every one whose name has no `_` is signed,
/// with the `X-Sdk-Date` stamp of `time` (any `X-Sdk-Date` given is replaced), the host of
/// [`Signature::host`] and `X-Sdk-Content-Sha256` when the payload is unsigned. Add
/// `X-Project-Id` and `X-Security-Token` to `headers` first for them to be signed.
///
/// The query is read with form decoding (`+` is a space), the way `reqwest` writes it; the
/// canonical form re-encodes it, so send [`Signature::canonical_query`] as the query.
///
/// Fails when a signed header holds text that is not UTF-8 or appears more than once: the
/// gateway's canonical form has one text value per header.
pub fn sign(
    method: &str,
    url: &reqwest::Url,
    headers: &HeaderMap,
    body: &[u8],
    access_key: &str,
    secret_key: &Secret,
    time: SystemTime,
) -> Result<Signature, AuthenticationError> {
    let sdk_date = sdk_date(time);
    let content_type = text_header(headers, "content-type")?;
    let unsigned_payload = content_type.is_some_and(|content_type| {
        !content_type.starts_with("application/json")
            && !content_type.starts_with("application/bson")
    });
    let host = match text_header(headers, "host")? {
        Some(host) => host.trim().to_string(),
        None => url_host(url),
    };

    // Every header with its canonical (trimmed) value, plus those the signature adds.
    let mut canonical: Vec<(String, String)> = Vec::with_capacity(headers.keys_len() + 3);
    for name in headers.keys() {
        // Names with `_` are never signed; the stamp is the one of `time`; an unsigned
        // payload says so whatever was set.
        if name.as_str().contains('_')
            || name == X_SDK_DATE
            || (unsigned_payload && name == X_SDK_CONTENT_SHA256)
        {
            continue;
        }
        let value = text_header(headers, name.as_str())?.unwrap_or_default();
        canonical.push((name.as_str().to_string(), value.trim().to_string()));
    }
    canonical.push((X_SDK_DATE.as_str().to_string(), sdk_date.clone()));
    if !headers.contains_key(HOST) {
        canonical.push((HOST.as_str().to_string(), host.clone()));
    }
    if unsigned_payload {
        canonical.push((
            X_SDK_CONTENT_SHA256.as_str().to_string(),
            UNSIGNED_PAYLOAD.to_string(),
        ));
    }
    canonical.sort();

    let payload_hash = if body.is_empty() {
        sha256_hex(b"")
    } else if let Some((_, value)) = canonical
        .iter()
        .find(|(name, _)| name == X_SDK_CONTENT_SHA256.as_str())
    {
        value.clone()
    } else {
        sha256_hex(body)
    };

    let signed_headers = canonical
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical_headers: String = canonical
        .iter()
        .map(|(name, value)| format!("{name}:{value}\n"))
        .collect();
    let canonical_query = canonical_query(url);
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        method.to_ascii_uppercase(),
        canonical_uri(url.path()),
        canonical_query,
        canonical_headers,
        signed_headers,
        payload_hash
    );

    let string_to_sign = format!(
        "{ALGORITHM}\n{sdk_date}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret_key.expose().as_bytes());
    let signature = hex(hmac::sign(&key, string_to_sign.as_bytes()).as_ref());
    let authorization = super::sensitive_header(
        &format!(
            "{ALGORITHM} Access={access_key}, SignedHeaders={signed_headers}, Signature={signature}"
        ),
        "access key (AK)",
    )?;

    Ok(Signature {
        sdk_date,
        host,
        unsigned_payload,
        signed_headers,
        canonical_query,
        canonical_request,
        authorization,
    })
}

/// The path decoded, cut at every `/` (an encoded `%2F` too), each segment re-encoded, with a
/// trailing `/`. Escapes that do not decode to UTF-8 become U+FFFD.
fn canonical_uri(path: &str) -> String {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let mut uri = decoded
        .split('/')
        .map(|segment| utf8_percent_encode(segment, ENCODED).to_string())
        .collect::<Vec<_>>()
        .join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// The query pairs, sorted by their decoded key and then value, each encoded, as `k=v&k=v`.
fn canonical_query(url: &reqwest::Url) -> String {
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(key, value)| {
            format!(
                "{}={}",
                utf8_percent_encode(key, ENCODED),
                utf8_percent_encode(value, ENCODED)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// `host`, or `host:port` when the URL names a port other than its scheme's default.
fn url_host(url: &reqwest::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// The one value of header `name` as text; `None` when the header is absent.
fn text_header<'h>(
    headers: &'h HeaderMap,
    name: &str,
) -> Result<Option<&'h str>, AuthenticationError> {
    let mut values = headers.get_all(name).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(AuthenticationError::new(format!(
            "header {name} appears more than once; AK/SK signing needs one value per header"
        )));
    }
    std::str::from_utf8(value.as_bytes())
        .map(Some)
        .map_err(|_| {
            AuthenticationError::new(format!(
                "header {name} is not UTF-8 text, so it cannot be signed"
            ))
        })
}

/// Headers go out as they were signed: without the spaces around their values.
fn trim_header_values(headers: &mut HeaderMap) {
    for value in headers.values_mut() {
        let Ok(text) = std::str::from_utf8(value.as_bytes()) else {
            continue;
        };
        let trimmed = text.trim();
        if trimmed.len() != text.len()
            && let Ok(mut replacement) = HeaderValue::from_str(trimmed)
        {
            replacement.set_sensitive(value.is_sensitive());
            *value = replacement;
        }
    }
}

/// The SHA-256 of `bytes` in lower-case hexadecimal, as the canonical request writes hashes.
fn sha256_hex(bytes: &[u8]) -> String {
    hex(digest::digest(&digest::SHA256, bytes).as_ref())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    #[test]
    fn canonical_uris_decode_then_encode_each_segment() {
        assert_eq!(canonical_uri("/v3/p/jobs"), "/v3/p/jobs/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri("/a%2Fb"), "/a/b/");
        assert_eq!(canonical_uri("/my%20job/~x"), "/my%20job/~x/");
        assert_eq!(canonical_uri("/%e8%bf%81"), "/%E8%BF%81/");
        assert_eq!(canonical_uri("/100%/%FF"), "/100%25/%EF%BF%BD/");
    }

    #[test]
    fn hex_is_lowercase_and_padded() {
        assert_eq!(hex(&[0x00, 0x0f, 0xab]), "000fab");
    }

    #[test]
    fn a_header_given_twice_is_refused_by_name() {
        let url = reqwest::Url::parse("https://drs.example.com/v3").unwrap();
        let mut headers = HeaderMap::new();
        headers.append("x-language", HeaderValue::from_static("en-us"));
        headers.append("x-language", HeaderValue::from_static("zh-cn"));
        let key = Secret::new("sk");
        let error = sign("GET", &url, &headers, b"", "AK", &key, UNIX_EPOCH).unwrap_err();
        assert!(error.message.contains("x-language"), "{error}");
    }

    #[test]
    fn the_signature_and_secrets_stay_out_of_debug() {
        let url = reqwest::Url::parse("https://drs.example.com/v3").unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(X_SECURITY_TOKEN, HeaderValue::from_static("TOKEN-SECRET"));
        let key = Secret::new("SK-SECRET");
        let at = UNIX_EPOCH + Duration::from_secs(1_710_397_814);
        let signature = sign("GET", &url, &headers, b"", "AK", &key, at).unwrap();
        let shown = format!("{signature:?}");
        let value = signature.authorization().to_str().unwrap();
        let hex_signature = value.rsplit('=').next().unwrap();
        assert_eq!(hex_signature.len(), 64);
        assert!(!shown.contains(hex_signature), "{shown}");
        assert!(!shown.contains("TOKEN-SECRET"), "{shown}");
        assert!(signature.authorization().is_sensitive());

        let credentials = AkSk::new("AK", "SK-SECRET")
            .unwrap()
            .with_security_token("TOKEN-SECRET")
            .unwrap();
        let shown = format!("{credentials:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("\"AK\""), "{shown}");
    }

    #[test]
    fn bad_keys_are_named_without_their_value() {
        for (ak, sk, field) in [
            ("", "sk", "access key"),
            ("AK BAD-VALUE", "sk", "access key"),
            ("AK,BAD-VALUE", "sk", "access key"),
            ("AK\nBAD-VALUE", "sk", "access key"),
            ("AK", "", "secret key"),
        ] {
            let error = AkSk::new(ak, sk).unwrap_err();
            let text = format!("{error} {error:?}");
            assert!(text.contains(field), "{text}");
            assert!(!text.contains("BAD-VALUE"), "{text}");
        }
        let error = AkSk::new("AK", "sk")
            .unwrap()
            .with_security_token("token\nBAD-VALUE")
            .unwrap_err();
        let text = format!("{error} {error:?}");
        assert!(text.contains("security token"), "{text}");
        assert!(!text.contains("BAD-VALUE"), "{text}");
    }
}
