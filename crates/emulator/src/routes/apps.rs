//! Contract section 4: registered apps, where privileges, referrers and keys live.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use serde_json::json;

use super::list_or_empty;
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::privileges;
use crate::secrets;
use crate::state::{App, State as PortalState};
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

/// POST /oauth2/registerApp
pub async fn register_app(State(shared): State<Arc<Shared>>, params: Params) -> ApiResult {
    let now = shared.now();
    let item_id = params.require("itemId")?;
    let app_type = params.require("appType")?;
    check_app_type(app_type)?;
    let redirect_uris = list_or_empty(&params, "redirect_uris")?;
    let http_referrers = list_or_empty(&params, "httpReferrers")?;
    let privileges = list_or_empty(&params, "privileges")?;
    let mut state = shared.write();
    let caller = state.user_for_token(params.token(), now)?;
    let owner = state.managed_item(caller, item_id)?.owner.clone();
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
        api_key: (app_type == "apikey").then(secrets::legacy_api_key),
        slot_keys: [None, None],
    };
    let item = state.items.get_mut(item_id).expect("found above");
    if !item.type_keywords.iter().any(|k| k == REGISTERED_APP) {
        item.type_keywords.push(REGISTERED_APP.into());
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
) -> ApiResult<&'a mut App> {
    let caller = state.user_for_token(params.token(), now)?;
    let app = state.apps.get(client_id).ok_or_else(|| ApiError::oauth("invalid_client_id", "Invalid client_id."))?;
    let owner = state.items.get(&app.item_id).map(|i| i.owner.clone()).unwrap_or_default();
    if !state.may_manage(caller, &owner) {
        return Err(ApiError::forbidden());
    }
    Ok(state.apps.get_mut(client_id).expect("found above"))
}

/// POST /oauth2/apps/{client_id}/update. New privileges deactivate both key slots of a
/// credential: its keys stop working and must be generated again.
pub async fn update_app(State(shared): State<Arc<Shared>>, Path(client_id): Path<String>, params: Params) -> ApiResult {
    let now = shared.now();
    let privileges = params.list("privileges")?;
    let http_referrers = params.list("httpReferrers")?;
    let redirect_uris = params.list("redirect_uris")?;
    let app_type = params.get("appType");
    if let Some(app_type) = app_type {
        check_app_type(app_type)?;
    }
    let mut state = shared.write();
    let owner = {
        let app = managed_app(&mut state, &params, &client_id, now)?;
        let item_id = app.item_id.clone();
        state.items.get(&item_id).map(|i| i.owner.clone()).unwrap_or_default()
    };
    if let Some(privileges) = &privileges {
        check_privileges(&state, &owner, privileges)?;
    }
    let app = state.apps.get_mut(&client_id).expect("found above");
    if let Some(privileges) = privileges {
        let changed = privileges.iter().collect::<BTreeSet<_>>() != app.privileges.iter().collect::<BTreeSet<_>>();
        if changed && !app.is_legacy() {
            app.slot_keys = [None, None];
        }
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
    let mut state = shared.write();
    let item_id = managed_app(&mut state, &params, &client_id, now)?.item_id.clone();
    state.apps.remove(&client_id);
    if let Some(item) = state.items.get_mut(&item_id) {
        item.type_keywords.retain(|k| k != REGISTERED_APP);
        item.modified = now;
    }
    Ok(Json(json!({ "success": true, "itemId": item_id })).into_response())
}

/// POST /oauth2/apps/{client_id}/resetApiKey: legacy keys only; the old key stops working.
pub async fn reset_api_key(
    State(shared): State<Arc<Shared>>,
    Path(client_id): Path<String>,
    params: Params,
) -> ApiResult {
    let now = shared.now();
    let mut state = shared.write();
    let app = managed_app(&mut state, &params, &client_id, now)?;
    if !app.is_legacy() {
        return Err(ApiError::bad_request(
            "resetApiKey applies to legacy API keys only; regenerate a credential's key with oauth2/token.",
        ));
    }
    app.api_key = Some(secrets::legacy_api_key());
    app.modified = now;
    Ok(Json(app.to_json()).into_response())
}

/// GET or POST /content/users/{user}/items/{id}/registeredAppInfo
pub async fn registered_app_info(
    State(shared): State<Arc<Shared>>,
    Path((user, id)): Path<(String, String)>,
    params: Params,
) -> ApiResult {
    let state = shared.read();
    let caller = state.user_for_token(params.token(), shared.now())?;
    let item = state.managed_item(caller, &id)?;
    if item.owner != user {
        return Err(ApiError::item_not_found());
    }
    let app = state.app_for_item(&id).ok_or_else(|| ApiError::bad_request("This item is not registered as an app."))?;
    Ok(Json(app.to_json()).into_response())
}
