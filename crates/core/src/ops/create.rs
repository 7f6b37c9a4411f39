//! Creating an API key credential, as one transaction, in the official clients' order:
//! (create folder) → addItem → registerApp → the item update with both slots' dates
//! (`-1` for a slot without a key) beside a read of the item → the keys, beside the
//! removal of our marker keyword.
//!
//! A failure before any key is issued rolls back: the new item is deleted for good, so
//! no orphan is left. That includes an addItem whose answer was lost after the portal
//! made the item: the item carries a one-off marker type keyword, and the client finds
//! it by reading the folder it was added to (not by search, whose index may lag behind
//! the write). The marker is removed from the item's keywords as the portal holds them.
//! Once a key is issued it is returned even if a later step fails, with a warning that
//! names the step. Round trips: four sequential levels, five with a new folder.

use std::fmt;

use crate::client::Client;
use crate::error::{Error, Field, InputError};
use crate::model::{AppInfo, Credential, Item, UNSET};
use crate::ops::browse::ContentPage;
use crate::ops::credentials::item_request;
use crate::ops::keys::{IssuedKey, KeyResponse, generate_key_request};
use crate::ops::list::remaining_starts;
use crate::paths;
use crate::privileges;
use crate::request::ApiRequest;
use crate::transport::Transport;
use crate::validate::{Expiration, ItemAccess, Referrer, Title};

pub use crate::model::Slot;

/// The type keyword that marks an item as an API key credential.
pub const API_TOKEN_KEYWORD: &str = "APIToken";
/// The redirect URI credentials are registered with.
pub const OUT_OF_BAND: &str = "urn:ietf:wg:oauth:2.0:oob";

/// Where the new item goes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Folder {
    #[default]
    Root,
    Existing(String),
    /// Created first, with this title.
    New(String),
}

/// A new credential, validated: build it with [`NewCredential::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCredential {
    pub title: Title,
    pub snippet: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub folder: Folder,
    /// Location-service and portal privileges (item access is separate).
    pub privileges: Vec<String>,
    pub referrers: Vec<Referrer>,
    pub item_access: ItemAccess,
    /// Keys to generate now, with their expirations.
    pub keys: Vec<(Slot, Expiration)>,
    /// Type keywords of our own beside `APIToken` (the legacy item a credential replaces).
    pub type_keywords: Vec<String>,
}

/// What the user entered, before validation.
#[derive(Debug, Clone, Default)]
pub struct CredentialInput {
    pub title: String,
    pub snippet: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub folder: Folder,
    pub privileges: Vec<String>,
    pub referrers: Vec<String>,
    pub item_access: Vec<String>,
    /// Epoch ms per slot to generate.
    pub keys: Vec<(Slot, i64)>,
    /// The user has acknowledged that personal privileges act as them.
    pub personal_privileges_acknowledged: bool,
    /// Type keywords of our own (see [`NewCredential::type_keywords`]).
    pub type_keywords: Vec<String>,
}

impl NewCredential {
    /// Checks every rule a client enforces before sending (contract section 8).
    pub fn new(input: CredentialInput, now_ms: i64) -> Result<Self, InputError> {
        let title = Title::new(&input.title)?;
        crate::validate::privileges(input.privileges.iter().map(String::as_str))?;
        let item_access = ItemAccess::new(input.item_access.iter().map(String::as_str))?;
        crate::validate::some_access(&input.privileges, item_access.ids())?;
        if privileges::any_personal(&input.privileges) && !input.personal_privileges_acknowledged {
            return Err(InputError::new(
                Field::Privileges,
                "Personal privileges let the key act as you; acknowledge this before creating the key.",
            ));
        }
        let referrers = crate::validate::referrers(input.referrers.iter().map(String::as_str))?;
        if let Folder::New(name) | Folder::Existing(name) = &input.folder
            && name.trim().is_empty()
        {
            return Err(InputError::new(Field::Folder, "Name the folder."));
        }
        let mut keys = Vec::new();
        for (index, (slot, at)) in input.keys.into_iter().enumerate() {
            if keys.iter().any(|(s, _)| *s == slot) {
                let n = slot.number();
                let rule = format!("keys[{index}] asks for key {n} again: list each slot once.");
                return Err(InputError::new(Field::Slot, rule));
            }
            keys.push((slot, Expiration::new(at, now_ms)?));
        }
        let tags = crate::validate::tags(&input.tags)?;
        for (field, text) in [(Field::Snippet, &input.snippet), (Field::Description, &input.description)] {
            if let Some(text) = text {
                crate::validate::summary(field, text)?;
            }
        }
        // Sent comma-joined: a keyword holding a comma would become two.
        if let Some(bad) = input.type_keywords.iter().find(|k| k.trim().is_empty() || k.contains(',')) {
            return Err(InputError::new(Field::TypeKeywords, format!("'{bad}' cannot be a type keyword.")));
        }
        Ok(Self {
            title,
            snippet: input.snippet.filter(|s| !s.trim().is_empty()),
            description: input.description.filter(|s| !s.trim().is_empty()),
            tags,
            folder: input.folder,
            privileges: input.privileges,
            referrers,
            item_access,
            keys,
            type_keywords: input.type_keywords,
        })
    }

    /// Privileges as registered: the chosen ones, then item access.
    fn registered_privileges(&self) -> Vec<String> {
        self.privileges.iter().cloned().chain(self.item_access.privileges()).collect()
    }

    /// Do the keys act as their owner? Then registerApp must say so.
    pub fn is_personal(&self) -> bool {
        privileges::any_personal(&self.privileges)
    }
}

/// A step of the create workflow, named in errors and warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    CreateFolder,
    AddItem,
    RegisterApp,
    SetExpiration,
    GenerateKey(Slot),
    /// Removing the one-off marker keyword (after the keys: a failure is a warning).
    RemoveMarker,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::CreateFolder => f.write_str("creating the folder"),
            Step::AddItem => f.write_str("adding the item"),
            Step::RegisterApp => f.write_str("registering the credential"),
            Step::SetExpiration => f.write_str("setting the key expirations"),
            Step::GenerateKey(slot) => write!(f, "generating key {}", slot.number()),
            Step::RemoveMarker => f.write_str("removing the recovery marker from the item's keywords"),
        }
    }
}

/// What became of the partly created credential after a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rollback {
    /// The failure came before anything was created.
    NothingCreated,
    /// The new item was deleted: nothing is left behind.
    Deleted,
    /// Deleting the new item failed too: it is left on the portal under this id.
    Failed { item_id: String, error: Error },
    /// The answer to addItem was lost and checking whether the portal made the item
    /// failed too: an item titled as the credential may be left.
    Unverified { error: Error },
}

impl fmt::Display for Rollback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rollback::NothingCreated => f.write_str("Nothing was created."),
            Rollback::Deleted => f.write_str("The new item was deleted again; nothing is left behind."),
            Rollback::Failed { item_id, error } => {
                write!(f, "The new item {item_id} could not be deleted ({error}); delete it yourself.")
            }
            Rollback::Unverified { error } => {
                write!(
                    f,
                    "Whether the portal made the item could not be checked ({error}); look for it in your content."
                )
            }
        }
    }
}

/// Creating failed before any key was issued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Creating the credential failed while {step}: {error} {rollback}")]
pub struct CreateError {
    pub step: Step,
    pub error: Error,
    pub rollback: Rollback,
}

/// A step that failed after a key was issued; the keys are returned anyway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub step: Step,
    pub error: Error,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}", self.step, self.error)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub credential: Credential,
    /// Shown to the user once; the portal cannot show them again.
    pub keys: Vec<IssuedKey>,
    pub warnings: Vec<Warning>,
}

#[derive(serde::Deserialize)]
struct AddItemResponse {
    id: String,
}

#[derive(serde::Deserialize)]
struct FolderResponse {
    folder: FolderInfo,
}

#[derive(serde::Deserialize)]
struct FolderInfo {
    id: String,
}

impl<T: Transport> Client<T> {
    /// Creates a credential and generates the requested keys.
    pub async fn create_credential(&self, new: &NewCredential) -> Result<Created, CreateError> {
        let fail = |step, error, rollback| CreateError { step, error, rollback };
        let me = self.username().map_err(|e| fail(Step::AddItem, e, Rollback::NothingCreated))?;

        let folder_id = match &new.folder {
            Folder::Root => None,
            Folder::Existing(id) => Some(id.clone()),
            Folder::New(title) => {
                let request = ApiRequest::write(paths::create_folder(&me)).param("title", title.trim());
                let created: FolderResponse =
                    self.call(&request).await.map_err(|e| fail(Step::CreateFolder, e, Rollback::NothingCreated))?;
                Some(created.folder.id)
            }
        };

        let mut marker = [0u8; 16];
        self.transport().random_bytes(&mut marker);
        let marker: String = format!("arcgiskeys{}", marker.iter().map(|b| format!("{b:02x}")).collect::<String>());
        let keywords: Vec<String> = std::iter::once(API_TOKEN_KEYWORD.to_owned())
            .chain(new.type_keywords.iter().cloned())
            .chain(std::iter::once(marker.clone()))
            .collect();
        let mut add = ApiRequest::write(paths::add_item(&me, folder_id.as_deref()))
            .param("title", new.title.as_str())
            .param("type", "Application")
            .comma_list("typeKeywords", &keywords)
            .comma_list("tags", &new.tags);
        if let Some(snippet) = &new.snippet {
            add = add.param("snippet", snippet.clone());
        }
        if let Some(description) = &new.description {
            add = add.param("description", description.clone());
        }
        let item_id = match self.call::<AddItemResponse>(&add).await {
            Ok(added) => added.id,
            // The portal answered with an error of its own: it made nothing.
            Err(error @ (Error::Portal(_) | Error::SignInRequired(_) | Error::Input(_))) => {
                return Err(fail(Step::AddItem, error, Rollback::NothingCreated));
            }
            Err(error) => {
                let rollback = self.delete_marked(&me, folder_id.as_deref(), &marker).await;
                return Err(fail(Step::AddItem, error, rollback));
            }
        };

        let referrers: Vec<String> = new.referrers.iter().map(|r| r.as_str().to_owned()).collect();
        let mut register = ApiRequest::write("/oauth2/registerApp")
            .param("itemId", item_id.clone())
            .param("appType", "multiple")
            .json_list("redirect_uris", &[OUT_OF_BAND.to_owned()])
            .json_list("httpReferrers", &referrers)
            .json_list("privileges", &new.registered_privileges());
        if new.is_personal() {
            // "must be set to true … or else the token will not be generated properly" [Python].
            register = register.flag("isPersonalAPIToken", true);
        }
        let mut app: AppInfo = match self.call(&register).await {
            Ok(app) => app,
            Err(error) => return Err(self.roll_back(Step::RegisterApp, error, &me, &item_id).await),
        };

        // Both dates, always (-1 for a slot that gets no key), as REST JS does; the item
        // is read beside it for the keywords the portal now holds.
        let mut dates = ApiRequest::write(paths::item_action(&me, &item_id, "update"));
        for slot in Slot::BOTH {
            let at = new.keys.iter().find(|(s, _)| *s == slot).map_or(UNSET, |(_, at)| at.epoch_ms());
            dates = dates.param(slot.expiration_field(), at.to_string());
        }
        let (dated, read) =
            futures_util::future::join(self.call_success(&dates), self.call::<Item>(&item_request(&item_id))).await;
        if let Err(error) = dated {
            return Err(self.roll_back(Step::SetExpiration, error, &me, &item_id).await);
        }
        let mut warnings = Vec::new();
        let mut item = match read {
            Ok(item) => item,
            Err(error) => {
                warnings.push(Warning { step: Step::RemoveMarker, error });
                self.assumed_item(new, &me, &item_id, folder_id.clone())
            }
        };
        for (slot, at) in &new.keys {
            item.set_expiration(*slot, at.epoch_ms());
        }

        // The keys, and the marker's removal from the keywords as the portal holds them.
        let generated = futures_util::future::join_all(new.keys.iter().map(|(slot, at)| {
            let request = generate_key_request(&app, *slot);
            async move { (*slot, *at, self.call_anonymous::<KeyResponse>(&request).await) }
        }));
        let has_marker = item.type_keywords.contains(&marker);
        let keywords: Vec<String> = item.type_keywords.iter().filter(|k| **k != marker).cloned().collect();
        let unmark =
            ApiRequest::write(paths::item_action(&me, &item_id, "update")).comma_list("typeKeywords", &keywords);
        let unmarked = async { if has_marker { self.call_success(&unmark).await } else { Ok(()) } };
        let (generated, unmarked) = futures_util::future::join(generated, unmarked).await;
        match unmarked {
            Ok(()) => item.type_keywords = keywords,
            Err(error) => warnings.push(Warning { step: Step::RemoveMarker, error }),
        }

        let mut keys = Vec::new();
        let mut failures = Vec::new();
        for (slot, at, result) in generated {
            match result {
                Ok(response) => {
                    keys.push(IssuedKey { slot, key: response.access_token, expires_ms: Some(at.epoch_ms()) })
                }
                Err(error) => failures.push(Warning { step: Step::GenerateKey(slot), error }),
            }
        }
        if keys.is_empty() && !failures.is_empty() {
            let first = failures.remove(0);
            return Err(self.roll_back(first.step, first.error, &me, &item_id).await);
        }
        for key in &keys {
            app.set_active(key.slot, true);
        }
        failures.extend(warnings);
        Ok(Created { credential: Credential { item, app }, keys, warnings: failures })
    }

    /// The new item as the create made it, when reading it back failed.
    fn assumed_item(&self, new: &NewCredential, me: &str, item_id: &str, folder: Option<String>) -> Item {
        Item {
            id: item_id.to_owned(),
            owner: me.to_owned(),
            title: new.title.as_str().to_owned(),
            item_type: "Application".into(),
            type_keywords: [&[API_TOKEN_KEYWORD.to_owned()], &new.type_keywords[..], &["Registered App".to_owned()]]
                .concat(),
            tags: new.tags.clone(),
            description: new.description.clone(),
            snippet: new.snippet.clone(),
            created: self.transport().now_ms(),
            modified: self.transport().now_ms(),
            owner_folder: folder,
            api_token1_expiration_date: UNSET,
            api_token2_expiration_date: UNSET,
            properties: None,
        }
    }

    /// Finds and deletes the item an addItem with a lost answer may have made, by
    /// reading the folder it went to: every page, the pages after the first at once.
    /// The folder's content is read from the portal itself, not from the search index,
    /// which may not have caught up with the write.
    async fn delete_marked(&self, owner: &str, folder: Option<&str>, marker: &str) -> Rollback {
        let page = |start: usize| {
            let request = ApiRequest::read(paths::content(owner, folder))
                .param("num", crate::ops::list::MAX_PAGE.to_string())
                .param("start", start.to_string());
            async move { self.call::<ContentPage>(&request).await }
        };
        let first = match page(1).await {
            Ok(first) => first,
            Err(error) => return Rollback::Unverified { error },
        };
        let starts = remaining_starts(first.total, crate::ops::list::MAX_PAGE);
        let rest = futures_util::future::join_all(starts.into_iter().map(page)).await;
        let mut found = Vec::new();
        for page in std::iter::once(Ok(first)).chain(rest) {
            match page {
                Ok(page) => {
                    found.extend(page.items.into_iter().filter(|i| i.type_keywords.iter().any(|k| k == marker)))
                }
                Err(error) => return Rollback::Unverified { error },
            }
        }
        let mut rollback = Rollback::NothingCreated;
        for item in found {
            rollback = match self.delete_item(owner, &item.id).await {
                Ok(()) => Rollback::Deleted,
                Err(error) => return Rollback::Failed { item_id: item.id.clone(), error },
            };
        }
        rollback
    }

    /// Deletes the item a failed create left behind, for good (its app goes with it).
    async fn roll_back(&self, step: Step, error: Error, owner: &str, item_id: &str) -> CreateError {
        let rollback = match self.delete_item(owner, item_id).await {
            Ok(()) => Rollback::Deleted,
            Err(error) => Rollback::Failed { item_id: item_id.to_owned(), error },
        };
        CreateError { step, error, rollback }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000_000;
    const DAY: i64 = 86_400_000;

    fn input() -> CredentialInput {
        CredentialInput {
            title: "Store finder".into(),
            privileges: vec!["premium:user:geocode:temporary".into()],
            referrers: vec!["https://shop.example.com".into()],
            keys: vec![(Slot::Primary, NOW + 30 * DAY)],
            ..CredentialInput::default()
        }
    }

    /// One row per rule: how the input is broken, and the field the error names.
    #[test]
    fn validation_names_the_field_and_the_rule() {
        type Break = fn(&mut CredentialInput);
        let cases: &[(Break, Field, &str)] = &[
            (|i| i.title = "  ".into(), Field::Title, "Enter a title"),
            (|i| i.privileges = vec!["premium user".into()], Field::Privileges, "not a privilege"),
            (|i| i.privileges.clear(), Field::Privileges, "at least one"),
            (|i| i.privileges = vec!["portal:user:createItem".into()], Field::Privileges, "acknowledge"),
            (|i| i.referrers = vec!["shop.example.com".into()], Field::Referrers, "https://host"),
            (|i| i.item_access = vec!["xyz".into()], Field::ItemAccess, "32 hexadecimal"),
            (|i| i.keys = vec![(Slot::Primary, NOW + 400 * DAY)], Field::Expires, "one year"),
            (|i| i.keys = vec![(Slot::Primary, NOW - DAY)], Field::Expires, "future"),
            (
                |i| i.keys = vec![(Slot::Primary, NOW + DAY), (Slot::Primary, NOW + DAY)],
                Field::Slot,
                "keys[1] asks for key 1 again",
            ),
            (|i| i.folder = Folder::New(" ".into()), Field::Folder, "Name the folder"),
        ];
        for (break_it, field, rule) in cases {
            let mut broken = input();
            break_it(&mut broken);
            let error = NewCredential::new(broken, NOW).expect_err(rule);
            assert_eq!(error.field, *field, "{error}");
            assert!(error.rule.contains(rule), "{error}");
        }
        assert!(NewCredential::new(input(), NOW).is_ok());
        let mut acknowledged = input();
        acknowledged.privileges = vec!["portal:user:createItem".into()];
        acknowledged.personal_privileges_acknowledged = true;
        assert!(NewCredential::new(acknowledged, NOW).is_ok());
        let mut only_items = input();
        only_items.privileges.clear();
        only_items.item_access = vec!["da7720eff87c4f5b9504f526ad6f0c6e".into()];
        let only_items = NewCredential::new(only_items, NOW).unwrap();
        assert_eq!(only_items.registered_privileges(), ["portal:app:access:item:da7720eff87c4f5b9504f526ad6f0c6e"]);
    }
}
