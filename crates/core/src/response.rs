//! Reading the portal's answers: errors mostly arrive with HTTP 200 in an `error`
//! object, so every body is checked for one before it is read as a result.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, ServerError};
use crate::transport::{HttpResponse, Transport};

#[derive(Deserialize)]
struct ErrorProbe {
    #[serde(default)]
    error: Option<ServerError>,
}

/// Reads `response` as `T`, or as the error it carries.
pub fn read<T: DeserializeOwned, X: Transport>(transport: &X, response: &HttpResponse<X::Body>) -> Result<T, Error> {
    decode(transport, &parse(transport, response)?)
}

/// Parses `response` and checks it for an error; the same code for every answer type,
/// so that only [`decode`] is instantiated per type (the wasm build stays small).
pub fn parse<X: Transport>(transport: &X, response: &HttpResponse<X::Body>) -> Result<X::Json, Error> {
    let parsed = transport.parse_json(&response.body);
    let server_error =
        parsed.as_ref().ok().and_then(|json| transport.decode::<ErrorProbe>(json).ok()).and_then(|p| p.error);
    if let Some(error) = server_error {
        return Err(Error::from_server(error));
    }
    if !(200..300).contains(&response.status) {
        return Err(Error::Http { status: response.status });
    }
    parsed.map_err(|e| Error::Malformed(scrub(&e)))
}

/// Reads a parsed answer as `T`.
pub fn decode<T: DeserializeOwned, X: Transport>(transport: &X, json: &X::Json) -> Result<T, Error> {
    transport.decode(json).map_err(|e| Error::Malformed(scrub(&e)))
}

/// Checks a parsed write answer for `"success": true`. The portal answers failures
/// with an error body; one that answers neither did not confirm the change.
pub fn success<X: Transport>(transport: &X, json: &X::Json) -> Result<(), Error> {
    #[derive(Deserialize)]
    struct Success {
        #[serde(default)]
        success: bool,
    }
    if decode::<Success, X>(transport, json)?.success {
        return Ok(());
    }
    Err(Error::Portal(ServerError::from_client(
        500,
        "The portal did not confirm the change (no \"success\": true in its answer).",
        Vec::new(),
    )))
}

/// Decoders quote the values they choke on (`invalid type: string "AAPT…"`), and a value
/// in the wrong place may be a secret: keep the message, drop what is quoted.
fn scrub(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    for c in message.chars() {
        match (c, quoted) {
            ('"', false) => {
                quoted = true;
                out.push_str("\"…");
            }
            ('"', true) => {
                quoted = false;
                out.push('"');
            }
            (c, false) => out.push(c),
            (_, true) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::scrub;

    #[test]
    fn decode_errors_lose_quoted_values() {
        assert_eq!(
            scrub(r#"invalid type: string "AAPTsecretAT1_abcdefgh", expected i64 at line 1 column 40"#),
            r#"invalid type: string "…", expected i64 at line 1 column 40"#
        );
        assert_eq!(scrub("missing field `id`"), "missing field `id`");
    }
}
