//! Contract section 6: `/search`, over the items the caller may see.

use std::cmp::Ordering;
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::content::{next_start, paging};
use crate::Shared;
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::query;
use crate::state::Item;

const SORT_FIELDS: &[&str] = &["title", "created", "modified", "type", "owner", "numviews", "id"];

fn compare(field: &str, a: &Item, b: &Item) -> Ordering {
    match field {
        "title" => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
        "created" => a.created.cmp(&b.created),
        "modified" => a.modified.cmp(&b.modified),
        "type" => a.item_type.to_lowercase().cmp(&b.item_type.to_lowercase()),
        "owner" => a.owner.cmp(&b.owner),
        "numviews" => a.num_views.cmp(&b.num_views),
        _ => a.id.cmp(&b.id),
    }
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
    // The answer is built after the lock is released.
    let (total, results) = {
        let state = shared.read();
        let user = state.optional_user(params.token(), shared.now())?;
        let mut hits: Vec<&Item> =
            state.items.values().filter(|i| state.may_view(user, i) && query.matches(i)).collect();
        // Creation order unless told otherwise; ties broken by creation order so pages
        // never overlap or skip.
        hits.sort_by(|a, b| {
            let primary = sort_field.as_deref().map_or(Ordering::Equal, |f| compare(f, a, b));
            let primary = if descending { primary.reverse() } else { primary };
            primary.then(a.seq.cmp(&b.seq))
        });
        let results: Vec<Value> = hits.iter().skip(start - 1).take(num).map(|i| i.to_json()).collect();
        (hits.len(), results)
    };
    Ok(Json(json!({
        "query": q,
        "total": total,
        "start": start,
        "num": num,
        "nextStart": next_start(start, num, total),
        "results": results,
    }))
    .into_response())
}
