//! A transcript of the calls a run made, fit to attach to a bug report: every request
//! and answer with each secret taken out, however the portal spelled it. Kept by
//! [`crate::Client::record`]; `arcgis-keys doctor --transcript` writes one.
//!
//! Redaction is by name and by shape, not only by the secrets the client knows: the
//! values of secret parameters (`token`, `password`, `client_secret`, …) in URLs and
//! bodies, of secret fields (`access_token`, `client_secret`, …) in JSON answers, and
//! any text shaped like an ArcGIS key (`AAPT…`, `AAPK…`, `AATK…`) anywhere.

use crate::transport::{HttpRequest, Method};

/// What every redacted value becomes.
pub const REDACTED: &str = "[redacted]";

/// Form and query parameters that carry a secret.
const SECRET_PARAMS: &[&str] =
    &["token", "password", "client_secret", "refresh_token", "code", "code_verifier", "auth_token"];

/// JSON fields whose string values are secrets.
const SECRET_FIELDS: &[&str] = &["token", "access_token", "refresh_token", "client_secret", "apiKey", "code"];

/// One request and what came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub method: &'static str,
    pub url: String,
    pub body: String,
    /// The HTTP status; `None` when no answer came.
    pub status: Option<u16>,
    /// The answer's text, when the transport keeps it.
    pub answer: Option<String>,
    /// Why no answer came.
    pub error: Option<String>,
}

impl Exchange {
    pub(crate) fn of_request(request: &HttpRequest) -> Self {
        let (path, query) = request.url.split_once('?').unwrap_or((&request.url, ""));
        let url = if query.is_empty() { path.to_owned() } else { format!("{path}?{}", redact_form(query)) };
        Exchange {
            method: if request.method == Method::Get { "GET" } else { "POST" },
            url: redact_keys(&url),
            body: redact_keys(&redact_form(&request.body)),
            status: None,
            answer: None,
            error: None,
        }
    }

    pub(crate) fn answered(&mut self, status: u16, answer: Option<String>) {
        self.status = Some(status);
        self.answer = answer.map(|text| redact_keys(&redact_json(&text)));
    }

    pub(crate) fn failed(&mut self, error: &str) {
        self.error = Some(redact_keys(error));
    }
}

/// A form-encoded text with the values of secret parameters replaced.
pub fn redact_form(form: &str) -> String {
    if form.is_empty() {
        return String::new();
    }
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (name, value) in form_urlencoded::parse(form.as_bytes()) {
        let secret = SECRET_PARAMS.contains(&name.as_ref());
        out.append_pair(&name, if secret { REDACTED } else { &value });
    }
    out.finish()
}

/// JSON text with the string values of secret fields replaced, wherever they nest.
pub fn redact_json(text: &str) -> String {
    let mut out = text.to_owned();
    for field in SECRET_FIELDS {
        let needle = format!("\"{field}\"");
        let mut from = 0;
        while let Some(found) = out[from..].find(&needle) {
            let after_name = from + found + needle.len();
            let rest = &out[after_name..];
            let trimmed = rest.trim_start();
            let Some(value) = trimmed.strip_prefix(':').map(str::trim_start) else {
                from = after_name;
                continue;
            };
            let Some(string) = value.strip_prefix('"') else {
                from = after_name;
                continue;
            };
            let start = out.len() - string.len();
            let end = start + string_end(string);
            out.replace_range(start..end, REDACTED);
            from = start + REDACTED.len();
        }
    }
    out
}

/// The length of a JSON string's contents up to its closing quote (escapes skipped).
fn string_end(string: &str) -> usize {
    let mut escaped = false;
    for (i, c) in string.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return i,
            _ => {}
        }
    }
    string.len()
}

/// Text with every run shaped like an ArcGIS key (`AAPT`, `AAPK` or `AATK`, then at
/// least 16 key characters) replaced.
pub fn redact_keys(text: &str) -> String {
    let is_key_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = ["AAPT", "AAPK", "AATK"].iter().filter_map(|p| rest.find(p)).min() {
        let tail = &rest[at..];
        let length = tail.find(|c: char| !is_key_char(c)).unwrap_or(tail.len());
        out.push_str(&rest[..at]);
        if length >= 20 {
            out.push_str(REDACTED);
        } else {
            out.push_str(&tail[..length]);
        }
        rest = &tail[length..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{redact_form, redact_json, redact_keys};

    #[test]
    fn secret_parameters_are_redacted_and_the_rest_kept() {
        let form = "f=json&token=abc%2Bdef&title=A+%26+B&client_secret=s3cr3t&code_verifier=v";
        assert_eq!(
            redact_form(form),
            "f=json&token=%5Bredacted%5D&title=A+%26+B&client_secret=%5Bredacted%5D&code_verifier=%5Bredacted%5D"
        );
    }

    #[test]
    fn secret_json_fields_are_redacted_wherever_they_nest() {
        let answer = r#"{"access_token":"tok\"en","expires_in":1800,"app":{"client_secret" : "abc","client_id":"id"},"error":{"code":400}}"#;
        assert_eq!(
            redact_json(answer),
            r#"{"access_token":"[redacted]","expires_in":1800,"app":{"client_secret" : "[redacted]","client_id":"id"},"error":{"code":400}}"#
        );
    }

    #[test]
    fn anything_shaped_like_a_key_is_redacted() {
        let text = "key AAPTxxxxxxxxxxxxxxxxxxxxAT1_abcdefgh, AAPK short, and AATK0123456789abcdefghij.";
        assert_eq!(redact_keys(text), "key [redacted], AAPK short, and [redacted].");
    }
}
