//! Contract section 4: registered apps, where privileges, referrers and keys live.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use serde_json::json;

use super::list_or_empty;
use crate::behaviour::{Behaviour, OmittedField, PersonalFlag, ReferrersUpdate};
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::privileges;
use crate::secrets;
use crate::state::{Act, App, State as PortalState};
use crate::{Shared, StateWrite};

const APP_TYPES: &[&str] = &["multiple", "apikey", "browser", "native", "server"];
const REGISTERED_APP: &str = "Registered App";

/// Checks privileges against what the item's owner holds.
fn check_privileges(state: &PortalState, owner: &str, list: &[String]) -> ApiResult<()> {
    let held = state.users.get(owner).map(|u| u.privileges.as_slice()).unwrap_or_default();
    privileges::validate(list, held).map_err(ApiError::bad_request)
}

fn check_app_type(app_type: &str) -> ApiResult<()> {
    if APP_TYPES.contains(&app_type) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!("Invalid appType '{app_type}': use one of {}.", APP_TYPES.join(", "))))
    }
}

/// Legacy API keys were retired: no write may touch them (contract section 3).
fn legacy_retired() -> ApiError {
    ApiError::bad_request("Legacy API keys are retired and can no longer be created or changed.").with_detail(
        "Since 2026-06-27 legacy API keys no longer work. Create an API key credential (appType=multiple) instead.",
    )
}

const OUT_OF_BAND: &str = "urn:ietf:wg:oauth:2.0:oob";
const API_TOKEN: &str = "APIToken";

/// POST /oauth2/registerApp
pub async fn register_app(State(shared): State<Arc<Shared>>, params: Params) -> ApiResult {
    let now = shared.now();
    let behaviour = shared.behaviour();
    let item_id = params.require("itemId")?;
    let app_type = params.require("appType")?;
    check_app_type(app_type)?;
    if app_type == "apikey" {
        return Err(legacy_retired());
    }
    let redirect_uris = list_or_empty(&params, "redirect_uris")?;
    let http_referrers = list_or_empty(&params, "httpReferrers")?;
    let privileges = list_or_empty(&params, "privileges")?;
    let is_personal = params.bool("isPersonalAPIToken")?.unwrap_or(false);
    let mut state = shared.write();
    let caller = state.key_manager(params.token(), now, &behaviour)?;
    let owner = state.managed_item(&caller, item_id, Act::Write)?.owner.clone();
    if state.app_for_item(item_id).is_some() {
        return Err(ApiError::bad_request("This item is already registered as an app."));
    }
    check_privileges(&state, &owner, &privileges)?;
    let app = App {
        client_id: secrets::client_id(),
        client_secret: secrets::client_secret(),
        item_id: item_id.to_owned(),
        app_type: app_type.to_owned(),
        redirect_uris,
        http_referrers,
        privileges,
        registered: now,
        modified: now,
        api_key: None,
        slot_keys: [None, None],
        is_personal,
    };
    let item = state.items.get_mut(item_id).expect("found above");
    // Inferred: the service marks an item as an API key credential when it is an
    // `Application` registered as `multiple` with only the out-of-band redirect, the
    // way the portal, REST JS and the Python API all register one. Without this, keys
    // made by other clients would be missing from a `typekeywords:"APIToken"` search.
    let is_credential =
        item.item_type == "Application" && app.app_type == "multiple" && app.redirect_uris == [OUT_OF_BAND];
    for (keyword, add) in [(REGISTERED_APP, true), (API_TOKEN, is_credential)] {
        if add && !item.type_keywords.iter().any(|k| k == keyword) {
            item.type_keywords.push(keyword.into());
        }
    }
    item.modified = now;
    let body = app.to_json();
    state.apps.insert(app.client_id.clone(), app);
    Ok(Json(body).into_response())
}

/// The app of `client_id`, if the caller may manage its item.
fn managed_app<'a>(
    state: &'a mut StateWrite<'_>,
    params: &Params,
    client_id: &str,
    now: i64,
    behaviour: &Behaviour,
) -> ApiResult<&'a mut App> {
    let caller = state.key_manager(params.token(), now, behaviour)?;
    let app = state.apps.get(client_id).ok_or_else(|| ApiError::oauth("invalid_client_id", "Invalid client_id."))?;
    let owner = state.items.get(&app.item_id).map(|i| i.owner.clone()).unwrap_or_default();
    state.check(&caller, Act::Write, &owner)?;
    Ok(state.apps.get_mut(client_id).expect("found above"))
}

/// POST /oauth2/apps/{client_id}/update. New privileges deactivate both key slots of a
/// credential: its keys stop working and must be generated again. What a left-out
/// `privileges` or `httpReferrers` means, and whether new referrers alone stop the
/// keys, are open points acted out by [`Behaviour`].
pub async fn update_app(State(shared): State<Arc<Shared>>, Path(client_id): Path<String>, params: Params) -> ApiResult {
    let now = shared.now();
    let behaviour = shared.behaviour();
    let omitted = |list: Option<Vec<String>>| match (list, behaviour.omitted_app_field) {
        (Some(list), _) => Some(list),
        (None, OmittedField::Keep) => None,
        (None, OmittedField::Clear) => Some(Vec::new()),
    };
    let privileges = omitted(params.list("privileges")?);
    let http_referrers = omitted(params.list("httpReferrers")?);
    let redirect_uris = params.list("redirect_uris")?;
    let is_personal = params.bool("isPersonalAPIToken")?;
    let app_type = params.get("appType");
    if let Some(app_type) = app_type {
        check_app_type(app_type)?;
    }
    let mut state = shared.write();
    let owner = {
        let app = managed_app(&mut state, &params, &client_id, now, &behaviour)?;
        if app.is_legacy() || app_type == Some("apikey") {
            return Err(legacy_retired());
        }
        let item_id = app.item_id.clone();
        state.items.get(&item_id).map(|i| i.owner.clone()).unwrap_or_default()
    };
    if let Some(privileges) = &privileges {
        check_privileges(&state, &owner, privileges)?;
    }
    let app = state.apps.get_mut(&client_id).expect("found above");
    let as_set = |list: &[String]| list.iter().cloned().collect::<BTreeSet<_>>();
    let privileges_changed = privileges.as_ref().is_some_and(|p| as_set(p) != as_set(&app.privileges));
    let referrers_changed = http_referrers.as_ref().is_some_and(|r| as_set(r) != as_set(&app.http_referrers));
    if privileges_changed || (referrers_changed && behaviour.referrers_update == ReferrersUpdate::KeysStop) {
        app.slot_keys = [None, None];
    }
    if let Some(privileges) = privileges {
        app.privileges = privileges;
    }
    if let Some(http_referrers) = http_referrers {
        app.http_referrers = http_referrers;
    }
    if let Some(redirect_uris) = redirect_uris {
        app.redirect_uris = redirect_uris;
    }
    if let Some(app_type) = app_type {
        app.app_type = app_type.to_owned();
    }
    match (is_personal, privileges_changed, behaviour.personal_flag_on_update) {
        (Some(is_personal), _, _) => app.is_personal = is_personal,
        (None, true, PersonalFlag::Recomputed) => {
            app.is_personal = app.privileges.iter().any(|p| privileges::is_personal(p));
        }
        (None, _, _) => {}
    }
    app.modified = now;
    Ok(Json(app.to_json()).into_response())
}

/// POST /oauth2/apps/{client_id}/unregister: the item stays; its keys stop working.
pub async fn unregister_app(
    State(shared): State<Arc<Shared>>,
    Path(client_id): Path<String>,
    params: Params,
) -> ApiResult {
    let now = shared.now();
    let behaviour = shared.behaviour();
    let mut state = shared.write();
    let item_id = managed_app(&mut state, &params, &client_id, now, &behaviour)?.item_id.clone();
    state.apps.remove(&client_id);
    if let Some(item) = state.items.get_mut(&item_id) {
        item.type_keywords.retain(|k| k != REGISTERED_APP);
        item.modified = now;
    }
    Ok(Json(json!({ "success": true, "itemId": item_id })).into_response())
}

/// POST /oauth2/apps/{client_id}/resetApiKey: refused since 2024-06 (legacy keys cannot
/// be managed); the caller must still be allowed to see the app.
pub async fn reset_api_key(
    State(shared): State<Arc<Shared>>,
    Path(client_id): Path<String>,
    params: Params,
) -> ApiResult {
    let now = shared.now();
    let behaviour = shared.behaviour();
    let mut state = shared.write();
    let app = managed_app(&mut state, &params, &client_id, now, &behaviour)?;
    if !app.is_legacy() {
        return Err(ApiError::bad_request(
            "resetApiKey applies to legacy API keys only; regenerate a credential's key with oauth2/token.",
        ));
    }
    Err(legacy_retired())
}

/// GET or POST /content/users/{user}/items/{id}/registeredAppInfo
pub async fn registered_app_info(
    State(shared): State<Arc<Shared>>,
    Path((user, id)): Path<(String, String)>,
    params: Params,
) -> ApiResult {
    let state = shared.read();
    let caller = state.caller(params.token(), shared.now(), &shared.behaviour())?;
    let item = state.managed_item(&caller, &id, Act::Read)?;
    if item.owner != user {
        return Err(ApiError::item_not_found());
    }
    let app = state.app_for_item(&id).ok_or_else(|| ApiError::bad_request("This item is not registered as an app."))?;
    Ok(Json(app.to_json()).into_response())
}
