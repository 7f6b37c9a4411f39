//! Signing in with OAuth 2 and PKCE (S256): the authorize URL, the state check, the
//! code exchange, and signing out (which revokes the tokens).
//!
//! [`Client::begin_oauth`] returns the URL to send the user to and a [`PendingSignIn`]
//! to keep until the redirect comes back (session storage at most: it holds the PKCE
//! verifier); [`Client::complete_oauth`] takes both and the redirect's query.

use crate::client::{Client, Refresh, Session, expires_at};
use crate::error::Error;
use crate::model::User;
use crate::request::ApiRequest;
use crate::secret::Secret;
use crate::transport::Transport;

/// The OAuth app the manager signs in through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthConfig {
    pub client_id: String,
    /// Must be registered for the client id, exactly.
    pub redirect_uri: String,
    /// How long the refresh token may live, in minutes (default two weeks).
    pub refresh_minutes: u32,
}

/// A refresh token's life unless asked otherwise, in minutes: two weeks.
pub const REFRESH_MINUTES: u32 = 20_160;

impl OAuthConfig {
    pub fn new(client_id: impl Into<String>, redirect_uri: impl Into<String>) -> Self {
        Self { client_id: client_id.into(), redirect_uri: redirect_uri.into(), refresh_minutes: REFRESH_MINUTES }
    }
}

/// What must survive the redirect. `Debug` redacts the verifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignIn {
    pub config: OAuthConfig,
    pub state: String,
    pub verifier: Secret,
}

impl PendingSignIn {
    /// The pending sign-in and its portal as one form-encoded line, to keep across a
    /// full-page redirect (in session storage: it holds the verifier).
    pub fn encode(&self, portal: &str) -> String {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("portal", portal)
            .append_pair("client_id", &self.config.client_id)
            .append_pair("redirect_uri", &self.config.redirect_uri)
            .append_pair("refresh_minutes", &self.config.refresh_minutes.to_string())
            .append_pair("state", &self.state)
            .append_pair("verifier", self.verifier.expose())
            .finish()
    }

    /// Reads what [`PendingSignIn::encode`] wrote: the portal and the sign-in.
    pub fn decode(text: &str) -> Option<(String, PendingSignIn)> {
        let value =
            |name: &str| form_urlencoded::parse(text.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
        let mut config = OAuthConfig::new(value("client_id")?, value("redirect_uri")?);
        config.refresh_minutes = value("refresh_minutes")?.parse().ok()?;
        let pending = PendingSignIn { config, state: value("state")?, verifier: Secret::new(value("verifier")?) };
        Some((value("portal")?, pending))
    }
}

/// What `oauth2/token` answers a code or a refresh token traded in (one decoder for both).
#[derive(serde::Deserialize)]
struct Tokens {
    access_token: Secret,
    expires_in: i64,
    username: String,
    refresh_token: Option<Secret>,
    refresh_token_expires_in: Option<i64>,
}

/// Unpadded base64url, as PKCE and OAuth `state` use it.
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

impl<T: Transport> Client<T> {
    /// The URL to send the user to, and what to keep until they come back.
    pub async fn begin_oauth(&self, config: OAuthConfig) -> (String, PendingSignIn) {
        let mut verifier = [0u8; 32];
        self.transport().random_bytes(&mut verifier);
        let verifier = base64url(&verifier);
        let challenge = base64url(&self.transport().sha256(verifier.as_bytes()).await);
        let mut state = [0u8; 16];
        self.transport().random_bytes(&mut state);
        let state = base64url(&state);
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("client_id", &config.client_id)
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", &config.redirect_uri)
            .append_pair("state", &state)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256")
            .append_pair("expiration", &config.refresh_minutes.to_string())
            .finish();
        let url = format!("{}?{query}", self.portal().url("/oauth2/authorize"));
        (url, PendingSignIn { config, state, verifier: Secret::new(verifier) })
    }

    /// Finishes the sign-in from the redirect's query (`?code=…&state=…`): checks the
    /// state, exchanges the code, and reads the user.
    pub async fn complete_oauth(&self, pending: &PendingSignIn, callback_query: &str) -> Result<User, Error> {
        let query = callback_query.trim_start_matches('?');
        let value =
            |name: &str| form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
        if value("state").as_deref() != Some(pending.state.as_str()) {
            return Err(Error::SignIn("the answer does not belong to this sign-in; start again.".into()));
        }
        if let Some(error) = value("error") {
            // In words: the protocol's codes (RFC 6749 4.1.2.1) mean nothing to a user.
            return Err(match (error.as_str(), value("error_description")) {
                ("access_denied", _) => Error::SignInCancelled("you cancelled it on the portal's sign-in page.".into()),
                (_, Some(description)) if !description.trim().is_empty() => {
                    Error::SignIn(format!("the portal refused it: {}", description.trim()))
                }
                _ => Error::SignIn("the portal refused it; check the app's client ID and its redirect URL.".into()),
            });
        }
        let code = value("code").ok_or_else(|| Error::SignIn("the portal sent no code.".into()))?;
        let request = ApiRequest::write("/oauth2/token")
            .param("grant_type", "authorization_code")
            .param("client_id", pending.config.client_id.clone())
            .param("redirect_uri", pending.config.redirect_uri.clone())
            .secret("code", &Secret::new(code))
            .secret("code_verifier", &pending.verifier);
        let tokens: Tokens = self.call_anonymous(&request).await?;
        let now = self.transport().now_ms();
        let refresh = tokens.refresh_token.map(|token| Refresh {
            token,
            client_id: pending.config.client_id.clone(),
            expires_ms: expires_at(now, tokens.refresh_token_expires_in.unwrap_or(0)),
        });
        self.use_session(Session {
            username: tokens.username,
            token: tokens.access_token,
            expires_ms: expires_at(now, tokens.expires_in),
            refresh,
            api_key: false,
        });
        self.me().await
    }

    /// Resumes a sign-in kept as its refresh token (a command line's profile): gets an
    /// access token with it, then reads the user.
    pub async fn sign_in_with_refresh(&self, refresh: Refresh) -> Result<User, Error> {
        self.use_session(Session {
            username: String::new(),
            token: Secret::new(""),
            expires_ms: 0,
            refresh: Some(refresh),
            api_key: false,
        });
        self.me().await
    }

    /// Trades the session's refresh token for a new one (`exchange_refresh_token`),
    /// before it ends: a sign-in kept by a command line then lasts as long as it is
    /// used. The old refresh token may stop at once, so the caller keeps the new one.
    pub async fn renew_refresh_token(&self, redirect_uri: &str, refresh_minutes: u32) -> Result<(), Error> {
        let refresh = self.session().and_then(|s| s.refresh).ok_or_else(|| {
            Error::SignIn("only a sign-in through the browser (OAuth) has a refresh token to renew.".into())
        })?;
        let request = ApiRequest::write("/oauth2/token")
            .param("grant_type", "exchange_refresh_token")
            .param("client_id", refresh.client_id.clone())
            .param("redirect_uri", redirect_uri)
            .param("expiration", refresh_minutes.to_string())
            .secret("refresh_token", &refresh.token);
        let exchanged: Tokens = self.call_anonymous(&request).await?;
        let token = exchanged.refresh_token.ok_or_else(|| Error::Malformed("no refresh_token in the answer".into()))?;
        let now = self.transport().now_ms();
        let lifetime = exchanged.refresh_token_expires_in.unwrap_or(i64::from(refresh_minutes) * 60);
        self.use_session(Session {
            username: exchanged.username,
            token: exchanged.access_token,
            expires_ms: expires_at(now, exchanged.expires_in),
            refresh: Some(Refresh { token, client_id: refresh.client_id, expires_ms: expires_at(now, lifetime) }),
            api_key: false,
        });
        Ok(())
    }

    /// Ends the session. OAuth tokens are revoked at the portal first (best effort: the
    /// local session ends even if the portal cannot be reached).
    pub async fn sign_out(&self) -> Result<(), Error> {
        let Some(session) = self.session() else { return Ok(()) };
        self.use_no_session();
        let Some(refresh) = session.refresh else { return Ok(()) };
        #[derive(serde::Deserialize)]
        struct Revoked {}
        for token in [&refresh.token, &session.token] {
            let request = ApiRequest::write("/oauth2/revokeToken")
                .param("client_id", refresh.client_id.clone())
                .secret("auth_token", token);
            self.call_anonymous::<Revoked>(&request).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{OAuthConfig, PendingSignIn, base64url};
    use crate::secret::Secret;

    #[test]
    fn a_pending_sign_in_survives_encoding() {
        let mut config = OAuthConfig::new("app&id", "https://example.com/keys/?x=1");
        config.refresh_minutes = 60;
        let pending = PendingSignIn { config, state: "s=t".into(), verifier: Secret::new("v+v") };
        let text = pending.encode("https://www.arcgis.com/sharing/rest");
        assert_eq!(PendingSignIn::decode(&text), Some(("https://www.arcgis.com/sharing/rest".into(), pending)));
        assert_eq!(PendingSignIn::decode("portal=x&state=y"), None, "anything missing reads as nothing pending");
    }

    #[test]
    fn base64url_matches_rfc_4648_vectors_without_padding() {
        let cases: &[(&[u8], &str)] = &[
            (b"", ""),
            (b"f", "Zg"),
            (b"fo", "Zm8"),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg"),
            (b"fooba", "Zm9vYmE"),
            (b"foobar", "Zm9vYmFy"),
            (&[0xfb, 0xff], "-_8"),
        ];
        for (input, expected) in cases {
            assert_eq!(base64url(input), *expected);
        }
    }
}
