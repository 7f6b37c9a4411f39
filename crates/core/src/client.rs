//! The client: a portal, a transport, and the signed-in session.

use std::cell::{Cell, RefCell};

use serde::de::DeserializeOwned;

use crate::error::{Error, ServerError};
use crate::model::User;
use crate::portal::Portal;
use crate::request::ApiRequest;
use crate::response;
use crate::secret::Secret;
use crate::transport::Transport;

/// A user's session on a portal. `Debug` redacts the tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub username: String,
    pub token: Secret,
    /// Epoch ms.
    pub expires_ms: i64,
    /// Held after an OAuth sign-in: lets the session renew itself.
    pub refresh: Option<Refresh>,
    /// The token is an API key whose credential holds personal privileges: it acts as
    /// the credential's owner, within those privileges, until it expires or is
    /// invalidated. It never renews, and signing out revokes nothing.
    pub api_key: bool,
}

impl Session {
    /// The session and its portal as one form-encoded line, to keep in a tab's session
    /// storage when the user asks to stay signed in (it holds the tokens: never local
    /// storage).
    pub fn encode(&self, portal: &str) -> String {
        let mut line = form_urlencoded::Serializer::new(String::new());
        line.append_pair("portal", portal)
            .append_pair("username", &self.username)
            .append_pair("token", self.token.expose())
            .append_pair("expires", &self.expires_ms.to_string());
        if self.api_key {
            line.append_pair("api_key", "true");
        }
        if let Some(refresh) = &self.refresh {
            line.append_pair("refresh_token", refresh.token.expose())
                .append_pair("client_id", &refresh.client_id)
                .append_pair("refresh_expires", &refresh.expires_ms.to_string());
        }
        line.finish()
    }

    /// Reads what [`Session::encode`] wrote: the portal and the session.
    pub fn decode(text: &str) -> Option<(String, Session)> {
        let value =
            |name: &str| form_urlencoded::parse(text.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
        let refresh = match value("refresh_token") {
            Some(token) => Some(Refresh {
                token: Secret::new(token),
                client_id: value("client_id")?,
                expires_ms: value("refresh_expires")?.parse().ok()?,
            }),
            None => None,
        };
        let session = Session {
            username: value("username")?,
            token: Secret::new(value("token")?),
            expires_ms: value("expires")?.parse().ok()?,
            refresh,
            api_key: value("api_key").is_some(),
        };
        Some((value("portal")?, session))
    }

    /// Whether the session can still be used at `now_ms`: its token is not past its
    /// margin, or its refresh token can renew it.
    pub fn usable_at(&self, now_ms: i64) -> bool {
        self.expires_ms.saturating_sub(EXPIRY_MARGIN_MS) > now_ms
            || self.refresh.as_ref().is_some_and(|refresh| refresh.expires_ms.saturating_sub(EXPIRY_MARGIN_MS) > now_ms)
    }
}

/// An OAuth refresh token and the client it was issued to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refresh {
    pub token: Secret,
    pub client_id: String,
    /// Epoch ms.
    pub expires_ms: i64,
}

/// A token counts as expired this long before it does, so a call never races its end.
pub const EXPIRY_MARGIN_MS: i64 = 5 * 60 * 1000;

/// How long a `generateToken` session lasts, in minutes: two weeks, ArcGIS Online's cap.
pub const SESSION_MINUTES: u32 = 20_160;

/// Talks to one portal through one transport, as one user at a time.
pub struct Client<T: Transport> {
    transport: T,
    portal: Portal,
    session: RefCell<Option<Session>>,
    /// The signed-in user as `community/self` last answered (its org id names the
    /// portal for usage).
    user: RefCell<Option<User>>,
    timeout_ms: Cell<u32>,
    /// Every exchange while a transcript is kept (`record`), secrets redacted.
    #[cfg(feature = "doctor")]
    transcript: RefCell<Option<Vec<crate::transcript::Exchange>>>,
    /// Set by `interrupt`: a long run (`doctor`) stops at its next step and cleans up.
    #[cfg(feature = "doctor")]
    interrupted: Cell<bool>,
}

impl<T: Transport> Client<T> {
    pub fn new(transport: T, portal: Portal) -> Self {
        Self {
            transport,
            portal,
            session: RefCell::new(None),
            user: RefCell::new(None),
            timeout_ms: Cell::new(crate::request::DEFAULT_TIMEOUT_MS),
            #[cfg(feature = "doctor")]
            transcript: RefCell::new(None),
            #[cfg(feature = "doctor")]
            interrupted: Cell::new(false),
        }
    }

    pub fn portal(&self) -> &Portal {
        &self.portal
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// How long one call may take before it fails (default 30 s).
    pub fn set_timeout_ms(&self, timeout_ms: u32) {
        self.timeout_ms.set(timeout_ms);
    }

    /// Sends an HTTP request with the client's timeout; a transport failure is an error.
    pub(crate) async fn send_http(
        &self,
        mut http: crate::transport::HttpRequest,
    ) -> Result<crate::transport::HttpResponse<T::Body>, Error> {
        http.timeout_ms = self.timeout_ms.get();
        #[cfg(feature = "doctor")]
        if self.transcript.borrow().is_some() {
            return self.send_recorded(http).await;
        }
        self.transport.send(http).await.map_err(|e| Error::Transport(e.to_string()))
    }

    /// [`Client::send_http`] while a transcript is kept.
    #[cfg(feature = "doctor")]
    async fn send_recorded(
        &self,
        http: crate::transport::HttpRequest,
    ) -> Result<crate::transport::HttpResponse<T::Body>, Error> {
        let mut exchange = crate::transcript::Exchange::of_request(&http);
        let response = self.transport.send(http).await.map_err(|e| Error::Transport(e.to_string()));
        match &response {
            Ok(response) => exchange.answered(response.status, self.transport.body_text(&response.body)),
            Err(error) => exchange.failed(&error.to_string()),
        }
        if let Some(transcript) = self.transcript.borrow_mut().as_mut() {
            transcript.push(exchange);
        }
        response
    }

    #[cfg(feature = "doctor")]
    /// Asks a long run in progress (`doctor`) to stop at its next step and clean up.
    pub fn interrupt(&self) {
        self.interrupted.set(true);
    }

    #[cfg(feature = "doctor")]
    /// Whether `interrupt` was called since the run began (which clears it).
    pub(crate) fn take_interrupted(&self, clear: bool) -> bool {
        let interrupted = self.interrupted.get();
        if clear {
            self.interrupted.set(false);
        }
        interrupted
    }

    #[cfg(feature = "doctor")]
    /// Starts keeping a transcript of every request and answer, secrets redacted
    /// ([`crate::transcript`]); `take_transcript` ends it.
    pub fn record(&self) {
        *self.transcript.borrow_mut() = Some(Vec::new());
    }

    #[cfg(feature = "doctor")]
    /// The transcript kept since `record`, and no more keeping.
    pub fn take_transcript(&self) -> Vec<crate::transcript::Exchange> {
        self.transcript.borrow_mut().take().unwrap_or_default()
    }

    pub fn session(&self) -> Option<Session> {
        self.session.borrow().clone()
    }

    /// Uses a token the caller already holds.
    pub fn use_session(&self, session: Session) {
        *self.session.borrow_mut() = Some(session);
    }

    pub(crate) fn use_no_session(&self) {
        *self.session.borrow_mut() = None;
        *self.user.borrow_mut() = None;
    }

    /// The signed-in user as last read, if read.
    pub fn user(&self) -> Option<User> {
        self.user.borrow().clone()
    }

    /// The signed-in username, or "sign in again".
    pub(crate) fn username(&self) -> Result<String, Error> {
        self.session.borrow().as_ref().map(|s| s.username.clone()).ok_or_else(not_signed_in)
    }

    /// Sends `request` with no user token.
    pub(crate) async fn call_anonymous<R: DeserializeOwned>(&self, request: &ApiRequest) -> Result<R, Error> {
        let json = self.send(request, None).await?;
        response::decode(&self.transport, &json)
    }

    #[cfg(feature = "doctor")]
    /// Sends `request` with `token` instead of the session's (another credential's key,
    /// as `doctor` tries one), and parses the answer.
    pub(crate) async fn call_as<R: DeserializeOwned>(&self, request: &ApiRequest, token: &Secret) -> Result<R, Error> {
        let json = self.send(request, Some(token)).await?;
        response::decode(&self.transport, &json)
    }

    /// Sends `request` with the user's token; see [`Client::call_json`].
    pub(crate) async fn call<R: DeserializeOwned>(&self, request: &ApiRequest) -> Result<R, Error> {
        let json = self.call_json(request).await?;
        response::decode(&self.transport, &json)
    }

    /// Sends a write that answers `{"success":true}` with the user's token, and checks
    /// that it says so: an answer without `success: true` did not confirm the change.
    pub(crate) async fn call_success(&self, request: &ApiRequest) -> Result<(), Error> {
        let json = self.call_json(request).await?;
        response::success(&self.transport, &json)
    }

    /// [`Client::call_success`] with no user token (the client secret is the credential).
    pub(crate) async fn call_anonymous_success(&self, request: &ApiRequest) -> Result<(), Error> {
        let json = self.send(request, None).await?;
        response::success(&self.transport, &json)
    }

    /// Sends `request` with the user's token and parses the answer. A session that can
    /// refresh itself does so when its token is about to expire, and once more (then
    /// retries) if the portal answers 498 or 499 anyway. Not generic over the answer's
    /// type: one copy of this state machine serves every call.
    pub(crate) async fn call_json(&self, request: &ApiRequest) -> Result<T::Json, Error> {
        let session = self.session.borrow().clone().ok_or_else(not_signed_in)?;
        let can_refresh = session.refresh.is_some();
        if can_refresh && session.expires_ms.saturating_sub(EXPIRY_MARGIN_MS) <= self.transport.now_ms() {
            self.refresh().await?;
        }
        let token = self.current_token()?;
        match self.send(request, Some(&token)).await {
            Err(Error::SignInRequired(_)) if can_refresh => {
                self.refresh().await?;
                let token = self.current_token()?;
                self.send(request, Some(&token)).await
            }
            other => other,
        }
    }

    fn current_token(&self) -> Result<Secret, Error> {
        self.session.borrow().as_ref().map(|s| s.token.clone()).ok_or_else(not_signed_in)
    }

    /// Replaces the session's access token using its refresh token.
    async fn refresh(&self) -> Result<(), Error> {
        #[derive(serde::Deserialize)]
        struct Refreshed {
            access_token: Secret,
            expires_in: i64,
        }
        let refresh = self.session.borrow().as_ref().and_then(|s| s.refresh.clone()).ok_or_else(not_signed_in)?;
        let request = ApiRequest::write("/oauth2/token")
            .param("grant_type", "refresh_token")
            .param("client_id", refresh.client_id.clone())
            .secret("refresh_token", &refresh.token);
        let refreshed: Refreshed = self.call_anonymous(&request).await.map_err(|error| match error {
            // A refused refresh token means the session is over.
            Error::Portal(server) => Error::SignInRequired(server),
            other => other,
        })?;
        let expires_ms = expires_at(self.transport.now_ms(), refreshed.expires_in);
        if let Some(session) = self.session.borrow_mut().as_mut() {
            session.token = refreshed.access_token;
            session.expires_ms = expires_ms;
        }
        Ok(())
    }

    async fn send(&self, request: &ApiRequest, token: Option<&Secret>) -> Result<T::Json, Error> {
        let response = self.send_http(request.to_http(&self.portal, token)).await?;
        response::parse(&self.transport, &response)
            .map_err(|error| self.scrubbed(error, request, token))
            .map_err(|error| if token.is_some() { self.as_api_key_error(error, request) } else { error })
    }

    /// A refusal of an API key session in words that fit a key: 498/499 is no "sign in
    /// again" (a key cannot sign in; it expired, was invalidated, or holds no personal
    /// privilege), and a 403 names the personal privilege the call needs
    /// ([`crate::privileges::needed_by_key`]), whatever the portal's own words say.
    fn as_api_key_error(&self, error: Error, request: &ApiRequest) -> Error {
        let session = self.session.borrow();
        let Some(owner) = session.as_ref().filter(|s| s.api_key).map(|s| s.username.as_str()) else { return error };
        match error {
            Error::SignInRequired(mut server) => {
                server.details.insert(0, server.message.clone());
                server.message = KEY_REFUSED.into();
                Error::Portal(server)
            }
            Error::Portal(mut server) if server.code == 403 => {
                let privilege = crate::privileges::needed_by_key(request, owner);
                server.details.push(format!("An API key needs the personal privilege {privilege} for this."));
                server.privilege = Some(privilege);
                Error::Portal(server)
            }
            other => other,
        }
    }

    /// `error` with every secret this client holds for the call taken out of the
    /// portal's words (message and details): the token it sent, the request's own
    /// secrets (a password, a client secret, a refresh token) and the session's. The one
    /// place a portal's text is cleaned before anything passes it on.
    fn scrubbed(&self, error: Error, request: &ApiRequest, token: Option<&Secret>) -> Error {
        let (Error::Portal(mut server) | Error::SignInRequired(mut server)) = error.clone() else { return error };
        let session = self.session.borrow();
        let held = session.iter().flat_map(|s| std::iter::once(&s.token).chain(s.refresh.as_ref().map(|r| &r.token)));
        for secret in token.into_iter().chain(request.secrets()).chain(held) {
            server.redact(secret.expose());
        }
        match error {
            Error::SignInRequired(_) => Error::SignInRequired(server),
            _ => Error::Portal(server),
        }
    }

    /// Signs in with a username and password (`generateToken`), then reads the user.
    /// `referer` is the origin of the page the token will be used from.
    pub async fn sign_in(&self, username: &str, password: &Secret, referer: &str) -> Result<User, Error> {
        #[derive(serde::Deserialize)]
        struct Token {
            token: Secret,
            expires: i64,
        }
        let request = ApiRequest::write("/generateToken")
            .param("username", username)
            .secret("password", password)
            .param("client", "referer")
            .param("referer", referer)
            .param("expiration", SESSION_MINUTES.to_string());
        let token: Token = self.call_anonymous(&request).await?;
        self.use_session(Session {
            username: username.to_owned(),
            token: token.token,
            expires_ms: token.expires,
            refresh: None,
            api_key: false,
        });
        self.me().await
    }

    /// Uses an API key whose credential holds personal privileges (an administrator's
    /// automation key): it acts as the credential's owner. The owner is whom
    /// `community/self` names; where a portal does not say (contract section 12,
    /// [open]), `username` is required and read from `community/users/{username}`. A
    /// `username` that is not the owner the portal names is refused.
    pub async fn sign_in_with_api_key(&self, key: Secret, username: Option<&str>) -> Result<User, Error> {
        let username = username.map(str::trim).filter(|u| !u.is_empty());
        self.use_session(Session {
            username: username.unwrap_or_default().to_owned(),
            token: key,
            expires_ms: i64::MAX,
            refresh: None,
            api_key: true,
        });
        let user = match (self.me().await, username) {
            (Ok(user), Some(named)) if !user.username.eq_ignore_ascii_case(named) => {
                return Err(crate::error::InputError::new(
                    crate::error::Field::Option("username"),
                    format!("this key acts as {}, not {named}; give its owner's username, or none", user.username),
                )
                .into());
            }
            (Ok(user), _) => user,
            (Err(Error::Portal(server)), Some(named)) if matches!(server.code, 400 | 403) => {
                let user: User = self.call(&ApiRequest::read(crate::paths::user(named))).await?;
                self.adopt_username(&user);
                user
            }
            (Err(Error::Portal(server)), None) if matches!(server.code, 400 | 403) => {
                return Err(crate::error::InputError::new(
                    crate::error::Field::Option("username"),
                    format!(
                        "the portal does not say whose key this is ({}); give the username of the credential's owner. \
                         A key with only location-service privileges cannot manage keys.",
                        server.message.trim_end_matches('.')
                    ),
                )
                .into());
            }
            (Err(error), _) => return Err(error),
        };
        Ok(user)
    }

    /// Whether the session acts through an API key.
    pub fn is_api_key(&self) -> bool {
        self.session.borrow().as_ref().is_some_and(|s| s.api_key)
    }

    /// The session's username as the portal spells it (Enterprise may accept a
    /// sign-in as `jsmith` for the user `DOMAIN\jsmith`): paths must use the canonical one.
    fn adopt_username(&self, user: &User) {
        if let Some(session) = self.session.borrow_mut().as_mut() {
            session.username.clone_from(&user.username);
        }
        *self.user.borrow_mut() = Some(user.clone());
    }

    /// Uses a token the caller already holds (until `expires_ms`, if known) and checks it
    /// by reading the user, whose name the session then carries.
    pub async fn sign_in_with_token(&self, token: Secret, expires_ms: Option<i64>) -> Result<User, Error> {
        self.use_session(Session {
            username: String::new(),
            token,
            expires_ms: expires_ms.unwrap_or(i64::MAX),
            refresh: None,
            api_key: false,
        });
        self.me().await
    }

    /// The signed-in user (`community/self`); the session takes its canonical username.
    pub async fn me(&self) -> Result<User, Error> {
        let user: User = self.call(&ApiRequest::read("/community/self")).await?;
        self.adopt_username(&user);
        Ok(user)
    }
}

/// When a token that lives `seconds` from `now_ms` expires. Saturating: the answer
/// comes from the network and may be absurd.
pub(crate) fn expires_at(now_ms: i64, seconds: i64) -> i64 {
    now_ms.saturating_add(seconds.saturating_mul(1000))
}

/// What a portal's 498 means to a session that acts through an API key.
const KEY_REFUSED: &str = "The API key is not valid for managing keys: it expired or was invalidated, \
or its credential holds no personal privilege (a key manages keys only through personal privileges such as \
portal:user:createItem).";

fn not_signed_in() -> Error {
    Error::SignInRequired(ServerError::from_client(499, "Sign in to continue.", Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::{EXPIRY_MARGIN_MS, Refresh, Session, expires_at};
    use crate::secret::Secret;

    fn session(refresh: Option<Refresh>) -> Session {
        Session {
            username: "DOMAIN\\j&smith".into(),
            token: Secret::new("t=1&x"),
            expires_ms: 10_000_000,
            refresh,
            api_key: false,
        }
    }

    #[test]
    fn a_kept_session_reads_back_whole() {
        let refresh = Refresh { token: Secret::new("r+/="), client_id: "app id".into(), expires_ms: 99_000_000 };
        for kept in [session(None), session(Some(refresh))] {
            let line = kept.encode("https://www.arcgis.com/sharing/rest");
            assert_eq!(Session::decode(&line), Some(("https://www.arcgis.com/sharing/rest".into(), kept)));
        }
        assert_eq!(Session::decode("portal=x&username=j"), None, "no token: nothing to resume");
        assert_eq!(Session::decode("portal=x&username=j&token=t&expires=soon"), None);
    }

    #[test]
    fn a_kept_session_is_usable_while_its_token_or_refresh_lives() {
        let token_end = 10_000_000 - EXPIRY_MARGIN_MS;
        assert!(session(None).usable_at(token_end - 1));
        assert!(!session(None).usable_at(token_end));
        let refresh = Refresh { token: Secret::new("r"), client_id: "app".into(), expires_ms: 99_000_000 };
        assert!(session(Some(refresh.clone())).usable_at(token_end + 1), "the refresh token renews it");
        assert!(!session(Some(refresh)).usable_at(99_000_000 - EXPIRY_MARGIN_MS));
    }

    #[test]
    fn absurd_lifetimes_saturate_instead_of_overflowing() {
        assert_eq!(expires_at(1_000, 2), 3_000);
        assert_eq!(expires_at(1_000, i64::MAX), i64::MAX);
        assert_eq!(expires_at(1_000, i64::MIN), i64::MIN + 1_000);
        assert_eq!(i64::MIN.saturating_sub(super::EXPIRY_MARGIN_MS), i64::MIN);
    }
}
