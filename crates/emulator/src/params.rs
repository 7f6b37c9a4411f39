//! The parameters of a sharing API request: query string and form body, merged.
//!
//! The intake middleware parses them once per request and stores them in the request's
//! extensions; handlers take them with the [`Params`] extractor.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};

/// Parameter names whose values are secrets: never logged, never echoed.
pub const SECRET_PARAMS: &[&str] =
    &["token", "password", "client_secret", "code", "code_verifier", "refresh_token", "auth_token", "access_token"];

/// Where a parameter arrived: tests check that browsers keep secrets out of URLs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Query,
    Body,
}

#[derive(Clone, Debug, Default)]
pub struct Params {
    values: Vec<(Source, String, String)>,
    /// A token from an `X-Esri-Authorization: Bearer …` header, which scripts use.
    header_token: Option<String>,
}

impl Params {
    /// Parses the query string and, when it is form-encoded (or untyped), the body.
    pub fn parse(query: Option<&str>, content_type: Option<&str>, body: &[u8], header_token: Option<String>) -> Self {
        let mut values = Vec::new();
        if let Some(query) = query {
            values.extend(
                form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (Source::Query, k.into_owned(), v.into_owned())),
            );
        }
        let form_body = content_type.is_none_or(|ct| {
            let ct = ct.to_ascii_lowercase();
            ct.starts_with("application/x-www-form-urlencoded") || ct.starts_with("text/plain")
        });
        if form_body && !body.is_empty() {
            values.extend(form_urlencoded::parse(body).map(|(k, v)| (Source::Body, k.into_owned(), v.into_owned())));
        }
        Self { values, header_token }
    }

    /// For tests and internal calls: body parameters from pairs.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let values = pairs.into_iter().map(|(k, v)| (Source::Body, k.to_owned(), v.to_owned())).collect();
        Self { values, header_token: None }
    }

    /// The value of `name` (names are case-insensitive, body wins over query); empty
    /// values count as absent, as the service treats them.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(_, k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, _, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
    }

    /// Whether `name` was sent at all, even empty (an empty list is a real update).
    pub fn has(&self, name: &str) -> bool {
        self.values.iter().any(|(_, k, _)| k.eq_ignore_ascii_case(name))
    }

    pub fn require(&self, name: &str) -> ApiResult<&str> {
        self.get(name).ok_or_else(|| ApiError::missing(name))
    }

    /// The caller's token: the `token` parameter, else the header.
    pub fn token(&self) -> Option<&str> {
        self.get("token").or(self.header_token.as_deref())
    }

    /// A string list sent as a JSON array (`["a","b"]`) or comma-joined (`a,b`); clients
    /// use both. `None` when not sent; `Some(vec![])` when sent empty.
    pub fn list(&self, name: &str) -> ApiResult<Option<Vec<String>>> {
        if !self.has(name) {
            return Ok(None);
        }
        let Some(raw) = self.get(name) else {
            return Ok(Some(Vec::new()));
        };
        let raw = raw.trim();
        if raw.starts_with('[') {
            let parsed: Vec<Value> = serde_json::from_str(raw).map_err(|e| {
                ApiError::bad_request(format!("'{name}' is not a valid JSON array.")).with_detail(e.to_string())
            })?;
            return parsed
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.trim().to_owned()),
                    other => Err(ApiError::bad_request(format!("'{name}' must hold only strings, found {other}."))),
                })
                .filter(|s| s.as_ref().map_or(true, |s| !s.is_empty()))
                .collect::<ApiResult<Vec<_>>>()
                .map(Some);
        }
        Ok(Some(raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()))
    }

    pub fn int(&self, name: &str) -> ApiResult<Option<i64>> {
        self.get(name)
            .map(|v| {
                v.trim()
                    .parse::<i64>()
                    .map_err(|_| ApiError::bad_request(format!("'{name}' must be an integer, got '{v}'.")))
            })
            .transpose()
    }

    pub fn bool(&self, name: &str) -> ApiResult<Option<bool>> {
        self.get(name)
            .map(|v| match v.trim().to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(true),
                "false" | "0" => Ok(false),
                _ => Err(ApiError::bad_request(format!("'{name}' must be true or false, got '{v}'."))),
            })
            .transpose()
    }

    /// The parameters from one source, secrets replaced, for the request log.
    pub fn redacted(&self, source: Source) -> Map<String, Value> {
        self.values
            .iter()
            .filter(|(s, _, _)| *s == source)
            .map(|(_, k, v)| {
                let value = if SECRET_PARAMS.iter().any(|s| k.eq_ignore_ascii_case(s)) { "[redacted]" } else { v };
                (k.clone(), Value::String(value.to_owned()))
            })
            .collect()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Params>()
            .cloned()
            .ok_or_else(|| ApiError::new(500, "The emulator's intake layer is missing."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_query_and_body_with_body_winning() {
        let p =
            Params::parse(Some("f=json&num=5"), Some("application/x-www-form-urlencoded"), b"num=7&title=A+b", None);
        assert_eq!(p.get("F"), Some("json"));
        assert_eq!(p.get("num"), Some("7"));
        assert_eq!(p.get("title"), Some("A b"));
    }

    #[test]
    fn lists_accept_json_arrays_and_comma_joined_values() {
        let p = Params::from_pairs([("a", r#"["x", "y z"]"#), ("b", "x, y ,z"), ("c", ""), ("d", "[1]")]);
        assert_eq!(p.list("a").unwrap(), Some(vec!["x".into(), "y z".into()]));
        assert_eq!(p.list("b").unwrap(), Some(vec!["x".into(), "y".into(), "z".into()]));
        assert_eq!(p.list("c").unwrap(), Some(vec![]));
        assert_eq!(p.list("missing").unwrap(), None);
        assert!(p.list("d").is_err());
    }

    #[test]
    fn secrets_are_redacted_in_the_log_view() {
        let p = Params::from_pairs([("token", "abc"), ("client_secret", "def"), ("title", "t")]);
        let body = p.redacted(Source::Body);
        assert_eq!(body["token"], "[redacted]");
        assert_eq!(body["client_secret"], "[redacted]");
        assert_eq!(body["title"], "t");
    }

    #[test]
    fn non_form_bodies_are_not_read_as_parameters() {
        let p = Params::parse(None, Some("application/json"), br#"{"title":"x"}"#, None);
        assert_eq!(p.get("title"), None);
    }
}
