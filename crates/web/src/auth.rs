//! Signing in: a password, an existing token, or "Sign in with ArcGIS" (OAuth 2 with
//! PKCE, in a popup or through a full-page redirect).

use arcgis_keys::oauth::{OAuthConfig, PendingSignIn};
use arcgis_keys::{Client, Error, InputError, Portal, Secret};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::errors::{Failure, plain};
use crate::fetch::FetchTransport;
use crate::session::{Session, WebClient};
use crate::types::{OAuthOptions, SignInOptions, TokenOptions, from_js};

#[wasm_bindgen(module = "/js/browser.js")]
extern "C" {
    #[wasm_bindgen(js_name = pageOrigin)]
    fn page_origin() -> Option<String>;
    #[wasm_bindgen(js_name = pageQuery)]
    fn page_query() -> String;
    #[wasm_bindgen(js_name = signInInPopup)]
    fn sign_in_in_popup(url: &str, redirect_uri: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = handBackToOpener)]
    fn hand_back_to_opener(query: &str) -> bool;
    #[wasm_bindgen(js_name = storePending)]
    fn store_pending(json: &str);
    #[wasm_bindgen(js_name = takePending)]
    fn take_pending() -> Option<String>;
    fn navigate(url: &str);
    #[wasm_bindgen(js_name = forgetQuery)]
    fn forget_query();
}

fn client(portal: Option<&str>) -> Result<WebClient, InputError> {
    let portal = match portal {
        Some(url) => Portal::new(url)?,
        None => Portal::arcgis_online(),
    };
    Ok(Client::new(FetchTransport, portal))
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

/// What a redirect sign-in keeps in session storage until the redirect page completes it.
#[derive(Serialize, Deserialize)]
struct StoredSignIn {
    portal: String,
    client_id: String,
    redirect_uri: String,
    refresh_minutes: u32,
    state: String,
    verifier: String,
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
        let (url, pending) = client.begin_oauth(config).await;
        if options.popup == Some(false) {
            let stored = StoredSignIn {
                portal: client.portal().base().to_owned(),
                client_id: pending.config.client_id,
                redirect_uri: pending.config.redirect_uri,
                refresh_minutes: pending.config.refresh_minutes,
                state: pending.state,
                verifier: pending.verifier.expose().to_owned(),
            };
            let json = js_sys::JSON::stringify(&crate::types::to_js(&stored)).expect("plain strings stringify");
            store_pending(&String::from(json));
            navigate(&url);
            return Ok(JsValue::NULL);
        }
        let query = JsFuture::from(sign_in_in_popup(&url, &pending.config.redirect_uri))
            .await
            .map_err(|reason| plain(Error::SignIn(reason.as_string().unwrap_or_default())))?
            .as_string()
            .unwrap_or_default();
        client.complete_oauth(&pending, &query).await.map_err(plain)?;
        Ok(Session::new(client).into())
    })
}

/// On the redirect page: finishes a sign-in. After a redirect sign-in, resolves with
/// the session (and removes the code from the address bar). In a sign-in popup, hands
/// the answer to the page that opened it, closes the popup and resolves with `null`.
#[wasm_bindgen(js_name = completeOAuth, unchecked_return_type = "Promise<Session | null>")]
pub fn complete_oauth() -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        let query = page_query();
        let state = form_urlencoded_state(&query);
        let stored: Option<StoredSignIn> = take_pending()
            .and_then(|json| js_sys::JSON::parse(&json).ok())
            .and_then(|value| crate::js_value::from_value(value).ok());
        match stored {
            Some(stored) if Some(&stored.state) == state.as_ref() => {
                forget_query();
                let client = client(Some(&stored.portal)).map_err(Failure::from)?;
                let mut config = OAuthConfig::new(stored.client_id, stored.redirect_uri);
                config.refresh_minutes = stored.refresh_minutes;
                let pending = PendingSignIn { config, state: stored.state, verifier: Secret::new(stored.verifier) };
                client.complete_oauth(&pending, &query).await.map_err(plain)?;
                Ok(Session::new(client).into())
            }
            _ if state.is_some() && hand_back_to_opener(&query) => Ok(JsValue::NULL),
            _ => Err(plain(Error::SignIn("no sign-in is waiting for this page; start again from beginOAuth.".into()))),
        }
    })
}

/// The `state` parameter of a query string.
fn form_urlencoded_state(query: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == "state")
        .map(|(_, value)| value.to_owned())
}
