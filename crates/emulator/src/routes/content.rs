//! Contract section 3: items and folders (API key credentials are portal items).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use serde::Serialize;
use serde_json::{Value, json};

use crate::behaviour::Behaviour;
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::secrets;
use crate::state::{
    Act, Caller, DAY_MS, EXTRA_ITEM_FIELDS, Folder, Item, ItemJson, MAX_KEY_LIFETIME_MS, Recycled,
    State as PortalState, UNSET, User,
};
use crate::{Shared, StateWrite};

const DEFAULT_PAGE: i64 = 10;
const MAX_PAGE: i64 = 100;

/// The owner whose content `caller` acts on (`act`): the caller, or a member of an
/// admin's org.
fn content_owner<'a>(state: &'a PortalState, caller: &Caller<'_>, username: &str, act: Act) -> ApiResult<&'a User> {
    let owner = state.users.get(username).ok_or_else(|| {
        ApiError::bad_request(format!("User '{username}' does not exist.")).with_message_code("COM_0019")
    })?;
    state.check(caller, act, username)?;
    Ok(owner)
}

fn folder_of<'a>(state: &'a PortalState, owner: &str, folder_id: &str) -> ApiResult<&'a Folder> {
    state.folders.get(folder_id).filter(|f| f.owner == owner).ok_or_else(|| {
        ApiError::bad_request("Folder does not exist or is inaccessible.").with_message_code("CONT_0002")
    })
}

/// Paging parameters: `start` is 1-based, `num` at most 100.
pub(super) fn paging(params: &Params) -> ApiResult<(usize, usize)> {
    let start = params.int("start")?.unwrap_or(1).max(1);
    let num = params.int("num")?.unwrap_or(DEFAULT_PAGE).clamp(0, MAX_PAGE);
    Ok((start as usize, num as usize))
}

/// `nextStart` for a page: -1 on the last page.
pub(super) fn next_start(start: usize, num: usize, total: usize) -> i64 {
    if num > 0 && start - 1 + num < total { (start + num) as i64 } else { -1 }
}

/// Checks an `apiToken{N}ExpirationDate`: `-1` (unset), or in the future and at most a
/// year ahead. The service keeps the end of that day, UTC [Esri demo: a key made for a
/// date lasts through it], whatever instant of the day it was sent.
fn expiration(params: &Params, slot: u8, now: i64) -> ApiResult<Option<i64>> {
    let name = format!("apiToken{slot}ExpirationDate");
    let Some(value) = params.int(&name)? else {
        return Ok(None);
    };
    if value == UNSET {
        return Ok(Some(UNSET));
    }
    let value = end_of_day(value);
    if value <= now {
        return Err(ApiError::bad_request(format!("'{name}' must be in the future.")));
    }
    if value > end_of_day(now.saturating_add(MAX_KEY_LIFETIME_MS)) {
        return Err(ApiError::bad_request(format!("'{name}' can be at most one year from now.")));
    }
    Ok(Some(value))
}

/// The last millisecond of the UTC day `epoch_ms` falls on.
fn end_of_day(epoch_ms: i64) -> i64 {
    epoch_ms.div_euclid(DAY_MS).saturating_mul(DAY_MS).saturating_add(DAY_MS - 1)
}

/// GET /content/items/{id}
pub async fn get_item(State(shared): State<Arc<Shared>>, Path(id): Path<String>, params: Params) -> ApiResult {
    let state = shared.read();
    let caller = state.optional_caller(params.token(), shared.now(), &shared.behaviour())?;
    let item = state.items.get(&id).ok_or_else(ApiError::item_not_found)?;
    if let Some(caller) = caller.as_ref().filter(|c| c.is_api_key() && item.access != "public") {
        state.check(caller, Act::Read, &item.owner)?;
    }
    if !state.may_view(caller.as_ref(), item) {
        return Err(ApiError::forbidden());
    }
    Ok(Json(item.to_json()).into_response())
}

/// GET /content/users/{user}
pub async fn user_content(State(shared): State<Arc<Shared>>, Path(user): Path<String>, params: Params) -> ApiResult {
    list_content(&shared, &user, None, &params)
}

/// GET /content/users/{user}/{folder}
pub async fn folder_content(
    State(shared): State<Arc<Shared>>,
    Path((user, folder)): Path<(String, String)>,
    params: Params,
) -> ApiResult {
    list_content(&shared, &user, Some(&folder), &params)
}

fn list_content(shared: &Shared, username: &str, folder_id: Option<&str>, params: &Params) -> ApiResult {
    let state = shared.read();
    let caller = state.caller(params.token(), shared.now(), &shared.behaviour())?;
    content_owner(&state, &caller, username, Act::Read)?;
    let current = folder_id.map(|f| folder_of(&state, username, f)).transpose()?;
    let (start, num) = paging(params)?;
    let mut items: Vec<&Item> = state
        .items
        .values()
        .filter(|i| i.owner == username && i.owner_folder.as_deref() == current.map(|f| f.id.as_str()))
        .collect();
    items.sort_by_key(|i| i.seq);
    let total = items.len();
    let mut folders: Vec<&Folder> = state.folders.values().filter(|f| f.owner == username).collect();
    folders.sort_by_key(|f| f.title.to_lowercase());
    let page = ContentPage {
        username,
        total,
        start,
        num,
        next_start: next_start(start, num, total),
        current_folder: current.map(Folder::to_json),
        items: items.iter().skip(start - 1).take(num).map(|i| i.as_json()).collect(),
        folders: folders.iter().map(|f| f.to_json()).collect(),
    };
    Ok(Json(page).into_response())
}

/// A page of a user's content, serialized straight from the state.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ContentPage<'a> {
    username: &'a str,
    total: usize,
    start: usize,
    num: usize,
    next_start: i64,
    current_folder: Option<Value>,
    items: Vec<ItemJson<'a>>,
    folders: Vec<Value>,
}

/// POST /content/users/{user}/addItem
pub async fn add_item(State(shared): State<Arc<Shared>>, Path(user): Path<String>, params: Params) -> ApiResult {
    add(&shared, &user, None, &params)
}

/// POST /content/users/{user}/{folder}/addItem
pub async fn add_item_to_folder(
    State(shared): State<Arc<Shared>>,
    Path((user, folder)): Path<(String, String)>,
    params: Params,
) -> ApiResult {
    add(&shared, &user, Some(&folder), &params)
}

fn add(shared: &Shared, username: &str, folder_id: Option<&str>, params: &Params) -> ApiResult {
    let now = shared.now();
    let mut state = shared.write();
    let caller = state.caller(params.token(), now, &shared.behaviour())?;
    let org_id = content_owner(&state, &caller, username, Act::Write)?.org_id.clone();
    let (Some(title), Some(item_type)) = (params.get("title"), params.get("type")) else {
        return Err(ApiError::bad_request("'type' and 'title' property required."));
    };
    let folder = folder_id.map(|f| folder_of(&state, username, f).map(|f| f.id.clone())).transpose()?;
    let mut type_keywords = params.list("typeKeywords")?.unwrap_or_default();
    if item_type == "API Key" && !type_keywords.iter().any(|k| k == "API Key") {
        type_keywords.insert(0, "API Key".into());
    }
    let item = Item {
        id: secrets::item_id(),
        owner: username.to_owned(),
        org_id,
        title: title.trim().to_owned(),
        item_type: item_type.to_owned(),
        type_keywords,
        description: params.get("description").map(str::to_owned),
        snippet: params.get("snippet").map(str::to_owned),
        tags: params.list("tags")?.unwrap_or_default(),
        created: now,
        modified: now,
        access: "private".into(),
        owner_folder: folder.clone(),
        num_views: 0,
        api_token1_expiration_date: UNSET,
        api_token2_expiration_date: UNSET,
        extra: extra_fields(params, BTreeMap::new()),
        properties: properties(params)?.flatten(),
        seq: state.next_seq(),
    };
    let id = item.id.clone();
    state.items.insert(id.clone(), item);
    Ok(Json(json!({ "success": true, "id": id, "folder": folder.unwrap_or_default() })).into_response())
}

/// `properties`, when sent: a JSON object (`Some(None)`: sent empty or `null`, which
/// clears it). Anything else is refused, as nothing could read it back.
fn properties(params: &Params) -> ApiResult<Option<Option<Value>>> {
    if !params.has("properties") {
        return Ok(None);
    }
    let Some(text) = params.get("properties") else { return Ok(Some(None)) };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Null) => Ok(Some(None)),
        Ok(object @ Value::Object(_)) => Ok(Some(Some(object))),
        _ => Err(ApiError::bad_request("'properties' must be a JSON object.")),
    }
}

fn extra_fields(params: &Params, mut extra: BTreeMap<String, String>) -> BTreeMap<String, String> {
    for field in EXTRA_ITEM_FIELDS {
        if params.has(field) {
            match params.get(field) {
                Some(value) => extra.insert((*field).to_owned(), value.to_owned()),
                None => extra.remove(*field),
            };
        }
    }
    extra
}

/// POST /content/users/{user}/createFolder
pub async fn create_folder(State(shared): State<Arc<Shared>>, Path(user): Path<String>, params: Params) -> ApiResult {
    let now = shared.now();
    let mut state = shared.write();
    let caller = state.caller(params.token(), now, &shared.behaviour())?;
    content_owner(&state, &caller, &user, Act::Write)?;
    let title = params.require("title")?.trim().to_owned();
    if state.folders.values().any(|f| f.owner == user && f.title.eq_ignore_ascii_case(&title)) {
        return Err(ApiError::bad_request(format!("Folder title '{title}' not available.")));
    }
    let folder = Folder { id: secrets::item_id(), owner: user.clone(), title, created: now };
    let body = json!({ "success": true, "folder": folder.to_json() });
    state.folders.insert(folder.id.clone(), folder);
    Ok(Json(body).into_response())
}

/// The item an update or delete acts on: it must exist, belong to `username` (the path's
/// user) and be the caller's to manage.
fn owned_item<'a>(
    state: &'a mut StateWrite<'_>,
    params: &Params,
    username: &str,
    id: &str,
    act: Act,
    (now, behaviour): (i64, &Behaviour),
) -> ApiResult<&'a mut Item> {
    let caller = state.caller(params.token(), now, behaviour)?;
    content_owner(state, &caller, username, act)?;
    let item = state.managed_item(&caller, id, act)?;
    if item.owner != username {
        return Err(ApiError::item_not_found());
    }
    Ok(state.items.get_mut(id).expect("found above"))
}

/// POST /content/users/{user}/items/{id}/update
pub async fn update_item(
    State(shared): State<Arc<Shared>>,
    Path((user, id)): Path<(String, String)>,
    params: Params,
) -> ApiResult {
    update(&shared, &user, &id, &params)
}

/// POST /content/users/{user}/{folder}/items/{id}/update
pub async fn update_item_in_folder(
    State(shared): State<Arc<Shared>>,
    Path((user, _folder, id)): Path<(String, String, String)>,
    params: Params,
) -> ApiResult {
    update(&shared, &user, &id, &params)
}

fn update(shared: &Shared, username: &str, id: &str, params: &Params) -> ApiResult {
    let now = shared.now();
    // Validate everything before touching the item: an update applies whole or not at all.
    if params.has("title") && params.get("title").is_none() {
        return Err(ApiError::bad_request("'title' cannot be empty."));
    }
    let expirations = [expiration(params, 1, now)?, expiration(params, 2, now)?];
    let tags = params.list("tags")?;
    let type_keywords = params.list("typeKeywords")?;
    let properties = properties(params)?;
    let behaviour = shared.behaviour();
    let mut state = shared.write();
    let is_credential = state.items.get(id).is_some_and(|i| i.type_keywords.iter().any(|k| k == "APIToken"));
    if is_credential {
        state.key_manager(params.token(), now, &behaviour)?;
    }
    let item = owned_item(&mut state, params, username, id, Act::Write, (now, &behaviour))?;
    if let Some(title) = params.get("title") {
        item.title = title.trim().to_owned();
    }
    for field in ["snippet", "description"] {
        if params.has(field) {
            let value = params.get(field).map(str::to_owned);
            if field == "snippet" { item.snippet = value } else { item.description = value }
        }
    }
    if let Some(tags) = tags {
        item.tags = tags;
    }
    if let Some(type_keywords) = type_keywords {
        item.type_keywords = type_keywords;
    }
    item.extra = extra_fields(params, std::mem::take(&mut item.extra));
    if let Some(properties) = properties {
        item.properties = properties;
    }
    for (slot, value) in [(1u8, expirations[0]), (2, expirations[1])] {
        if let Some(value) = value {
            item.set_expiration(slot, value);
        }
    }
    item.modified = now;
    Ok(Json(json!({ "success": true, "id": id })).into_response())
}

/// POST /content/users/{user}/items/{id}/delete
pub async fn delete_item(
    State(shared): State<Arc<Shared>>,
    Path((user, id)): Path<(String, String)>,
    params: Params,
) -> ApiResult {
    delete(&shared, &user, &id, &params)
}

/// POST /content/users/{user}/{folder}/items/{id}/delete
pub async fn delete_item_in_folder(
    State(shared): State<Arc<Shared>>,
    Path((user, _folder, id)): Path<(String, String, String)>,
    params: Params,
) -> ApiResult {
    delete(&shared, &user, &id, &params)
}

/// POST /content/users/{user}/items/{id}/restore: an item back from the recycle bin to
/// the owner's root folder (or `folder`), as ArcGIS Online has offered since June 2024.
pub async fn restore_item(
    State(shared): State<Arc<Shared>>,
    Path((user, id)): Path<(String, String)>,
    params: Params,
) -> ApiResult {
    let now = shared.now();
    let behaviour = shared.behaviour();
    let mut state = shared.write();
    let caller = state.caller(params.token(), now, &behaviour)?;
    content_owner(&state, &caller, &user, Act::Write)?;
    if state.recycle_bin.get(&id).is_none_or(|r| r.item.owner != user) {
        return Err(ApiError::bad_request("Item is not in the recycle bin.").with_message_code("CONT_0295"));
    }
    let folder = params.get("folder").map(str::to_owned);
    if let Some(folder) = &folder {
        folder_of(&state, &user, folder)?;
    }
    let mut item = state.recycle_bin.remove(&id).expect("found above").item;
    item.owner_folder = folder;
    item.modified = now;
    state.items.insert(id.clone(), item);
    Ok(Json(json!({ "success": true, "itemId": id })).into_response())
}

/// Deleting an item: with `permanentDelete=true` it is gone, and a credential's app with
/// it (its keys stop). Without, it moves to the recycle bin for 14 days, hidden from every
/// call; whether its keys keep working meanwhile is an open point ([`crate::behaviour`]).
fn delete(shared: &Shared, username: &str, id: &str, params: &Params) -> ApiResult {
    let now = shared.now();
    let permanent = params.bool("permanentDelete")?.unwrap_or(false);
    let behaviour = shared.behaviour();
    let mut state = shared.write();
    owned_item(&mut state, params, username, id, Act::Delete, (now, &behaviour))?;
    let item = state.items.remove(id).expect("found above");
    if permanent {
        state.apps.retain(|_, app| app.item_id != id);
    } else {
        state.recycle_bin.insert(id.to_owned(), Recycled { item, deleted: now });
    }
    Ok(Json(json!({ "success": true, "itemId": id })).into_response())
}
