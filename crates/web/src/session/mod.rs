//! `Session`: a signed-in user on a portal, and every key operation as a method that
//! returns a Promise, one module per API area: `sign_in`, `listing` (and the
//! organization), `keys`, `edits`, `usage`. Each method converts its input, calls the
//! core and converts the answer, inside [`Session::run`].
//!
//! Operations take a credential's id. The session keeps each credential it has read or
//! changed (with its client secret, which never crosses to JavaScript) so that rotating
//! or editing does not re-read what it already holds; `getCredential` always re-reads.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::rc::Rc;

use arcgis_keys::Field;
use arcgis_keys::InputError;
use arcgis_keys::model::Credential as CoreCredential;
use arcgis_keys::{Client, Transport};
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::errors::Failure;
use crate::fetch::FetchTransport;
use crate::types::{self};

#[cfg(feature = "doctor")]
mod doctor;
mod edits;
mod keys;
mod listing;
pub mod sign_in;
mod usage;

pub(crate) type WebClient = Client<FetchTransport>;

/// A signed-in session. Create one with `signIn`, `fromToken` or the OAuth functions.
#[wasm_bindgen]
pub struct Session {
    inner: Rc<Inner>,
}

struct Inner {
    client: WebClient,
    credentials: RefCell<HashMap<String, CoreCredential>>,
}

impl Inner {
    /// The credential as this session last saw it, or read from the portal.
    async fn credential(&self, id: &str) -> Result<CoreCredential, Failure> {
        if let Some(credential) = self.credentials.borrow().get(id) {
            return Ok(credential.clone());
        }
        let credential = self.client.credential(id).await?;
        self.remember(&credential);
        Ok(credential)
    }

    /// Reads credential `id`, lets `operation` change it, and keeps the credential as the
    /// operation left it, failed or not: a step that failed after another succeeded has
    /// still changed the portal. Answers the result and the credential's view.
    async fn change<R, E>(
        &self,
        id: &str,
        operation: impl AsyncFnOnce(&WebClient, &mut CoreCredential) -> Result<R, E>,
    ) -> Result<(Result<R, E>, types::Credential), Failure> {
        let mut credential = self.credential(id).await?;
        let result = operation(&self.client, &mut credential).await;
        self.remember(&credential);
        Ok((result, types::Credential::from(&credential)))
    }

    /// Credentials `ids`, in their order: every id checked before anything is sent, the
    /// ones not read yet read together (the core's `READS_AT_ONCE` at a time).
    async fn credentials(&self, ids: &[String]) -> Result<Vec<CoreCredential>, Failure> {
        let ids = ids.iter().map(|id| types::item_id(&JsValue::from(id))).collect::<Result<Vec<_>, _>>()?;
        arcgis_keys::ops::credentials::read_at_once(&ids, |id| self.credential(id)).await
    }

    fn remember(&self, credential: &CoreCredential) {
        self.credentials.borrow_mut().insert(credential.item.id.clone(), credential.clone());
    }

    fn now(&self) -> i64 {
        self.client.transport().now_ms()
    }
}

impl Session {
    pub(crate) fn new(client: WebClient) -> Self {
        Self { inner: Rc::new(Inner { client, credentials: RefCell::new(HashMap::new()) }) }
    }

    /// A method as a Promise: `operation` gets the session's state and converts its
    /// input, calls the core and converts the answer; this is the one place a method
    /// becomes a Promise whose rejection is a JS error class.
    /// (A closure returning a future, not an async closure: that nests a second state
    /// machine in every method, 0.8 KB of wasm.)
    fn run<F>(&self, operation: impl FnOnce(Rc<Inner>) -> F) -> Promise
    where
        F: Future<Output = Result<JsValue, Failure>> + 'static,
    {
        let operation = operation(self.inner.clone());
        future_to_promise(async move { operation.await.map_err(JsValue::from) })
    }
}

#[wasm_bindgen]
impl Session {
    /// The signed-in user's username.
    #[wasm_bindgen(getter)]
    pub fn username(&self) -> String {
        self.inner.client.session().map(|s| s.username).unwrap_or_default()
    }

    /// Is the signed-in user an administrator of their organization (who may read and
    /// manage every member's credentials)?
    #[wasm_bindgen(getter, js_name = isAdmin)]
    pub fn is_admin(&self) -> bool {
        self.inner.client.user().is_some_and(|user| user.is_admin())
    }

    /// The portal's sharing REST URL.
    #[wasm_bindgen(getter)]
    pub fn portal(&self) -> String {
        self.inner.client.portal().base().to_owned()
    }

    /// When the current token expires (epoch ms); OAuth sessions renew it themselves.
    /// `0` after `signOut()`.
    #[wasm_bindgen(getter)]
    pub fn expires(&self) -> f64 {
        self.inner.client.session().map_or(0.0, |s| s.expires_ms as f64)
    }

    /// How long one call to the portal may take before it fails (default 30,000 ms):
    /// a whole number of milliseconds from 1 to 600,000 (ten minutes); anything else
    /// throws an `InputError` and keeps the current timeout.
    #[wasm_bindgen(js_name = setRequestTimeout)]
    pub fn set_request_timeout(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] milliseconds: JsValue,
    ) -> Result<(), JsValue> {
        match milliseconds.as_f64() {
            Some(ms) if ms.fract() == 0.0 && (1.0..=600_000.0).contains(&ms) => {
                self.inner.client.set_timeout_ms(ms as u32);
                Ok(())
            }
            _ => Err(Failure::from(InputError::new(
                Field::Option("milliseconds"),
                "Give the timeout as a whole number of milliseconds from 1 to 600000 (ten minutes).",
            ))
            .into()),
        }
    }
}
