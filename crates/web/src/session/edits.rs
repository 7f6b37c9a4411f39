//! Edits: creating, updating, deleting and replacing credentials, and browsing items.

use arcgis_keys::Field;
use arcgis_keys::InputError;
use arcgis_keys::ops::create::{CredentialInput as CoreInput, Folder, NewCredential};
use arcgis_keys::ops::legacy::Replacement;
use arcgis_keys::ops::update::{CredentialUpdate as CoreUpdate, KeysStopWorking};
use arcgis_keys::validate::{self, Expiration, ItemAccess, Title};
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::Session;
use crate::errors::{self, Failure};
use crate::types::{self, from_js, slot, to_js};

#[wasm_bindgen]
impl Session {
    /// Creates a credential and generates the keys asked for. Fails before any request
    /// if the input breaks a rule. A failure before a key is issued deletes what was
    /// created (see the error's `rollback`); once a key is issued, it is returned and a
    /// later failure is a warning.
    #[wasm_bindgen(js_name = createCredential, unchecked_return_type = "Promise<Created>")]
    pub fn create_credential(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CredentialInput")] input: JsValue,
    ) -> Promise {
        self.run(|inner| async move {
            let input: types::CredentialInput = from_js(input, "input")?;
            let folder = match (input.folder_id, input.new_folder) {
                (Some(_), Some(_)) => {
                    return Err(InputError::new(Field::NewFolder, "Give folderId or newFolder, not both.").into());
                }
                (Some(id), None) => Folder::Existing(id),
                (None, Some(title)) => Folder::New(title),
                (None, None) => Folder::Root,
            };
            let keys = input.keys.unwrap_or_default();
            let now = inner.now();
            let keys = keys
                .iter()
                .map(|k| Ok((slot(k.slot)?, k.expires.unwrap_or_else(|| Expiration::default_from(now).epoch_ms()))))
                .collect::<Result<_, InputError>>()?;
            let input = CoreInput {
                title: input.title,
                snippet: input.snippet,
                description: input.description,
                tags: input.tags.unwrap_or_default(),
                folder,
                privileges: input.privileges.unwrap_or_default(),
                referrers: input.referrers.unwrap_or_default(),
                item_access: input.item_access.unwrap_or_default(),
                keys,
                personal_privileges_acknowledged: input.acknowledge_personal_privileges.unwrap_or(false),
                type_keywords: Vec::new(),
            };
            let new = NewCredential::new(input, now)?;
            let created = inner.client.create_credential(&new).await.map_err(|e| Failure(errors::create_error(&e)))?;
            inner.remember(&created.credential);
            Ok(to_js(&types::Created {
                credential: types::Credential::from(&created.credential),
                keys: created.keys.iter().map(types::IssuedKey::from).collect(),
                warnings: created.warnings.iter().map(types::Warning::from).collect(),
            }))
        })
    }

    /// Changes what the update names; lists are the whole new list. Privileges and
    /// item access can only change with `acknowledgeKeysStopWorking: true`: the portal
    /// stops both keys. The answer says which keys the portal stopped.
    #[wasm_bindgen(js_name = updateCredential, unchecked_return_type = "Promise<Updated>")]
    pub fn update_credential(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CredentialUpdate")] update: JsValue,
    ) -> Promise {
        self.run(|inner| async move {
            let id = types::item_id(&id)?;
            let update: types::CredentialUpdate = from_js(update, "update")?;
            // Every rule is checked before the credential is read, so bad input sends nothing.
            let core = CoreUpdate {
                title: update.title.as_deref().map(Title::new).transpose()?,
                snippet: update.snippet,
                description: update.description,
                tags: update.tags,
                referrers: update.referrers.map(|r| validate::referrers(r.iter().map(String::as_str))).transpose()?,
                privileges: update.privileges,
                item_access: update
                    .item_access
                    .map(|ids| ItemAccess::new(ids.iter().map(String::as_str)))
                    .transpose()?,
            }
            .checked()?;
            let acknowledged = (update.acknowledge_keys_stop_working == Some(true)).then_some(KeysStopWorking);
            let (result, view) =
                inner.change(&id, async |client, c| client.update_credential(c, core, acknowledged).await).await?;
            match result {
                Ok(updated) => Ok(to_js(&types::Updated {
                    credential: view,
                    keys_stopped: updated.keys_stopped.iter().map(|s| s.number()).collect(),
                })),
                Err(error) => Err(Failure(errors::update_error(&error, view))),
            }
        })
    }

    /// Deletes a credential or a retired legacy key for good: its live keys are
    /// invalidated first, then the item is deleted without a stop in the recycle bin.
    #[wasm_bindgen(js_name = deleteCredential, unchecked_return_type = "Promise<void>")]
    pub fn delete_credential(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        self.run(|inner| async move {
            let id = types::item_id(&id)?;
            let (result, _) = inner.change(&id, async |client, c| client.delete_key(c).await).await?;
            result?;
            inner.credentials.borrow_mut().remove(&id);
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Creates the API key credential that replaces a retired legacy key: its title,
    /// tags, description and referrers, its scopes mapped to current privileges, one key.
    /// A scope with no equivalent needs `privileges`. The legacy item is left alone.
    #[wasm_bindgen(js_name = replaceLegacyKey, unchecked_return_type = "Promise<Replaced>")]
    pub fn replace_legacy_key(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ReplaceOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.run(|inner| async move {
            let id = types::item_id(&id)?;
            let options: types::ReplaceOptions = from_js(options.unwrap_or(JsValue::UNDEFINED), "options")?;
            let legacy = inner.client.credential(&id).await?;
            let replacement = Replacement::of(&legacy)?;
            let now = inner.now();
            let expires = options.expires.unwrap_or_else(|| Expiration::default_from(now).epoch_ms());
            let new = replacement.new_credential(options.title, options.privileges, expires, now)?;
            let created = inner.client.create_credential(&new).await.map_err(|e| Failure(errors::create_error(&e)))?;
            inner.remember(&created.credential);
            let mapping = replacement.mapping;
            Ok(to_js(&types::Replaced {
                credential: types::Credential::from(&created.credential),
                keys: created.keys.iter().map(types::IssuedKey::from).collect(),
                mapped: mapping
                    .mapped
                    .into_iter()
                    .map(|(legacy, privileges)| types::LegacyScope { legacy, privileges })
                    .collect(),
                unmapped: mapping.unmapped,
                warnings: created.warnings.iter().map(types::Warning::from).collect(),
            }))
        })
    }

    /// One page of the user's items and their folders, to choose item access from.
    #[wasm_bindgen(unchecked_return_type = "Promise<ContentPage>")]
    pub fn browse(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "BrowseOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.run(|inner| async move {
            let options: types::BrowseOptions = from_js(options.unwrap_or(JsValue::UNDEFINED), "options")?;
            let page = inner.client.browse(options.folder.as_deref(), options.start.unwrap_or(1) as usize).await?;
            Ok(to_js(&types::ContentPage {
                total: page.total as u32,
                next_start: u32::try_from(page.next_start).ok().filter(|n| *n > 0),
                items: page
                    .items
                    .iter()
                    .map(|item| types::ContentItem {
                        id: item.id.clone(),
                        title: item.title.clone(),
                        item_type: item.item_type.clone(),
                        folder: item.owner_folder.clone(),
                        modified: item.modified,
                    })
                    .collect(),
                folders: page.folders.into_iter().map(|f| types::Folder { id: f.id, title: f.title }).collect(),
            }))
        })
    }
}
