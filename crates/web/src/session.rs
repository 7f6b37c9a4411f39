//! `Session`: a signed-in user on a portal, and every key operation as a method that
//! returns a Promise.
//!
//! Operations take a credential's id. The session keeps each credential it has read or
//! changed (with its client secret, which never crosses to JavaScript) so that rotating
//! or editing does not re-read what it already holds; `getCredential` always re-reads.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::rc::Rc;

use arcgis_keys::Field;
use arcgis_keys::attention::AppFacts;
use arcgis_keys::inventory::{self, InventoryRow};
use arcgis_keys::model::{Credential as CoreCredential, KeyKind as CoreKeyKind, Slot};
use arcgis_keys::ops::create::{CredentialInput as CoreInput, Folder, NewCredential};
use arcgis_keys::ops::legacy::Replacement;
use arcgis_keys::ops::list::{ListOptions as CoreListOptions, SortField as CoreSortField};
use arcgis_keys::ops::org::OrgFilter;
use arcgis_keys::ops::test_key::{KeyVerdict as CoreVerdict, ServiceHosts};
use arcgis_keys::ops::update::{CredentialUpdate as CoreUpdate, KeysStopWorking};
use arcgis_keys::ops::usage::Period;
use arcgis_keys::rotation::RotationPlan;
use arcgis_keys::validate::{self, Expiration, ItemAccess, Title};
use arcgis_keys::{Client, Transport};
use arcgis_keys::{InputError, Secret};
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::errors::{self, Failure};
use crate::fetch::FetchTransport;
use crate::types::{self, from_js, slot, to_js};

pub(crate) type WebClient = Client<FetchTransport>;

/// A signed-in session. Create one with `signIn`, `fromToken` or the OAuth functions.
#[wasm_bindgen]
pub struct Session {
    inner: Rc<Inner>,
}

struct Inner {
    client: WebClient,
    credentials: RefCell<HashMap<String, CoreCredential>>,
}

impl Inner {
    /// The credential as this session last saw it, or read from the portal.
    async fn credential(&self, id: &str) -> Result<CoreCredential, Failure> {
        if let Some(credential) = self.credentials.borrow().get(id) {
            return Ok(credential.clone());
        }
        let credential = self.client.credential(id).await?;
        self.remember(&credential);
        Ok(credential)
    }

    /// Reads credential `id`, lets `operation` change it, and keeps the credential as the
    /// operation left it, failed or not: a step that failed after another succeeded has
    /// still changed the portal. Answers the result and the credential's view.
    async fn change<R, E>(
        &self,
        id: &str,
        operation: impl AsyncFnOnce(&WebClient, &mut CoreCredential) -> Result<R, E>,
    ) -> Result<(Result<R, E>, types::Credential), Failure> {
        let mut credential = self.credential(id).await?;
        let result = operation(&self.client, &mut credential).await;
        self.remember(&credential);
        Ok((result, types::Credential::from(&credential)))
    }

    /// Credentials `ids`, in their order: every id checked before anything is sent, the
    /// ones not read yet read together (the core's `READS_AT_ONCE` at a time).
    async fn credentials(&self, ids: &[String]) -> Result<Vec<CoreCredential>, Failure> {
        let ids = ids.iter().map(|id| types::item_id(&JsValue::from(id))).collect::<Result<Vec<_>, _>>()?;
        arcgis_keys::ops::credentials::read_at_once(&ids, |id| self.credential(id)).await
    }

    fn remember(&self, credential: &CoreCredential) {
        self.credentials.borrow_mut().insert(credential.item.id.clone(), credential.clone());
    }

    fn now(&self) -> i64 {
        self.client.transport().now_ms()
    }
}

/// Runs an operation as a Promise.
fn promise(operation: impl Future<Output = Result<JsValue, Failure>> + 'static) -> Promise {
    future_to_promise(async move { operation.await.map_err(JsValue::from) })
}

/// A `KeyRequest`'s slot and chosen expiry, validated. Without one, the default depends
/// on the credential (`ops::keys::default_expiration`).
fn key_request(request: JsValue, now: i64) -> Result<(Slot, Option<Expiration>), InputError> {
    let request: types::KeyRequest = from_js(request, "request")?;
    let expires = request.expires.map(|at| Expiration::new(at, now)).transpose()?;
    Ok((slot(request.slot)?, expires))
}

impl Session {
    pub(crate) fn new(client: WebClient) -> Self {
        Self { inner: Rc::new(Inner { client, credentials: RefCell::new(HashMap::new()) }) }
    }

    fn list(&self, kind: CoreKeyKind, options: Option<JsValue>) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let options: types::ListOptions = from_js(options.unwrap_or(JsValue::UNDEFINED), "options")?;
            let items = inner.client.list_keys(kind, list_options(&options)?).await?;
            Ok(to_js(&items.iter().map(types::KeySummary::from).collect::<Vec<_>>()))
        })
    }
}

/// The core's listing options from the JS ones, each checked.
fn list_options(options: &types::ListOptions) -> Result<CoreListOptions, InputError> {
    let defaults = CoreListOptions::default();
    let within = |value: Option<f64>, field: &'static str, default: usize| match value {
        None => Ok(default),
        Some(n) if n.fract() == 0.0 && (1.0..=100.0).contains(&n) => Ok(n as usize),
        Some(_) => Err(InputError::new(Field::Option(field), "Use a whole number from 1 to 100.")),
    };
    Ok(CoreListOptions {
        sort: match options.sort_by.unwrap_or_default() {
            types::SortField::Created => CoreSortField::Created,
            types::SortField::Modified => CoreSortField::Modified,
            types::SortField::Title => CoreSortField::Title,
        },
        descending: options.descending.unwrap_or(false),
        page_size: within(options.page_size, "pageSize", defaults.page_size)?,
        concurrency: within(options.concurrency, "concurrency", defaults.concurrency)?,
    })
}

#[wasm_bindgen]
impl Session {
    /// The signed-in user's username.
    #[wasm_bindgen(getter)]
    pub fn username(&self) -> String {
        self.inner.client.session().map(|s| s.username).unwrap_or_default()
    }

    /// Is the signed-in user an administrator of their organization (who may read and
    /// manage every member's credentials)?
    #[wasm_bindgen(getter, js_name = isAdmin)]
    pub fn is_admin(&self) -> bool {
        self.inner.client.user().is_some_and(|user| user.is_admin())
    }

    /// The portal's sharing REST URL.
    #[wasm_bindgen(getter)]
    pub fn portal(&self) -> String {
        self.inner.client.portal().base().to_owned()
    }

    /// When the current token expires (epoch ms); OAuth sessions renew it themselves.
    /// `0` after `signOut()`.
    #[wasm_bindgen(getter)]
    pub fn expires(&self) -> f64 {
        self.inner.client.session().map_or(0.0, |s| s.expires_ms as f64)
    }

    /// How long one call to the portal may take before it fails (default 30,000 ms):
    /// a whole number of milliseconds from 1 to 600,000 (ten minutes); anything else
    /// throws an `InputError` and keeps the current timeout.
    #[wasm_bindgen(js_name = setRequestTimeout)]
    pub fn set_request_timeout(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] milliseconds: JsValue,
    ) -> Result<(), JsValue> {
        match milliseconds.as_f64() {
            Some(ms) if ms.fract() == 0.0 && (1.0..=600_000.0).contains(&ms) => {
                self.inner.client.set_timeout_ms(ms as u32);
                Ok(())
            }
            _ => Err(Failure::from(InputError::new(
                Field::Option("milliseconds"),
                "Give the timeout as a whole number of milliseconds from 1 to 600000 (ten minutes).",
            ))
            .into()),
        }
    }

    /// The signed-in user, read again from the portal.
    #[wasm_bindgen(unchecked_return_type = "Promise<User>")]
    pub fn user(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(to_js(&types::User::from(inner.client.me().await?))) })
    }

    /// Every API key credential of the user: the first search page, then the rest
    /// concurrently.
    #[wasm_bindgen(js_name = listCredentials, unchecked_return_type = "Promise<KeySummary[]>")]
    pub fn list_credentials(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.list(CoreKeyKind::Credential, options)
    }

    /// Every legacy API key of the user.
    #[wasm_bindgen(js_name = listLegacyKeys, unchecked_return_type = "Promise<KeySummary[]>")]
    pub fn list_legacy_keys(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.list(CoreKeyKind::Legacy, options)
    }

    /// Every API key credential of the signed-in administrator's organization (of
    /// `owner` alone, and matching `query`, if given), each with its owner. A member is shown only what they may
    /// see: their own.
    #[wasm_bindgen(js_name = listOrgCredentials, unchecked_return_type = "Promise<KeySummary[]>")]
    pub fn list_org_credentials(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "OrgListOptions")] options: Option<JsValue>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let options: types::OrgListOptions = from_js(options.unwrap_or(JsValue::UNDEFINED), "options")?;
            let listing = types::ListOptions {
                sort_by: options.sort_by,
                descending: options.descending,
                page_size: options.page_size,
                concurrency: options.concurrency,
            };
            let given =
                |text: &Option<String>| text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
            let filter = OrgFilter { owner: given(&options.owner), query: given(&options.query) };
            let items = inner.client.list_org_credentials(&filter, list_options(&listing)?).await?;
            Ok(to_js(&items.iter().map(types::KeySummary::from).collect::<Vec<_>>()))
        })
    }

    /// Every live key of the organization expiring in a window (default: from now on),
    /// soonest first, from `portals/self/apiTokens`; when the portal refuses that query,
    /// from the org search and the items' dates. `source` says which.
    #[wasm_bindgen(js_name = keysByExpiration, unchecked_return_type = "Promise<KeysByExpiration>")]
    pub fn keys_by_expiration(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ExpiryWindow")] window: Option<JsValue>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let window: types::ExpiryWindow = from_js(window.unwrap_or(JsValue::UNDEFINED), "window")?;
            let now = inner.now();
            let from = window.from.unwrap_or(now);
            let to = window.to.unwrap_or(now.saturating_add(arcgis_keys::ops::org::EVERY_LIVE_KEY_MS));
            let found = inner.client.keys_by_expiration(from, to).await?;
            Ok(to_js(&types::KeysByExpiration::from(found)))
        })
    }

    /// A credential or legacy key with its app, read from the portal.
    #[wasm_bindgen(js_name = getCredential, unchecked_return_type = "Promise<Credential>")]
    pub fn get_credential(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let id = types::item_id(&id)?;
            let credential = inner.client.credential(&id).await?;
            inner.remember(&credential);
            Ok(to_js(&types::Credential::from(&credential)))
        })
    }

    /// Credentials `ids`, in their order, each read again from the portal (the core's
    /// `READS_AT_ONCE` at a time); every id is checked before anything is sent.
    #[wasm_bindgen(js_name = getCredentials, unchecked_return_type = "Promise<Credential[]>")]
    pub fn get_credentials(&self, #[wasm_bindgen(unchecked_param_type = "string[]")] ids: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let ids: Vec<String> = from_js(ids, "ids")?;
            // Read again, not taken from this session's copies.
            for id in &ids {
                inner.credentials.borrow_mut().remove(id);
            }
            let read = inner.credentials(&ids).await?;
            Ok(to_js(&read.iter().map(types::Credential::from).collect::<Vec<_>>()))
        })
    }

    /// The inventory as the manager exports it: one row per key (CSV with a header row,
    /// or a JSON array), no secret in it. Credentials this session has read are not read
    /// again.
    #[wasm_bindgen(js_name = exportInventory, unchecked_return_type = "Promise<string>")]
    pub fn export_inventory(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ExportOptions")] options: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let options: types::ExportOptions = from_js(options, "options")?;
            let credentials = inner.credentials(&options.ids).await?;
            let now = js_sys::Date::now() as i64;
            let rows: Vec<InventoryRow> =
                credentials.iter().map(|c| InventoryRow::new(&c.item, Some(&AppFacts::from(&c.app)), now)).collect();
            Ok(JsValue::from(match options.format {
                types::ExportFormat::Csv => inventory::to_csv(&rows),
                types::ExportFormat::Json => inventory::to_json(&rows),
            }))
        })
    }

    /// Every rule of the policy each credential breaks, and why, in `ids`' order. The
    /// rules are the core's, as the manager and the command line's `check` apply them.
    /// Credentials this session has read are not read again.
    #[wasm_bindgen(js_name = checkPolicy, unchecked_return_type = "Promise<PolicyFinding[]>")]
    pub fn check_policy(&self, #[wasm_bindgen(unchecked_param_type = "PolicyOptions")] options: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let options: types::PolicyOptions = from_js(options, "options")?;
            let policy = arcgis_keys::policy::Policy::from(&options);
            let now = inner.now();
            let mut findings = Vec::new();
            for credential in inner.credentials(&options.ids).await? {
                let app = AppFacts::from(&credential.app);
                let item = &credential.item;
                findings.extend(arcgis_keys::policy::check(item, Some(&app), &policy, now).into_iter().map(|f| {
                    types::PolicyFinding {
                        id: item.id.clone(),
                        title: item.title.clone(),
                        owner: item.owner.clone(),
                        slot: f.slot.map(|s| s.number()),
                        rule: f.rule.name(),
                        severity: if f.rule.is_error() { "error" } else { "warning" },
                        message: f.message,
                    }
                }));
            }
            Ok(to_js(&findings))
        })
    }

    /// Creates a credential and generates the keys asked for. Fails before any request
    /// if the input breaks a rule. A failure before a key is issued deletes what was
    /// created (see the error's `rollback`); once a key is issued, it is returned and a
    /// later failure is a warning.
    #[wasm_bindgen(js_name = createCredential, unchecked_return_type = "Promise<Created>")]
    pub fn create_credential(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CredentialInput")] input: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
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
        let inner = self.inner.clone();
        promise(async move {
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

    /// Generates (or regenerates) a slot's key with its expiration, fixed from then on.
    /// The key is in the answer only: the portal cannot show it again.
    #[wasm_bindgen(js_name = generateKey, unchecked_return_type = "Promise<IssuedKey>")]
    pub fn generate_key(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "KeyRequest")] request: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let id = types::item_id(&id)?;
            let now = inner.now();
            let (slot, expires) = key_request(request, now)?;
            let (result, view) = inner
                .change(&id, async |client, c| {
                    let expires = expires.unwrap_or_else(|| arcgis_keys::ops::keys::default_expiration(c, slot, now));
                    client.generate_key(c, slot, expires).await
                })
                .await?;
            match result {
                Ok(issued) => Ok(to_js(&types::IssuedKey::from(&issued))),
                Err(error) => Err(Failure(errors::key_error(&error, view))),
            }
        })
    }

    /// A rotation's generate step, safe to run again: reads the credential, then does
    /// what its state and the rotation record on it allow (`Credential.rotation`). A new
    /// rotation fills the free slot; with both keys live it refuses unless `replace`
    /// names the key to stop. A key made but never delivered is made again (the only key
    /// that stops is one nobody holds); a delivered one is not made again (`"deploy"`).
    /// The record (no secret) is written with the slot's date before the key is made.
    /// Deliver the key, then call `confirmDelivery`; if it cannot be delivered,
    /// `invalidateKey` it at once.
    #[wasm_bindgen(unchecked_return_type = "Promise<Rotated>")]
    pub fn rotate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RotateOptions")] options: Option<JsValue>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let id = types::item_id(&id)?;
            let now = inner.now();
            let options: types::RotateOptions = from_js(options.unwrap_or(JsValue::UNDEFINED), "options")?;
            let replace = types::named_slot(options.replace, "replace")?;
            let expires = options.expires.map(|at| Expiration::new(at, now)).transpose()?;
            let by = options.by.unwrap_or_else(|| "arcgis-keys".to_owned());
            if by.chars().count() > 100 {
                return Err(InputError::new(Field::Option("by"), "Use at most 100 characters.").into());
            }
            let (result, view) =
                inner.change(&id, async |client, c| client.rotate(c, replace, expires, &by).await).await?;
            let rotated = match result {
                Ok(rotated) => rotated,
                Err(error) => return Err(errors::rotate_error(error, view)),
            };
            let step = match rotated.plan {
                RotationPlan::Generate { .. } => "generate",
                RotationPlan::Redo { .. } => "redo",
                RotationPlan::Deploy { .. } => "deploy",
            };
            Ok(to_js(&types::Rotated {
                step,
                slot: rotated.plan.slot().number(),
                retire: rotated.plan.retire().map(Slot::number),
                replaced_live: matches!(rotated.plan, RotationPlan::Generate { replaces_live: true, .. }),
                key: rotated.issued.as_ref().map(|k| k.key.expose().to_owned()),
                expires: rotated.issued.as_ref().and_then(|k| k.expires_ms),
                credential: view,
            }))
        })
    }

    /// Records on the credential that the key `rotate` made reached its destination, so
    /// that running `rotate` again changes nothing until `retire`.
    #[wasm_bindgen(js_name = confirmDelivery, unchecked_return_type = "Promise<Credential>")]
    pub fn confirm_delivery(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let id = types::item_id(&id)?;
            let (result, view) = inner.change(&id, async |client, c| client.mark_delivered(c).await).await?;
            result?;
            Ok(to_js(&view))
        })
    }

    /// A rotation's last step, once the new key is deployed: invalidates the other key
    /// and closes the record. `keep` defaults to the recorded rotation's new key. Refused
    /// (nothing sent) when it would leave no live key, or keep a key never delivered.
    #[wasm_bindgen(unchecked_return_type = "Promise<Retired>")]
    pub fn retire(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RetireOptions")] options: Option<JsValue>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let id = types::item_id(&id)?;
            let options: types::RetireOptions = from_js(options.unwrap_or(JsValue::UNDEFINED), "options")?;
            let keep = types::named_slot(options.keep, "keep")?;
            let (result, view) = inner.change(&id, async |client, c| client.retire(c, keep).await).await?;
            let retirement = match result {
                Ok(retirement) => retirement,
                Err(error) => return Err(errors::rotate_error(error, view)),
            };
            Ok(to_js(&types::Retired {
                kept: retirement.keep.number(),
                retired: retirement.stops_key.then(|| retirement.retire.number()),
                credential: view,
            }))
        })
    }

    /// Sets the expiration the next key generated in an empty slot gets. Refused for a
    /// slot that holds a key: a key keeps the expiration it was generated with, so
    /// generate it again (`generateKey`) to change its life.
    #[wasm_bindgen(js_name = setExpiration, unchecked_return_type = "Promise<Credential>")]
    pub fn set_expiration(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "KeyRequest")] request: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let id = types::item_id(&id)?;
            let now = inner.now();
            let (slot, expires) = key_request(request, now)?;
            let expires = expires.unwrap_or_else(|| Expiration::default_from(now));
            let (result, view) =
                inner.change(&id, async |client, c| client.set_expiration(c, slot, expires).await).await?;
            match result {
                Ok(()) => Ok(to_js(&view)),
                Err(error) => Err(Failure(errors::key_error(&error, view))),
            }
        })
    }

    /// Invalidates a slot's key: it stops working at once.
    #[wasm_bindgen(js_name = invalidateKey, unchecked_return_type = "Promise<Credential>")]
    pub fn invalidate_key(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "1 | 2")] slot_number: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let id = types::item_id(&id)?;
            let slot = types::slot_of(&slot_number)?;
            let (result, view) = inner.change(&id, async |client, c| client.invalidate_key(c, slot).await).await?;
            match result {
                Ok(()) => Ok(to_js(&view)),
                Err(error) => Err(Failure(errors::key_error(&error, view))),
            }
        })
    }

    /// Deletes a credential or a retired legacy key for good: its live keys are
    /// invalidated first, then the item is deleted without a stop in the recycle bin.
    #[wasm_bindgen(js_name = deleteCredential, unchecked_return_type = "Promise<void>")]
    pub fn delete_credential(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
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
        let inner = self.inner.clone();
        promise(async move {
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
        let inner = self.inner.clone();
        promise(async move {
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

    /// A credential's use of location services, one series per operation.
    #[wasm_bindgen(unchecked_return_type = "Promise<UsageSeries[]>")]
    pub fn usage(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "UsageOptions")] options: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let id = types::item_id(&id)?;
            let options: types::UsageOptions = from_js(options, "options")?;
            let period = match options.period.unwrap_or_default() {
                types::UsagePeriod::Hour => Period::Hour,
                types::UsagePeriod::Day => Period::Day,
                types::UsagePeriod::Week => Period::Week,
                types::UsagePeriod::Month => Period::Month,
            };
            let credential = inner.credential(&id).await?;
            let series = inner.client.usage(&credential, options.start, options.end, period).await?;
            let series: Vec<types::UsageSeries> = series
                .into_iter()
                .map(|s| {
                    let at: Vec<f64> = s.points.iter().map(|p| p.at_ms as f64).collect();
                    let count: Vec<f64> = s.points.iter().map(|p| p.count as f64).collect();
                    let credits: Vec<f64> = s.points.iter().map(|p| p.credits).collect();
                    types::UsageSeries {
                        service: s.stype,
                        operation: s.etype,
                        points: types::usage_points(&at, &count, &credits),
                    }
                })
                .collect();
            Ok(to_js(&series))
        })
    }

    /// Asks the location service a privilege unlocks whether it accepts `key`. No user
    /// token is sent; the service sees this page's origin as the referrer.
    #[wasm_bindgen(js_name = testKey, unchecked_return_type = "Promise<KeyVerdict>")]
    pub fn test_key(&self, #[wasm_bindgen(unchecked_param_type = "TestKeyOptions")] options: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move { test_key(&inner.client, options).await })
    }

    /// How this session signed in: `"apiKey"` (it never renews), `"oauth"` (it renews
    /// itself) or `"token"` (a password's or a given token, until it expires).
    #[wasm_bindgen(getter, js_name = signedInWith, unchecked_return_type = "\"apiKey\" | \"oauth\" | \"token\"")]
    pub fn signed_in_with(&self) -> String {
        match self.inner.client.session() {
            Some(session) if session.api_key => "apiKey",
            Some(session) if session.refresh.is_some() => "oauth",
            _ => "token",
        }
        .into()
    }

    /// What keeps this OAuth sign-in for later, refresh token included (a command
    /// line's profile file, readable by its user only); `null` for any other session.
    /// The one way a refresh token reaches JavaScript.
    #[wasm_bindgen(js_name = keptSignIn, unchecked_return_type = "KeptSignIn | null")]
    pub fn kept_sign_in(&self) -> JsValue {
        let Some(session) = self.inner.client.session() else { return JsValue::NULL };
        let Some(refresh) = session.refresh else { return JsValue::NULL };
        to_js(&types::KeptSignIn {
            portal: self.portal(),
            username: session.username,
            client_id: refresh.client_id,
            refresh_token: refresh.token.expose().to_owned(),
            refresh_expires: refresh.expires_ms,
        })
    }

    /// Trades this OAuth sign-in's refresh token for a new one, so a kept sign-in lasts
    /// as long as it is used. `redirectUri`: one registered for the app. Keep
    /// `keptSignIn()` again afterwards: the old refresh token may have stopped.
    #[wasm_bindgen(js_name = renewSignIn, unchecked_return_type = "Promise<void>")]
    pub fn renew_sign_in(&self, #[wasm_bindgen(unchecked_param_type = "RenewOptions")] options: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let options: types::RenewOptions = from_js(options, "options")?;
            let minutes = options.refresh_minutes.unwrap_or(arcgis_keys::oauth::REFRESH_MINUTES);
            inner.client.renew_refresh_token(&options.redirect_uri, minutes).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Ends the session; OAuth tokens are revoked at the portal.
    #[wasm_bindgen(js_name = signOut, unchecked_return_type = "Promise<void>")]
    pub fn sign_out(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            inner.credentials.borrow_mut().clear();
            inner.client.sign_out().await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

/// `testKey`, with or without a session: the service sees only the key.
pub(crate) async fn test_key(client: &WebClient, options: JsValue) -> Result<JsValue, Failure> {
    let options: types::TestKeyOptions = from_js(options, "options")?;
    let hosts = options.service_base.map_or(ServiceHosts::ArcGis, ServiceHosts::Base);
    let verdict = client.test_key(&Secret::new(options.key), &options.privilege, &hosts).await?;
    Ok(to_js(&match verdict {
        CoreVerdict::Accepted => types::KeyVerdict { accepted: true, judged: true, code: None, message: None },
        CoreVerdict::Rejected(e) => {
            types::KeyVerdict { accepted: false, judged: true, code: Some(e.code), message: Some(e.message) }
        }
        CoreVerdict::Inconclusive(e) => {
            types::KeyVerdict { accepted: false, judged: false, code: Some(e.code), message: Some(e.message) }
        }
    }))
}
