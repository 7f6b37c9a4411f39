//! Testing a key: does a location service accept it, and if not, why? The service
//! answers as it would answer the app: 498 for an invalid or expired key, 403 for a
//! missing privilege or a referrer the key does not allow (a browser sends its page's
//! address as the referrer; it cannot choose another).

use serde::de::IgnoredAny;

use crate::client::Client;
use crate::error::{Error, ServerError};
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

/// A service a privilege unlocks: its ArcGIS host and its path.
struct Endpoint {
    host: &'static str,
    path: &'static str,
}

const GEOCODE: Endpoint = Endpoint {
    host: "https://geocode-api.arcgis.com",
    path: "/arcgis/rest/services/World/GeocodeServer/findAddressCandidates",
};
const BASEMAPS: Endpoint = Endpoint {
    host: "https://basemapstyles-api.arcgis.com",
    path: "/arcgis/rest/services/styles/v2/styles/arcgis/navigation",
};
const ENRICH: Endpoint = Endpoint {
    host: "https://geoenrich.arcgis.com",
    path: "/arcgis/rest/services/World/geoenrichmentserver/GeoEnrichment/enrich",
};

/// The service to try for `privilege`, if it is a location-service privilege.
fn endpoint(privilege: &str) -> Option<Endpoint> {
    let route = |host: &'static str, path: &'static str| Some(Endpoint { host, path });
    match privilege {
        "premium:user:geocode:temporary" | "premium:user:geocode:stored" | "premium:user:geocode" => Some(GEOCODE),
        "premium:user:basemaps" | "portal:apikey:basemaps" => Some(BASEMAPS),
        "premium:user:staticbasemaptiles" => route(
            "https://static-map-tiles-api.arcgis.com",
            "/arcgis/rest/services/static-basemap-tiles-service/v1/arcgis/navigation/static/tile/1/0/0",
        ),
        "premium:user:geoenrichment" | "premium:user:demographics" => Some(ENRICH),
        "premium:user:elevation" => {
            route("https://elevation-api.arcgis.com", "/arcgis/rest/services/elevation-service/v1/elevation/at-point")
        }
        "premium:user:places" => {
            route("https://places-api.arcgis.com", "/arcgis/rest/services/places-service/v1/places/near-point")
        }
        "premium:user:networkanalysis:routing" => {
            route("https://route-api.arcgis.com", "/arcgis/rest/services/World/Route/NAServer/Route_World/solve")
        }
        "premium:user:networkanalysis:closestfacility" => route(
            "https://route-api.arcgis.com",
            "/arcgis/rest/services/World/ClosestFacility/NAServer/ClosestFacility_World/solveClosestFacility",
        ),
        "premium:user:networkanalysis:servicearea" => route(
            "https://route-api.arcgis.com",
            "/arcgis/rest/services/World/ServiceAreas/NAServer/ServiceArea_World/solveServiceArea",
        ),
        "premium:user:networkanalysis:origindestinationcostmatrix" => route(
            "https://route-api.arcgis.com",
            "/arcgis/rest/services/World/OriginDestinationCostMatrix/NAServer/OriginDestinationCostMatrix_World/solveODCostMatrix",
        ),
        _ => None,
    }
}

/// The privileges [`Client::test_key`] can test.
pub fn testable(privilege: &str) -> bool {
    endpoint(privilege).is_some()
}

/// What the service said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyVerdict {
    Accepted,
    /// With the service's code (498 invalid or expired, 403 not permitted) and reason.
    Rejected(ServerError),
}

impl<T: Transport> Client<T> {
    /// Calls the service `privilege` unlocks with `key`. No user token is sent.
    pub async fn test_key(&self, key: &Secret, privilege: &str, hosts: &ServiceHosts) -> Result<KeyVerdict, Error> {
        let endpoint = endpoint(privilege).ok_or_else(|| {
            crate::error::InputError::new("privilege", format!("'{privilege}' has no service to test it with."))
        })?;
        let host = match hosts {
            ServiceHosts::ArcGis => endpoint.host,
            ServiceHosts::Base(base) => base.trim_end_matches('/'),
        };
        let mut request = ApiRequest::read(endpoint.path).secret("token", key);
        if endpoint.path.ends_with("findAddressCandidates") {
            request = request.param("SingleLine", "380 New York St, Redlands, CA");
            if privilege.ends_with(":stored") {
                request = request.flag("forStorage", true);
            }
        }
        let answer = self.send_http(request.to_http_at(host, None)).await?;
        match response::read::<IgnoredAny, T>(self.transport(), &answer) {
            Ok(_) => Ok(KeyVerdict::Accepted),
            Err(Error::Portal(reason) | Error::SignInRequired(reason)) => Ok(KeyVerdict::Rejected(reason)),
            Err(other) => Err(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privileges::{CATALOG, Category};

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
