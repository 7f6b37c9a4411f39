//! The privilege catalog: what a credential can be allowed to do, grouped the way the
//! portal's picker groups it, and which privileges are "personal" (they act as the
//! owner, so a user must acknowledge the risk before granting them).

/// Where a privilege sits in the picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    Basemaps,
    DataEnrichment,
    Elevation,
    Geocoding,
    Places,
    Routing,
    /// Portal privileges that act as the owner.
    Content,
    /// Privileges only legacy API keys use.
    Legacy,
}

impl Category {
    pub fn label(self) -> &'static str {
        match self {
            Category::Basemaps => "Basemaps",
            Category::DataEnrichment => "Data enrichment",
            Category::Elevation => "Elevation",
            Category::Geocoding => "Geocoding",
            Category::Places => "Places",
            Category::Routing => "Routing",
            Category::Content => "Content and items (personal)",
            Category::Legacy => "Legacy API keys",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Privilege {
    pub id: &'static str,
    pub category: Category,
    pub label: &'static str,
    pub description: &'static str,
    /// Acts as the owner: grant only with the user's acknowledgment.
    pub personal: bool,
}

const fn service(id: &'static str, category: Category, label: &'static str, description: &'static str) -> Privilege {
    Privilege { id, category, label, description, personal: false }
}

const fn personal(id: &'static str, label: &'static str, description: &'static str) -> Privilege {
    Privilege { id, category: Category::Content, label, description, personal: true }
}

const fn legacy(id: &'static str, label: &'static str, description: &'static str) -> Privilege {
    Privilege { id, category: Category::Legacy, label, description, personal: false }
}

use Category::{Basemaps, DataEnrichment, Elevation, Geocoding, Places, Routing};

/// Every privilege the manager offers, in picker order.
pub const CATALOG: &[Privilege] = &[
    service("premium:user:basemaps", Basemaps, "Basemap styles service", "Display basemap styles and their tiles."),
    service(
        "premium:user:staticbasemaptiles",
        Basemaps,
        "Static basemap tiles (beta)",
        "Display static basemap tiles.",
    ),
    service(
        "premium:user:geoenrichment",
        DataEnrichment,
        "GeoEnrichment service",
        "Add demographic and lifestyle data to locations.",
    ),
    service(
        "premium:user:elevation",
        Elevation,
        "Elevation service (beta)",
        "Get elevations at points and along lines.",
    ),
    service(
        "premium:user:geocode:stored",
        Geocoding,
        "Geocode (stored)",
        "Find addresses and places and keep the results.",
    ),
    service(
        "premium:user:geocode:temporary",
        Geocoding,
        "Geocode (not stored)",
        "Find addresses and places to display, not to keep.",
    ),
    service("premium:user:places", Places, "Place finding", "Find points of interest and their details."),
    service("premium:user:networkanalysis:routing", Routing, "Routing", "Find routes and directions between stops."),
    service(
        "premium:user:networkanalysis:closestfacility",
        Routing,
        "Closest facility",
        "Find the nearest facilities to incidents.",
    ),
    service(
        "premium:user:networkanalysis:locationallocation",
        Routing,
        "Location allocation",
        "Choose the best facility locations for demand.",
    ),
    service(
        "premium:user:networkanalysis:optimizedrouting",
        Routing,
        "Optimized routing",
        "Order many stops into efficient routes.",
    ),
    service(
        "premium:user:networkanalysis:origindestinationcostmatrix",
        Routing,
        "Origin/destination cost matrix",
        "Measure travel time and distance between many origins and destinations.",
    ),
    service(
        "premium:user:networkanalysis:servicearea",
        Routing,
        "Service area",
        "Find the area reachable within a travel time or distance.",
    ),
    service(
        "premium:user:networkanalysis:vehiclerouting",
        Routing,
        "Multi-vehicle routing",
        "Plan routes for a fleet of vehicles.",
    ),
    service("premium:user:networkanalysis:lastmiledelivery", Routing, "Last mile", "Plan last-mile delivery routes."),
    personal(
        "portal:user:createItem",
        "Create, update and delete content",
        "Acts as you to create and change your items.",
    ),
    personal(
        "portal:user:viewOrgItems",
        "View organization content",
        "Acts as you to read items shared with your organization.",
    ),
    personal("portal:user:shareToGroup", "Share with groups", "Acts as you to share items with your groups."),
    personal(
        "portal:publisher:publishFeatures",
        "Publish hosted feature layers",
        "Acts as you to publish feature layers.",
    ),
    personal("features:user:edit", "Edit features", "Acts as you to edit features in layers you can edit."),
    legacy("portal:apikey:basemaps", "Basemaps (legacy)", "Display basemaps with a legacy API key."),
    legacy("premium:user:geocode", "Geocoding (legacy)", "Find addresses and places with a legacy API key."),
    legacy("premium:user:demographics", "Demographics (legacy)", "Read demographic data with a legacy API key."),
    legacy(
        "premium:user:featurereport",
        "Feature reports (legacy)",
        "Create infographic reports with a legacy API key.",
    ),
    legacy("premium:user:spatialanalysis", "Spatial analysis (legacy)", "Run spatial analysis with a legacy API key."),
    legacy("premium:publisher:geoanalytics", "GeoAnalytics (legacy)", "Run GeoAnalytics tools with a legacy API key."),
    legacy(
        "premium:publisher:rasteranalysis",
        "Raster analysis (legacy)",
        "Run raster analysis with a legacy API key.",
    ),
];

/// The prefix of an item-access privilege; a 32-hex item id follows.
pub const ITEM_ACCESS_PREFIX: &str = "portal:app:access:item:";

/// The catalog entry of `id`, if it is one.
pub fn lookup(id: &str) -> Option<&'static Privilege> {
    CATALOG.iter().find(|p| p.id == id)
}

/// Does granting `id` let a key act as its owner? Unknown `portal:` and `features:`
/// privileges count as personal: the safe side.
pub fn is_personal(id: &str) -> bool {
    match lookup(id) {
        Some(privilege) => privilege.personal,
        None => !id.starts_with(ITEM_ACCESS_PREFIX) && (id.starts_with("portal:") || id.starts_with("features:")),
    }
}

/// The least personal privilege an API key needs for `request`, acting for `owner` (the
/// key's credential's owner): what an error names when a portal refuses a key (403),
/// and the README's least-privilege table. Under the stricter reading of contract
/// section 12 reading one's own items takes a content privilege too, so that is the
/// one named for any call on one's own content; another member's content takes an
/// administrator's privilege, and usage `portal:admin:viewUsage`.
pub fn needed_by_key(request: &crate::request::ApiRequest, owner: &str) -> &'static str {
    let path = request.path();
    let others = path
        .strip_prefix("/content/users/")
        .and_then(|rest| rest.split('/').next())
        .is_some_and(|segment| segment != crate::request::segment(owner));
    let across_org = path == "/portals/self/apiTokens"
        || (path == "/search" && request.param_value("q").is_some_and(|q| q.starts_with("orgid:")));
    if path.ends_with("/usage") {
        "portal:admin:viewUsage"
    } else if across_org || (others && !request.is_write()) {
        "portal:admin:viewItems"
    } else if others && path.ends_with("/delete") {
        "portal:admin:deleteItems"
    } else if others {
        "portal:admin:updateItems"
    } else {
        "portal:user:createItem"
    }
}

/// `privileges` split as every front end shows them: the services, and the ids of the
/// items the keys may read (`portal:app:access:item:<id>`). The one place the two are
/// told apart.
pub fn split<S: AsRef<str>>(privileges: &[S]) -> (Vec<String>, Vec<String>) {
    let mut services = Vec::new();
    let mut items = Vec::new();
    for id in privileges.iter().map(AsRef::as_ref) {
        match id.strip_prefix(ITEM_ACCESS_PREFIX) {
            Some(item) => items.push(item.to_owned()),
            None => services.push(id.to_owned()),
        }
    }
    (services, items)
}

/// Does any of `ids` act as the owner? Then the user must acknowledge it, and the app
/// is registered with `isPersonalAPIToken=true`.
pub fn any_personal<S: AsRef<str>>(ids: &[S]) -> bool {
    ids.iter().any(|id| is_personal(id.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privileges_split_into_services_and_item_ids() {
        let ids = ["premium:user:basemaps", "portal:app:access:item:0123", "portal:user:viewOrgItems"];
        let (services, items) = split(&ids);
        assert_eq!(services, ["premium:user:basemaps", "portal:user:viewOrgItems"]);
        assert_eq!(items, ["0123"]);
    }

    #[test]
    fn ids_are_unique_and_every_category_is_used() {
        let mut ids: Vec<&str> = CATALOG.iter().map(|p| p.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), CATALOG.len());
        for category in
            [Basemaps, DataEnrichment, Elevation, Geocoding, Places, Routing, Category::Content, Category::Legacy]
        {
            assert!(CATALOG.iter().any(|p| p.category == category), "{category:?}");
        }
    }

    #[test]
    fn personal_privileges() {
        let cases = [
            ("portal:user:createItem", true),
            ("features:user:edit", true),
            ("portal:user:somethingNew", true),
            ("premium:user:basemaps", false),
            ("portal:apikey:basemaps", false),
            ("portal:app:access:item:da7720eff87c4f5b9504f526ad6f0c6e", false),
        ];
        for (id, expected) in cases {
            assert_eq!(is_personal(id), expected, "{id}");
        }
    }
}
