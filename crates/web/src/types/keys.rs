//! Keys: generating, rotating and retiring, and the key a call issued.

use arcgis_keys::model::Slot as CoreSlot;
use arcgis_keys::ops::keys::IssuedKey as CoreIssuedKey;
use arcgis_keys::{Field, InputError};
use serde::{Deserialize, Serialize};
use tsify::Tsify;

use super::Credential;

/// A key to generate: its slot and when it expires.
#[derive(Deserialize, Tsify, Clone, Copy)]
#[serde(rename_all = "camelCase")]
pub struct KeyRequest {
    #[tsify(type = "1 | 2")]
    pub slot: u8,
    /// Epoch ms, at most a year ahead. Default: 30 days from now, or for a slot that
    /// holds a live key, that key's expiry if it is later (regenerating never shortens
    /// a key's life unasked).
    #[serde(default)]
    #[tsify(optional)]
    pub expires: Option<i64>,
}

/// `rotate`: a rotation's generate step.
#[derive(Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase")]
pub struct RotateOptions {
    /// The live key to stop and replace, when both slots hold one. Without it a live key
    /// is never replaced: `rotate` refuses, naming both keys.
    #[serde(default)]
    #[tsify(optional, type = "1 | 2")]
    pub replace: Option<u8>,
    /// Epoch ms: the new key lasts to the end of that day, UTC (see `parseExpiry`).
    /// Default: `generateKey`'s.
    #[serde(default)]
    #[tsify(optional)]
    pub expires: Option<i64>,
    /// What is rotating, kept in the record on the credential (no secret): default
    /// `"arcgis-keys"`. At most 100 characters.
    #[serde(default)]
    #[tsify(optional)]
    pub by: Option<String>,
}

/// `rotate`'s answer.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct Rotated {
    /// What was done: `"generate"` (a new key), `"redo"` (the undelivered key made
    /// again) or `"deploy"` (the key was delivered already: nothing was made).
    #[tsify(type = r#""generate" | "redo" | "deploy""#)]
    pub step: &'static str,
    #[tsify(type = "1 | 2")]
    pub slot: u8,
    /// The slot to retire once the new key is deployed; `null` if no other key lives.
    #[tsify(type = "1 | 2 | null")]
    pub retire: Option<u8>,
    /// A live key this stopped (named with `replace`).
    pub replaced_live: bool,
    /// The new key, shown once; `null` for `"deploy"`. Deliver it, then call
    /// `confirmDelivery`; if it cannot be delivered, `invalidateKey` it.
    pub key: Option<String>,
    /// The key's expiry as the portal holds it (read back); `null` if unknown.
    pub expires: Option<i64>,
    pub credential: Credential,
}

/// `retire`: a rotation's last step.
#[derive(Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase")]
pub struct RetireOptions {
    /// The key to keep. Default: the recorded rotation's new key.
    #[serde(default)]
    #[tsify(optional, type = "1 | 2")]
    pub keep: Option<u8>,
}

/// `retire`'s answer.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct Retired {
    #[tsify(type = "1 | 2")]
    pub kept: u8,
    /// The slot whose key was invalidated; `null` when it held none.
    #[tsify(type = "1 | 2 | null")]
    pub retired: Option<u8>,
    pub credential: Credential,
}

/// A slot named by an option other than `slot` (`replace`, `keep`): 1 or 2.
pub(crate) fn named_slot(number: Option<u8>, option: &'static str) -> Result<Option<CoreSlot>, InputError> {
    number
        .map(|n| CoreSlot::from_number(n).ok_or_else(|| InputError::new(Field::Option(option), "Use 1 or 2.")))
        .transpose()
}

/// A key, shown once: the portal cannot show it again.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct IssuedKey {
    #[tsify(type = "1 | 2")]
    pub slot: u8,
    pub key: String,
    /// The expiry the portal holds for the key, read back once it was made; `null` if
    /// the portal could not be read then.
    pub expires: Option<i64>,
}

impl From<&CoreIssuedKey> for IssuedKey {
    fn from(issued: &CoreIssuedKey) -> Self {
        Self { slot: issued.slot.number(), key: issued.key.expose().to_owned(), expires: issued.expires_ms }
    }
}
