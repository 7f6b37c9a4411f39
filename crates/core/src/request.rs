//! Encoding a call to the sharing API as the service and browsers want it.
//!
//! Every call carries `f=json` and a form-encoded body or query, and no custom header,
//! so a browser sends it as a CORS simple request. Secrets (the user's token, a
//! password, a client secret) travel only in POST bodies, never in URLs; a read without
//! secrets is a GET unless its URL would pass [`MAX_GET_URL`] characters.

use crate::portal::Portal;
use crate::secret::Secret;
use crate::transport::{HttpRequest, Method};

/// The longest URL sent as a GET; longer reads become POSTs, as the service advises.
pub const MAX_GET_URL: usize = 2000;
/// How long a call may take unless the client is told otherwise.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;

/// One call to the sharing API, before it meets a portal and a token.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiRequest {
    write: bool,
    path: String,
    params: Vec<(&'static str, String)>,
    secrets: Vec<(&'static str, Secret)>,
    /// A key under test, sent as `token` in the query of a GET ([`ApiRequest::key_in_query`]).
    query_key: Option<Secret>,
}

/// Parameters can hold secrets: `Debug` names them and hides every value.
impl std::fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> =
            self.params.iter().map(|(n, _)| *n).chain(self.secrets.iter().map(|(n, _)| *n)).collect();
        f.debug_struct("ApiRequest")
            .field("write", &self.write)
            .field("path", &self.path)
            .field("params", &names)
            .finish()
    }
}

impl ApiRequest {
    /// A read: GET unless it carries secrets or is too long.
    pub fn read(path: impl Into<String>) -> Self {
        Self { write: false, path: path.into(), params: Vec::new(), secrets: Vec::new(), query_key: None }
    }

    /// A write: always POST.
    pub fn write(path: impl Into<String>) -> Self {
        Self { write: true, ..Self::read(path) }
    }

    pub fn param(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.params.push((name, value.into()));
        self
    }

    /// A string list the service takes comma-joined (`tags`, `typeKeywords`).
    pub fn comma_list(self, name: &'static str, values: &[String]) -> Self {
        self.param(name, values.join(","))
    }

    /// A string list the service takes as a JSON array (`privileges`, `httpReferrers`,
    /// `redirect_uris`).
    pub fn json_list(self, name: &'static str, values: &[String]) -> Self {
        let items: Vec<String> = values.iter().map(|v| json_string(v)).collect();
        self.param(name, format!("[{}]", items.join(",")))
    }

    pub fn flag(self, name: &'static str, value: bool) -> Self {
        self.param(name, if value { "true" } else { "false" })
    }

    /// A secret parameter (`password`, `client_secret`, `refresh_token`): forces POST.
    pub fn secret(mut self, name: &'static str, value: &Secret) -> Self {
        self.secrets.push((name, value.clone()));
        self
    }

    /// The secrets this request carries (never their names' values in a URL).
    pub(crate) fn secrets(&self) -> impl Iterator<Item = &Secret> {
        self.secrets.iter().map(|(_, secret)| secret)
    }

    /// The one deliberate secret in a URL: an API key tested against a location service
    /// that answers GET only (basemap styles, static tiles, elevation, places), which
    /// every app that uses the key sends the same way. Only the key tester calls this.
    pub(crate) fn key_in_query(mut self, key: &Secret) -> Self {
        self.query_key = Some(key.clone());
        self
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn is_write(&self) -> bool {
        self.write
    }

    /// The value of a public parameter, if the request carries it.
    pub fn param_value(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| *n == name).map(|(_, value)| value.as_str())
    }

    /// The HTTP request for `portal`, with the user's `token` if there is one.
    pub fn to_http(&self, portal: &Portal, token: Option<&Secret>) -> HttpRequest {
        self.to_http_at(portal.base(), token)
    }

    /// The HTTP request with `base` before the path (a location service's host).
    pub fn to_http_at(&self, base: &str, token: Option<&Secret>) -> HttpRequest {
        let url = format!("{base}{}", self.path);
        let mut encoder = form_urlencoded::Serializer::new(String::new());
        encoder.append_pair("f", "json");
        for (name, value) in &self.params {
            encoder.append_pair(name, value);
        }
        if let Some(key) = &self.query_key {
            encoder.append_pair("token", key.expose());
            let url = format!("{url}?{}", encoder.finish());
            return HttpRequest { method: Method::Get, url, body: String::new(), timeout_ms: DEFAULT_TIMEOUT_MS };
        }
        let public = encoder.finish();
        let get_url = format!("{url}?{public}");
        let carries_secret = token.is_some() || !self.secrets.is_empty();
        if !self.write && !carries_secret && get_url.len() <= MAX_GET_URL {
            return HttpRequest {
                method: Method::Get,
                url: get_url,
                body: String::new(),
                timeout_ms: DEFAULT_TIMEOUT_MS,
            };
        }
        let mut encoder = form_urlencoded::Serializer::new(public);
        for (name, secret) in &self.secrets {
            encoder.append_pair(name, secret.expose());
        }
        if let Some(token) = token {
            encoder.append_pair("token", token.expose());
        }
        HttpRequest { method: Method::Post, url, body: encoder.finish(), timeout_ms: DEFAULT_TIMEOUT_MS }
    }
}

/// `value` as one URL path segment: everything but RFC 3986's unreserved characters is
/// percent-encoded, so a username such as `DOMAIN\jsmith` or an id that came back from
/// the network cannot add segments (`../portals/self`) or a query to the path.
pub fn segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    // `.` and `..` alone are path steps even when every character is unreserved.
    match out.as_str() {
        "." => "%2E".into(),
        ".." => "%2E%2E".into(),
        _ => out,
    }
}

/// `value` as a JSON string literal. Hand-written: the core leaves JSON parsing to the
/// platform and does not link a JSON library for four escapes. `<` is escaped too, so
/// the text is safe inside an HTML page's script (the widget's JSON export).
pub fn json_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '<' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn portal() -> Portal {
        Portal::new("https://www.arcgis.com").unwrap()
    }

    /// One row per case: the request, the token, the expected method, URL and body.
    #[test]
    fn encodes_requests() {
        let token = Secret::new("tok en");
        let long = "x".repeat(MAX_GET_URL);
        let cases: Vec<(ApiRequest, Option<&Secret>, Method, String, &str)> = vec![
            (
                ApiRequest::read("/portals/self"),
                None,
                Method::Get,
                "https://www.arcgis.com/sharing/rest/portals/self?f=json".into(),
                "",
            ),
            (
                ApiRequest::read("/search").param("q", "owner:jsmith AND type:\"API Key\""),
                None,
                Method::Get,
                "https://www.arcgis.com/sharing/rest/search?f=json&q=owner%3Ajsmith+AND+type%3A%22API+Key%22".into(),
                "",
            ),
            (
                ApiRequest::read("/community/self"),
                Some(&token),
                Method::Post,
                "https://www.arcgis.com/sharing/rest/community/self".into(),
                "f=json&token=tok+en",
            ),
            (
                ApiRequest::write("/content/users/jsmith/addItem")
                    .param("title", "Shop & go")
                    .comma_list("tags", &["a".into(), "b c".into()]),
                Some(&token),
                Method::Post,
                "https://www.arcgis.com/sharing/rest/content/users/jsmith/addItem".into(),
                "f=json&title=Shop+%26+go&tags=a%2Cb+c&token=tok+en",
            ),
            (
                ApiRequest::write("/oauth2/registerApp")
                    .json_list("privileges", &["premium:user:basemaps".into()])
                    .json_list("httpReferrers", &[]),
                None,
                Method::Post,
                "https://www.arcgis.com/sharing/rest/oauth2/registerApp".into(),
                "f=json&privileges=%5B%22premium%3Auser%3Abasemaps%22%5D&httpReferrers=%5B%5D",
            ),
            (
                ApiRequest::read("/oauth2/token")
                    .param("client_id", "abc")
                    .secret("client_secret", &Secret::new("s3"))
                    .flag("regenerateApiToken", true),
                None,
                Method::Post,
                "https://www.arcgis.com/sharing/rest/oauth2/token".into(),
                "f=json&client_id=abc&regenerateApiToken=true&client_secret=s3",
            ),
            (
                ApiRequest::read("/search").param("q", long.clone()),
                None,
                Method::Post,
                "https://www.arcgis.com/sharing/rest/search".into(),
                Box::leak(format!("f=json&q={long}").into_boxed_str()),
            ),
        ];
        for (request, token, method, url, body) in cases {
            let http = request.to_http(&portal(), token);
            assert_eq!(
                (http.method, http.url.as_str(), http.body.as_str()),
                (method, url.as_str(), body),
                "{request:?}"
            );
        }
    }

    #[test]
    fn secrets_never_reach_a_url_or_debug_output() {
        let token = Secret::new("user-token-123");
        let request = ApiRequest::read("/portals/self").secret("password", &Secret::new("hunter2"));
        let http = request.to_http(&portal(), Some(&token));
        assert!(!http.url.contains("user-token-123") && !http.url.contains("hunter2"));
        let printed = format!("{request:?} {http:?}");
        assert!(!printed.contains("hunter2") && !printed.contains("user-token-123"), "{printed}");
        assert!(printed.contains("password"), "names are shown: {printed}");
    }

    #[test]
    fn path_segments_are_percent_encoded() {
        let cases = [
            ("jsmith", "jsmith"),
            ("DOMAIN\\jsmith", "DOMAIN%5Cjsmith"),
            ("j smith@example.com", "j%20smith%40example.com"),
            ("../../portals/self", "..%2F..%2Fportals%2Fself"),
            ("..", "%2E%2E"),
            ("a?b#c", "a%3Fb%23c"),
            ("é", "%C3%A9"),
        ];
        for (raw, encoded) in cases {
            assert_eq!(segment(raw), encoded, "{raw}");
        }
    }

    #[test]
    fn json_strings_escape_what_json_requires() {
        assert_eq!(json_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(json_string("line\nbreak\u{1}"), r#""line\nbreak\u0001""#);
        assert_eq!(json_string("https://*.example.com"), r#""https://*.example.com""#);
        assert_eq!(json_string("</script>"), r#""\u003c/script>""#);
    }
}
