//! The credential and its summary, as every area answers them.

use arcgis_keys::attention::{AppFacts, badges};
use arcgis_keys::model::{Credential as CoreCredential, Item, KeyKind as CoreKeyKind, Slot as CoreSlot};
use arcgis_keys::rotation::RotationPlan;
use serde::Serialize;
use tsify::Tsify;

/// An API key credential (two key slots) or a legacy API key (one key).
#[derive(Serialize, Tsify, Clone, Copy, PartialEq, Eq)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub enum KeyKind {
    Credential,
    Legacy,
}

impl From<CoreKeyKind> for KeyKind {
    fn from(kind: CoreKeyKind) -> Self {
        match kind {
            CoreKeyKind::Credential => KeyKind::Credential,
            CoreKeyKind::Legacy => KeyKind::Legacy,
        }
    }
}

/// A slot's expiration as the item records it.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct SlotExpiration {
    #[tsify(type = "1 | 2")]
    pub slot: u8,
    pub expires: Option<i64>,
}

/// A key in a listing: what the search answer says, without the app.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct KeySummary {
    pub id: String,
    pub kind: KeyKind,
    pub title: String,
    pub owner: String,
    /// The folder id; `null` at the root.
    pub folder: Option<String>,
    pub tags: Vec<String>,
    pub snippet: Option<String>,
    pub description: Option<String>,
    pub created: i64,
    pub modified: i64,
    /// Credentials: both slots. Legacy keys: none.
    pub slots: Vec<SlotExpiration>,
}

impl From<&Item> for KeySummary {
    fn from(item: &Item) -> Self {
        let kind = item.key_kind().map_or(KeyKind::Credential, KeyKind::from);
        let slots = match kind {
            KeyKind::Credential => [CoreSlot::Primary, CoreSlot::Secondary]
                .map(|slot| SlotExpiration { slot: slot.number(), expires: item.expiration(slot) })
                .into(),
            KeyKind::Legacy => Vec::new(),
        };
        Self {
            id: item.id.clone(),
            kind,
            title: item.title.clone(),
            owner: item.owner.clone(),
            folder: item.owner_folder.clone(),
            tags: item.tags.clone(),
            snippet: item.snippet.clone(),
            description: item.description.clone(),
            created: item.created,
            modified: item.modified,
            slots,
        }
    }
}

/// A slot's state.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct SlotState {
    #[tsify(type = "1 | 2")]
    pub slot: u8,
    /// Holds a key that works (until it expires).
    pub active: bool,
    pub expires: Option<i64>,
    /// When arcgis-keys made the live key (from its record on the credential); `null`
    /// when unknown (the portal keeps no such date).
    pub made: Option<i64>,
}

/// A credential or legacy key with its app: everything but its secrets.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct Credential {
    pub id: String,
    pub kind: KeyKind,
    pub title: String,
    pub owner: String,
    pub folder: Option<String>,
    pub tags: Vec<String>,
    pub snippet: Option<String>,
    pub description: Option<String>,
    pub created: i64,
    pub modified: i64,
    pub client_id: String,
    /// Privilege ids, item access excluded.
    pub privileges: Vec<String>,
    /// Ids of the items the keys may read.
    pub item_access: Vec<String>,
    pub referrers: Vec<String>,
    /// The portal's verdict: do the keys act as their owner (personal privileges)?
    pub personal: bool,
    /// The legacy API key this credential replaced, when it replaced one.
    pub replaces: Option<String>,
    /// Credentials: both slots. Legacy keys (retired): none.
    pub slots: Vec<SlotState>,
    /// Which slot a rotation fills and which it retires; `null` for a legacy key.
    pub rotation: Option<Rotation>,
    /// What needs attention, most urgent first, in the manager's words: `"Retired"`,
    /// `"Expired"`, `"Expires within 30 days"`, `"No key generated"`, `"No referrer
    /// restriction"`, `"Personal privileges"`.
    pub attention: Vec<String>,
}

/// What a rotation's generate step does now (the core's one rule, for every front end).
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct Rotation {
    /// `"generate"`: a new rotation, a key in `fill`. `"redo"`: the recorded rotation's
    /// key was never delivered, so `fill` is made again (the only key that stops is one
    /// nobody holds). `"deploy"`: the recorded key was delivered; deploy it, then retire
    /// `retire` (generating again changes nothing). `"chooseKey"`: both keys are live
    /// and may be deployed: `rotate` needs `replace`, the key to stop.
    #[tsify(type = r#""generate" | "redo" | "deploy" | "chooseKey""#)]
    pub step: &'static str,
    #[tsify(type = "1 | 2 | null")]
    pub fill: Option<u8>,
    /// `null` when no other slot holds a key.
    #[tsify(type = "1 | 2 | null")]
    pub retire: Option<u8>,
    /// Generating `fill` stops its live key (only when named with `replace`).
    pub replaces_live: bool,
    /// The rotation recorded on the credential, while the portal's state bears it out.
    pub in_progress: Option<RotationRecord>,
}

/// A rotation between its generate and retire steps, as recorded on the credential (in
/// the item's `properties`; no secret).
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct RotationRecord {
    #[tsify(type = "1 | 2")]
    pub slot: u8,
    #[tsify(type = "1 | 2 | null")]
    pub retire: Option<u8>,
    pub started: i64,
    /// What started it ("arcgis-keys command line", …).
    pub by: String,
    /// The key reached its destination.
    pub delivered: bool,
}

impl From<&arcgis_keys::rotation::RotationRecord> for RotationRecord {
    fn from(record: &arcgis_keys::rotation::RotationRecord) -> Self {
        Self {
            slot: record.slot.number(),
            retire: record.retire.map(CoreSlot::number),
            started: record.started_ms,
            by: record.by.clone(),
            delivered: record.delivered,
        }
    }
}

impl Rotation {
    pub(crate) fn of(credential: &CoreCredential, plan: Option<&RotationPlan>) -> Self {
        let in_progress = credential.rotation_in_progress().as_ref().map(RotationRecord::from);
        let (step, fill, retire, replaces_live) = match plan {
            None => ("chooseKey", None, None, false),
            Some(plan) => {
                let (step, replaces_live) = match plan {
                    RotationPlan::Generate { replaces_live, .. } => ("generate", *replaces_live),
                    RotationPlan::Redo { .. } => ("redo", false),
                    RotationPlan::Deploy { .. } => ("deploy", false),
                };
                (step, Some(plan.slot().number()), plan.retire().map(CoreSlot::number), replaces_live)
            }
        };
        Self { step, fill, retire, replaces_live, in_progress }
    }
}

impl From<&CoreCredential> for Credential {
    fn from(credential: &CoreCredential) -> Self {
        let summary = KeySummary::from(&credential.item);
        let (privileges, item_access) = arcgis_keys::privileges::split(&credential.app.privileges);
        let record = credential.keys_record();
        let slots = match summary.kind {
            KeyKind::Credential => credential
                .slots()
                .map(|s| SlotState {
                    slot: s.slot.number(),
                    active: s.active,
                    expires: s.expires_ms,
                    made: s.active.then(|| record.made(s.slot)).flatten(),
                })
                .into(),
            KeyKind::Legacy => Vec::new(),
        };
        let rotation = (summary.kind == KeyKind::Credential)
            .then(|| Rotation::of(credential, credential.rotation(None).ok().as_ref()));
        Self {
            id: summary.id,
            kind: summary.kind,
            title: summary.title,
            owner: summary.owner,
            folder: summary.folder,
            tags: summary.tags,
            snippet: summary.snippet,
            description: summary.description,
            created: summary.created,
            modified: summary.modified,
            client_id: credential.app.client_id.clone(),
            privileges,
            item_access,
            referrers: credential.app.http_referrers.clone(),
            personal: credential.app.is_personal_api_token,
            replaces: arcgis_keys::ops::legacy::replaced_by(&credential.item.type_keywords).map(str::to_owned),
            slots,
            rotation,
            attention: badges(&credential.item, Some(&AppFacts::from(&credential.app)), js_sys::Date::now() as i64)
                .into_iter()
                .map(|badge| badge.word().to_owned())
                .collect(),
        }
    }
}
