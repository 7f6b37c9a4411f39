//! The seed: demo orgs, users and content the portal starts with (and resets to).
//!
//! A seed is written by people, so it names things (owners, folder titles) and gives
//! dates relative to now; [`Seed::build`] turns it into a [`State`] with ids, secrets
//! and absolute dates. Item ids derive from owner and title, so they survive resets.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::privileges;
use crate::secrets;
use crate::state::{App, DAY_MS, Folder, Item, OAuthClient, Org, SlotKey, State, UNSET, User};

/// The seed `npm start` and the tests use unless told otherwise.
pub const DEMO: &str = include_str!("../seed/demo.json");

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Seed {
    pub orgs: Vec<Org>,
    pub users: Vec<SeedUser>,
    #[serde(default)]
    pub oauth_clients: Vec<OAuthClient>,
    #[serde(default)]
    pub folders: Vec<SeedFolder>,
    #[serde(default)]
    pub items: Vec<SeedItem>,
    #[serde(default)]
    pub credentials: Vec<SeedCredential>,
    #[serde(default)]
    pub legacy_keys: Vec<SeedCredential>,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedUser {
    pub username: String,
    pub password: String,
    pub full_name: String,
    pub email: String,
    pub org_id: String,
    pub role: String,
    /// Defaults to what the role grants.
    pub privileges: Option<Vec<String>>,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedFolder {
    pub owner: String,
    pub title: String,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedItem {
    pub owner: String,
    pub title: String,
    #[serde(rename = "type")]
    pub item_type: String,
    #[serde(default)]
    pub tags: Vec<String>,
    pub snippet: Option<String>,
    /// A folder title of the owner's.
    pub folder: Option<String>,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedCredential {
    pub owner: String,
    pub title: String,
    pub snippet: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub folder: Option<String>,
    #[serde(default)]
    pub privileges: Vec<String>,
    #[serde(default)]
    pub http_referrers: Vec<String>,
    pub slot1: Option<SeedSlot>,
    pub slot2: Option<SeedSlot>,
    /// A legacy key's text, when a test needs to know it (random otherwise).
    pub api_key: Option<String>,
}

/// A key slot with a key issued (whose text nobody knows, as after the one-time reveal).
#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedSlot {
    /// Negative for a key that has already expired.
    pub expires_in_days: i64,
}

impl Seed {
    pub fn parse(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| format!("invalid seed: {e}"))
    }

    pub fn demo() -> Self {
        Self::parse(DEMO).expect("the demo seed is valid")
    }

    /// The state this seed describes at time `now`.
    pub fn build(&self, now: i64) -> Result<State, String> {
        let mut state = State { oauth_clients: self.oauth_clients.clone(), ..State::default() };
        for org in &self.orgs {
            state.orgs.insert(org.id.clone(), org.clone());
        }
        for user in &self.users {
            if !state.orgs.contains_key(&user.org_id) {
                return Err(format!("user {}: unknown org {}", user.username, user.org_id));
            }
            let privileges = user.privileges.clone().unwrap_or_else(|| privileges::for_role(&user.role));
            state.users.insert(
                user.username.clone(),
                User {
                    username: user.username.clone(),
                    password: user.password.clone(),
                    full_name: user.full_name.clone(),
                    email: user.email.clone(),
                    org_id: user.org_id.clone(),
                    role: user.role.clone(),
                    privileges,
                    created: now - 400 * DAY_MS,
                },
            );
        }
        for folder in &self.folders {
            owner(&state, &folder.owner)?;
            let id = secrets::derived_item_id(&format!("folder/{}/{}", folder.owner, folder.title));
            let created = now - 300 * DAY_MS;
            state
                .folders
                .insert(id.clone(), Folder { id, owner: folder.owner.clone(), title: folder.title.clone(), created });
        }
        for item in &self.items {
            let folder = folder_id(&state, &item.owner, item.folder.as_deref())?;
            let mut new = base_item(&state, &item.owner, &item.title, &item.item_type, now)?;
            new.tags = item.tags.clone();
            new.snippet = item.snippet.clone();
            new.owner_folder = folder;
            insert(&mut state, new);
        }
        for (kind, list) in [(Kind::Credential, &self.credentials), (Kind::Legacy, &self.legacy_keys)] {
            for credential in list {
                add_credential(&mut state, credential, kind, now)?;
            }
        }
        Ok(state)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Credential,
    Legacy,
}

fn owner<'a>(state: &'a State, username: &str) -> Result<&'a User, String> {
    state.users.get(username).ok_or_else(|| format!("unknown owner {username}"))
}

fn folder_id(state: &State, owner: &str, title: Option<&str>) -> Result<Option<String>, String> {
    let Some(title) = title else { return Ok(None) };
    state
        .folders
        .values()
        .find(|f| f.owner == owner && f.title == title)
        .map(|f| Some(f.id.clone()))
        .ok_or_else(|| format!("{owner} has no folder titled {title}"))
}

fn base_item(state: &State, owner_name: &str, title: &str, item_type: &str, now: i64) -> Result<Item, String> {
    let org_id = owner(state, owner_name)?.org_id.clone();
    let created = now - 60 * DAY_MS;
    Ok(Item {
        id: secrets::derived_item_id(&format!("item/{owner_name}/{title}")),
        owner: owner_name.to_owned(),
        org_id,
        title: title.to_owned(),
        item_type: item_type.to_owned(),
        type_keywords: Vec::new(),
        description: None,
        snippet: None,
        tags: Vec::new(),
        created,
        modified: created,
        access: "private".into(),
        owner_folder: None,
        num_views: 0,
        api_token1_expiration_date: UNSET,
        api_token2_expiration_date: UNSET,
        extra: BTreeMap::new(),
        properties: None,
        seq: 0,
    })
}

fn insert(state: &mut State, mut item: Item) {
    item.seq = state.next_seq();
    state.items.insert(item.id.clone(), item);
}

fn add_credential(state: &mut State, seed: &SeedCredential, kind: Kind, now: i64) -> Result<(), String> {
    let owner_privileges = owner(state, &seed.owner)?.privileges.clone();
    privileges::validate(&seed.privileges, &owner_privileges).map_err(|e| format!("{}: {e}", seed.title))?;
    let folder = folder_id(state, &seed.owner, seed.folder.as_deref())?;
    let (item_type, keywords) = match kind {
        Kind::Credential => ("Application", vec!["Registered App", "APIToken"]),
        Kind::Legacy => ("API Key", vec!["API Key", "Registered App"]),
    };
    let mut item = base_item(state, &seed.owner, &seed.title, item_type, now)?;
    item.type_keywords = keywords.into_iter().map(str::to_owned).collect();
    item.snippet = seed.snippet.clone();
    item.tags = seed.tags.clone();
    item.owner_folder = folder;
    let mut slot_keys = [None, None];
    for (slot, seeded) in [(1u8, &seed.slot1), (2, &seed.slot2)] {
        if let Some(seeded) = seeded {
            let expires = now + seeded.expires_in_days * DAY_MS;
            item.set_expiration(slot, expires);
            slot_keys[usize::from(slot - 1)] = Some(SlotKey { hash: secrets::hash(&secrets::slot_key(slot)), expires });
        }
    }
    let app = App {
        client_id: secrets::client_id(),
        client_secret: secrets::client_secret(),
        item_id: item.id.clone(),
        app_type: if kind == Kind::Legacy { "apikey" } else { "multiple" }.into(),
        redirect_uris: if kind == Kind::Legacy { Vec::new() } else { vec!["urn:ietf:wg:oauth:2.0:oob".into()] },
        http_referrers: seed.http_referrers.clone(),
        privileges: seed.privileges.clone(),
        registered: item.created,
        modified: item.created,
        api_key: (kind == Kind::Legacy).then(|| seed.api_key.clone().unwrap_or_else(secrets::legacy_api_key)),
        slot_keys,
        is_personal: seed.privileges.iter().any(|p| privileges::is_personal(p)),
    };
    insert(state, item);
    state.apps.insert(app.client_id.clone(), app);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_seed_builds_two_orgs_an_admin_and_credentials() {
        let state = Seed::demo().build(1_700_000_000_000).unwrap();
        assert_eq!(state.orgs.len(), 2);
        assert!(state.users.values().any(User::is_admin));
        let credentials = state.items.values().filter(|i| i.type_keywords.iter().any(|k| k == "APIToken")).count();
        let legacy = state.items.values().filter(|i| i.item_type == "API Key").count();
        assert!(credentials >= 3 && legacy >= 1, "{credentials} credentials, {legacy} legacy keys");
        assert_eq!(state.apps.len(), credentials + legacy);
    }

    #[test]
    fn seeded_ids_are_stable_across_builds() {
        let a = Seed::demo().build(1).unwrap();
        let b = Seed::demo().build(2).unwrap();
        assert_eq!(a.items.keys().collect::<Vec<_>>(), b.items.keys().collect::<Vec<_>>());
    }

    #[test]
    fn rejects_a_seed_that_names_a_missing_owner() {
        let mut seed = Seed::demo();
        seed.credentials[0].owner = "nobody".into();
        assert!(seed.build(0).unwrap_err().contains("nobody"));
    }
}
