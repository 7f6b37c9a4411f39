//! Listing and the organization: the user's keys, an administrator's organization, keys
//! by expiration, reading credentials, the inventory and the policy check.

use arcgis_keys::Field;
use arcgis_keys::InputError;
use arcgis_keys::attention::AppFacts;
use arcgis_keys::inventory::{self, InventoryRow};
use arcgis_keys::model::KeyKind as CoreKeyKind;
use arcgis_keys::ops::list::{ListOptions as CoreListOptions, SortField as CoreSortField};
use arcgis_keys::ops::org::OrgFilter;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::Session;
use crate::types::{self, from_js, to_js};

#[wasm_bindgen]
impl Session {
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
        self.run(|inner| async move {
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
        self.run(|inner| async move {
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
        self.run(|inner| async move {
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
        self.run(|inner| async move {
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
        self.run(|inner| async move {
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
        self.run(|inner| async move {
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
}

impl Session {
    fn list(&self, kind: CoreKeyKind, options: Option<JsValue>) -> Promise {
        self.run(|inner| async move {
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
