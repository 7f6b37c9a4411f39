//! Random identifiers and secrets, shaped like the real service's, and their hashes.
//!
//! Bearer secrets (user tokens, refresh tokens, authorization codes, slot keys) are kept
//! only as SHA-256 hashes, so a persisted state file never holds a usable secret. The
//! exceptions are the ones the contract says the service shows again: `client_secret`
//! and a legacy `apiKey`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system has no random source");
    bytes
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn alphanumeric(len: usize) -> String {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        for b in random_bytes::<32>() {
            // 62 * 4 = 248: reject the top of the byte range to stay uniform.
            if b < 248 && out.len() < len {
                out.push(ALPHANUMERIC[(b % 62) as usize] as char);
            }
        }
    }
    out
}

/// A portal item or folder id: 32 lowercase hex characters.
pub fn item_id() -> String {
    hex(&random_bytes::<16>())
}

/// An item id derived from stable text, so seeded items keep their ids across resets.
pub fn derived_item_id(seed_text: &str) -> String {
    hex(&Sha256::digest(seed_text.as_bytes())[..16])
}

/// An OAuth `client_id`: 16 alphanumeric characters, like `h9D4gAwxMqsjr9dm`.
pub fn client_id() -> String {
    alphanumeric(16)
}

/// A `client_secret`: 32 lowercase hex characters.
pub fn client_secret() -> String {
    hex(&random_bytes::<16>())
}

/// A user or refresh token (opaque, URL-safe).
pub fn token() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<96>())
}

/// An OAuth authorization code.
pub fn authorization_code() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

/// An API key credential key for `slot` (1 or 2): `AAPT…AT{slot}_xxxxxxxx`, so the slot
/// is the character ten places from the end, as in the real keys.
pub fn slot_key(slot: u8) -> String {
    format!("AAPT{}AT{slot}_{}", URL_SAFE_NO_PAD.encode(random_bytes::<120>()), alphanumeric(8))
}

/// A legacy API key: `AAPK` and 32 hex characters, then an opaque tail.
pub fn legacy_api_key() -> String {
    format!("AAPK{}{}", hex(&random_bytes::<16>()), URL_SAFE_NO_PAD.encode(random_bytes::<60>()))
}

/// An app-login token from `client_credentials` without a slot.
pub fn app_token() -> String {
    format!("AATK{}", URL_SAFE_NO_PAD.encode(random_bytes::<96>()))
}

/// What the state keeps instead of a bearer secret.
pub fn hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// The PKCE S256 challenge of a verifier: base64url(SHA-256(verifier)) without padding.
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_match_the_real_service() {
        let id = item_id();
        assert_eq!(id.len(), 32);
        assert!(id.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_eq!(client_id().len(), 16);
        for slot in [1u8, 2] {
            let key = slot_key(slot);
            assert!(key.starts_with("AAPT"));
            let slot_char = key.chars().rev().nth(9).unwrap();
            assert_eq!(slot_char, char::from(b'0' + slot), "{key}");
            assert_eq!(&key[key.len() - 12..key.len() - 8], format!("AT{slot}_"));
        }
        assert!(legacy_api_key().starts_with("AAPK"));
        assert_ne!(token(), token());
    }

    #[test]
    fn pkce_challenge_is_unpadded_base64url_of_sha256() {
        // Expected value computed independently with Python's hashlib and base64.
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU2p1r0wlWKbdPyvUpw"),
            "jhmGcXm8Ku4714BUhtd6RCxhSWp5FhFo5GC7Eja72Ro"
        );
    }
}
