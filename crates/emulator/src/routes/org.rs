//! Contract section 6 (undocumented; from Esri's 2026 automation demo):
//! `POST /portals/self/apiTokens`, every live key of the caller's organization by its
//! expiration, one entry per key (an item with two keys appears twice), paged. An
//! administrator's query; the `orgKeyQuery` behaviour refuses it to everyone, as a
//! portal without it would.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use serde::Serialize;

use super::content::{next_start, paging};
use crate::Shared;
use crate::behaviour::Access;
use crate::error::{ApiError, ApiResult};
use crate::params::Params;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry<'a> {
    title: &'a str,
    item_id: &'a str,
    api_token: u8,
    owner: &'a str,
    expiration_date: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Page<'a> {
    total: usize,
    start: usize,
    num: usize,
    next_start: i64,
    items: Vec<Entry<'a>>,
}

/// POST /portals/self/apiTokens
pub async fn api_tokens(State(shared): State<Arc<Shared>>, params: Params) -> ApiResult {
    let state = shared.read();
    let behaviour = shared.behaviour();
    let caller = state.caller(params.token(), shared.now(), &behaviour)?;
    let user = caller.user;
    if behaviour.org_key_query == Access::Forbidden || !user.is_admin() {
        return Err(ApiError::forbidden());
    }
    // Every member's keys: for an API key, an administrator's view of items.
    caller.may_read_others()?;
    let (start, num) = paging(&params)?;
    let from = params.int("startExpirationDate")?.unwrap_or(i64::MIN);
    let to = params.int("endExpirationDate")?.unwrap_or(i64::MAX);
    let mut keys: Vec<Entry> = state
        .apps
        .values()
        .filter(|app| !app.is_legacy())
        .filter_map(|app| state.items.get(&app.item_id).map(|item| (app, item)))
        .filter(|(_, item)| item.org_id == user.org_id)
        .flat_map(|(app, item)| {
            (1..=2u8).filter_map(move |slot| {
                let key = app.slot_keys[usize::from(slot - 1)].as_ref()?;
                (from..=to).contains(&key.expires).then_some(Entry {
                    title: &item.title,
                    item_id: &item.id,
                    api_token: slot,
                    owner: &item.owner,
                    expiration_date: key.expires,
                })
            })
        })
        .collect();
    keys.sort_by(|a, b| a.expiration_date.cmp(&b.expiration_date).then(a.item_id.cmp(b.item_id)));
    let total = keys.len();
    let items = keys.into_iter().skip(start - 1).take(num).collect();
    Ok(Json(Page { total, start, num, next_start: next_start(start, num, total), items }).into_response())
}
