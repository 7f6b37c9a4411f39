//! Edits: creating, updating and replacing credentials, and browsing items for item access.

use arcgis_keys::ops::create::Warning as CoreWarning;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

use super::{Credential, IssuedKey, KeyRequest};

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
