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
pub fn read<T: DeserializeOwned, X: Transport>(transport: &X, response: &HttpResponse) -> Result<T, Error> {
    let parsed = transport.parse_json(&response.body);
    let server_error =
        parsed.as_ref().ok().and_then(|json| transport.decode::<ErrorProbe>(json).ok()).and_then(|p| p.error);
    if let Some(error) = server_error {
        return Err(Error::from_server(error));
    }
    if !(200..300).contains(&response.status) {
        return Err(Error::Http { status: response.status });
    }
    let json = parsed.map_err(Error::Malformed)?;
    transport.decode(&json).map_err(Error::Malformed)
}
