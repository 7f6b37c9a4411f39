//! Contract section 6: `/search`, over the items the caller may see.

use std::cmp::Ordering;
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use serde::Serialize;

use super::content::{next_start, paging};
use crate::Shared;
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::query;
use crate::state::{Act, Item, ItemJson};

const SORT_FIELDS: &[&str] = &["title", "created", "modified", "type", "owner", "numviews", "id"];

/// How two items order by a `sortField` (one of [`SORT_FIELDS`]), chosen once per
/// search rather than per comparison.
fn comparator(field: &str) -> fn(&Item, &Item) -> Ordering {
    match field {
        "title" => |a, b| query::cmp_ignoring_case(&a.title, &b.title),
        "created" => |a, b| a.created.cmp(&b.created),
        "modified" => |a, b| a.modified.cmp(&b.modified),
        "type" => |a, b| query::cmp_ignoring_case(&a.item_type, &b.item_type),
        "owner" => |a, b| a.owner.cmp(&b.owner),
        "numviews" => |a, b| a.num_views.cmp(&b.num_views),
        _ => |a, b| a.id.cmp(&b.id),
    }
}

/// A page of search results, serialized straight from the state.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SearchPage<'a> {
    query: &'a str,
    total: usize,
    start: usize,
    num: usize,
    next_start: i64,
    results: Vec<ItemJson<'a>>,
}

/// GET or POST /search
pub async fn search(State(shared): State<Arc<Shared>>, params: Params) -> ApiResult {
    let q = params.get("q").ok_or_else(|| {
        ApiError::bad_request("'q' must be specified.").with_detail("Give a query, for example owner:jsmith.")
    })?;
    let query = query::parse(q).map_err(|e| ApiError::bad_request("Invalid query.").with_detail(e))?;
    let (start, num) = paging(&params)?;
    let sort_field = params.get("sortField").map(str::to_lowercase);
    if let Some(field) = &sort_field
        && !SORT_FIELDS.contains(&field.as_str())
    {
        return Err(ApiError::bad_request(format!(
            "Invalid sortField '{field}': use one of {}.",
            SORT_FIELDS.join(", ")
        )));
    }
    let descending = match params.get("sortOrder").map(str::to_lowercase).as_deref() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!("Invalid sortOrder '{other}': use asc or desc.")));
        }
    };
    let compare = sort_field.as_deref().map(comparator);
    // Written under the (shared) read lock: the page borrows the items.
    let state = shared.read();
    let caller = state.optional_caller(params.token(), shared.now(), &shared.behaviour())?;
    if let Some(caller) = caller.as_ref().filter(|c| c.is_api_key()) {
        state.check(caller, Act::Read, &caller.user.username)?;
    }
    // The index lags behind writes under one reading of the contract: a new item is
    // not found until `search_lag_ms` have passed.
    let indexed_before = shared.now() - shared.behaviour().search_lag_ms as i64;
    let mut hits: Vec<&Item> = state
        .items
        .values()
        .filter(|i| i.created <= indexed_before && state.may_view(caller.as_ref(), i) && query.matches(i))
        .collect();
    // Creation order unless told otherwise; ties broken by creation order so pages
    // never overlap or skip.
    hits.sort_by(|a, b| {
        let primary = compare.map_or(Ordering::Equal, |compare| compare(a, b));
        let primary = if descending { primary.reverse() } else { primary };
        primary.then(a.seq.cmp(&b.seq))
    });
    let total = hits.len();
    let results = hits.iter().skip(start - 1).take(num).map(|i| i.as_json()).collect();
    let page = SearchPage { query: q, total, start, num, next_start: next_start(start, num, total), results };
    Ok(Json(page).into_response())
}
