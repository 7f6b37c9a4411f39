//! Secrets: user tokens, refresh tokens, client secrets and issued keys.

use std::fmt;

/// A secret string. It prints as `[redacted]` through `Debug` and `Display`, so it
/// cannot reach a log or an error message by accident; [`Secret::expose`] is the one
/// way to read it, and each call site is where a secret deliberately leaves.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret's text, for the request body that carries it or the one-time reveal.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Secrets arrive in responses (`client_secret`, `access_token`, `apiKey`).
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_its_value() {
        let secret = Secret::new("AAPTxyzAT1_abcdefgh");
        assert_eq!(format!("{secret} {secret:?} {secret:#?}"), "[redacted] Secret([redacted]) Secret([redacted])");
        assert_eq!(secret.expose(), "AAPTxyzAT1_abcdefgh");
    }
}
