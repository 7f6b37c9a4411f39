//! A credential's two key slots: generate (or regenerate) with a new expiration, and
//! invalidate. Rotation without downtime is these two in turn: generate the secondary,
//! deploy it, invalidate the primary.

use crate::client::Client;
use crate::error::Error;
use crate::model::{Credential, Slot};
use crate::ops::create::{IssuedKey, generate_key_request};
use crate::request::ApiRequest;
use crate::secret::Secret;
use crate::transport::Transport;
use crate::validate::Expiration;

/// Which call of a key operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStep {
    SetExpiration,
    Generate,
    Invalidate,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} key {} failed: {error}", match step {
    KeyStep::SetExpiration => "Setting the expiration of",
    KeyStep::Generate => "Generating",
    KeyStep::Invalidate => "Invalidating",
}, slot.number())]
pub struct KeyError {
    pub slot: Slot,
    pub step: KeyStep,
    pub error: Error,
}

#[derive(serde::Deserialize)]
struct KeyResponse {
    access_token: Secret,
}

#[derive(serde::Deserialize)]
struct Success {}

fn expiration_field(slot: Slot) -> &'static str {
    match slot {
        Slot::Primary => "apiToken1ExpirationDate",
        Slot::Secondary => "apiToken2ExpirationDate",
    }
}

impl<T: Transport> Client<T> {
    /// Generates slot `slot`'s key, replacing any key it held, valid until `expires`.
    /// Two calls: the expiration (with the user's token), then the key (with the client
    /// secret). `credential` is updated to match.
    pub async fn generate_key(
        &self,
        credential: &mut Credential,
        slot: Slot,
        expires: Expiration,
    ) -> Result<IssuedKey, KeyError> {
        let fail = |step, error| KeyError { slot, step, error };
        let item = &credential.item;
        let update = ApiRequest::write(format!("/content/users/{}/items/{}/update", item.owner, item.id))
            .param(expiration_field(slot), expires.epoch_ms().to_string());
        self.call::<Success>(&update).await.map_err(|e| fail(KeyStep::SetExpiration, e))?;
        match slot {
            Slot::Primary => credential.item.api_token1_expiration_date = expires.epoch_ms(),
            Slot::Secondary => credential.item.api_token2_expiration_date = expires.epoch_ms(),
        }
        let response: KeyResponse = self
            .call_anonymous(&generate_key_request(&credential.app, slot))
            .await
            .map_err(|e| fail(KeyStep::Generate, e))?;
        set_active(credential, slot, true);
        Ok(IssuedKey { slot, key: response.access_token, expires_ms: expires.epoch_ms() })
    }

    /// Moves slot `slot`'s expiration without generating a new key (one call).
    pub async fn set_expiration(
        &self,
        credential: &mut Credential,
        slot: Slot,
        expires: Expiration,
    ) -> Result<(), KeyError> {
        let item = &credential.item;
        let update = ApiRequest::write(format!("/content/users/{}/items/{}/update", item.owner, item.id))
            .param(expiration_field(slot), expires.epoch_ms().to_string());
        self.call::<Success>(&update).await.map_err(|error| KeyError { slot, step: KeyStep::SetExpiration, error })?;
        match slot {
            Slot::Primary => credential.item.api_token1_expiration_date = expires.epoch_ms(),
            Slot::Secondary => credential.item.api_token2_expiration_date = expires.epoch_ms(),
        }
        Ok(())
    }

    /// Invalidates slot `slot`'s key: it stops working at once.
    pub async fn invalidate_key(&self, credential: &mut Credential, slot: Slot) -> Result<(), KeyError> {
        let request = ApiRequest::write("/oauth2/revokeToken")
            .param("client_id", credential.app.client_id.clone())
            .secret("client_secret", &credential.app.client_secret)
            .param("apiToken", slot.number().to_string())
            .param("grant_type", "client_credentials")
            .flag("regenerateApiToken", true);
        self.call_anonymous::<Success>(&request).await.map_err(|error| KeyError {
            slot,
            step: KeyStep::Invalidate,
            error,
        })?;
        set_active(credential, slot, false);
        Ok(())
    }
}

fn set_active(credential: &mut Credential, slot: Slot, active: bool) {
    match slot {
        Slot::Primary => credential.app.api_token1_active = active,
        Slot::Secondary => credential.app.api_token2_active = active,
    }
}
