//! Keys: generating, rotating, retiring, setting a slot's date and invalidating.

use arcgis_keys::Field;
use arcgis_keys::InputError;
use arcgis_keys::model::Slot;
use arcgis_keys::rotation::RotationPlan;
use arcgis_keys::validate::Expiration;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::Session;
use crate::errors::{self, Failure};
use crate::types::{self, from_js, slot, to_js};

#[wasm_bindgen]
impl Session {
    /// Generates (or regenerates) a slot's key with its expiration, fixed from then on.
    /// The key is in the answer only: the portal cannot show it again.
    #[wasm_bindgen(js_name = generateKey, unchecked_return_type = "Promise<IssuedKey>")]
    pub fn generate_key(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "KeyRequest")] request: JsValue,
    ) -> Promise {
        self.run(|inner| async move {
            let id = types::item_id(&id)?;
            let now = inner.now();
            let (slot, expires) = key_request(request, now)?;
            let (result, view) = inner
                .change(&id, async |client, c| {
                    let expires = expires.unwrap_or_else(|| arcgis_keys::ops::keys::default_expiration(c, slot, now));
                    client.generate_key(c, slot, expires).await
                })
                .await?;
            match result {
                Ok(issued) => Ok(to_js(&types::IssuedKey::from(&issued))),
                Err(error) => Err(Failure(errors::key_error(&error, view))),
            }
        })
    }

    /// A rotation's generate step, safe to run again: reads the credential, then does
    /// what its state and the rotation record on it allow (`Credential.rotation`). A new
    /// rotation fills the free slot; with both keys live it refuses unless `replace`
    /// names the key to stop. A key made but never delivered is made again (the only key
    /// that stops is one nobody holds); a delivered one is not made again (`"deploy"`).
    /// The record (no secret) is written with the slot's date before the key is made.
    /// Deliver the key, then call `confirmDelivery`; if it cannot be delivered,
    /// `invalidateKey` it at once.
    #[wasm_bindgen(unchecked_return_type = "Promise<Rotated>")]
    pub fn rotate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RotateOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.run(|inner| async move {
            let id = types::item_id(&id)?;
            let now = inner.now();
            let options: types::RotateOptions = from_js(options.unwrap_or(JsValue::UNDEFINED), "options")?;
            let replace = types::named_slot(options.replace, "replace")?;
            let expires = options.expires.map(|at| Expiration::new(at, now)).transpose()?;
            let by = options.by.unwrap_or_else(|| "arcgis-keys".to_owned());
            if by.chars().count() > 100 {
                return Err(InputError::new(Field::Option("by"), "Use at most 100 characters.").into());
            }
            let (result, view) =
                inner.change(&id, async |client, c| client.rotate(c, replace, expires, &by).await).await?;
            let rotated = match result {
                Ok(rotated) => rotated,
                Err(error) => return Err(errors::rotate_error(error, view)),
            };
            let step = match rotated.plan {
                RotationPlan::Generate { .. } => "generate",
                RotationPlan::Redo { .. } => "redo",
                RotationPlan::Deploy { .. } => "deploy",
            };
            Ok(to_js(&types::Rotated {
                step,
                slot: rotated.plan.slot().number(),
                retire: rotated.plan.retire().map(Slot::number),
                replaced_live: matches!(rotated.plan, RotationPlan::Generate { replaces_live: true, .. }),
                key: rotated.issued.as_ref().map(|k| k.key.expose().to_owned()),
                expires: rotated.issued.as_ref().and_then(|k| k.expires_ms),
                credential: view,
            }))
        })
    }

    /// Records on the credential that the key `rotate` made reached its destination, so
    /// that running `rotate` again changes nothing until `retire`.
    #[wasm_bindgen(js_name = confirmDelivery, unchecked_return_type = "Promise<Credential>")]
    pub fn confirm_delivery(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        self.run(|inner| async move {
            let id = types::item_id(&id)?;
            let (result, view) = inner.change(&id, async |client, c| client.mark_delivered(c).await).await?;
            result?;
            Ok(to_js(&view))
        })
    }

    /// A rotation's last step, once the new key is deployed: invalidates the other key
    /// and closes the record. `keep` defaults to the recorded rotation's new key. Refused
    /// (nothing sent) when it would leave no live key, or keep a key never delivered.
    #[wasm_bindgen(unchecked_return_type = "Promise<Retired>")]
    pub fn retire(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RetireOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.run(|inner| async move {
            let id = types::item_id(&id)?;
            let options: types::RetireOptions = from_js(options.unwrap_or(JsValue::UNDEFINED), "options")?;
            let keep = types::named_slot(options.keep, "keep")?;
            let (result, view) = inner.change(&id, async |client, c| client.retire(c, keep).await).await?;
            let retirement = match result {
                Ok(retirement) => retirement,
                Err(error) => return Err(errors::rotate_error(error, view)),
            };
            Ok(to_js(&types::Retired {
                kept: retirement.keep.number(),
                retired: retirement.stops_key.then(|| retirement.retire.number()),
                credential: view,
            }))
        })
    }

    /// Sets the expiration the next key generated in an empty slot gets. Refused for a
    /// slot that holds a key: a key keeps the expiration it was generated with, so
    /// generate it again (`generateKey`) to change its life.
    #[wasm_bindgen(js_name = setExpiration, unchecked_return_type = "Promise<Credential>")]
    pub fn set_expiration(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "KeyRequest")] request: JsValue,
    ) -> Promise {
        self.run(|inner| async move {
            let id = types::item_id(&id)?;
            let now = inner.now();
            let (slot, expires) = key_request(request, now)?;
            let expires = expires.unwrap_or_else(|| Expiration::default_from(now));
            let (result, view) =
                inner.change(&id, async |client, c| client.set_expiration(c, slot, expires).await).await?;
            match result {
                Ok(()) => Ok(to_js(&view)),
                Err(error) => Err(Failure(errors::key_error(&error, view))),
            }
        })
    }

    /// Invalidates a slot's key: it stops working at once.
    #[wasm_bindgen(js_name = invalidateKey, unchecked_return_type = "Promise<Credential>")]
    pub fn invalidate_key(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "1 | 2")] slot_number: JsValue,
    ) -> Promise {
        self.run(|inner| async move {
            let id = types::item_id(&id)?;
            let slot = types::slot_of(&slot_number)?;
            let (result, view) = inner.change(&id, async |client, c| client.invalidate_key(c, slot).await).await?;
            match result {
                Ok(()) => Ok(to_js(&view)),
                Err(error) => Err(Failure(errors::key_error(&error, view))),
            }
        })
    }
}

/// A `KeyRequest`'s slot and chosen expiry, validated. Without one, the default depends
/// on the credential (`ops::keys::default_expiration`).
fn key_request(request: JsValue, now: i64) -> Result<(Slot, Option<Expiration>), InputError> {
    let request: types::KeyRequest = from_js(request, "request")?;
    let expires = request.expires.map(|at| Expiration::new(at, now)).transpose()?;
    Ok((slot(request.slot)?, expires))
}
