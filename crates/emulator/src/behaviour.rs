//! The readings of what no source settles (contract section 11), one switch each.
//!
//! The real service behaves one way or the other and we cannot ask it. So the emulator
//! acts out either reading, and the client's tests run under both: a client that is
//! safe under both is safe against the service. `Behaviour::default()` is the friendly
//! reading each time (what `npm start` serves); [`Behaviour::strict`] is the other one.
//! Tests switch with `PUT /__emulator/behaviour`.

use serde::{Deserialize, Serialize};

/// What the service might do, point by point. Fields left out of a `PUT` take their
/// default (friendly) reading.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Behaviour {
    /// An app update that leaves out `privileges` or `httpReferrers`: the field is kept
    /// as it is, or cleared (a dropped `httpReferrers` leaves an unrestricted key).
    pub omitted_app_field: OmittedField,
    /// An app update that changes the referrers and not the privileges: the keys stay
    /// active, or both stop.
    pub referrers_update: ReferrersUpdate,
    /// A credential deleted without `permanentDelete=true` sits in the recycle bin for
    /// 14 days: its keys stop at once, or keep working until it is purged.
    pub recycled_keys: RecycledKeys,
    /// Search sees an item this many milliseconds after it was created (0: at once).
    pub search_lag_ms: u64,
    /// `portals/{id}/usage` for a member who is not an administrator.
    pub usage_for_members: Access,
    /// A user token from OAuth sign-in (rather than `generateToken`) used to register
    /// apps, update them or update a credential's item.
    pub oauth_token_for_keys: Access,
    /// `portals/self/apiTokens` for an administrator (members are always refused):
    /// answered, or refused as by a portal without it.
    pub org_key_query: Access,
    /// `community/self` for an API key acting as its credential's owner: it names the
    /// owner, or it is refused with 403 (and `portals/self` then names the organization
    /// but no user).
    pub api_key_self: ApiKeySelf,
    /// Which personal privilege an API key needs to read its owner's own items and app
    /// info, and to read usage: any one, or a content one (`portal:user:createItem` or
    /// `portal:admin:viewItems`; `portal:admin:viewUsage` for usage).
    pub api_key_reads: ApiKeyReads,
    /// An API key whose credential holds no personal privilege, used on the sharing
    /// API: refused with 403, or answered as an invalid token (498).
    pub non_personal_key: NonPersonalKey,
    /// An app update that changes the privileges without sending `isPersonalAPIToken`:
    /// the flag is recomputed from the new privileges, or kept as it was.
    pub personal_flag_on_update: PersonalFlag,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum PersonalFlag {
    #[default]
    Recomputed,
    Kept,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum ApiKeySelf {
    #[default]
    Owner,
    Refused,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum ApiKeyReads {
    #[default]
    AnyPersonal,
    ContentPrivilege,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum NonPersonalKey {
    #[default]
    Forbidden,
    InvalidToken,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum OmittedField {
    #[default]
    Keep,
    Clear,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum ReferrersUpdate {
    #[default]
    KeysStay,
    KeysStop,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum RecycledKeys {
    #[default]
    Stop,
    KeepWorking,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Access {
    #[default]
    Allowed,
    Forbidden,
}

impl Default for Behaviour {
    fn default() -> Self {
        Self {
            omitted_app_field: OmittedField::Keep,
            referrers_update: ReferrersUpdate::KeysStay,
            recycled_keys: RecycledKeys::Stop,
            search_lag_ms: 0,
            usage_for_members: Access::Allowed,
            oauth_token_for_keys: Access::Allowed,
            org_key_query: Access::Allowed,
            api_key_self: ApiKeySelf::Owner,
            api_key_reads: ApiKeyReads::AnyPersonal,
            non_personal_key: NonPersonalKey::Forbidden,
            personal_flag_on_update: PersonalFlag::Recomputed,
        }
    }
}

impl Behaviour {
    /// Every open point read the way that is hardest on a client.
    pub fn strict() -> Self {
        Self {
            omitted_app_field: OmittedField::Clear,
            referrers_update: ReferrersUpdate::KeysStop,
            recycled_keys: RecycledKeys::KeepWorking,
            search_lag_ms: 1_500,
            usage_for_members: Access::Forbidden,
            oauth_token_for_keys: Access::Forbidden,
            org_key_query: Access::Forbidden,
            api_key_self: ApiKeySelf::Refused,
            api_key_reads: ApiKeyReads::ContentPrivilege,
            non_personal_key: NonPersonalKey::InvalidToken,
            personal_flag_on_update: PersonalFlag::Kept,
        }
    }
}
