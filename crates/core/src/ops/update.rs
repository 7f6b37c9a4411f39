//! Changing a credential: its item's details, and its app's privileges, referrers and
//! item access. App changes are one call; item changes another; both run at once.
//! New privileges stop both keys, so that change needs an explicit signal.

use std::collections::BTreeSet;

use crate::client::Client;
use crate::error::{Error, InputError};
use crate::model::{AppInfo, Credential};
use crate::privileges::{self, ITEM_ACCESS_PREFIX};
use crate::request::ApiRequest;
use crate::transport::Transport;
use crate::validate::{ItemAccess, Referrer, Title};

/// The caller's acknowledgment that new privileges stop both keys of the credential
/// (the portal deactivates them; new keys must be generated). Constructing it is the
/// signal: there is no default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeysStopWorking;

/// What to change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CredentialUpdate {
    pub title: Option<Title>,
    pub snippet: Option<String>,
    pub description: Option<String>,
    pub tags: Option<Vec<String>>,
    pub referrers: Option<Vec<Referrer>>,
    /// New privileges (item access excluded) and the acknowledgment that keys stop.
    pub privileges: Option<(Vec<String>, KeysStopWorking)>,
    /// Item access is a privilege too: changing it also stops the keys.
    pub item_access: Option<(ItemAccess, KeysStopWorking)>,
}

/// Which of an update's two calls failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateStep {
    /// Privileges, referrers, item access (the registered app).
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
}

#[derive(serde::Deserialize)]
struct Success {}

fn current_item_access(app: &AppInfo) -> Vec<String> {
    app.privileges.iter().filter(|p| p.starts_with(ITEM_ACCESS_PREFIX)).cloned().collect()
}

fn current_services(app: &AppInfo) -> Vec<String> {
    app.privileges.iter().filter(|p| !p.starts_with(ITEM_ACCESS_PREFIX)).cloned().collect()
}

/// Are the two privilege lists different as sets? (The portal compares that way.)
pub fn privileges_change(old: &[String], new: &[String]) -> bool {
    old.iter().collect::<BTreeSet<_>>() != new.iter().collect::<BTreeSet<_>>()
}

impl<T: Transport> Client<T> {
    /// Applies `update` to `credential`, which is updated to match the portal (also for
    /// the half that succeeded when the other failed).
    pub async fn update_credential(
        &self,
        credential: &mut Credential,
        update: CredentialUpdate,
    ) -> Result<(), UpdateError> {
        if let Some((list, _)) = &update.privileges
            && let Some(unknown) = list.iter().find(|p| privileges::lookup(p).is_none())
        {
            let rule = format!("'{unknown}' is not a privilege arcgis-keys knows.");
            return Err(UpdateError { step: UpdateStep::App, error: InputError::new("privileges", rule).into() });
        }
        let services = update.privileges.as_ref().map_or_else(|| current_services(&credential.app), |(p, _)| p.clone());
        let items = update
            .item_access
            .as_ref()
            .map_or_else(|| current_item_access(&credential.app), |(a, _)| a.privileges().collect());
        let privileges: Vec<String> = services.into_iter().chain(items).collect();
        let privileges_changed = privileges_change(&credential.app.privileges, &privileges);

        let mut app_request = None;
        if privileges_changed || update.referrers.is_some() {
            let mut request = ApiRequest::write(format!("/oauth2/apps/{}/update", credential.app.client_id));
            if privileges_changed {
                request = request.json_list("privileges", &privileges);
            }
            if let Some(referrers) = &update.referrers {
                let referrers: Vec<String> = referrers.iter().map(|r| r.as_str().to_owned()).collect();
                request = request.json_list("httpReferrers", &referrers);
            }
            app_request = Some(request);
        }

        let item = &credential.item;
        let mut item_request = ApiRequest::write(format!("/content/users/{}/items/{}/update", item.owner, item.id));
        let mut item_changed = false;
        if let Some(title) = &update.title {
            item_request = item_request.param("title", title.as_str());
            item_changed = true;
        }
        for (name, value) in [("snippet", &update.snippet), ("description", &update.description)] {
            if let Some(value) = value {
                item_request = item_request.param(name, value.clone());
                item_changed = true;
            }
        }
        if let Some(tags) = &update.tags {
            item_request = item_request.comma_list("tags", tags);
            item_changed = true;
        }

        let app_call = async {
            match &app_request {
                Some(request) => self.call::<AppInfo>(request).await.map(Some),
                None => Ok(None),
            }
        };
        let item_call =
            async { if item_changed { self.call::<Success>(&item_request).await.map(|_| true) } else { Ok(false) } };
        let (app, item_done) = futures_util::future::join(app_call, item_call).await;
        // Apply what succeeded before reporting what failed, so the caller's copy
        // matches the portal either way.
        if let Ok(Some(app)) = &app {
            credential.app = app.clone();
        }
        if let Ok(true) = item_done {
            if let Some(title) = update.title {
                credential.item.title = title.as_str().to_owned();
            }
            if let Some(snippet) = update.snippet {
                credential.item.snippet = Some(snippet);
            }
            if let Some(description) = update.description {
                credential.item.description = Some(description);
            }
            if let Some(tags) = update.tags {
                credential.item.tags = tags;
            }
        }
        app.map_err(|error| UpdateError { step: UpdateStep::App, error })?;
        item_done.map_err(|error| UpdateError { step: UpdateStep::Item, error })?;
        Ok(())
    }

    /// Deletes a credential or legacy key: its item, and with it the app and its keys.
    pub async fn delete_key(&self, credential: &Credential) -> Result<(), Error> {
        let item = &credential.item;
        let request = ApiRequest::write(format!("/content/users/{}/items/{}/delete", item.owner, item.id));
        self.call::<Success>(&request).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::privileges_change;

    #[test]
    fn privileges_compare_as_sets() {
        let a = vec!["x".to_owned(), "y".to_owned()];
        assert!(!privileges_change(&a, &["y".to_owned(), "x".to_owned()]));
        assert!(privileges_change(&a, &["x".to_owned()]));
    }
}
