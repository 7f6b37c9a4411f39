//! "Stay signed in in this tab": when the user asks, the session is kept in this tab's
//! session storage (never local storage), so a reload need not sign out. It goes when
//! the tab closes or the user signs out. The encoding is the core's
//! ([`Session::encode`]); the storage is `js/browser.js`'s.

use arcgis_keys::model::User;
use arcgis_keys::{Client, Error, Session, Transport};
use wasm_bindgen::prelude::*;

use crate::fetch::{FetchTransport, client_for};

#[wasm_bindgen(module = "/js/browser.js")]
extern "C" {
    #[wasm_bindgen(js_name = staySignedIn)]
    fn stay_signed_in() -> bool;
    #[wasm_bindgen(js_name = chooseStaySignedIn)]
    fn choose_stay_signed_in(stay: bool);
    #[wasm_bindgen(js_name = keepSession)]
    fn keep_session(text: &str);
    #[wasm_bindgen(js_name = keptSession)]
    fn kept_session() -> Option<String>;
    #[wasm_bindgen(js_name = dropSession)]
    fn drop_session();
}

/// Whether the user asked to stay signed in in this tab.
pub fn chosen() -> bool {
    stay_signed_in()
}

/// Records the user's choice; `false` also forgets a kept session.
pub fn choose(stay: bool) {
    choose_stay_signed_in(stay);
}

/// Keeps `client`'s session, if the user asked to stay signed in.
pub fn keep(client: &Client<FetchTransport>) {
    if let (true, Some(session)) = (chosen(), client.session()) {
        keep_session(&session.encode(client.portal().base()));
    }
}

/// Forgets the kept session and the choice (signing out).
pub fn forget() {
    choose_stay_signed_in(false);
}

/// Whether a kept session waits to be resumed.
pub fn waiting() -> bool {
    chosen() && kept_session().is_some()
}

/// Signs in with the kept session, if one is waiting and still usable (a session the
/// portal refuses is forgotten).
pub async fn resume() -> Option<Result<(Client<FetchTransport>, User), Error>> {
    if !chosen() {
        return None;
    }
    let (portal, session) = kept_session().as_deref().and_then(Session::decode)?;
    let client = match client_for(&portal) {
        Ok(client) => client,
        Err(e) => return Some(Err(e.into())),
    };
    if !session.usable_at(client.transport().now_ms()) {
        drop_session();
        return None;
    }
    client.use_session(session);
    let resumed = client.me().await;
    if let Err(Error::SignInRequired(_)) = &resumed {
        drop_session();
    }
    Some(resumed.map(|user| (client, user)))
}
