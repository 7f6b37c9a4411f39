//! The portal a client talks to: the base URL of its sharing REST API.

use crate::error::{Field, InputError};

/// ArcGIS Online's sharing REST API.
pub const ARCGIS_ONLINE: &str = "https://www.arcgis.com/sharing/rest";

/// A validated portal base URL, without a trailing `/`, ending in `/sharing/rest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Portal {
    base: String,
}

impl Portal {
    /// Accepts what people paste: `https://www.arcgis.com`, an org URL, an Enterprise
    /// web adaptor, or the full `…/sharing/rest` base, with or without a trailing `/`.
    pub fn new(url: &str) -> Result<Self, InputError> {
        let url = url.trim().trim_end_matches('/');
        let (rest, plain) = match (url.strip_prefix("https://"), url.strip_prefix("http://")) {
            (Some(rest), _) => (rest, false),
            (None, Some(rest)) => (rest, true),
            (None, None) => {
                return Err(InputError::new(
                    Field::Portal,
                    "The portal URL must start with https:// (or http:// for a portal on this machine).",
                ));
            }
        };
        if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) || rest.contains(['?', '#']) {
            return Err(InputError::new(
                Field::Portal,
                "The portal URL needs a host name, and no spaces, query or fragment.",
            ));
        }
        let authority = rest.split('/').next().unwrap_or_default();
        let host = match authority.rsplit_once(':') {
            Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
            _ => authority,
        };
        if plain && !crate::validate::is_loopback_host(host) {
            return Err(InputError::new(
                Field::Portal,
                "Use https:// for this portal: over http:// your password and tokens would cross the network in the clear.",
            ));
        }
        let base = if url.ends_with("/sharing/rest") { url.to_owned() } else { format!("{url}/sharing/rest") };
        Ok(Self { base })
    }

    pub fn arcgis_online() -> Self {
        Self { base: ARCGIS_ONLINE.to_owned() }
    }

    /// The base URL, for example `https://www.arcgis.com/sharing/rest`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The URL of an operation, `path` relative to the base (`/portals/self`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_what_people_paste() {
        let cases = [
            ("https://www.arcgis.com", "https://www.arcgis.com/sharing/rest"),
            ("https://www.arcgis.com/sharing/rest/", "https://www.arcgis.com/sharing/rest"),
            (" https://acme.maps.arcgis.com/ ", "https://acme.maps.arcgis.com/sharing/rest"),
            ("https://gis.example.com/portal", "https://gis.example.com/portal/sharing/rest"),
            ("http://127.0.0.1:8787/sharing/rest", "http://127.0.0.1:8787/sharing/rest"),
        ];
        for (input, expected) in cases {
            assert_eq!(Portal::new(input).map(|p| p.base().to_owned()), Ok(expected.to_owned()), "{input}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_portal_url() {
        for input in [
            "www.arcgis.com",
            "ftp://x",
            "https://",
            "https:///path",
            "https://a b.com",
            "https://x.com/?q=1",
            "http://gis.example.com/portal",
            "http://127.0.0.1.example.com",
        ] {
            let error = Portal::new(input).expect_err(input);
            assert_eq!(error.field.name(), "portal");
        }
    }
}
