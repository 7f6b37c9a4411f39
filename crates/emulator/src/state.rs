//! The portal's data: orgs, users, folders, items, registered apps, tokens and usage.
//!
//! Everything lives in one [`State`] behind one lock (see `lib.rs`). It serializes as
//! the `--state` file; bearer secrets are kept as hashes (see `secrets.rs`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::behaviour::{Access, ApiKeyReads, Behaviour, NonPersonalKey, RecycledKeys};
use crate::error::{ApiError, ApiResult};
use crate::secrets;

pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// Slot expirations may be at most this far ahead (contract section 8).
pub const MAX_KEY_LIFETIME_MS: i64 = 366 * DAY_MS;
/// The value that means "no expiration set".
pub const UNSET: i64 = -1;
/// ArcGIS Online keeps a deleted item this many days in the recycle bin.
pub const RECYCLE_DAYS: i64 = 14;

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct State {
    pub orgs: BTreeMap<String, Org>,
    pub users: BTreeMap<String, User>,
    pub oauth_clients: Vec<OAuthClient>,
    pub folders: BTreeMap<String, Folder>,
    pub items: BTreeMap<String, Item>,
    /// Registered apps by `client_id`.
    pub apps: BTreeMap<String, App>,
    /// User, refresh and app tokens by the hash of the token.
    pub tokens: BTreeMap<String, TokenRecord>,
    /// Pending OAuth authorization codes by the hash of the code.
    pub codes: BTreeMap<String, AuthCode>,
    pub usage: Vec<UsageBucket>,
    /// Items deleted without `permanentDelete=true`, by id: hidden from every call,
    /// purged after [`RECYCLE_DAYS`] days (their apps stay until then).
    #[serde(default)]
    pub recycle_bin: BTreeMap<String, Recycled>,
    /// Creation order of items, so listings are stable when clocks tie.
    pub next_seq: u64,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Org {
    pub id: String,
    pub name: String,
    pub url_key: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub username: String,
    /// Demo accounts only: the emulator's passwords are printed by `npm start`.
    pub password: String,
    pub full_name: String,
    pub email: String,
    pub org_id: String,
    pub role: String,
    pub privileges: Vec<String>,
    pub created: i64,
}

impl User {
    pub fn is_admin(&self) -> bool {
        self.role == "org_admin"
    }

    pub fn to_json(&self) -> Value {
        json!({
            "username": self.username,
            "fullName": self.full_name,
            "email": self.email,
            "orgId": self.org_id,
            "role": self.role,
            "privileges": self.privileges,
            "created": self.created,
            "modified": self.created,
            "access": "org",
            "level": "2",
        })
    }
}

/// An OAuth client known before any app is registered: the standalone manager's.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OAuthClient {
    pub client_id: String,
    pub redirect_uris: Vec<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Folder {
    pub id: String,
    pub owner: String,
    pub title: String,
    pub created: i64,
}

impl Folder {
    pub fn to_json(&self) -> Value {
        json!({ "username": self.owner, "id": self.id, "title": self.title, "created": self.created })
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    pub id: String,
    pub owner: String,
    pub org_id: String,
    pub title: String,
    #[serde(rename = "type")]
    pub item_type: String,
    pub type_keywords: Vec<String>,
    pub description: Option<String>,
    pub snippet: Option<String>,
    pub tags: Vec<String>,
    pub created: i64,
    pub modified: i64,
    pub access: String,
    pub owner_folder: Option<String>,
    pub num_views: u64,
    pub api_token1_expiration_date: i64,
    pub api_token2_expiration_date: i64,
    /// Plain text fields the emulator stores but does not interpret (`url`, `culture`, …).
    pub extra: BTreeMap<String, String>,
    /// The item's `properties`: a JSON object, sent as JSON text and shown as an object.
    /// An update replaces it whole; tools keep their own key inside it.
    #[serde(default)]
    pub properties: Option<Value>,
    pub seq: u64,
}

/// Item text fields passed through as they are.
pub const EXTRA_ITEM_FIELDS: &[&str] = &["url", "accessInformation", "licenseInfo", "culture", "text"];

impl Item {
    pub fn expiration(&self, slot: u8) -> i64 {
        if slot == 1 { self.api_token1_expiration_date } else { self.api_token2_expiration_date }
    }

    pub fn set_expiration(&mut self, slot: u8, value: i64) {
        if slot == 1 {
            self.api_token1_expiration_date = value;
        } else {
            self.api_token2_expiration_date = value;
        }
    }

    /// The item as the sharing API shows it, written straight to the response: a
    /// search page serializes 100 of these, and building `Value` maps first cost more
    /// than the search itself.
    pub fn as_json(&self) -> ItemJson<'_> {
        ItemJson(self)
    }

    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.as_json()).expect("an item is strings, numbers and lists")
    }
}

/// See [`Item::as_json`].
pub struct ItemJson<'a>(&'a Item);

impl Serialize for ItemJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let item = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &item.id)?;
        map.serialize_entry("owner", &item.owner)?;
        map.serialize_entry("orgId", &item.org_id)?;
        map.serialize_entry("title", &item.title)?;
        map.serialize_entry("type", &item.item_type)?;
        map.serialize_entry("typeKeywords", &item.type_keywords)?;
        map.serialize_entry("description", &item.description)?;
        map.serialize_entry("snippet", &item.snippet)?;
        map.serialize_entry("tags", &item.tags)?;
        map.serialize_entry("created", &item.created)?;
        map.serialize_entry("modified", &item.modified)?;
        map.serialize_entry("access", &item.access)?;
        map.serialize_entry("ownerFolder", &item.owner_folder)?;
        map.serialize_entry("numViews", &item.num_views)?;
        map.serialize_entry("apiToken1ExpirationDate", &item.api_token1_expiration_date)?;
        map.serialize_entry("apiToken2ExpirationDate", &item.api_token2_expiration_date)?;
        for field in EXTRA_ITEM_FIELDS {
            map.serialize_entry(field, &item.extra.get(*field))?;
        }
        map.serialize_entry("properties", &item.properties)?;
        map.end()
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct App {
    pub client_id: String,
    /// Shown again by `registeredAppInfo`, as the real service does, so kept in clear.
    pub client_secret: String,
    pub item_id: String,
    pub app_type: String,
    pub redirect_uris: Vec<String>,
    pub http_referrers: Vec<String>,
    pub privileges: Vec<String>,
    pub registered: i64,
    pub modified: i64,
    /// Legacy (`apikey`) apps only; the service shows it again, so kept in clear.
    pub api_key: Option<String>,
    /// The keys in slots 1 and 2; `None` means the slot is inactive.
    pub slot_keys: [Option<SlotKey>; 2],
    /// Registered with `isPersonalAPIToken=true`: the only way its keys may carry
    /// personal (portal) privileges.
    #[serde(default)]
    pub is_personal: bool,
}

/// A live key of a slot. Its expiration is fixed when it is generated ("cannot be edited
/// without invalidating the key"): moving the item's date later does not move it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SlotKey {
    pub hash: String,
    pub expires: i64,
}

/// An item in the recycle bin, and when it was deleted.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Recycled {
    pub item: Item,
    pub deleted: i64,
}

impl App {
    pub fn is_legacy(&self) -> bool {
        self.app_type == "apikey"
    }

    pub fn to_json(&self) -> Value {
        let mut info = json!({
            "itemId": self.item_id,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "appType": self.app_type,
            "redirect_uris": self.redirect_uris,
            "registered": self.registered,
            "modified": self.modified,
            "apnsProdCert": null,
            "apnsSandboxCert": null,
            "gcmApiKey": null,
            "httpReferrers": self.http_referrers,
            "privileges": self.privileges,
            "isBeta": false,
            "isPersonalAPIToken": self.is_personal,
            "customAppLoginShowTriage": false,
            "apiToken1Active": self.slot_keys[0].is_some(),
            "apiToken2Active": self.slot_keys[1].is_some(),
        });
        if let Some(api_key) = &self.api_key {
            info["apiKey"] = json!(api_key);
        }
        info
    }
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum TokenKind {
    /// A user's token from `generateToken` or OAuth.
    User,
    /// An OAuth refresh token.
    Refresh,
    /// An app-login token from `client_credentials` without a slot.
    App,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TokenRecord {
    pub kind: TokenKind,
    /// The username, or the `client_id` for app tokens.
    pub subject: String,
    /// The OAuth client the token was issued to, if any.
    pub client_id: Option<String>,
    pub expires: i64,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub username: String,
    pub expires: i64,
    /// Refresh-token life asked for at authorize time (`expiration`, minutes).
    pub refresh_minutes: i64,
}

/// Uses of location services by one app, one service and one hour.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct UsageBucket {
    pub app_id: String,
    pub stype: String,
    pub etype: String,
    pub hour: i64,
    pub num: u64,
    pub credits: f64,
}

/// What a token or key lets its bearer do with location services.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    /// The app the use is billed to (`arcgisonline` for a user's own token).
    pub app_id: String,
    /// `None`: a user token, which may use every service its user may.
    pub privileges: Option<Vec<String>>,
    pub referrers: Vec<String>,
}

/// Who a request acts as (see [`State::caller`]).
pub struct Caller<'a> {
    pub user: &'a User,
    /// Set when an API key acts for its credential's owner.
    key: Option<KeyScope<'a>>,
    /// A user token from an OAuth sign-in.
    from_oauth: bool,
}

/// What an API key acting as its owner may do: its credential's personal privileges.
struct KeyScope<'a> {
    personal: Vec<&'a str>,
    reads: ApiKeyReads,
}

/// What a call does to content, for the privilege an API key needs for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    /// Items, folders, app info, search.
    Read,
    /// Adding or updating items, registering or updating apps.
    Write,
    Delete,
    /// Usage of location services.
    Usage,
}

impl Caller<'_> {
    pub fn is_api_key(&self) -> bool {
        self.key.is_some()
    }

    /// For an API key: may it read other members' content (the organization's keys)?
    pub fn may_read_others(&self) -> ApiResult<()> {
        self.may(Act::Read, false)
    }

    /// For an API key: 403 naming the privilege `act` needs, on the owner's own content
    /// (`own`) or on another member's. The emulator's reading of contract section 12;
    /// `ApiKeyReads` switches the open part. A user's token: its role decides, elsewhere.
    fn may(&self, act: Act, own: bool) -> ApiResult<()> {
        let Some(key) = &self.key else { return Ok(()) };
        let strict_reads = key.reads == ApiKeyReads::ContentPrivilege;
        let any_of: &[&str] = match (act, own) {
            (Act::Read, true) if !strict_reads => return Ok(()),
            (Act::Read, true) => &["portal:user:createItem", "portal:admin:viewItems"],
            (Act::Write | Act::Delete, true) => &["portal:user:createItem"],
            (Act::Read, false) => &["portal:admin:viewItems"],
            (Act::Write, false) => &["portal:admin:updateItems"],
            (Act::Delete, false) => &["portal:admin:deleteItems"],
            (Act::Usage, _) if !strict_reads => return Ok(()),
            (Act::Usage, _) => &["portal:admin:viewUsage"],
        };
        if any_of.iter().any(|needed| key.personal.contains(needed)) {
            return Ok(());
        }
        Err(ApiError::new(
            403,
            format!("This API key does not have the privilege {} that this operation needs.", any_of[0]),
        )
        .with_detail(format!("Add the privilege {} to the API key's credential.", any_of.join(" or "))))
    }
}

impl State {
    pub fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// The user a token belongs to: 499 without one, 498 for an unknown, revoked,
    /// expired or non-user token.
    fn user_for_token(&self, token: &str, now: i64) -> ApiResult<&User> {
        match self.tokens.get(&secrets::hash(token)) {
            Some(record) if record.kind == TokenKind::User && record.expires > now => {
                self.users.get(&record.subject).ok_or_else(ApiError::invalid_token)
            }
            _ => Err(ApiError::invalid_token()),
        }
    }

    /// Who a request acts as: 499 without a token, 498 for an unknown, revoked or
    /// expired one. A user's token acts as the user. An API key whose credential holds
    /// personal privileges acts as the credential's owner, within those privileges
    /// (contract section 12); one that holds none is no management credential, refused
    /// as `behaviour` reads it.
    pub fn caller(&self, token: Option<&str>, now: i64, behaviour: &Behaviour) -> ApiResult<Caller<'_>> {
        let token = token.ok_or_else(ApiError::token_required)?;
        if !token.starts_with("AAPT") {
            return Ok(Caller {
                user: self.user_for_token(token, now)?,
                key: None,
                from_oauth: self.is_oauth_token(token),
            });
        }
        let hash = secrets::hash(token);
        let app = self
            .apps
            .values()
            .find(|app| app.slot_keys.iter().flatten().any(|k| k.hash == hash && k.expires > now))
            .filter(|app| self.items.contains_key(&app.item_id))
            .ok_or_else(ApiError::invalid_token)?;
        let personal: Vec<&str> =
            app.privileges.iter().map(String::as_str).filter(|p| crate::privileges::is_personal(p)).collect();
        if personal.is_empty() {
            return Err(match behaviour.non_personal_key {
                NonPersonalKey::Forbidden => {
                    ApiError::new(403, "This API key holds no personal privilege: it cannot be used to manage content.")
                }
                NonPersonalKey::InvalidToken => ApiError::invalid_token(),
            });
        }
        let owner = self.items.get(&app.item_id).map(|item| item.owner.as_str()).unwrap_or_default();
        let user = self.users.get(owner).ok_or_else(ApiError::invalid_token)?;
        Ok(Caller { user, key: Some(KeyScope { personal, reads: behaviour.api_key_reads }), from_oauth: false })
    }

    fn is_oauth_token(&self, token: &str) -> bool {
        self.tokens.get(&secrets::hash(token)).is_some_and(|r| r.client_id.is_some())
    }

    /// The caller, for a call that manages API key credentials (registering, updating an
    /// app, updating a credential's item). Under the reading that only `generateToken`
    /// tokens may do that, an OAuth token gets 403.
    pub fn key_manager(&self, token: Option<&str>, now: i64, behaviour: &Behaviour) -> ApiResult<Caller<'_>> {
        let caller = self.caller(token, now, behaviour)?;
        if caller.from_oauth && behaviour.oauth_token_for_keys == Access::Forbidden {
            return Err(ApiError::new(
                403,
                "API key credentials can only be managed with a token from a username and password sign-in.",
            )
            .with_detail("Sign in with generateToken (username and password) to manage API keys."));
        }
        Ok(caller)
    }

    /// Like [`Self::caller`] for calls that also answer anonymously.
    pub fn optional_caller(
        &self,
        token: Option<&str>,
        now: i64,
        behaviour: &Behaviour,
    ) -> ApiResult<Option<Caller<'_>>> {
        token.map(|t| self.caller(Some(t), now, behaviour)).transpose()
    }

    /// Issues a user token and returns it with its expiry.
    pub fn issue_user_token(&mut self, username: &str, client_id: Option<&str>, expires: i64) -> String {
        let token = secrets::token();
        let record = TokenRecord {
            kind: TokenKind::User,
            subject: username.to_owned(),
            client_id: client_id.map(str::to_owned),
            expires,
        };
        self.tokens.insert(secrets::hash(&token), record);
        token
    }

    /// May `caller` `act` on the content of `owner`: the owner, or an admin of the
    /// owner's org; and an API key must hold the privilege that takes (403 naming it).
    pub fn check(&self, caller: &Caller<'_>, act: Act, owner: &str) -> ApiResult<()> {
        let user = caller.user;
        let own = user.username == owner;
        let admin_of_owner = user.is_admin() && self.users.get(owner).is_some_and(|o| o.org_id == user.org_id);
        if !(own || admin_of_owner) {
            return Err(ApiError::forbidden());
        }
        caller.may(act, own)
    }

    /// May `caller` (or an anonymous caller) see `item`.
    pub fn may_view(&self, caller: Option<&Caller<'_>>, item: &Item) -> bool {
        match item.access.as_str() {
            "public" => true,
            "org" => caller.is_some_and(|c| c.user.org_id == item.org_id),
            _ => caller.is_some_and(|c| self.check(c, Act::Read, &item.owner).is_ok()),
        }
    }

    /// An item the caller may `act` on: `CONT_0001` when it does not exist, 403 when it
    /// is someone else's (or the key lacks the privilege).
    pub fn managed_item(&self, caller: &Caller<'_>, id: &str, act: Act) -> ApiResult<&Item> {
        let item = self.items.get(id).ok_or_else(ApiError::item_not_found)?;
        self.check(caller, act, &item.owner)?;
        Ok(item)
    }

    pub fn app_for_item(&self, item_id: &str) -> Option<&App> {
        self.apps.values().find(|a| a.item_id == item_id)
    }

    /// What `token` (an API key, app token or user token) grants for location services.
    /// A credential whose item is in the recycle bin grants nothing unless `behaviour`
    /// reads the recycle bin as keeping keys alive.
    pub fn grant_for(&self, token: &str, now: i64, behaviour: &Behaviour) -> ApiResult<Grant> {
        let grant = |app: &App| Grant {
            app_id: app.client_id.clone(),
            privileges: Some(app.privileges.clone()),
            referrers: app.http_referrers.clone(),
        };
        if token.starts_with("AAPK") {
            // Legacy API keys were revoked on 2026-06-27: every service refuses them.
            return Err(ApiError::invalid_token());
        }
        let hash = secrets::hash(token);
        if token.starts_with("AAPT") {
            let (app, key) = self
                .apps
                .values()
                .find_map(|app| app.slot_keys.iter().flatten().find(|k| k.hash == hash).map(|key| (app, key)))
                .ok_or_else(ApiError::invalid_token)?;
            if key.expires <= now || !self.app_item_is_live(app, now, behaviour) {
                return Err(ApiError::invalid_token());
            }
            return Ok(grant(app));
        }
        match self.tokens.get(&hash) {
            Some(record) if record.expires > now && record.kind == TokenKind::User => {
                Ok(Grant { app_id: "arcgisonline".into(), privileges: None, referrers: Vec::new() })
            }
            Some(record) if record.expires > now && record.kind == TokenKind::App => {
                let app = self.apps.get(&record.subject).ok_or_else(ApiError::invalid_token)?;
                if !self.app_item_is_live(app, now, behaviour) {
                    return Err(ApiError::invalid_token());
                }
                Ok(Grant { referrers: Vec::new(), ..grant(app) })
            }
            _ => Err(ApiError::invalid_token()),
        }
    }

    /// Does `app`'s item still count for its keys: in the content, or in the recycle bin
    /// under the reading that keeps keys working there.
    fn app_item_is_live(&self, app: &App, now: i64, behaviour: &Behaviour) -> bool {
        if self.items.contains_key(&app.item_id) {
            return true;
        }
        self.recycle_bin.get(&app.item_id).is_some_and(|r| {
            behaviour.recycled_keys == RecycledKeys::KeepWorking && r.deleted + RECYCLE_DAYS * DAY_MS > now
        })
    }

    /// Counts one use of a location service.
    pub fn record_usage(&mut self, app_id: &str, stype: &str, etype: &str, credits: f64, now: i64) {
        let hour = now - now.rem_euclid(3_600_000);
        match self
            .usage
            .iter_mut()
            .find(|b| b.app_id == app_id && b.stype == stype && b.etype == etype && b.hour == hour)
        {
            Some(bucket) => {
                bucket.num += 1;
                bucket.credits += credits;
            }
            None => self.usage.push(UsageBucket {
                app_id: app_id.into(),
                stype: stype.into(),
                etype: etype.into(),
                hour,
                num: 1,
                credits,
            }),
        }
    }

    /// Drops what has expired, so long runs do not grow the state without bound.
    pub fn prune(&mut self, now: i64) {
        self.tokens.retain(|_, t| t.expires > now);
        self.codes.retain(|_, c| c.expires > now);
        let purged: Vec<String> = self
            .recycle_bin
            .iter()
            .filter(|(_, r)| r.deleted + RECYCLE_DAYS * DAY_MS <= now)
            .map(|(id, _)| id.clone())
            .collect();
        for id in purged {
            self.recycle_bin.remove(&id);
            self.apps.retain(|_, app| app.item_id != id);
        }
    }
}
