//! The shapes that cross to JavaScript: options in, plain objects out. Each derives
//! `Tsify` for its TypeScript declaration; values go out through serde-wasm-bindgen
//! ([`to_js`]) and come in through [`crate::js_value`] ([`from_js`]).
//!
//! Conventions, the same everywhere: names are camelCase; every date is a `number` of
//! milliseconds since the Unix epoch (what the portal uses; `new Date(ms)` reads it);
//! an absent value in an answer is `null`; options may leave optional fields out.

use arcgis_keys::attention::{AppFacts, badges};
use arcgis_keys::model::{Credential as CoreCredential, Item, KeyKind as CoreKeyKind, Slot as CoreSlot};
use arcgis_keys::ops::create::Warning as CoreWarning;
use arcgis_keys::ops::keys::IssuedKey as CoreIssuedKey;
use arcgis_keys::rotation::RotationPlan;
use arcgis_keys::{Field, InputError};
use serde::{Deserialize, Serialize};
use tsify::Tsify;
use wasm_bindgen::JsValue;

#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/answers.js")]
extern "C" {
    /// `UsagePoint` objects made in JS from three columns: a million points in one
    /// crossing, where serializing them one by one took most of a second.
    #[wasm_bindgen(js_name = usagePoints)]
    pub(crate) fn usage_points(at: &[f64], count: &[f64], credits: &[f64]) -> js_sys::Array;
}

/// Answers are plain objects with `null` for absent values.
pub(crate) fn to_js<T: Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .expect("answers hold only strings, booleans, safe integers and arrays")
}

/// Reads an options object; a wrong shape is an input error naming the field that does
/// not fit, or `what` when the whole argument does not.
pub(crate) fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &'static str) -> Result<T, InputError> {
    let value = if value.is_undefined() { JsValue::from(js_sys::Object::new()) } else { value };
    crate::js_value::from_value(value)
        .map_err(|error| InputError::new(Field::Option(error.field.unwrap_or(what)), error.to_string()))
}

/// An item id from JavaScript: a string of 32 hexadecimal characters and nothing else.
/// Checked before anything is sent; a number or an object never reaches the wasm as a
/// string (wasm-bindgen would read it as one and trap).
pub(crate) fn item_id(value: &JsValue) -> Result<String, InputError> {
    let text =
        value.as_string().ok_or_else(|| InputError::new(Field::Id, "Give the credential's item id as a string."))?;
    let id = text.trim().to_ascii_lowercase();
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(InputError::new(Field::Id, "This is not an item id: an item id is 32 hexadecimal characters."));
    }
    Ok(id)
}

/// A key slot as JavaScript numbers it.
pub(crate) fn slot(number: u8) -> Result<CoreSlot, InputError> {
    CoreSlot::from_number(number).ok_or_else(slot_rule)
}

/// A slot given as a bare JS value: exactly the number 1 or 2 (not 257, not 1.5, not "1").
pub(crate) fn slot_of(value: &JsValue) -> Result<CoreSlot, InputError> {
    match value.as_f64() {
        Some(1.0) => Ok(CoreSlot::Primary),
        Some(2.0) => Ok(CoreSlot::Secondary),
        _ => Err(slot_rule()),
    }
}

fn slot_rule() -> InputError {
    InputError::new(Field::Slot, "A credential has two key slots: use 1 or 2.")
}

// ---- Options -------------------------------------------------------------------------

/// `signIn`: a username and password (`generateToken`).
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct SignInOptions {
    /// The portal's sharing REST URL. Default: ArcGIS Online, `https://www.arcgis.com/sharing/rest`.
    #[serde(default)]
    #[tsify(optional)]
    pub portal: Option<String>,
    pub username: String,
    pub password: String,
    /// The origin the token is bound to. Default: the page's origin (`http://localhost` in Node).
    #[serde(default)]
    #[tsify(optional)]
    pub referer: Option<String>,
}

/// `fromToken`: a token the caller already holds.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct TokenOptions {
    #[serde(default)]
    #[tsify(optional)]
    pub portal: Option<String>,
    pub token: String,
    /// When the token expires (epoch ms), if known.
    #[serde(default)]
    #[tsify(optional)]
    pub expires: Option<i64>,
}

/// `fromApiKey`: an API key whose credential holds personal privileges (an
/// administrator's automation key), which acts as the credential's owner.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyOptions {
    #[serde(default)]
    #[tsify(optional)]
    pub portal: Option<String>,
    pub key: String,
    /// The credential's owner. Needed only where the portal does not say whose key it
    /// is; when given, it must be the owner the portal names.
    #[serde(default)]
    #[tsify(optional)]
    pub username: Option<String>,
}

/// `beginNativeOAuth`: "Sign in with ArcGIS" for a program outside the browser (a
/// command line), with PKCE: a loopback redirect (`http://127.0.0.1:PORT/…`) or the
/// out-of-band one (`urn:ietf:wg:oauth:2.0:oob`, the portal shows a code to paste).
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct NativeOAuthOptions {
    #[serde(default)]
    #[tsify(optional)]
    pub portal: Option<String>,
    pub client_id: String,
    pub redirect_uri: String,
    /// How long the sign-in may renew itself, in minutes. Default: two weeks.
    #[serde(default)]
    #[tsify(optional)]
    pub refresh_minutes: Option<u32>,
}

/// `fromRefreshToken`: a sign-in kept as its refresh token (`Session.keptSignIn()`).
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct RefreshOptions {
    #[serde(default)]
    #[tsify(optional)]
    pub portal: Option<String>,
    pub client_id: String,
    pub refresh_token: String,
    /// When the refresh token expires (epoch ms), if known.
    #[serde(default)]
    #[tsify(optional)]
    pub refresh_expires: Option<i64>,
}

/// `Session.renewSignIn`: trading a refresh token for a new one.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct RenewOptions {
    /// One registered for the app (the one the sign-in used).
    pub redirect_uri: String,
    /// How long the new refresh token may live, in minutes. Default: two weeks.
    #[serde(default)]
    #[tsify(optional)]
    pub refresh_minutes: Option<u32>,
}

/// What keeps an OAuth sign-in for later (a command line's profile): never a password.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct KeptSignIn {
    pub portal: String,
    pub username: String,
    pub client_id: String,
    pub refresh_token: String,
    /// Epoch ms.
    pub refresh_expires: i64,
}

/// `beginOAuth`: "Sign in with ArcGIS" (OAuth 2 with PKCE).
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct OAuthOptions {
    #[serde(default)]
    #[tsify(optional)]
    pub portal: Option<String>,
    /// The OAuth app's client id.
    pub client_id: String,
    /// Registered for the app, exactly; its page calls `completeOAuth()`.
    pub redirect_uri: String,
    /// `true` (default): sign in in a popup and resolve with the session. `false`: this
    /// page navigates to the portal, and the redirect page's `completeOAuth()` resolves.
    #[serde(default)]
    #[tsify(optional)]
    pub popup: Option<bool>,
    /// How long the session may renew itself, in minutes. Default: two weeks.
    #[serde(default)]
    #[tsify(optional)]
    pub refresh_minutes: Option<u32>,
}

/// The order of a listing.
#[derive(Deserialize, Tsify, Clone, Copy, Default)]
#[serde(rename_all = "camelCase")]
pub enum SortField {
    #[default]
    Created,
    Modified,
    Title,
}

/// `listCredentials` and `listLegacyKeys`.
#[derive(Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct ListOptions {
    /// Default `"created"`.
    pub sort_by: Option<SortField>,
    /// Default `false` (oldest or A first).
    pub descending: Option<bool>,
    /// Results per search page, 1 to 100. Default 100.
    pub page_size: Option<f64>,
    /// Pages fetched at once after the first. Default 10.
    pub concurrency: Option<f64>,
}

/// `listOrgCredentials`: one member's only if `owner` is given, narrowed by `query`
/// (search words, as the portal's search reads them) if given, and the listing options.
/// (The options are repeated here rather than flattened: serde's flatten costs the wasm
/// kilobytes.)
#[derive(Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct OrgListOptions {
    pub owner: Option<String>,
    pub query: Option<String>,
    /// Default `"created"`.
    pub sort_by: Option<SortField>,
    /// Default `false` (oldest or A first).
    pub descending: Option<bool>,
    /// Results per search page, 1 to 100. Default 100.
    pub page_size: Option<f64>,
    /// Pages fetched at once after the first. Default 10.
    pub concurrency: Option<f64>,
}

/// `keysByExpiration`: epoch ms, both ends included.
#[derive(Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct ExpiryWindow {
    /// Default: now.
    pub from: Option<i64>,
    /// Default: a year and a day after now, so every live key.
    pub to: Option<i64>,
}

/// One live key of the organization, by its expiration.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ExpiringKey {
    pub item_id: String,
    pub title: String,
    pub owner: String,
    #[tsify(type = "1 | 2")]
    pub slot: u8,
    pub expires: i64,
}

/// `keysByExpiration`'s answer. `source`: `"apiTokens"` (the portal's list of live keys)
/// or `"search"` (the portal refused it; the items' dates stand in, and a date can outlive
/// an invalidated key).
#[derive(Serialize, Tsify)]
pub struct KeysByExpiration {
    #[tsify(type = "\"apiTokens\" | \"search\"")]
    pub source: &'static str,
    pub keys: Vec<ExpiringKey>,
}

impl From<arcgis_keys::ops::org::KeysByExpiration> for KeysByExpiration {
    fn from(found: arcgis_keys::ops::org::KeysByExpiration) -> Self {
        use arcgis_keys::ops::org::ExpirySource;
        Self {
            source: match found.source {
                ExpirySource::ApiTokens => "apiTokens",
                ExpirySource::Search => "search",
            },
            keys: found
                .keys
                .into_iter()
                .map(|k| ExpiringKey {
                    item_id: k.item_id,
                    title: k.title,
                    owner: k.owner,
                    slot: k.slot.number(),
                    expires: k.expires_ms,
                })
                .collect(),
        }
    }
}

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

/// `createCredential`.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct CredentialInput {
    pub title: String,
    #[serde(default)]
    #[tsify(optional)]
    pub snippet: Option<String>,
    #[serde(default)]
    #[tsify(optional)]
    pub description: Option<String>,
    #[serde(default)]
    #[tsify(optional)]
    pub tags: Option<Vec<String>>,
    /// An existing folder's id. Default: the root of the user's content.
    #[serde(default)]
    #[tsify(optional)]
    pub folder_id: Option<String>,
    /// A folder to create first, by title (instead of `folderId`).
    #[serde(default)]
    #[tsify(optional)]
    pub new_folder: Option<String>,
    /// Privilege ids (see `privileges()`).
    #[serde(default)]
    #[tsify(optional)]
    pub privileges: Option<Vec<String>>,
    /// Where the keys may be used from, e.g. `https://app.example.com`.
    #[serde(default)]
    #[tsify(optional)]
    pub referrers: Option<Vec<String>>,
    /// Ids of items the keys may read, at most 100.
    #[serde(default)]
    #[tsify(optional)]
    pub item_access: Option<Vec<String>>,
    /// The keys to generate now. Default: none.
    #[serde(default)]
    #[tsify(optional)]
    pub keys: Option<Vec<KeyRequest>>,
    /// Required when a privilege is personal: such keys act as you.
    #[serde(default)]
    #[tsify(optional)]
    pub acknowledge_personal_privileges: Option<bool>,
}

/// `updateCredential`: only the fields present change.
#[derive(Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct CredentialUpdate {
    pub title: Option<String>,
    pub snippet: Option<String>,
    pub description: Option<String>,
    pub tags: Option<Vec<String>>,
    pub referrers: Option<Vec<String>>,
    pub privileges: Option<Vec<String>>,
    pub item_access: Option<Vec<String>>,
    /// Changing a credential's privileges or item access deactivates both of its keys;
    /// such a change is refused unless this is `true`.
    pub acknowledge_keys_stop_working: Option<bool>,
}

/// `updateCredential`'s answer: the credential as the portal now holds it, and the
/// slots whose keys the portal stopped, as its answer says (both, after new
/// privileges; possibly both after new referrers, which the service does not document).
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct Updated {
    pub credential: Credential,
    #[tsify(type = "(1 | 2)[]")]
    pub keys_stopped: Vec<u8>,
}

/// `browse`: the user's items, for item access.
#[derive(Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct BrowseOptions {
    /// A folder id. Default: the root.
    pub folder: Option<String>,
    /// 1-based; pass the previous page's `nextStart`. Default 1.
    pub start: Option<u32>,
}

/// The length of one point of a usage series.
#[derive(Deserialize, Tsify, Clone, Copy, Default)]
#[serde(rename_all = "camelCase")]
pub enum UsagePeriod {
    Hour,
    #[default]
    Day,
    Week,
    Month,
}

/// `usage`.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct UsageOptions {
    /// Epoch ms.
    pub start: i64,
    /// Epoch ms.
    pub end: i64,
    /// Default `"day"`.
    #[serde(default)]
    #[tsify(optional)]
    pub period: Option<UsagePeriod>,
}

/// The format of `exportInventory`.
#[derive(Deserialize, Tsify, Clone, Copy)]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    Csv,
    Json,
}

/// `exportInventory`.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ExportOptions {
    pub format: ExportFormat,
    /// The credentials and legacy keys to export, in this order (those this session has
    /// read are not read again).
    pub ids: Vec<String>,
}

/// `checkPolicy`: the credentials to check and the rules. Expired and legacy keys always
/// break them.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PolicyOptions {
    /// The credentials and legacy keys to check, in this order (those this session has
    /// read are not read again).
    pub ids: Vec<String>,
    /// A live key expiring within this many days is a warning. By default, when the
    /// manager flags it: within 30 days once half its life is gone (a key made today is
    /// never flagged).
    #[serde(default)]
    #[tsify(optional)]
    pub expiring_days: Option<u16>,
    /// A live key may have at most this many days still to live.
    #[serde(default)]
    #[tsify(optional)]
    pub max_lifetime_days: Option<u16>,
    /// A credential with live keys must restrict them to referrers.
    #[serde(default)]
    #[tsify(optional)]
    pub require_referrers: bool,
    /// A credential's keys must not act as their owner.
    #[serde(default)]
    #[tsify(optional)]
    pub no_personal: bool,
    /// The two live keys must expire at least this many days apart.
    #[serde(default)]
    #[tsify(optional)]
    pub slot_gap_days: Option<u16>,
}

impl From<&PolicyOptions> for arcgis_keys::policy::Policy {
    fn from(options: &PolicyOptions) -> Self {
        Self {
            expiring_days: options.expiring_days.map(i64::from),
            max_lifetime_days: options.max_lifetime_days.map(i64::from),
            referrers_required: options.require_referrers,
            no_personal: options.no_personal,
            slot_gap_days: options.slot_gap_days.map(i64::from),
        }
    }
}

/// One rule a credential breaks, and why (in English).
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PolicyFinding {
    pub id: String,
    pub title: String,
    pub owner: String,
    /// The key the finding is about, when it is about one.
    #[tsify(type = "1 | 2 | null")]
    pub slot: Option<u8>,
    #[tsify(
        type = "\"legacy\" | \"expired\" | \"expiring\" | \"max-lifetime\" | \"require-referrers\" | \"no-personal\" | \"slot-gap\""
    )]
    pub rule: &'static str,
    /// `"warning"` for a key expiring soon; `"error"` for every other rule.
    #[tsify(type = "\"error\" | \"warning\"")]
    pub severity: &'static str,
    pub message: String,
}

/// `testKey`.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct TestKeyOptions {
    pub key: String,
    /// A location-service privilege (`testable: true` in `privileges()`).
    pub privilege: String,
    /// One host serving every service path (a proxy, or the local emulator's origin).
    /// Default: ArcGIS Location Platform's hosts.
    #[serde(default)]
    #[tsify(optional)]
    pub service_base: Option<String>,
}

// ---- Answers -------------------------------------------------------------------------

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

/// A step that failed after a key was issued; the keys were returned anyway.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct Warning {
    /// `"setExpiration"`, `"generateKey1"`, `"generateKey2"`, …
    pub step: String,
    pub message: String,
}

impl From<&CoreWarning> for Warning {
    fn from(warning: &CoreWarning) -> Self {
        Self { step: crate::steps::create(warning.step).to_owned(), message: warning.to_string() }
    }
}

/// `createCredential`'s answer.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct Created {
    pub credential: Credential,
    pub keys: Vec<IssuedKey>,
    pub warnings: Vec<Warning>,
}

/// `replaceLegacyKey`: the new key's expiration, and what to change from the legacy item.
#[derive(Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct ReplaceOptions {
    /// Epoch ms, at most a year ahead. Default: 30 days from now.
    #[tsify(optional)]
    pub expires: Option<i64>,
    /// Default: the legacy item's title.
    #[tsify(optional)]
    pub title: Option<String>,
    /// Default: the legacy scopes mapped by `legacyPrivilegeMap()`. Required when a
    /// scope has no equivalent.
    #[tsify(optional)]
    pub privileges: Option<Vec<String>>,
}

/// A legacy scope and the current privileges that replace it.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct LegacyScope {
    pub legacy: String,
    pub privileges: Vec<String>,
}

/// `replaceLegacyKey`'s answer: the new credential and its key (shown once), how the
/// scopes were mapped, and the scopes that had no equivalent. The legacy item is left
/// as it was: delete it once the new key is deployed.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct Replaced {
    pub credential: Credential,
    pub keys: Vec<IssuedKey>,
    pub mapped: Vec<LegacyScope>,
    pub unmapped: Vec<String>,
    pub warnings: Vec<Warning>,
}

/// The signed-in user.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub username: String,
    pub full_name: String,
    pub org_id: Option<String>,
    pub role: Option<String>,
    pub privileges: Vec<String>,
}

impl From<arcgis_keys::model::User> for User {
    fn from(user: arcgis_keys::model::User) -> Self {
        Self {
            username: user.username,
            full_name: user.full_name,
            org_id: user.org_id,
            role: user.role,
            privileges: user.privileges,
        }
    }
}

/// One of the user's items, to choose for item access.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct ContentItem {
    pub id: String,
    pub title: String,
    #[serde(rename = "type")]
    pub item_type: String,
    pub folder: Option<String>,
    pub modified: i64,
}

#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct Folder {
    pub id: String,
    pub title: String,
}

/// One page of the user's content.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct ContentPage {
    pub total: u32,
    /// Pass as `start` for the next page; `null` on the last.
    pub next_start: Option<u32>,
    pub items: Vec<ContentItem>,
    pub folders: Vec<Folder>,
}

/// Built in JS from columns (`usagePoints` in `js/answers.js`): declared here for the types.
#[derive(Tsify)]
#[tsify(missing_as_null)]
pub struct UsagePoint {
    /// The period's start, epoch ms.
    pub at: i64,
    pub count: f64,
    pub credits: f64,
}

/// Uses of one service operation.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct UsageSeries {
    /// The service, e.g. `"geocode"`.
    pub service: String,
    /// The operation counted, e.g. `"geocodecnt"`.
    pub operation: String,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[tsify(type = "UsagePoint[]")]
    pub points: js_sys::Array,
}

/// What the location service said to a key.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct KeyVerdict {
    pub accepted: bool,
    /// `false` when the service refused the test request itself (a 400, a 500): that
    /// says nothing about the key.
    pub judged: bool,
    /// When refused: 498 (invalid or expired key), 499 (no key) or 403 (not permitted
    /// here); when not judged, the service's code.
    pub code: Option<u16>,
    pub message: Option<String>,
}

/// A privilege a credential can hold.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct Privilege {
    pub id: String,
    /// The group it is shown in, e.g. `"Geocoding"`.
    pub category: String,
    pub label: String,
    pub description: String,
    /// Acts as the owner: needs `acknowledgePersonalPrivileges`.
    pub personal: bool,
    /// `testKey` can try it against its location service.
    pub testable: bool,
}
