//! Changing a credential: its item's details, and its app's privileges, referrers and
//! item access; and deleting it.
//!
//! An app update always carries both `privileges` and `httpReferrers`, the unchanged one
//! filled from a fresh read of the app, as both official clients do: what the service
//! makes of a left-out field is not documented, and reading it as "clear" would wipe
//! the privileges or leave an unrestricted key. Whether an edit stops the keys is
//! decided here, once ([`CredentialUpdate::stops_keys`]); what it did stop is read from
//! the portal's answer ([`Updated::keys_stopped`]), never assumed.

use std::collections::BTreeSet;

use crate::client::Client;
use crate::error::{Error, Field, InputError, ServerError};
use crate::model::{AppInfo, Credential, KeyKind, Slot};
use crate::ops::credentials::app_request;
use crate::paths;
use crate::privileges::{self, ITEM_ACCESS_PREFIX};
use crate::request::ApiRequest;
use crate::transport::Transport;
use crate::validate::{ItemAccess, Referrer, Title};

/// The caller's acknowledgment that the update stops both keys of the credential (the
/// portal deactivates them; new keys must be generated). Constructing it is the signal:
/// there is no default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeysStopWorking;

/// The credential as the caller wants it; `None` leaves a field as it is. Lists are the
/// whole desired list, not a change to apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CredentialUpdate {
    pub title: Option<Title>,
    pub snippet: Option<String>,
    pub description: Option<String>,
    pub tags: Option<Vec<String>>,
    pub referrers: Option<Vec<Referrer>>,
    /// Location-service and portal privileges (item access apart), well formed
    /// ([`crate::validate::privileges`]).
    pub privileges: Option<Vec<String>>,
    pub item_access: Option<ItemAccess>,
}

/// Are two privilege lists different as sets? (The portal compares that way.)
pub fn privileges_change(old: &[String], new: &[String]) -> bool {
    old.iter().collect::<BTreeSet<_>>() != new.iter().collect::<BTreeSet<_>>()
}

impl CredentialUpdate {
    /// The update with every rule a client checks before sending applied: privileges
    /// well formed, tags trimmed and without commas, summaries plain text. The one place
    /// these are checked; callers that read before updating check first, so bad input
    /// sends nothing.
    pub fn checked(mut self) -> Result<Self, InputError> {
        if let Some(list) = &self.privileges {
            crate::validate::privileges(list.iter().map(String::as_str))?;
        }
        if let Some(tags) = &self.tags {
            self.tags = Some(crate::validate::tags(tags)?);
        }
        for (field, text) in [(Field::Snippet, &self.snippet), (Field::Description, &self.description)] {
            if let Some(text) = text {
                crate::validate::summary(field, text)?;
            }
        }
        Ok(self)
    }

    /// The privileges `app` would have after this update (item access included).
    fn privileges_for(&self, app: &AppInfo) -> Vec<String> {
        let (services, items) = privileges::split(&app.privileges);
        let services = self.privileges.clone().unwrap_or(services);
        let items: Vec<String> = match &self.item_access {
            Some(access) => access.privileges().collect(),
            None => items.iter().map(|id| format!("{ITEM_ACCESS_PREFIX}{id}")).collect(),
        };
        services.into_iter().chain(items).collect()
    }

    fn referrers_for(&self, app: &AppInfo) -> Vec<String> {
        match &self.referrers {
            Some(referrers) => referrers.iter().map(|r| r.as_str().to_owned()).collect(),
            None => app.http_referrers.clone(),
        }
    }

    /// Does this update change the privileges (item access included) of a credential
    /// whose app is `app`? The portal then stops both its keys. The one place this
    /// rule lives: the JS API, the widget and the command line ask it.
    pub fn stops_keys(&self, app: &AppInfo) -> bool {
        privileges_change(&app.privileges, &self.privileges_for(app))
    }

    /// Does this update change anything the app holds?
    fn changes_app(&self, app: &AppInfo) -> bool {
        self.stops_keys(app) || self.referrers_for(app) != app.http_referrers
    }

    fn touches_app(&self) -> bool {
        self.referrers.is_some() || self.privileges.is_some() || self.item_access.is_some()
    }

    fn touches_item(&self) -> bool {
        self.title.is_some() || self.snippet.is_some() || self.description.is_some() || self.tags.is_some()
    }

    /// The refusal for an update that stops keys without the caller's acknowledgment.
    fn unacknowledged(&self) -> InputError {
        let field = if self.privileges.is_some() { Field::Privileges } else { Field::ItemAccess };
        InputError::new(
            field,
            "Changing privileges or item access stops both keys of the credential; acknowledge that first.",
        )
    }
}

/// Which of an update's calls failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateStep {
    /// Privileges, referrers, item access (reading or updating the registered app).
    App,
    /// Title, tags, snippet, description (the item).
    Item,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Updating the credential's {} failed: {error}", match step {
    UpdateStep::App => "privileges, referrers or item access",
    UpdateStep::Item => "title, tags or description",
})]
pub struct UpdateError {
    pub step: UpdateStep,
    pub error: Error,
    /// The keys the half that succeeded stopped (the app updated, the item failed).
    pub keys_stopped: Vec<Slot>,
}

/// What an update left.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Updated {
    /// The slots whose keys the portal stopped, read from its answer: both when the
    /// privileges changed, and (under one reading of the service) after new referrers.
    pub keys_stopped: Vec<Slot>,
}

impl<T: Transport> Client<T> {
    /// Applies `update` to `credential`, which is updated to match the portal (also for
    /// the half that succeeded when the other failed). An update that changes the
    /// privileges needs `acknowledged`. Sequential levels: one for item fields alone;
    /// two when the app changes (read it, then update it), the item beside the read.
    pub async fn update_credential(
        &self,
        credential: &mut Credential,
        update: CredentialUpdate,
        acknowledged: Option<KeysStopWorking>,
    ) -> Result<Updated, UpdateError> {
        let refuse = |step, error: InputError| UpdateError { step, error: error.into(), keys_stopped: Vec::new() };
        if credential.item.key_kind() == Some(KeyKind::Legacy) {
            let rule = "Legacy API keys were retired on 2026-06-27 and can no longer be changed; replace it with an \
                        API key credential.";
            return Err(refuse(UpdateStep::App, InputError::new(Field::Id, rule)));
        }
        let update = update.checked().map_err(|e| {
            let step = if e.field == Field::Privileges { UpdateStep::App } else { UpdateStep::Item };
            refuse(step, e)
        })?;
        if update.stops_keys(&credential.app) && acknowledged.is_none() {
            return Err(refuse(UpdateStep::App, update.unacknowledged()));
        }

        let item = &credential.item;
        let mut item_request = ApiRequest::write(paths::item_action(&item.owner, &item.id, "update"));
        if let Some(title) = &update.title {
            item_request = item_request.param("title", title.as_str());
        }
        for (name, value) in [("snippet", &update.snippet), ("description", &update.description)] {
            if let Some(value) = value {
                item_request = item_request.param(name, value.clone());
            }
        }
        if let Some(tags) = &update.tags {
            item_request = item_request.comma_list("tags", tags);
        }
        let read = app_request(&item.owner, &item.id);

        let app_read =
            async { if update.touches_app() { self.call::<AppInfo>(&read).await.map(Some) } else { Ok(None) } };
        let item_call = async {
            if update.touches_item() { self.call_success(&item_request).await.map(|_| true) } else { Ok(false) }
        };
        let (fresh, item_done) = futures_util::future::join(app_read, item_call).await;
        if let Ok(true) = item_done {
            apply_item_fields(credential, &update);
        }
        let fresh = match fresh {
            Ok(fresh) => fresh,
            Err(error) => return Err(UpdateError { step: UpdateStep::App, error, keys_stopped: Vec::new() }),
        };
        let mut updated = Updated::default();
        if let Some(fresh) = fresh {
            credential.app = fresh;
            updated = self.update_app(credential, &update, acknowledged).await?;
        }
        item_done.map_err(|error| UpdateError {
            step: UpdateStep::Item,
            error,
            keys_stopped: updated.keys_stopped.clone(),
        })?;
        Ok(updated)
    }

    /// The app half of an update, against the app as just read. The portal has no way to
    /// say "only if unchanged", so another session's update landing between this read
    /// and this write, or just after it, would silently undo one of the two. So the app
    /// is read back after the write, two of its round trips later (when a write based on
    /// a read made before this one has landed): if what was sent no longer holds, the change is
    /// applied once more on the state found there (the other session's change kept), and
    /// if it still does not hold, the conflict is reported with both versions. The keys
    /// reported stopped are the portal's: live in the read before, not live at the end.
    async fn update_app(
        &self,
        credential: &mut Credential,
        update: &CredentialUpdate,
        acknowledged: Option<KeysStopWorking>,
    ) -> Result<Updated, UpdateError> {
        let fail = |error| UpdateError { step: UpdateStep::App, error, keys_stopped: Vec::new() };
        if !update.changes_app(&credential.app) {
            return Ok(Updated::default());
        }
        let before = credential.app.clone();
        let read = app_request(&credential.item.owner, &credential.item.id);
        for attempt in 1..=2 {
            // The app may have changed since the caller read it: ask again against the fresh one.
            if update.stops_keys(&credential.app) && acknowledged.is_none() {
                let mut refused = fail(update.unacknowledged().into());
                refused.keys_stopped = before.slots_stopped_by(&credential.app);
                return Err(refused);
            }
            let privileges = update.privileges_for(&credential.app);
            let referrers = update.referrers_for(&credential.app);
            let mut request = ApiRequest::write(paths::app_action(&credential.app.client_id, "update"))
                .json_list("privileges", &privileges)
                .json_list("httpReferrers", &referrers);
            // Always, to match the privileges: "must be set to true … or else the token will
            // not be generated properly" [Python], and whether a portal recomputes it
            // when the personal privileges go is open (`personalFlagOnUpdate`), so a
            // credential that no longer acts as its owner is not left marked as one.
            request = request.flag("isPersonalAPIToken", privileges::any_personal(&privileges));
            let sent_at = self.transport().now_ms();
            credential.app = self.call(&request).await.map_err(fail)?;
            // A session that read the app just before this write lands its own write about
            // a round trip after reading: wait two of this write's round trips, so that
            // the read back comes after such a write.
            let round_trip = self.transport().now_ms().saturating_sub(sent_at).clamp(0, 2_500);
            self.transport().sleep(2 * round_trip as u32).await;
            let Ok(after) = self.call::<AppInfo>(&read).await else {
                // Written, and the answer says so; only the check after could not be made.
                break;
            };
            let holds = !privileges_change(&after.privileges, &privileges) && after.http_referrers == referrers;
            credential.app = after;
            if holds {
                break;
            }
            if attempt == 2 {
                let conflict = ServerError::from_client(
                    409,
                    format!(
                        "Another session changed this credential at the same time, and this change did not hold \
                         when applied twice. You asked for privileges [{}] and referrers [{}]; the portal now holds \
                         privileges [{}] and referrers [{}].",
                        privileges.join(", "),
                        referrers.join(", "),
                        credential.app.privileges.join(", "),
                        credential.app.http_referrers.join(", ")
                    ),
                    vec!["Read the credential again, then make the change once more.".into()],
                );
                let mut error = fail(Error::Portal(conflict));
                error.keys_stopped = before.slots_stopped_by(&credential.app);
                return Err(error);
            }
        }
        Ok(Updated { keys_stopped: before.slots_stopped_by(&credential.app) })
    }

    /// Deletes a credential or legacy key for good: its live keys are invalidated first
    /// (a fresh read says which), then the item is deleted with `permanentDelete=true`,
    /// so it does not sit in the recycle bin for 14 days with keys that may still work.
    /// A failed invalidation stops here with nothing deleted, so the user can retry; a
    /// failed delete after it leaves the item without keys. `credential` says which.
    pub async fn delete_key(&self, credential: &mut Credential) -> Result<(), Error> {
        if credential.item.key_kind() != Some(KeyKind::Legacy) {
            match self.reread_app(credential).await {
                Ok(()) => {
                    let live: Vec<Slot> = Slot::BOTH.into_iter().filter(|s| credential.app.is_active(*s)).collect();
                    for slot in live {
                        self.invalidate_key(credential, slot).await.map_err(|failed| failed.error)?;
                    }
                }
                // An item that was never registered has no keys to stop.
                Err(Error::Portal(refused)) if refused.code == 400 && refused.message_code.is_none() => {}
                Err(error) => return Err(error),
            }
        }
        self.delete_item(&credential.item.owner, &credential.item.id).await
    }

    /// Deletes an item for good (`permanentDelete=true`): no recycle bin.
    pub(crate) async fn delete_item(&self, owner: &str, id: &str) -> Result<(), Error> {
        let request = ApiRequest::write(paths::item_action(owner, id, "delete")).flag("permanentDelete", true);
        self.call_success(&request).await
    }
}

fn apply_item_fields(credential: &mut Credential, update: &CredentialUpdate) {
    if let Some(title) = &update.title {
        credential.item.title = title.as_str().to_owned();
    }
    if let Some(snippet) = &update.snippet {
        credential.item.snippet = Some(snippet.clone());
    }
    if let Some(description) = &update.description {
        credential.item.description = Some(description.clone());
    }
    if let Some(tags) = &update.tags {
        credential.item.tags = tags.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn app(privileges: &[&str], referrers: &[&str]) -> AppInfo {
        AppInfo {
            item_id: "i".into(),
            client_id: "c".into(),
            client_secret: Secret::new("s"),
            app_type: "multiple".into(),
            http_referrers: referrers.iter().map(|r| r.to_string()).collect(),
            privileges: privileges.iter().map(|p| p.to_string()).collect(),
            registered: 0,
            modified: 0,
            api_token1_active: true,
            api_token2_active: false,
            is_personal_api_token: false,
        }
    }

    const ITEM: &str = "portal:app:access:item:da7720eff87c4f5b9504f526ad6f0c6e";

    #[test]
    fn privileges_compare_as_sets() {
        let a = vec!["x".to_owned(), "y".to_owned()];
        assert!(!privileges_change(&a, &["y".to_owned(), "x".to_owned()]));
        assert!(privileges_change(&a, &["x".to_owned()]));
    }

    /// One row per edit: does it stop the keys of an app with a geocode privilege, an
    /// item, and one referrer?
    #[test]
    fn which_edits_stop_the_keys() {
        let current = app(&["premium:user:geocode:temporary", ITEM], &["https://a.example.com"]);
        let list = |v: &[&str]| Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let cases: Vec<(&str, CredentialUpdate, bool)> = vec![
            ("title only", CredentialUpdate { title: Some(Title::new("x").unwrap()), ..Default::default() }, false),
            (
                "referrers only",
                CredentialUpdate {
                    referrers: Some(vec![Referrer::new("https://b.example.com").unwrap()]),
                    ..Default::default()
                },
                false,
            ),
            (
                "the same privileges in another order",
                CredentialUpdate { privileges: list(&["premium:user:geocode:temporary"]), ..Default::default() },
                false,
            ),
            (
                "a new privilege",
                CredentialUpdate { privileges: list(&["premium:user:basemaps"]), ..Default::default() },
                true,
            ),
            (
                "item access cleared",
                CredentialUpdate { item_access: Some(ItemAccess::default()), ..Default::default() },
                true,
            ),
        ];
        for (name, update, stops) in cases {
            assert_eq!(update.stops_keys(&current), stops, "{name}");
        }
    }

    #[test]
    fn an_update_keeps_what_it_does_not_name() {
        let current = app(&["premium:user:geocode:temporary", ITEM], &["https://a.example.com"]);
        let update = CredentialUpdate { privileges: Some(vec!["premium:user:basemaps".into()]), ..Default::default() };
        assert_eq!(update.privileges_for(&current), ["premium:user:basemaps", ITEM]);
        assert_eq!(update.referrers_for(&current), ["https://a.example.com"]);
    }

    #[test]
    fn the_keys_stopped_are_read_from_the_answer() {
        let before = app(&[], &[]);
        let mut after = before.clone();
        assert!(before.slots_stopped_by(&after).is_empty());
        after.api_token1_active = false;
        assert_eq!(before.slots_stopped_by(&after), [Slot::Primary]);
    }
}
