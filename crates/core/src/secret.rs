//! Secrets: user tokens, refresh tokens, client secrets and issued keys.

use std::fmt;

use zeroize::Zeroize;

/// A secret string. It prints as `[redacted]` through `Debug` and `Display`, so it
/// cannot reach a log or an error message by accident; [`Secret::expose`] is the one
/// way to read it, and each call site is where a secret deliberately leaves. Its bytes
/// are zeroed when it is dropped, so a dismissed key does not linger in wasm memory.
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

    /// The secret without surrounding whitespace (a pasted key), trimmed in place so
    /// that no untrimmed copy is left behind.
    pub fn trimmed(mut self) -> Self {
        let end = self.0.trim_end().len();
        self.0.truncate(end);
        let start = end - self.0.trim_start().len();
        self.0.drain(..start);
        self
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // The whole capacity, not just the length: trimming leaves bytes past the end.
        self.0.zeroize();
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

    #[test]
    fn trims_in_place() {
        assert_eq!(Secret::new("  AAPTkey \n").trimmed().expose(), "AAPTkey");
        assert_eq!(Secret::new(" ").trimmed().expose(), "");
    }
}
