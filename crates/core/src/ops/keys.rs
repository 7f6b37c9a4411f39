//! A credential's two key slots: generate (or regenerate) with an expiration, and
//! invalidate. Rotation without downtime is these two in turn: generate the free slot,
//! deploy it, invalidate the other.
//!
//! A key's expiration is fixed when it is generated ("cannot be edited without
//! invalidating the key"): the date is set on the item just before the key is made,
//! never moved under a live key. Before a slot is generated the app is read again, as
//! REST JS does (a fresh client secret, and whether the slot holds a key); an
//! invalidation is confirmed by reading the app after it, because `revokeToken`
//! answers success even when nothing was revoked.

use crate::client::Client;
use crate::error::{Error, Field, InputError, ServerError};
use crate::model::{AppInfo, Credential, Slot, UNSET};
use crate::ops::credentials::app_request;
use crate::paths;
use crate::request::ApiRequest;
use crate::secret::Secret;
use crate::transport::Transport;
use crate::validate::Expiration;

/// A key shown once: `Debug` redacts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedKey {
    pub slot: Slot,
    pub key: Secret,
    /// When the key stops working, as the portal holds it once the key is made (read
    /// back, never the date asked for: another session may have set the slot's date in
    /// between). `None` if the portal could not be read after the key was made.
    pub expires_ms: Option<i64>,
}

/// Which call of a key operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStep {
    /// Reading the app again (before generating, or to confirm an invalidation).
    ReadApp,
    SetExpiration,
    Generate,
    Invalidate,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} key {} failed: {error}{}", match step {
    KeyStep::ReadApp => "Reading the state of",
    KeyStep::SetExpiration => "Setting the expiration of",
    KeyStep::Generate => "Generating",
    KeyStep::Invalidate => "Invalidating",
}, slot.number(), if *undelivered { UNDELIVERED } else { "" })]
pub struct KeyError {
    pub slot: Slot,
    pub step: KeyStep,
    pub error: Error,
    /// The slot may hold a key nobody received: the portal made it and its answer was
    /// lost, and making it again failed too. Generating the slot again replaces it.
    pub undelivered: bool,
}

const UNDELIVERED: &str = " The portal may have made the key all the same, and nobody received it: generate \
     this key again to replace it (a rotation's generate step does so by itself), or invalidate it.";

#[derive(serde::Deserialize)]
pub(crate) struct KeyResponse {
    pub access_token: Secret,
}

/// The request that generates `slot`'s key. It carries the client secret and no user
/// token: the secret is the credential. `regenerateApiToken` is `false` for a slot with
/// no key yet, as the Python API and the portal send it, and `true` to replace one.
pub(crate) fn generate_key_request(app: &AppInfo, slot: Slot) -> ApiRequest {
    ApiRequest::write("/oauth2/token")
        .param("grant_type", "client_credentials")
        .param("client_id", app.client_id.clone())
        .secret("client_secret", &app.client_secret)
        .param("apiToken", slot.number().to_string())
        .flag("regenerateApiToken", app.is_active(slot))
}

/// The item update that gives `slot` the expiration its next key gets.
pub(crate) fn expiration_request(credential: &Credential, slot: Slot, epoch_ms: i64) -> ApiRequest {
    let item = &credential.item;
    ApiRequest::write(paths::item_action(&item.owner, &item.id, "update"))
        .param(slot.expiration_field(), epoch_ms.to_string())
}

fn revoke_request(app: &AppInfo, slot: Slot) -> ApiRequest {
    ApiRequest::write("/oauth2/revokeToken")
        .param("client_id", app.client_id.clone())
        .secret("client_secret", &app.client_secret)
        .param("apiToken", slot.number().to_string())
        .param("grant_type", "client_credentials")
        .flag("regenerateApiToken", true)
}

/// The expiry a new key in `slot` gets when none is chosen: the live key it replaces
/// keeps its life ([`Expiration::for_regeneration`]). The one default of the JS API, the
/// widget and the command line.
pub fn default_expiration(credential: &Credential, slot: Slot, now_ms: i64) -> Expiration {
    let replaced = credential.app.is_active(slot).then(|| credential.item.expiration(slot)).flatten();
    Expiration::for_regeneration(replaced, now_ms)
}

impl<T: Transport> Client<T> {
    /// The app behind `credential`, read again; `credential` takes it.
    pub(crate) async fn reread_app(&self, credential: &mut Credential) -> Result<(), Error> {
        credential.app = self.call(&app_request(&credential.item.owner, &credential.item.id)).await?;
        Ok(())
    }

    /// Generates slot `slot`'s key, replacing any key it held, valid until `expires`.
    /// Two sequential levels: the expiration (user token) beside a fresh read of the
    /// app, then the key (client secret); then the item is read back for the expiry the
    /// portal fixed. `credential` is updated to match.
    pub async fn generate_key(
        &self,
        credential: &mut Credential,
        slot: Slot,
        expires: Expiration,
    ) -> Result<IssuedKey, KeyError> {
        self.generate_recorded(credential, slot, expires, None).await
    }

    /// [`Client::generate_key`], with `properties` (JSON text) written in the same item
    /// update as the date: a rotation's record costs no round trip of its own.
    ///
    /// A lost answer is recovered: when the generating call fails in a way that may
    /// have made the key (see [`Error::may_have_acted`]) and the app then shows the slot
    /// live, the portal holds a key nobody received, so the slot is generated once more
    /// and that key is returned. If that fails too, the error says the slot may hold
    /// an undelivered key ([`KeyError::undelivered`]).
    pub(crate) async fn generate_recorded(
        &self,
        credential: &mut Credential,
        slot: Slot,
        expires: Expiration,
        properties: Option<String>,
    ) -> Result<IssuedKey, KeyError> {
        let fail = |step, error| KeyError { slot, step, error, undelivered: false };
        let mut dated = expiration_request(credential, slot, expires.epoch_ms());
        if let Some(properties) = properties {
            dated = dated.param("properties", properties);
        }
        let read = app_request(&credential.item.owner, &credential.item.id);
        let (dated, app) = futures_util::future::join(self.call_success(&dated), self.call::<AppInfo>(&read)).await;
        // Keep what succeeded before reporting what failed: the copy matches the portal.
        if dated.is_ok() {
            credential.item.set_expiration(slot, expires.epoch_ms());
        }
        if let Ok(app) = app.as_ref() {
            credential.app = app.clone();
        }
        dated.map_err(|e| fail(KeyStep::SetExpiration, e))?;
        app.map_err(|e| fail(KeyStep::ReadApp, e))?;
        let response = match self.call_anonymous::<KeyResponse>(&generate_key_request(&credential.app, slot)).await {
            Ok(response) => response,
            Err(error) => {
                // The error carries the app as it is now. An answer lost after the portal
                // may have acted, with the slot live, is a key nobody received: made once
                // more. A refusal in the portal's words is taken at its word; a slot that
                // went live anyway still holds a key nobody received, and the error says so.
                let was_live = credential.app.is_active(slot);
                let read = self.reread_app(credential).await;
                let live = read.is_ok() && credential.app.is_active(slot);
                if !(error.may_have_acted() && live) {
                    let undelivered = if read.is_ok() { live && !was_live } else { error.may_have_acted() };
                    return Err(KeyError { undelivered, ..fail(KeyStep::Generate, error) });
                }
                self.call_anonymous::<KeyResponse>(&generate_key_request(&credential.app, slot))
                    .await
                    .map_err(|again| KeyError { undelivered: true, ..fail(KeyStep::Generate, again) })?
            }
        };
        credential.app.set_active(slot, true);
        let expires_ms = match self.item(&credential.item.id).await {
            Ok(item) => {
                credential.item = item;
                credential.item.expiration(slot)
            }
            Err(_) => None,
        };
        Ok(IssuedKey { slot, key: response.access_token, expires_ms })
    }

    /// Sets the expiration that the next key generated in `slot` gets. Refused while the
    /// slot holds a key, whose expiration was fixed when it was generated: to change a
    /// key's life, generate it again with the new date ([`Client::generate_key`]).
    pub async fn set_expiration(
        &self,
        credential: &mut Credential,
        slot: Slot,
        expires: Expiration,
    ) -> Result<(), KeyError> {
        let fail = |step, error| KeyError { slot, step, error, undelivered: false };
        self.reread_app(credential).await.map_err(|e| fail(KeyStep::ReadApp, e))?;
        if credential.app.is_active(slot) {
            let n = slot.number();
            let rule = format!(
                "Key {n} is live, and a key keeps the expiration it was generated with; generate key {n} again \
                 with the new date instead."
            );
            return Err(fail(KeyStep::SetExpiration, InputError::new(Field::Slot, rule).into()));
        }
        let request = expiration_request(credential, slot, expires.epoch_ms());
        self.call_success(&request).await.map_err(|e| fail(KeyStep::SetExpiration, e))?;
        credential.item.set_expiration(slot, expires.epoch_ms());
        Ok(())
    }

    /// Invalidates slot `slot`'s key: it stops working at once. A refused client secret
    /// (the app was registered again elsewhere) is read again once and the call retried;
    /// the app is read after, to confirm the slot is empty.
    pub async fn invalidate_key(&self, credential: &mut Credential, slot: Slot) -> Result<(), KeyError> {
        let fail = |step, error| KeyError { slot, step, error, undelivered: false };
        match self.call_anonymous_success(&revoke_request(&credential.app, slot)).await {
            Err(Error::Portal(refused)) if refused.oauth_error.as_deref() == Some("invalid_client") => {
                self.reread_app(credential).await.map_err(|e| fail(KeyStep::ReadApp, e))?;
                self.call_anonymous_success(&revoke_request(&credential.app, slot))
                    .await
                    .map_err(|e| fail(KeyStep::Invalidate, e))?;
            }
            other => other.map_err(|e| fail(KeyStep::Invalidate, e))?,
        }
        // Revoking resets the slot's date [Python]; the copy says so even if the read fails.
        credential.item.set_expiration(slot, UNSET);
        credential.app.set_active(slot, false);
        self.reread_app(credential).await.map_err(|e| fail(KeyStep::ReadApp, e))?;
        if credential.app.is_active(slot) {
            let still = ServerError::from_client(
                500,
                format!("The portal answered success, yet key {} still works.", slot.number()),
                vec!["Try again, or invalidate the key on the portal's item page.".into()],
            );
            return Err(fail(KeyStep::Invalidate, Error::Portal(still)));
        }
        Ok(())
    }
}
