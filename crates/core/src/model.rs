//! What the portal returns, as the core reads it.

use serde::Deserialize;

use crate::json::Json;
use crate::secret::Secret;

/// The value of an unset slot expiration.
pub const UNSET: i64 = -1;

fn unset() -> i64 {
    UNSET
}

/// A portal item (the part of it arcgis-keys uses).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    pub id: String,
    pub owner: String,
    pub title: String,
    #[serde(rename = "type")]
    pub item_type: String,
    #[serde(default)]
    pub type_keywords: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub snippet: Option<String>,
    #[serde(default)]
    pub created: i64,
    #[serde(default)]
    pub modified: i64,
    #[serde(default)]
    pub owner_folder: Option<String>,
    #[serde(default = "unset")]
    pub api_token1_expiration_date: i64,
    #[serde(default = "unset")]
    pub api_token2_expiration_date: i64,
    /// The item's `properties` object, kept whole: arcgis-keys writes only its own key in
    /// it ([`crate::rotation::KeysRecord`]) and must write the rest back unchanged.
    #[serde(default)]
    pub properties: Option<Json>,
}

/// What kind of key an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// An API key credential: two slots, privileges, referrers, item access.
    Credential,
    /// A legacy API key (`type: "API Key"`).
    Legacy,
}

impl Item {
    /// `None` for items that are not API keys (OAuth apps, maps, …).
    pub fn key_kind(&self) -> Option<KeyKind> {
        if self.item_type == "API Key" {
            Some(KeyKind::Legacy)
        } else if self.type_keywords.iter().any(|k| k == "APIToken") {
            Some(KeyKind::Credential)
        } else {
            None
        }
    }

    pub(crate) fn set_expiration(&mut self, slot: Slot, epoch_ms: i64) {
        match slot {
            Slot::Primary => self.api_token1_expiration_date = epoch_ms,
            Slot::Secondary => self.api_token2_expiration_date = epoch_ms,
        }
    }

    /// Slot `slot`'s expiration (epoch ms), if set.
    pub fn expiration(&self, slot: Slot) -> Option<i64> {
        let value = match slot {
            Slot::Primary => self.api_token1_expiration_date,
            Slot::Secondary => self.api_token2_expiration_date,
        };
        (value != UNSET && value > 0).then_some(value)
    }
}

/// One of a credential's two key slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slot {
    /// Slot 1.
    Primary,
    /// Slot 2.
    Secondary,
}

impl Slot {
    pub const BOTH: [Slot; 2] = [Slot::Primary, Slot::Secondary];

    /// Slot 1 or 2; anything else is no slot.
    pub fn from_number(number: u8) -> Option<Slot> {
        match number {
            1 => Some(Slot::Primary),
            2 => Some(Slot::Secondary),
            _ => None,
        }
    }

    /// The item field that holds this slot's expiration.
    pub fn expiration_field(self) -> &'static str {
        match self {
            Slot::Primary => "apiToken1ExpirationDate",
            Slot::Secondary => "apiToken2ExpirationDate",
        }
    }

    pub fn number(self) -> u8 {
        match self {
            Slot::Primary => 1,
            Slot::Secondary => 2,
        }
    }

    /// The slot a key was issued for: the character ten places from its end
    /// (`…AT1_xxxxxxxx`).
    pub fn of_key(key: &str) -> Option<Slot> {
        match key.chars().rev().nth(9) {
            Some('1') => Some(Slot::Primary),
            Some('2') => Some(Slot::Secondary),
            _ => None,
        }
    }
}

/// A registered app: where privileges, referrers and key state live.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub item_id: String,
    #[serde(rename = "client_id")]
    pub client_id: String,
    #[serde(rename = "client_secret")]
    pub client_secret: Secret,
    pub app_type: String,
    #[serde(default)]
    pub http_referrers: Vec<String>,
    #[serde(default)]
    pub privileges: Vec<String>,
    #[serde(default)]
    pub registered: i64,
    #[serde(default)]
    pub modified: i64,
    #[serde(default, rename = "apiToken1Active")]
    pub api_token1_active: bool,
    #[serde(default, rename = "apiToken2Active")]
    pub api_token2_active: bool,
    /// The service's verdict: do this credential's keys act as their owner? Trusted over
    /// any local table of personal privileges.
    #[serde(default, rename = "isPersonalAPIToken")]
    pub is_personal_api_token: bool,
}

impl AppInfo {
    /// Does slot `slot` hold a key? Trust this over the item's expiration, which can
    /// read `-1` or a stale date for an inactive slot.
    pub fn is_active(&self, slot: Slot) -> bool {
        match slot {
            Slot::Primary => self.api_token1_active,
            Slot::Secondary => self.api_token2_active,
        }
    }

    pub(crate) fn set_active(&mut self, slot: Slot, active: bool) {
        match slot {
            Slot::Primary => self.api_token1_active = active,
            Slot::Secondary => self.api_token2_active = active,
        }
    }

    /// The slots that held a key in `self` and hold none in `after`: what an update
    /// stopped, read from the portal's answer rather than guessed.
    pub fn slots_stopped_by(&self, after: &AppInfo) -> Vec<Slot> {
        Slot::BOTH.into_iter().filter(|slot| self.is_active(*slot) && !after.is_active(*slot)).collect()
    }
}

/// A credential as the manager shows it: its item and its app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub item: Item,
    pub app: AppInfo,
}

/// A slot's state, derived from the item and the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotState {
    pub slot: Slot,
    pub active: bool,
    pub expires_ms: Option<i64>,
}

impl Credential {
    pub fn slots(&self) -> [SlotState; 2] {
        Slot::BOTH.map(|slot| SlotState {
            slot,
            active: self.app.is_active(slot),
            expires_ms: self.item.expiration(slot),
        })
    }
}

/// The signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub username: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub org_id: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub privileges: Vec<String>,
}

impl User {
    /// An organization administrator: the one role that may read every member's keys.
    pub fn is_admin(&self) -> bool {
        self.role.as_deref() == Some("org_admin")
    }
}

/// One page of `/search`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchPage {
    pub total: usize,
    pub start: usize,
    pub num: usize,
    pub next_start: i64,
    #[serde(default)]
    pub results: Vec<Item>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slot_is_ten_places_from_the_end() {
        assert_eq!(Slot::of_key("AAPTabcdefAT1_a1b2c3d4"), Some(Slot::Primary));
        assert_eq!(Slot::of_key("AAPTabcdefAT2_a1b2c3d4"), Some(Slot::Secondary));
        assert_eq!(Slot::of_key("AAPKabcdef"), None);
        assert_eq!(Slot::of_key(""), None);
    }
}
