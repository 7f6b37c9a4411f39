//! Listing and the organization: listing options, keys by expiration, the inventory
//! export and the policy check.

use serde::{Deserialize, Serialize};
use tsify::Tsify;

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
