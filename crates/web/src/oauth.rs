//! "Sign in with ArcGIS" in the browser: in a popup, or by a full-page redirect whose
//! pending sign-in waits in session storage. The PKCE itself is the core's; the popup,
//! the hand-back to the opener and the storage are in `js/browser.js`. The JS API
//! (`auth.rs`) and the widget both sign in through here.

use arcgis_keys::model::User;
use arcgis_keys::oauth::{OAuthConfig, PendingSignIn};
use arcgis_keys::{Client, Error, Portal};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::fetch::FetchTransport;

#[wasm_bindgen(module = "/js/browser.js")]
extern "C" {
    #[wasm_bindgen(js_name = pageOrigin)]
    pub fn page_origin() -> Option<String>;
    #[wasm_bindgen(js_name = pageQuery)]
    fn page_query() -> String;
    #[wasm_bindgen(js_name = signInInPopup)]
    fn sign_in_in_popup(url: &str, redirect_uri: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = handBackToOpener)]
    fn hand_back_to_opener(query: &str) -> bool;
    #[wasm_bindgen(js_name = storePending)]
    fn store_pending(text: &str);
    #[wasm_bindgen(js_name = takePending)]
    fn take_pending() -> Option<String>;
    fn navigate(url: &str);
    #[wasm_bindgen(js_name = forgetQuery)]
    fn forget_query();
}

/// Signs `client` in through a popup; resolves once the user has signed in there.
pub async fn sign_in_with_popup(client: &Client<FetchTransport>, config: OAuthConfig) -> Result<User, Error> {
    let (url, pending) = client.begin_oauth(config).await;
    let query = JsFuture::from(sign_in_in_popup(&url, &pending.config.redirect_uri))
        .await
        .map_err(popup_failure)?
        .as_string()
        .unwrap_or_default();
    client.complete_oauth(&pending, &query).await
}

/// What `signInInPopup` rejected with, `{ message, cancelled }`, as the core's error.
fn popup_failure(reason: JsValue) -> Error {
    let field = |name: &str| js_sys::Reflect::get(&reason, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    let message = field("message").as_string().unwrap_or_else(|| "the sign-in window failed.".into());
    if field("cancelled").as_bool() == Some(true) { Error::SignInCancelled(message) } else { Error::SignIn(message) }
}

/// Leaves this page for the portal's sign-in page; [`complete`] on the redirect page
/// finishes.
pub async fn begin_redirect(client: &Client<FetchTransport>, config: OAuthConfig) {
    let (url, pending) = client.begin_oauth(config).await;
    store_pending(&pending.encode(client.portal().base()));
    navigate(&url);
}

/// What [`complete`] found on this page.
pub enum Completion {
    /// A redirect sign-in finished: the signed-in client and its user.
    SignedIn(Box<Client<FetchTransport>>, User),
    /// This page is a sign-in popup: the answer went to the opener, which signs in.
    HandedBack,
    /// No sign-in answer is on this page.
    NothingWaiting,
}

/// On a page the portal may have redirected to: finishes a redirect sign-in (and
/// removes the code from the address bar), or hands a popup's answer to its opener.
pub async fn complete() -> Result<Completion, Error> {
    let query = page_query();
    let state = form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
        .find(|(name, _)| name == "state")
        .map(|(_, value)| value.into_owned());
    let Some(state) = state else { return Ok(Completion::NothingWaiting) };
    match take_pending().as_deref().and_then(PendingSignIn::decode) {
        Some((portal, pending)) if pending.state == state => {
            forget_query();
            let client = Client::new(FetchTransport, Portal::new(&portal)?);
            let user = client.complete_oauth(&pending, &query).await?;
            Ok(Completion::SignedIn(Box::new(client), user))
        }
        _ if hand_back_to_opener(&query) => Ok(Completion::HandedBack),
        _ => Ok(Completion::NothingWaiting),
    }
}
