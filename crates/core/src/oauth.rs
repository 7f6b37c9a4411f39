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

impl OAuthConfig {
    pub fn new(client_id: impl Into<String>, redirect_uri: impl Into<String>) -> Self {
        Self { client_id: client_id.into(), redirect_uri: redirect_uri.into(), refresh_minutes: 20_160 }
    }
}

/// What must survive the redirect. `Debug` redacts the verifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignIn {
    pub config: OAuthConfig,
    pub state: String,
    pub verifier: Secret,
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
            let description = value("error_description").unwrap_or_default();
            return Err(Error::SignIn(format!("{error}: {description}")));
        }
        let code = value("code").ok_or_else(|| Error::SignIn("the portal sent no code.".into()))?;
        #[derive(serde::Deserialize)]
        struct Tokens {
            access_token: Secret,
            expires_in: i64,
            username: String,
            refresh_token: Option<Secret>,
            refresh_token_expires_in: Option<i64>,
        }
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
        });
        self.me().await
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
    use super::base64url;

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
