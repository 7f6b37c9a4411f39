//! Testing a key: does a location service accept it, and if not, why? The service
//! answers as it would answer the app: 498 for an invalid or expired key, 403 for a
//! missing privilege or a referrer the key does not allow (a browser sends its page's
//! address as the referrer; it cannot choose another).

use serde::de::IgnoredAny;

use crate::client::Client;
use crate::error::{Error, Field, ServerError};
use crate::request::ApiRequest;
use crate::response;
use crate::secret::Secret;
use crate::transport::Transport;

/// Where location services live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceHosts {
    /// ArcGIS Location Platform's hosts (`geocode-api.arcgis.com`, …).
    ArcGis,
    /// One host serving every service path (the local emulator, or a proxy).
    Base(String),
}

/// The cheapest valid request to the service a privilege unlocks: its ArcGIS host, its
/// path, whether it answers GET only (the Location Platform APIs), and its inputs.
struct Endpoint {
    host: &'static str,
    path: &'static str,
    get_only: bool,
    inputs: &'static [(&'static str, &'static str)],
}

impl Endpoint {
    /// The request with `key`: in the query of a GET-only service, in the body otherwise.
    fn request(&self, key: &Secret) -> ApiRequest {
        let mut request = ApiRequest::read(self.path);
        for (name, value) in self.inputs {
            request = request.param(name, *value);
        }
        if self.get_only { request.key_in_query(key) } else { request.secret("token", key) }
    }
}

const REDLANDS: &str = "-117.195,34.056";
const NEARBY: &str = "-117.18,34.06";

const fn server(host: &'static str, path: &'static str, inputs: &'static [(&'static str, &'static str)]) -> Endpoint {
    Endpoint { host, path, get_only: false, inputs }
}

const fn platform(host: &'static str, path: &'static str, inputs: &'static [(&'static str, &'static str)]) -> Endpoint {
    Endpoint { host, path, get_only: true, inputs }
}

const GEOCODE_HOST: &str = "https://geocode-api.arcgis.com";
const GEOCODE_PATH: &str = "/arcgis/rest/services/World/GeocodeServer/findAddressCandidates";
const ROUTE_HOST: &str = "https://route-api.arcgis.com";
const BASEMAP_STYLES_HOST: &str = "https://basemapstyles-api.arcgis.com";
const STATIC_TILES_HOST: &str = "https://static-map-tiles-api.arcgis.com";
const GEOENRICHMENT_HOST: &str = "https://geoenrich.arcgis.com";
const ELEVATION_HOST: &str = "https://elevation-api.arcgis.com";
const PLACES_HOST: &str = "https://places-api.arcgis.com";

/// The service to try for `privilege`, if it is a location-service privilege.
fn endpoint(privilege: &str) -> Option<Endpoint> {
    let address = &[("SingleLine", "380 New York St, Redlands, CA"), ("maxLocations", "1")];
    Some(match privilege {
        "premium:user:geocode:temporary" | "premium:user:geocode" => server(GEOCODE_HOST, GEOCODE_PATH, address),
        "premium:user:geocode:stored" => server(
            GEOCODE_HOST,
            GEOCODE_PATH,
            &[("SingleLine", "380 New York St, Redlands, CA"), ("maxLocations", "1"), ("forStorage", "true")],
        ),
        "premium:user:basemaps" | "portal:apikey:basemaps" => {
            platform(BASEMAP_STYLES_HOST, "/arcgis/rest/services/styles/v2/styles/arcgis/navigation", &[])
        }
        "premium:user:staticbasemaptiles" => platform(
            STATIC_TILES_HOST,
            "/arcgis/rest/services/static-basemap-tiles-service/v1/arcgis/navigation/static/tile/1/0/0",
            &[],
        ),
        "premium:user:geoenrichment" | "premium:user:demographics" => server(
            GEOENRICHMENT_HOST,
            "/arcgis/rest/services/World/geoenrichmentserver/GeoEnrichment/enrich",
            &[("studyAreas", r#"[{"geometry":{"x":-117.195,"y":34.056}}]"#)],
        ),
        "premium:user:elevation" => platform(
            ELEVATION_HOST,
            "/arcgis/rest/services/elevation-service/v1/elevation/at-point",
            &[("lon", "-117.195"), ("lat", "34.056")],
        ),
        "premium:user:places" => platform(
            PLACES_HOST,
            "/arcgis/rest/services/places-service/v1/places/near-point",
            &[("x", "-117.195"), ("y", "34.056"), ("radius", "100"), ("pageSize", "1")],
        ),
        "premium:user:networkanalysis:routing" => server(
            ROUTE_HOST,
            "/arcgis/rest/services/World/Route/NAServer/Route_World/solve",
            &[("stops", "-117.195,34.056;-117.18,34.06")],
        ),
        "premium:user:networkanalysis:closestfacility" => server(
            ROUTE_HOST,
            "/arcgis/rest/services/World/ClosestFacility/NAServer/ClosestFacility_World/solveClosestFacility",
            &[("incidents", REDLANDS), ("facilities", NEARBY)],
        ),
        "premium:user:networkanalysis:servicearea" => server(
            ROUTE_HOST,
            "/arcgis/rest/services/World/ServiceAreas/NAServer/ServiceArea_World/solveServiceArea",
            &[("facilities", REDLANDS)],
        ),
        "premium:user:networkanalysis:origindestinationcostmatrix" => server(
            ROUTE_HOST,
            "/arcgis/rest/services/World/OriginDestinationCostMatrix/NAServer/OriginDestinationCostMatrix_World/solveODCostMatrix",
            &[("origins", REDLANDS), ("destinations", NEARBY)],
        ),
        _ => return None,
    })
}

/// The privileges [`Client::test_key`] can test.
pub fn testable(privilege: &str) -> bool {
    endpoint(privilege).is_some()
}

/// The parts of a URL a referrer pattern compares: scheme, host (lowercase), port, path
/// (no trailing `/`).
fn url_parts(url: &str) -> Option<(String, String, u16, String)> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let (authority, path) = rest.find(['/', '?', '#']).map_or((rest, ""), |at| rest.split_at(at));
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, port.parse().ok()?),
        None => (authority, if scheme == "https" { 443 } else { 80 }),
    };
    let path = path.split(['?', '#']).next().unwrap_or_default().trim_end_matches('/').to_owned();
    Some((scheme, host.to_ascii_lowercase(), port, path))
}

/// Would a key restricted to `referrers` be used from a page at `origin`? A browser
/// sends another site only its page's origin as the referrer, so a pattern with a path
/// never covers it. An empty list allows every page. This is the documented pattern
/// form (scheme, host with an optional leading `*.`, port, path prefix); the tester
/// only warns with it, and the service's answer stays the verdict.
pub fn page_allowed(referrers: &[String], origin: &str) -> bool {
    let Some((scheme, host, port, _)) = url_parts(origin) else { return referrers.is_empty() };
    referrers.is_empty()
        || referrers.iter().filter_map(|r| url_parts(r)).any(|(s, h, p, path)| {
            let host_ok = match h.strip_prefix("*.") {
                Some(parent) => host.strip_suffix(parent).is_some_and(|sub| sub.ends_with('.') && sub.len() > 1),
                None => host == h,
            };
            s == scheme && host_ok && p == port && path.is_empty()
        })
}

/// The hosts [`ServiceHosts::ArcGis`] sends tests to: what a page's
/// Content-Security-Policy must allow in `connect-src` for the tester to reach them.
pub const ARCGIS_SERVICE_HOSTS: [&str; 7] =
    [GEOCODE_HOST, ROUTE_HOST, BASEMAP_STYLES_HOST, STATIC_TILES_HOST, GEOENRICHMENT_HOST, ELEVATION_HOST, PLACES_HOST];

/// What the service said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyVerdict {
    Accepted,
    /// With the service's code (498 invalid or expired, 499 no key, 403 not permitted
    /// here) and reason.
    Rejected(ServerError),
    /// The service refused the request itself (a 400, a 500): the key was not judged.
    Inconclusive(ServerError),
}

/// Does an error from a service judge the key? Only 498, 499 and 403 do.
fn judges_the_key(code: u16) -> bool {
    matches!(code, 403 | 498 | 499)
}

/// The origin the test of `privilege` goes to with `hosts`, for words about it (a
/// page's Content-Security-Policy must allow it); `None` for a privilege with no service.
pub fn service_host<'a>(privilege: &str, hosts: &'a ServiceHosts) -> Option<&'a str> {
    let endpoint = endpoint(privilege)?;
    Some(match hosts {
        ServiceHosts::ArcGis => endpoint.host,
        ServiceHosts::Base(base) => base.trim_end_matches('/'),
    })
}

impl<T: Transport> Client<T> {
    /// Calls the service `privilege` unlocks with `key`, as an app would: its cheapest
    /// valid request, by the method it takes. No user token is sent. A GET-only
    /// service takes the key in its query, as every map app sends it; nothing else the
    /// client sends puts a secret in a URL.
    pub async fn test_key(&self, key: &Secret, privilege: &str, hosts: &ServiceHosts) -> Result<KeyVerdict, Error> {
        let endpoint = endpoint(privilege).ok_or_else(|| {
            crate::error::InputError::new(Field::Privilege, format!("'{privilege}' has no service to test it with."))
        })?;
        let host = service_host(privilege, hosts).unwrap_or(endpoint.host);
        let answer = self.send_http(endpoint.request(key).to_http_at(host, None)).await?;
        // An image (a static tile) is an answer too: only a JSON body can hold an error.
        let is_json = self.transport().parse_json(&answer.body).is_ok();
        if !is_json && (200..300).contains(&answer.status) {
            return Ok(KeyVerdict::Accepted);
        }
        match response::read::<IgnoredAny, T>(self.transport(), &answer) {
            Ok(_) => Ok(KeyVerdict::Accepted),
            Err(Error::Portal(reason) | Error::SignInRequired(reason)) if judges_the_key(reason.code) => {
                Ok(KeyVerdict::Rejected(reason))
            }
            Err(Error::Portal(reason) | Error::SignInRequired(reason)) => Ok(KeyVerdict::Inconclusive(reason)),
            Err(other) => Err(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privileges::{CATALOG, Category};

    #[test]
    fn get_only_services_take_the_key_in_the_query_and_the_rest_in_the_body() {
        let key = Secret::new("AAPTkeyAT1_abcdefgh");
        for (privilege, method) in
            [("premium:user:basemaps", crate::Method::Get), ("premium:user:geocode:temporary", crate::Method::Post)]
        {
            let endpoint = endpoint(privilege).unwrap();
            let http = endpoint.request(&key).to_http_at(endpoint.host, None);
            assert_eq!(http.method, method, "{privilege}");
            assert_eq!(http.url.contains("AAPTkey"), method == crate::Method::Get, "{privilege}: {http:?}");
        }
    }

    #[test]
    fn every_service_host_is_listed_for_the_csp() {
        for privilege in CATALOG {
            if let Some(endpoint) = endpoint(privilege.id) {
                assert!(ARCGIS_SERVICE_HOSTS.contains(&endpoint.host), "{}: {}", privilege.id, endpoint.host);
            }
        }
    }

    #[test]
    fn a_page_is_allowed_by_its_origin_alone() {
        let list = |patterns: &[&str]| patterns.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>();
        let cases = [
            (&[][..], "http://127.0.0.1:8787", true),
            (&["https://shop.example.com"][..], "https://shop.example.com", true),
            (&["https://shop.example.com/"][..], "https://shop.example.com", true),
            (&["https://SHOP.example.com"][..], "https://shop.example.com", true),
            (&["https://shop.example.com"][..], "http://shop.example.com", false),
            (&["https://shop.example.com"][..], "https://evilshop.example.com", false),
            (&["https://shop.example.com"][..], "https://shop.example.com:8443", false),
            (&["https://*.example.com"][..], "https://a.example.com", true),
            (&["https://*.example.com"][..], "https://example.com", false),
            (&["https://*.example.com"][..], "https://badexample.com", false),
            (&["https://example.com/app"][..], "https://example.com", false),
            (&["https://a.example", "http://127.0.0.1:8787"][..], "http://127.0.0.1:8787", true),
            (&["http://localhost:5173"][..], "http://127.0.0.1:5173", false),
        ];
        for (patterns, origin, allowed) in cases {
            assert_eq!(page_allowed(&list(patterns), origin), allowed, "{patterns:?} at {origin}");
        }
    }

    #[test]
    fn every_geocoding_basemap_and_places_privilege_is_testable() {
        for privilege in
            CATALOG.iter().filter(|p| matches!(p.category, Category::Geocoding | Category::Basemaps | Category::Places))
        {
            assert!(testable(privilege.id), "{}", privilege.id);
        }
        assert!(!testable("portal:user:createItem"));
    }
}
