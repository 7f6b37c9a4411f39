//! The seam between the core and the network: the core builds [`HttpRequest`]s and a
//! [`Transport`] (the browser's fetch, or the emulator in tests) sends them.

use std::future::Future;

/// An HTTP method the sharing API uses. Browsers must stay on CORS simple requests,
/// so nothing else is ever needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

/// A request as the core builds it: a URL and, for POST, a form-encoded body.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    /// `application/x-www-form-urlencoded` body; empty for GET.
    pub body: String,
    /// The transport gives up after this long and returns an error. (The portal may
    /// still finish the work; workflows are built to recover from that.)
    pub timeout_ms: u32,
}

/// The body may carry a token or a client secret, so `Debug` shows only its size; a
/// `token` in the query (a key under test) is redacted too.
impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = match self.url.split_once('?') {
            Some((path, query)) => {
                let pairs: Vec<&str> = query
                    .split('&')
                    .map(|pair| if pair.starts_with("token=") { "token=[redacted]" } else { pair })
                    .collect();
                format!("{path}?{}", pairs.join("&"))
            }
            None => self.url.clone(),
        };
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &url)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

/// A response as the transport hands it back. The body is the transport's own text
/// type: in the browser a JS string, which goes to `JSON.parse` without being copied
/// into the wasm and back.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse<B = String> {
    pub status: u16,
    pub body: B,
}

/// The body may carry an issued key, so `Debug` shows only the status.
impl<B> std::fmt::Debug for HttpResponse<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpResponse").field("status", &self.status).finish_non_exhaustive()
    }
}

/// The platform the core runs on: where its requests go, how JSON is read, the time,
/// and the two cryptographic primitives OAuth's PKCE needs. No `Send` bound: the browser transport holds JS values.
///
/// JSON is read here rather than in the core so that each platform uses its own
/// parser: the browser's `JSON.parse` with serde-wasm-bindgen keeps a JSON library out
/// of the wasm build; native code uses serde_json.
pub trait Transport {
    type Error: std::error::Error;
    /// A response body as received.
    type Body;
    /// A parsed JSON document.
    type Json;

    fn send(&self, request: HttpRequest) -> impl Future<Output = Result<HttpResponse<Self::Body>, Self::Error>>;

    /// Parses a response body; the error says why it is not JSON.
    fn parse_json(&self, body: &Self::Body) -> Result<Self::Json, String>;

    /// Reads a parsed document as `T`; the error says what did not fit. A decoder may
    /// read a newtype struct named [`NUMBER_PAIRS`] in one go (see there).
    fn decode<T: serde::de::DeserializeOwned>(&self, json: &Self::Json) -> Result<T, String>;

    /// A number that is not an integer, as JSON text that reads back the same: the
    /// platform's own (`String(n)` in browsers keeps float formatting out of the wasm).
    /// For writing back what another tool keeps in an item's `properties`.
    fn json_number(&self, number: f64) -> String;

    /// A response body as text, for a transcript (`None`: this transport keeps none).
    fn body_text(&self, body: &Self::Body) -> Option<String> {
        let _ = body;
        None
    }

    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;

    /// Resolves after `ms` milliseconds (`setTimeout`).
    fn sleep(&self, ms: u32) -> impl Future<Output = ()>;

    /// Fills `buf` with cryptographically secure random bytes (`crypto.getRandomValues`).
    fn random_bytes(&self, buf: &mut [u8]);

    /// SHA-256 of `data` (`crypto.subtle.digest`, asynchronous in browsers).
    fn sha256(&self, data: &[u8]) -> impl Future<Output = [u8; 32]>;
}

/// The serde name of a newtype over `[[number, number], …]` whose values are numbers or
/// their decimal text (usage series, up to a million points). A [`Transport::decode`]
/// that recognises it in `deserialize_newtype_struct` may hand the visitor a
/// deserializer of `f64` pairs read in one go instead of value by value; one that does
/// not (serde_json) reads it as the plain list. Either way the visitor's rules apply.
pub const NUMBER_PAIRS: &str = "$arcgis_keys::NumberPairs";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_bodies() {
        let request = HttpRequest {
            method: Method::Post,
            url: "https://www.arcgis.com/sharing/rest/oauth2/token".into(),
            body: "client_secret=s3cr3t&f=json".into(),
            timeout_ms: 1000,
        };
        let response: HttpResponse = HttpResponse { status: 200, body: r#"{"access_token":"AAPTabc"}"#.into() };
        let tested = HttpRequest {
            method: Method::Get,
            url: "https://basemapstyles-api.arcgis.com/styles?f=json&token=AAPTtested".into(),
            body: String::new(),
            timeout_ms: 1000,
        };
        let printed = format!("{request:?} {response:?} {tested:?}");
        assert!(!printed.contains("AAPTtested") && printed.contains("f=json"), "{printed}");
        assert!(!printed.contains("s3cr3t"), "{printed}");
        assert!(!printed.contains("AAPTabc"), "{printed}");
        assert!(printed.contains("27 bytes"), "{printed}");
    }
}
