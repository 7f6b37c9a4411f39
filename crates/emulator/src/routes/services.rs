//! Small emulated location services that accept API keys and count their use.
//!
//! Paths are the real services' paths under `/arcgis/rest/services` (each real service
//! has its own host; here they share the emulator's). Each checks the key as the real
//! ones do: 499 without a token, 498 for an unknown or expired key, 403 when the key
//! lacks the privilege or the `Referer` is not one of the key's referrers.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use super::AppState;
use crate::Shared;
use crate::error::{ApiError, ApiResult};
use crate::params::Params;

/// One emulated service: what it accepts and how its use is counted.
pub struct Service {
    pub path: &'static str,
    /// Any one of these privileges grants access.
    pub privileges: &'static [&'static str],
    pub stype: &'static str,
    pub etype: &'static str,
    pub credits: f64,
    /// The Location Platform APIs (basemap styles, static tiles, elevation, places)
    /// answer GET only; the ArcGIS Server services take GET or POST.
    pub get_only: bool,
    /// The inputs the operation needs: each entry is a set of which at least one must be
    /// given. A valid key with an input missing gets HTTP 400, not a verdict on the key.
    pub inputs: &'static [&'static [&'static str]],
}

/// A service of ArcGIS Server (GET or POST).
const fn server(
    path: &'static str,
    privileges: &'static [&'static str],
    (stype, etype): (&'static str, &'static str),
    credits: f64,
    inputs: &'static [&'static [&'static str]],
) -> Service {
    Service { path, privileges, stype, etype, credits, get_only: false, inputs }
}

/// A Location Platform API (GET only).
const fn platform(
    path: &'static str,
    privileges: &'static [&'static str],
    (stype, etype): (&'static str, &'static str),
    inputs: &'static [&'static [&'static str]],
) -> Service {
    Service { path, privileges, stype, etype, credits: 0.0, get_only: true, inputs }
}

const GEOCODE: &[&str] = &["premium:user:geocode:temporary", "premium:user:geocode:stored", "premium:user:geocode"];
const GEOCODE_STORED: &[&str] = &["premium:user:geocode:stored", "premium:user:geocode"];

const ADDRESS: &[&[&str]] = &[&["SingleLine", "address", "Address"]];

pub const SERVICES: &[Service] = &[
    server("/World/GeocodeServer/findAddressCandidates", GEOCODE, ("geocode", "geocodecnt"), 0.0, ADDRESS),
    server("/World/GeocodeServer/reverseGeocode", GEOCODE, ("geocode", "reversegeocodecnt"), 0.0, &[&["location"]]),
    platform("/styles/v2/styles", &["premium:user:basemaps", "portal:apikey:basemaps"], ("basemaps", "stylecnt"), &[]),
    platform(
        "/static-basemap-tiles-service/v1",
        &["premium:user:staticbasemaptiles"],
        ("basemaps", "statictilecnt"),
        &[],
    ),
    platform(
        "/elevation-service/v1/elevation/at-point",
        &["premium:user:elevation"],
        ("elevation", "elevationcnt"),
        &[&["lon"], &["lat"]],
    ),
    platform(
        "/places-service/v1/places/near-point",
        &["premium:user:places"],
        ("places", "placescnt"),
        &[&["x"], &["y"]],
    ),
    server(
        "/World/geoenrichmentserver/GeoEnrichment/enrich",
        &["premium:user:geoenrichment", "premium:user:demographics"],
        ("geoenrichment", "enrichcnt"),
        0.01,
        &[&["studyAreas"]],
    ),
    server(
        "/World/Route/NAServer/Route_World/solve",
        &["premium:user:networkanalysis:routing", "premium:user:networkanalysis"],
        ("networkanalysis", "routecnt"),
        0.005,
        &[&["stops"]],
    ),
    server(
        "/World/ClosestFacility/NAServer/ClosestFacility_World/solveClosestFacility",
        &["premium:user:networkanalysis:closestfacility", "premium:user:networkanalysis"],
        ("networkanalysis", "closestfacilitycnt"),
        0.005,
        &[&["incidents"], &["facilities"]],
    ),
    server(
        "/World/ServiceAreas/NAServer/ServiceArea_World/solveServiceArea",
        &["premium:user:networkanalysis:servicearea", "premium:user:networkanalysis"],
        ("networkanalysis", "serviceareacnt"),
        0.005,
        &[&["facilities"]],
    ),
    server(
        "/World/OriginDestinationCostMatrix/NAServer/OriginDestinationCostMatrix_World/solveODCostMatrix",
        &["premium:user:networkanalysis:origindestinationcostmatrix", "premium:user:networkanalysis"],
        ("networkanalysis", "odcostmatrixcnt"),
        0.0005,
        &[&["origins"], &["destinations"]],
    ),
    server(
        "/World/LocationAllocation/GPServer/SolveLocationAllocation/submitJob",
        &["premium:user:networkanalysis:locationallocation", "premium:user:networkanalysis"],
        ("networkanalysis", "locationallocationcnt"),
        0.1,
        &[&["facilities"], &["demand_points"]],
    ),
    server(
        "/World/VehicleRoutingProblem/GPServer/SolveVehicleRoutingProblem/submitJob",
        &["premium:user:networkanalysis:vehiclerouting", "premium:user:networkanalysis"],
        ("networkanalysis", "vrpcnt"),
        0.1,
        &[&["orders"], &["depots"], &["routes"]],
    ),
    server(
        "/World/OptimizedRouting/GPServer/FindOptimizedRoutes/submitJob",
        &["premium:user:networkanalysis:optimizedrouting", "premium:user:networkanalysis"],
        ("networkanalysis", "optimizedroutingcnt"),
        0.1,
        &[&["orders"], &["depots"]],
    ),
    server(
        "/World/LastMileDelivery/GPServer/SolveLastMileDelivery/submitJob",
        &["premium:user:networkanalysis:lastmiledelivery", "premium:user:networkanalysis"],
        ("networkanalysis", "lastmilecnt"),
        0.1,
        &[&["orders"], &["depots"], &["routes"]],
    ),
];

const STORED_GEOCODE: Service = server("", GEOCODE_STORED, ("geocode", "geocodestoredcnt"), 0.04, ADDRESS);

/// A 1×1 transparent PNG: what a static basemap tile answers here.
const TILE_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

pub(super) fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/arcgis/rest/services/{*rest}", get(call).post(call))
}

/// The service a request is for; `forStorage=true` geocoding needs the stored privilege.
fn service_for(path: &str, params: &Params) -> Option<&'static Service> {
    let rest = path.strip_prefix("/arcgis/rest/services")?;
    let service = SERVICES.iter().find(|s| rest == s.path || rest.starts_with(&format!("{}/", s.path)))?;
    let stored = params.bool("forStorage").ok().flatten() == Some(true);
    Some(if service.stype == "geocode" && stored { &STORED_GEOCODE } else { service })
}

async fn call(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    params: Params,
) -> Result<Response, Response> {
    let Some(service) = service_for(uri.path(), &params) else {
        let error =
            ApiError::new(400, "Service not found.").with_detail(format!("No emulated service at {}.", uri.path()));
        return Err((StatusCode::NOT_FOUND, Json(error.to_json())).into_response());
    };
    if service.get_only && method != Method::GET {
        let error =
            ApiError::new(405, "Method not allowed.").with_detail(format!("{} answers GET only.", service.path));
        return Err((StatusCode::METHOD_NOT_ALLOWED, Json(error.to_json())).into_response());
    }
    let now = shared.now();
    let behaviour = shared.behaviour();
    let mut state = shared.write();
    let (app_id, granted_by) =
        authorize(&state, now, &behaviour, service, &headers, &params).map_err(IntoResponse::into_response)?;
    if let Some(missing) = service.inputs.iter().find(|any| !any.iter().any(|name| params.has(name))) {
        // The key was fine; the request was not. Not a verdict on the key, and not billed.
        let error = ApiError::new(400, "Unable to complete operation.")
            .with_detail(format!("'{}' must be specified.", missing.join("' or '")));
        return Err((StatusCode::BAD_REQUEST, Json(error.to_json())).into_response());
    }
    state.record_usage(&app_id, service.stype, service.etype, service.credits, now);
    drop(state);
    if service.etype == "statictilecnt" {
        return Ok(([(header::CONTENT_TYPE, "image/png")], TILE_PNG).into_response());
    }
    Ok(Json(answer(service, granted_by, &params)).into_response())
}

/// Checks the key as the real services do (token, privilege, referrer); the inputs are
/// checked next, then the use is counted and answered.
fn authorize(
    state: &crate::state::State,
    now: i64,
    behaviour: &crate::behaviour::Behaviour,
    service: &'static Service,
    headers: &HeaderMap,
    params: &Params,
) -> ApiResult<(String, &'static str)> {
    let token = params.token().ok_or_else(|| ApiError::new(499, "Token Required"))?;
    let grant = state.grant_for(token, now, behaviour)?;
    let granted_by = match &grant.privileges {
        None => service.privileges[0],
        Some(held) => service.privileges.iter().copied().find(|p| held.iter().any(|h| h == p)).ok_or_else(|| {
            ApiError::new(403, "User does not have permissions to access this service.")
                .with_detail(format!("The key needs one of these privileges: {}.", service.privileges.join(", ")))
        })?,
    };
    if !grant.referrers.is_empty() {
        let referer = headers.get(header::REFERER).and_then(|v| v.to_str().ok());
        let Some(referer) = referer else {
            return Err(ApiError::new(403, "Invalid Referer.")
                .with_detail("The key is restricted to referrers and the request has no Referer header."));
        };
        if !grant.referrers.iter().any(|pattern| referrer_matches(pattern, referer)) {
            return Err(ApiError::new(403, "Invalid Referer.")
                .with_detail(format!("The Referer '{referer}' matches none of the key's referrers.")));
        }
    }
    Ok((grant.app_id, granted_by))
}

fn answer(service: &Service, granted_by: &str, params: &Params) -> Value {
    if service.stype == "geocode" {
        let address = params.get("SingleLine").or(params.get("address")).unwrap_or("380 New York St, Redlands, CA");
        return json!({
            "spatialReference": { "wkid": 4326, "latestWkid": 4326 },
            "candidates": [{ "address": address, "location": { "x": -117.195, "y": 34.057 }, "score": 100, "attributes": {} }],
        });
    }
    json!({ "service": service.stype, "operation": service.etype, "privilege": granted_by, "emulated": true })
}

/// Splits `scheme://host[:port][/path]` into its parts; the port defaults by scheme.
fn split_url(url: &str) -> Option<(String, String, u16, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, ""),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, port.parse().ok()?),
        None => (authority, if scheme == "https" { 443 } else { 80 }),
    };
    let path = path.split(['?', '#']).next().unwrap_or_default().trim_end_matches('/').to_owned();
    Some((scheme, host.to_ascii_lowercase(), port, path))
}

/// Does a request's `Referer` fall under a key's referrer pattern
/// (`https://host[:port][/path]`, `*.` allowed as the first label of the host)?
pub fn referrer_matches(pattern: &str, referer: &str) -> bool {
    let (Some(allowed), Some(actual)) = (split_url(pattern), split_url(referer)) else {
        return false;
    };
    let host_ok = match allowed.1.strip_prefix("*.") {
        Some(parent) => actual.1.ends_with(&format!(".{parent}")),
        None => actual.1 == allowed.1,
    };
    let path_ok = actual.3 == allowed.3 || actual.3.starts_with(&format!("{}/", allowed.3));
    allowed.0 == actual.0 && host_ok && allowed.2 == actual.2 && path_ok
}

#[cfg(test)]
mod tests {
    use super::referrer_matches;

    #[test]
    fn referrer_patterns() {
        let cases = [
            ("https://shop.example.com", "https://shop.example.com/cart?x=1", true),
            ("https://shop.example.com", "https://shop.example.com", true),
            ("https://shop.example.com", "http://shop.example.com/", false),
            ("https://shop.example.com", "https://evilshop.example.com/", false),
            ("https://shop.example.com", "https://shop.example.com:8443/", false),
            ("https://*.example.com", "https://a.example.com/", true),
            ("https://*.example.com", "https://a.b.example.com/", true),
            ("https://*.example.com", "https://example.com/", false),
            ("http://localhost:5173", "http://localhost:5173/index.html", true),
            ("http://localhost:5173", "http://localhost:5174/", false),
            ("https://example.com/app", "https://example.com/app/page", true),
            ("https://example.com/app", "https://example.com/apple", false),
            ("https://example.com/app", "https://example.com/", false),
        ];
        for (pattern, referer, expected) in cases {
            assert_eq!(referrer_matches(pattern, referer), expected, "{pattern} vs {referer}");
        }
    }
}
