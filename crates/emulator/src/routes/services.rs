//! Small emulated location services that accept API keys and count their use.
//!
//! Paths are the real services' paths under `/arcgis/rest/services` (each real service
//! has its own host; here they share the emulator's). Each checks the key as the real
//! ones do: 499 without a token, 498 for an unknown or expired key, 403 when the key
//! lacks the privilege or the `Referer` is not one of the key's referrers.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, Uri, header};
use axum::response::IntoResponse;
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
}

const GEOCODE: &[&str] = &["premium:user:geocode:temporary", "premium:user:geocode:stored", "premium:user:geocode"];
const GEOCODE_STORED: &[&str] = &["premium:user:geocode:stored", "premium:user:geocode"];

pub const SERVICES: &[Service] = &[
    Service {
        path: "/World/GeocodeServer/findAddressCandidates",
        privileges: GEOCODE,
        stype: "geocode",
        etype: "geocodecnt",
        credits: 0.0,
    },
    Service {
        path: "/World/GeocodeServer/reverseGeocode",
        privileges: GEOCODE,
        stype: "geocode",
        etype: "reversegeocodecnt",
        credits: 0.0,
    },
    Service {
        path: "/styles/v2/styles",
        privileges: &["premium:user:basemaps", "portal:apikey:basemaps"],
        stype: "basemaps",
        etype: "stylecnt",
        credits: 0.0,
    },
    Service {
        path: "/static-basemap-tiles-service/v1",
        privileges: &["premium:user:staticbasemaptiles"],
        stype: "basemaps",
        etype: "statictilecnt",
        credits: 0.0,
    },
    Service {
        path: "/elevation-service/v1/elevation/at-point",
        privileges: &["premium:user:elevation"],
        stype: "elevation",
        etype: "elevationcnt",
        credits: 0.0,
    },
    Service {
        path: "/places-service/v1/places/near-point",
        privileges: &["premium:user:places"],
        stype: "places",
        etype: "placescnt",
        credits: 0.0,
    },
    Service {
        path: "/World/geoenrichmentserver/GeoEnrichment/enrich",
        privileges: &["premium:user:geoenrichment", "premium:user:demographics"],
        stype: "geoenrichment",
        etype: "enrichcnt",
        credits: 0.01,
    },
    Service {
        path: "/World/Route/NAServer/Route_World/solve",
        privileges: &["premium:user:networkanalysis:routing", "premium:user:networkanalysis"],
        stype: "networkanalysis",
        etype: "routecnt",
        credits: 0.005,
    },
    Service {
        path: "/World/ClosestFacility/NAServer/ClosestFacility_World/solveClosestFacility",
        privileges: &["premium:user:networkanalysis:closestfacility", "premium:user:networkanalysis"],
        stype: "networkanalysis",
        etype: "closestfacilitycnt",
        credits: 0.005,
    },
    Service {
        path: "/World/ServiceAreas/NAServer/ServiceArea_World/solveServiceArea",
        privileges: &["premium:user:networkanalysis:servicearea", "premium:user:networkanalysis"],
        stype: "networkanalysis",
        etype: "serviceareacnt",
        credits: 0.005,
    },
    Service {
        path: "/World/OriginDestinationCostMatrix/NAServer/OriginDestinationCostMatrix_World/solveODCostMatrix",
        privileges: &["premium:user:networkanalysis:origindestinationcostmatrix", "premium:user:networkanalysis"],
        stype: "networkanalysis",
        etype: "odcostmatrixcnt",
        credits: 0.0005,
    },
    Service {
        path: "/World/LocationAllocation/GPServer/SolveLocationAllocation/submitJob",
        privileges: &["premium:user:networkanalysis:locationallocation", "premium:user:networkanalysis"],
        stype: "networkanalysis",
        etype: "locationallocationcnt",
        credits: 0.1,
    },
    Service {
        path: "/World/VehicleRoutingProblem/GPServer/SolveVehicleRoutingProblem/submitJob",
        privileges: &["premium:user:networkanalysis:vehiclerouting", "premium:user:networkanalysis"],
        stype: "networkanalysis",
        etype: "vrpcnt",
        credits: 0.1,
    },
    Service {
        path: "/World/OptimizedRouting/GPServer/FindOptimizedRoutes/submitJob",
        privileges: &["premium:user:networkanalysis:optimizedrouting", "premium:user:networkanalysis"],
        stype: "networkanalysis",
        etype: "optimizedroutingcnt",
        credits: 0.1,
    },
    Service {
        path: "/World/LastMileDelivery/GPServer/SolveLastMileDelivery/submitJob",
        privileges: &["premium:user:networkanalysis:lastmiledelivery", "premium:user:networkanalysis"],
        stype: "networkanalysis",
        etype: "lastmilecnt",
        credits: 0.1,
    },
];

const STORED_GEOCODE: Service =
    Service { path: "", privileges: GEOCODE_STORED, stype: "geocode", etype: "geocodestoredcnt", credits: 0.04 };

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

async fn call(State(shared): State<Arc<Shared>>, uri: Uri, headers: HeaderMap, params: Params) -> ApiResult {
    let Some(service) = service_for(uri.path(), &params) else {
        return Err(
            ApiError::new(400, "Service not found.").with_detail(format!("No emulated service at {}.", uri.path()))
        );
    };
    let token = params.token().ok_or_else(|| ApiError::new(499, "Token Required"))?;
    let now = shared.now();
    let mut state = shared.write();
    let grant = state.grant_for(token, now, &shared.behaviour())?;
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
    state.record_usage(&grant.app_id, service.stype, service.etype, service.credits, now);
    Ok(Json(answer(service, granted_by, &params)).into_response())
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
