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
        "premium:user:basemaps" | "portal:apikey:basemaps" => platform(
            "https://basemapstyles-api.arcgis.com",
            "/arcgis/rest/services/styles/v2/styles/arcgis/navigation",
            &[],
        ),
        "premium:user:staticbasemaptiles" => platform(
            "https://static-map-tiles-api.arcgis.com",
            "/arcgis/rest/services/static-basemap-tiles-service/v1/arcgis/navigation/static/tile/1/0/0",
            &[],
        ),
        "premium:user:geoenrichment" | "premium:user:demographics" => server(
            "https://geoenrich.arcgis.com",
            "/arcgis/rest/services/World/geoenrichmentserver/GeoEnrichment/enrich",
            &[("studyAreas", r#"[{"geometry":{"x":-117.195,"y":34.056}}]"#)],
        ),
        "premium:user:elevation" => platform(
            "https://elevation-api.arcgis.com",
            "/arcgis/rest/services/elevation-service/v1/elevation/at-point",
            &[("lon", "-117.195"), ("lat", "34.056")],
        ),
        "premium:user:places" => platform(
            "https://places-api.arcgis.com",
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

impl<T: Transport> Client<T> {
    /// Calls the service `privilege` unlocks with `key`, as an app would: its cheapest
    /// valid request, by the method it takes. No user token is sent. A GET-only
    /// service takes the key in its query, as every map app sends it; nothing else the
    /// client sends puts a secret in a URL.
    pub async fn test_key(&self, key: &Secret, privilege: &str, hosts: &ServiceHosts) -> Result<KeyVerdict, Error> {
        let endpoint = endpoint(privilege).ok_or_else(|| {
            crate::error::InputError::new(Field::Privilege, format!("'{privilege}' has no service to test it with."))
        })?;
        let host = match hosts {
            ServiceHosts::ArcGis => endpoint.host,
            ServiceHosts::Base(base) => base.trim_end_matches('/'),
        };
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
    fn every_geocoding_basemap_and_places_privilege_is_testable() {
        for privilege in
            CATALOG.iter().filter(|p| matches!(p.category, Category::Geocoding | Category::Basemaps | Category::Places))
        {
            assert!(testable(privilege.id), "{}", privilege.id);
        }
        assert!(!testable("portal:user:createItem"));
    }
}
