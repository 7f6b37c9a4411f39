//! Signing in: a password, an existing token, or "Sign in with ArcGIS" (OAuth 2 with
//! PKCE, in a popup or through a full-page redirect).
//! And the session's own sign-in methods: its user, how it signed in, keeping and
//! renewing an OAuth sign-in, signing out.

use arcgis_keys::oauth::OAuthConfig;
use arcgis_keys::{Error, InputError, Portal, Secret};
use wasm_bindgen::prelude::*;

use super::{Session, WebClient};
use crate::errors::{Failure, plain};
use crate::oauth::{self, Completion, page_origin};
use crate::types::{
    ApiKeyOptions, NativeOAuthOptions, OAuthOptions, RefreshOptions, SignInOptions, TokenOptions, from_js,
};

/// A client for `portal`, ArcGIS Online when none is given.
fn client(portal: Option<&str>) -> Result<WebClient, InputError> {
    crate::fetch::client_for(portal.unwrap_or(Portal::arcgis_online().base()))
}

/// Signs in with a username and password. The token is bound to `referer`, by default
/// the page's origin.
#[wasm_bindgen(js_name = signIn)]
pub async fn sign_in(
    #[wasm_bindgen(unchecked_param_type = "SignInOptions")] options: JsValue,
) -> Result<Session, JsValue> {
    let options: SignInOptions = from_js(options, "options").map_err(Failure::from)?;
    let client = client(options.portal.as_deref()).map_err(Failure::from)?;
    let referer = options.referer.or_else(page_origin).unwrap_or_else(|| "http://localhost".into());
    client.sign_in(&options.username, &Secret::new(options.password), &referer).await.map_err(plain)?;
    Ok(Session::new(client))
}

/// Uses a token you already hold; checks it by reading the user.
#[wasm_bindgen(js_name = fromToken)]
pub async fn from_token(
    #[wasm_bindgen(unchecked_param_type = "TokenOptions")] options: JsValue,
) -> Result<Session, JsValue> {
    let options: TokenOptions = from_js(options, "options").map_err(Failure::from)?;
    let client = client(options.portal.as_deref()).map_err(Failure::from)?;
    client.sign_in_with_token(Secret::new(options.token), options.expires).await.map_err(plain)?;
    Ok(Session::new(client))
}

/// Uses an API key whose credential holds personal privileges (an administrator's
/// automation key): it acts as the credential's owner, within those privileges. The
/// session never renews and `signOut()` revokes nothing. Without `username`, the owner
/// is the one the portal names; a portal that names none needs it.
#[wasm_bindgen(js_name = fromApiKey)]
pub async fn from_api_key(
    #[wasm_bindgen(unchecked_param_type = "ApiKeyOptions")] options: JsValue,
) -> Result<Session, JsValue> {
    let options: ApiKeyOptions = from_js(options, "options").map_err(Failure::from)?;
    let client = client(options.portal.as_deref()).map_err(Failure::from)?;
    client.sign_in_with_api_key(Secret::new(options.key), options.username.as_deref()).await.map_err(plain)?;
    Ok(Session::new(client))
}

/// Resumes a sign-in kept by `Session.keptSignIn()`: one call for an access token,
/// then the user is read.
#[wasm_bindgen(js_name = fromRefreshToken)]
pub async fn from_refresh_token(
    #[wasm_bindgen(unchecked_param_type = "RefreshOptions")] options: JsValue,
) -> Result<Session, JsValue> {
    let options: RefreshOptions = from_js(options, "options").map_err(Failure::from)?;
    let client = client(options.portal.as_deref()).map_err(Failure::from)?;
    let refresh = arcgis_keys::Refresh {
        token: Secret::new(options.refresh_token),
        client_id: options.client_id,
        expires_ms: options.refresh_expires.unwrap_or(i64::MAX),
    };
    client.sign_in_with_refresh(refresh).await.map_err(plain)?;
    Ok(Session::new(client))
}

/// A "Sign in with ArcGIS" begun outside the browser: send the user to `url`, then
/// hand `complete` what came back.
#[wasm_bindgen]
pub struct NativeSignIn {
    client: WebClient,
    pending: arcgis_keys::oauth::PendingSignIn,
    url: String,
}

#[wasm_bindgen]
impl NativeSignIn {
    /// The portal's sign-in page for this sign-in.
    #[wasm_bindgen(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// Finishes the sign-in with what came back: the loopback redirect's URL or query
    /// (`?code=…&state=…`, whose state is checked), or the code the portal showed for
    /// the out-of-band redirect. Consumes this object.
    #[wasm_bindgen(unchecked_return_type = "Promise<Session>")]
    pub fn complete(self, #[wasm_bindgen(unchecked_param_type = "string")] answer: JsValue) -> js_sys::Promise {
        wasm_bindgen_futures::future_to_promise(async move {
            let answer = answer.as_string().unwrap_or_default();
            let answer = answer.trim();
            let query = match answer.split_once('?') {
                Some((_, query)) => query.to_owned(),
                None if answer.contains("code=") || answer.contains("error=") => answer.to_owned(),
                // A code pasted by hand: no redirect carried a state to check.
                None => form_urlencoded::Serializer::new(String::new())
                    .append_pair("code", answer)
                    .append_pair("state", &self.pending.state)
                    .finish(),
            };
            self.client.complete_oauth(&self.pending, &query).await.map_err(plain)?;
            Ok(Session::new(self.client).into())
        })
    }
}

/// Begins "Sign in with ArcGIS" for a program outside the browser (a command line):
/// PKCE, with a loopback or the out-of-band redirect.
#[wasm_bindgen(js_name = beginNativeOAuth)]
pub async fn begin_native_oauth(
    #[wasm_bindgen(unchecked_param_type = "NativeOAuthOptions")] options: JsValue,
) -> Result<NativeSignIn, JsValue> {
    let options: NativeOAuthOptions = from_js(options, "options").map_err(Failure::from)?;
    let client = client(options.portal.as_deref()).map_err(Failure::from)?;
    let mut config = OAuthConfig::new(options.client_id, options.redirect_uri);
    if let Some(minutes) = options.refresh_minutes {
        config.refresh_minutes = minutes;
    }
    let (url, pending) = client.begin_oauth(config).await;
    Ok(NativeSignIn { client, pending, url })
}

/// Starts "Sign in with ArcGIS". With `popup` (the default), resolves with the session
/// once the user has signed in in the popup. Without, this page navigates to the
/// portal and the promise resolves with `null`; `completeOAuth()` on the redirect page
/// finishes.
#[wasm_bindgen(js_name = beginOAuth, unchecked_return_type = "Promise<Session | null>")]
pub fn begin_oauth(#[wasm_bindgen(unchecked_param_type = "OAuthOptions")] options: JsValue) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        let options: OAuthOptions = from_js(options, "options").map_err(Failure::from)?;
        let client = client(options.portal.as_deref()).map_err(Failure::from)?;
        let mut config = OAuthConfig::new(options.client_id, options.redirect_uri);
        if let Some(minutes) = options.refresh_minutes {
            config.refresh_minutes = minutes;
        }
        if options.popup == Some(false) {
            oauth::begin_redirect(&client, config).await;
            return Ok(JsValue::NULL);
        }
        oauth::sign_in_with_popup(&client, config).await.map_err(plain)?;
        Ok(Session::new(client).into())
    })
}

/// On the redirect page: finishes a sign-in. After a redirect sign-in, resolves with
/// the session (and removes the code from the address bar). In a sign-in popup, hands
/// the answer to the page that opened it, closes the popup and resolves with `null`.
#[wasm_bindgen(js_name = completeOAuth, unchecked_return_type = "Promise<Session | null>")]
pub fn complete_oauth() -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        match oauth::complete().await.map_err(plain)? {
            Completion::SignedIn(client, _) => Ok(Session::new(*client).into()),
            Completion::HandedBack => Ok(JsValue::NULL),
            Completion::NothingWaiting => {
                Err(plain(Error::SignIn("no sign-in is waiting for this page; start again from beginOAuth.".into())))
            }
        }
    })
}

/// Asks the location service `privilege` unlocks whether it accepts `key`, signed in
/// or not: no user token is ever sent with a key under test.
#[wasm_bindgen(js_name = testKey, unchecked_return_type = "Promise<KeyVerdict>")]
pub fn test_key(#[wasm_bindgen(unchecked_param_type = "TestKeyOptions")] options: JsValue) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        let client = client(None).map_err(Failure::from)?;
        super::usage::test_key(&client, options).await.map_err(JsValue::from)
    })
}

use crate::types::{self, to_js};
use js_sys::Promise;

#[wasm_bindgen]
impl Session {
    /// The signed-in user, read again from the portal.
    #[wasm_bindgen(unchecked_return_type = "Promise<User>")]
    pub fn user(&self) -> Promise {
        self.run(|inner| async move { Ok(to_js(&types::User::from(inner.client.me().await?))) })
    }

    /// How this session signed in: `"apiKey"` (it never renews), `"oauth"` (it renews
    /// itself) or `"token"` (a password's or a given token, until it expires).
    #[wasm_bindgen(getter, js_name = signedInWith, unchecked_return_type = "\"apiKey\" | \"oauth\" | \"token\"")]
    pub fn signed_in_with(&self) -> String {
        match self.inner.client.session() {
            Some(session) if session.api_key => "apiKey",
            Some(session) if session.refresh.is_some() => "oauth",
            _ => "token",
        }
        .into()
    }

    /// What keeps this OAuth sign-in for later, refresh token included (a command
    /// line's profile file, readable by its user only); `null` for any other session.
    /// The one way a refresh token reaches JavaScript.
    #[wasm_bindgen(js_name = keptSignIn, unchecked_return_type = "KeptSignIn | null")]
    pub fn kept_sign_in(&self) -> JsValue {
        let Some(session) = self.inner.client.session() else { return JsValue::NULL };
        let Some(refresh) = session.refresh else { return JsValue::NULL };
        to_js(&types::KeptSignIn {
            portal: self.portal(),
            username: session.username,
            client_id: refresh.client_id,
            refresh_token: refresh.token.expose().to_owned(),
            refresh_expires: refresh.expires_ms,
        })
    }

    /// Trades this OAuth sign-in's refresh token for a new one, so a kept sign-in lasts
    /// as long as it is used. `redirectUri`: one registered for the app. Keep
    /// `keptSignIn()` again afterwards: the old refresh token may have stopped.
    #[wasm_bindgen(js_name = renewSignIn, unchecked_return_type = "Promise<void>")]
    pub fn renew_sign_in(&self, #[wasm_bindgen(unchecked_param_type = "RenewOptions")] options: JsValue) -> Promise {
        self.run(|inner| async move {
            let options: types::RenewOptions = from_js(options, "options")?;
            let minutes = options.refresh_minutes.unwrap_or(arcgis_keys::oauth::REFRESH_MINUTES);
            inner.client.renew_refresh_token(&options.redirect_uri, minutes).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Ends the session; OAuth tokens are revoked at the portal.
    #[wasm_bindgen(js_name = signOut, unchecked_return_type = "Promise<void>")]
    pub fn sign_out(&self) -> Promise {
        self.run(|inner| async move {
            inner.credentials.borrow_mut().clear();
            inner.client.sign_out().await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}
