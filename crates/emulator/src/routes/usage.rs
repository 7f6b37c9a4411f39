//! Contract section 9 (undocumented; from the Python API): `/portals/{portalId}/usage`
//! (and the older `/portals/self/usage`), counts of location-service use per app,
//! service and period. Timestamps and values are sent as strings.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use serde_json::{Value, json};

use crate::Shared;
use crate::behaviour::Access;
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::state::Act;

const HOUR_MS: i64 = 3_600_000;
const MAX_BUCKETS: i64 = 2_000;
const GROUP_FIELDS: &[&str] = &["appId", "stype", "etype"];

/// GET or POST /portals/self/usage
pub async fn usage_of_self(State(shared): State<Arc<Shared>>, params: Params) -> ApiResult {
    usage(&shared, "self", &params)
}

/// GET or POST /portals/{portalId}/usage
pub async fn usage_of_portal(
    State(shared): State<Arc<Shared>>,
    Path(portal_id): Path<String>,
    params: Params,
) -> ApiResult {
    usage(&shared, &portal_id, &params)
}

fn usage(shared: &Shared, portal_id: &str, params: &Params) -> ApiResult {
    let state = shared.read();
    let caller = state.caller(params.token(), shared.now(), &shared.behaviour())?;
    state.check(&caller, Act::Usage, &caller.user.username)?;
    let user = caller.user;
    if portal_id != "self" && portal_id != user.org_id {
        return Err(ApiError::forbidden());
    }
    if !user.is_admin() && shared.behaviour().usage_for_members == Access::Forbidden {
        return Err(ApiError::forbidden());
    }
    let start = params.int("startTime")?.ok_or_else(|| ApiError::missing("startTime"))?;
    let end = params.int("endTime")?.ok_or_else(|| ApiError::missing("endTime"))?;
    if end <= start {
        return Err(ApiError::bad_request("'endTime' must be after 'startTime'."));
    }
    let period = match params.get("period").unwrap_or("1d") {
        "1h" => HOUR_MS,
        "1d" => 24 * HOUR_MS,
        "1w" => 7 * 24 * HOUR_MS,
        // A month is read as 30 days: the service's exact calendar is not documented.
        "1m" => 30 * 24 * HOUR_MS,
        other => {
            return Err(ApiError::bad_request(format!("Invalid period '{other}': use 1h, 1d, 1w or 1m.")));
        }
    };
    // Saturating: the range comes from the caller and may be absurd.
    let span = end.saturating_sub(start);
    if span / period > MAX_BUCKETS {
        return Err(ApiError::bad_request(format!(
            "The range holds more than {MAX_BUCKETS} periods; use a longer period."
        )));
    }
    let group_by = match params.list("groupby")? {
        Some(fields) if !fields.is_empty() => fields,
        _ => GROUP_FIELDS.iter().map(|f| f.to_string()).collect(),
    };
    if let Some(bad) = group_by.iter().find(|f| !GROUP_FIELDS.contains(&f.as_str())) {
        return Err(ApiError::bad_request(format!("Invalid groupby '{bad}': use appId, stype and etype.")));
    }
    let vars = params.list("vars")?.filter(|v| !v.is_empty()).unwrap_or_else(|| vec!["num".into(), "credits".into()]);
    let app_filter = params.get("appId");

    // Admins see their org's apps; others only the apps of their own items.
    let visible =
        |app_id: &str| {
            state.apps.get(app_id).and_then(|a| state.items.get(&a.item_id)).is_some_and(|item| {
                if user.is_admin() { item.org_id == user.org_id } else { item.owner == user.username }
            })
        };
    let buckets = (span + period - 1) / period;
    let mut groups: BTreeMap<Vec<String>, (Vec<u64>, Vec<f64>)> = BTreeMap::new();
    for bucket in state.usage.iter().filter(|b| b.hour >= start && b.hour < end) {
        if app_filter.is_some_and(|a| a != bucket.app_id) || !visible(&bucket.app_id) {
            continue;
        }
        let key: Vec<String> = group_by
            .iter()
            .map(|f| match f.as_str() {
                "appId" => bucket.app_id.clone(),
                "stype" => bucket.stype.clone(),
                _ => bucket.etype.clone(),
            })
            .collect();
        let (num, credits) =
            groups.entry(key).or_insert_with(|| (vec![0; buckets as usize], vec![0.0; buckets as usize]));
        let at = ((bucket.hour - start) / period) as usize;
        num[at] += bucket.num;
        credits[at] += bucket.credits;
    }
    let data: Vec<Value> = groups
        .into_iter()
        .map(|(key, (num, credits))| {
            let mut entry = serde_json::Map::new();
            for (field, value) in group_by.iter().zip(key) {
                entry.insert(field.clone(), json!(value));
            }
            let at = |i: usize| start + i as i64 * period;
            if vars.iter().any(|v| v == "num") {
                entry.insert(
                    "num".into(),
                    json!(
                        num.iter()
                            .enumerate()
                            .map(|(i, n)| json!([at(i).to_string(), n.to_string()]))
                            .collect::<Vec<_>>()
                    ),
                );
            }
            if vars.iter().any(|v| v == "credits") {
                entry.insert(
                    "credits".into(),
                    json!(
                        credits
                            .iter()
                            .enumerate()
                            .map(|(i, c)| json!([at(i).to_string(), format!("{c:.3}")]))
                            .collect::<Vec<_>>()
                    ),
                );
            }
            Value::Object(entry)
        })
        .collect();
    Ok(Json(
        json!({ "startTime": start, "endTime": end, "period": params.get("period").unwrap_or("1d"), "data": data }),
    )
    .into_response())
}
