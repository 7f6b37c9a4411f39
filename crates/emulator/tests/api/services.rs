//! The emulated location services and contract section 9's usage report.

use serde_json::{Value, json};

use crate::harness::{Portal, assert_error};

#[tokio::test]
async fn a_key_is_checked_for_privilege_and_referrer() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let (id, app) = portal
        .credential(&token, "jsmith", r#"["premium:user:geocode:temporary"]"#, r#"["https://*.shop.example"]"#)
        .await;
    let key = portal.generate_key(&token, "jsmith", &id, &app, 1, 30).await;
    assert!(portal.geocode(&key, Some("https://www.shop.example/cart")).await["candidates"].is_array());
    assert_error(
        &portal.geocode(&key, Some("https://shop.evil.example/")).await,
        403,
        "matches none of the key's referrers",
    );
    assert_error(&portal.geocode(&key, None).await, 403, "no Referer header");
    let routing = portal
        .get(
            "/arcgis/rest/services/World/Route/NAServer/Route_World/solve",
            &[("stops", "1,2;3,4"), ("f", "json"), ("token", &key)],
        )
        .await;
    assert_error(&routing, 403, "premium:user:networkanalysis:routing");
    let stored = portal
        .get(
            "/arcgis/rest/services/World/GeocodeServer/findAddressCandidates",
            &[("SingleLine", "x"), ("forStorage", "true"), ("f", "json"), ("token", &key)],
        )
        .await;
    assert_error(&stored, 403, "premium:user:geocode:stored");
    assert_error(&portal.geocode("AAPTforged", None).await, 498, "Invalid token");
    let no_token = portal
        .get("/arcgis/rest/services/World/GeocodeServer/findAddressCandidates", &[("SingleLine", "x"), ("f", "json")])
        .await;
    assert_error(&no_token, 499, "Token Required");
    let nothing = portal.get_raw("/arcgis/rest/services/Nothing/here", &[("f", "json"), ("token", &key)]).await;
    assert_eq!(nothing.status, 404);
    assert_error(&nothing.json(), 400, "No emulated service");
}

/// The cheapest valid request of the service each privilege unlocks: its path under
/// `/arcgis/rest/services`, whether it answers GET only, and its inputs.
fn cheapest(privilege: &str) -> (&'static str, bool, &'static [(&'static str, &'static str)]) {
    const AT: &str = "-117.195,34.056";
    match privilege {
        "premium:user:basemaps" => ("/styles/v2/styles/arcgis/navigation", true, &[]),
        "premium:user:staticbasemaptiles" => {
            ("/static-basemap-tiles-service/v1/arcgis/navigation/static/tile/1/0/0", true, &[])
        }
        "premium:user:geoenrichment" => (
            "/World/geoenrichmentserver/GeoEnrichment/enrich",
            false,
            &[("studyAreas", r#"[{"geometry":{"x":-117.195,"y":34.056}}]"#)],
        ),
        "premium:user:elevation" => {
            ("/elevation-service/v1/elevation/at-point", true, &[("lon", "-117.195"), ("lat", "34.056")])
        }
        "premium:user:geocode:temporary" => {
            ("/World/GeocodeServer/findAddressCandidates", false, &[("SingleLine", "380 New York St")])
        }
        "premium:user:geocode:stored" => (
            "/World/GeocodeServer/findAddressCandidates",
            false,
            &[("SingleLine", "380 New York St"), ("forStorage", "true")],
        ),
        "premium:user:places" => ("/places-service/v1/places/near-point", true, &[("x", "-117.195"), ("y", "34.056")]),
        "premium:user:networkanalysis:routing" => {
            ("/World/Route/NAServer/Route_World/solve", false, &[("stops", "-117.195,34.056;-117.18,34.06")])
        }
        "premium:user:networkanalysis:closestfacility" => (
            "/World/ClosestFacility/NAServer/ClosestFacility_World/solveClosestFacility",
            false,
            &[("incidents", AT), ("facilities", "-117.18,34.06")],
        ),
        "premium:user:networkanalysis:locationallocation" => (
            "/World/LocationAllocation/GPServer/SolveLocationAllocation/submitJob",
            false,
            &[("facilities", AT), ("demand_points", "-117.18,34.06")],
        ),
        "premium:user:networkanalysis:optimizedrouting" => (
            "/World/OptimizedRouting/GPServer/FindOptimizedRoutes/submitJob",
            false,
            &[("orders", AT), ("depots", "-117.18,34.06")],
        ),
        "premium:user:networkanalysis:origindestinationcostmatrix" => (
            "/World/OriginDestinationCostMatrix/NAServer/OriginDestinationCostMatrix_World/solveODCostMatrix",
            false,
            &[("origins", AT), ("destinations", "-117.18,34.06")],
        ),
        "premium:user:networkanalysis:servicearea" => {
            ("/World/ServiceAreas/NAServer/ServiceArea_World/solveServiceArea", false, &[("facilities", AT)])
        }
        "premium:user:networkanalysis:vehiclerouting" => (
            "/World/VehicleRoutingProblem/GPServer/SolveVehicleRoutingProblem/submitJob",
            false,
            &[("orders", AT), ("depots", AT), ("routes", "[]")],
        ),
        "premium:user:networkanalysis:lastmiledelivery" => (
            "/World/LastMileDelivery/GPServer/SolveLastMileDelivery/submitJob",
            false,
            &[("orders", AT), ("depots", AT), ("routes", "[]")],
        ),
        other => panic!("no emulated service for {other}"),
    }
}

#[tokio::test]
async fn every_location_service_takes_its_method_and_inputs() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    for service in arcgis_portal_emulator::privileges::LOCATION_SERVICES {
        let privileges = format!("[\"{service}\"]");
        let (id, app) = portal.credential(&token, "jsmith", &privileges, "[]").await;
        let key = portal.generate_key(&token, "jsmith", &id, &app, 1, 30).await;
        let (rest, get_only, inputs) = cheapest(service);
        let path = format!("/arcgis/rest/services{rest}");
        let mut params: Vec<(&str, &str)> = inputs.to_vec();
        params.extend([("f", "json"), ("token", key.as_str())]);
        let reply = portal.get_raw(&path, &params).await;
        assert_eq!(reply.status, 200, "{service} at {path}: {}", reply.text());
        if *service == "premium:user:staticbasemaptiles" {
            assert_eq!(reply.headers["content-type"], "image/png", "a tile is an image");
            assert!(reply.body.starts_with(b"\x89PNG"));
        } else {
            assert!(reply.json().get("error").is_none(), "{service} at {path}: {}", reply.text());
        }
        let posted = portal.post_raw(&path, &params).await;
        assert_eq!(posted.status, if get_only { 405 } else { 200 }, "{service}: POST");
        if !inputs.is_empty() {
            let bare = portal.get_raw(&path, &[("f", "json"), ("token", key.as_str())]).await;
            assert_eq!(bare.status, 400, "{service}: a missing input is HTTP 400");
            assert_error(&bare.json(), 400, "must be specified");
            let forged = portal.get_raw(&path, &[("f", "json"), ("token", "AAPTforgedAT1_abcdefgh")]).await;
            assert_error(&forged.json(), 498, "Invalid token");
        }
    }
}

fn series_total(entry: &Value, var: &str) -> f64 {
    entry[var].as_array().unwrap().iter().map(|p| p[1].as_str().unwrap().parse::<f64>().unwrap()).sum()
}

#[tokio::test]
async fn usage_counts_each_use_per_app() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let (id, app) = portal
        .credential(&token, "jsmith", r#"["premium:user:geocode:temporary","premium:user:geocode:stored"]"#, "[]")
        .await;
    let key = portal.generate_key(&token, "jsmith", &id, &app, 1, 30).await;
    for _ in 0..3 {
        portal.geocode(&key, None).await;
    }
    portal
        .get(
            "/arcgis/rest/services/World/GeocodeServer/findAddressCandidates",
            &[("SingleLine", "x"), ("forStorage", "true"), ("f", "json"), ("token", &key)],
        )
        .await;
    // A rejected call is not counted, nor one that lacks an input.
    portal
        .get(
            "/arcgis/rest/services/World/Route/NAServer/Route_World/solve",
            &[("stops", "1,2;3,4"), ("f", "json"), ("token", &key)],
        )
        .await;
    portal
        .get_raw("/arcgis/rest/services/World/GeocodeServer/findAddressCandidates", &[("f", "json"), ("token", &key)])
        .await;

    let now = portal.emulator.now();
    let client_id = app["client_id"].as_str().unwrap();
    let start = (now - 30 * 86_400_000).to_string();
    let end = (now + 86_400_000).to_string();
    let params = [
        ("startTime", start.as_str()),
        ("endTime", end.as_str()),
        ("period", "1d"),
        ("vars", "num,credits"),
        ("groupby", "appId,stype,etype"),
        ("appId", client_id),
        ("f", "json"),
        ("token", &token),
    ];
    let usage = portal.get("/portals/self/usage", &params).await;
    let data = usage["data"].as_array().unwrap();
    let geocodes = data.iter().find(|d| d["etype"] == "geocodecnt").unwrap_or_else(|| panic!("{usage}"));
    assert_eq!(geocodes["appId"], client_id);
    assert_eq!(geocodes["stype"], "geocode");
    assert_eq!(series_total(geocodes, "num"), 3.0);
    assert_eq!(geocodes["num"].as_array().unwrap().len(), 31, "one point per day");
    let stored = data.iter().find(|d| d["etype"] == "geocodestoredcnt").unwrap();
    assert_eq!(series_total(stored, "num"), 1.0);
    assert!((series_total(stored, "credits") - 0.04).abs() < 1e-9);
    assert_eq!(data.len(), 2, "{usage}");

    let by_app = portal
        .get(
            "/portals/self/usage",
            &[
                ("startTime", &start),
                ("endTime", &end),
                ("groupby", "appId"),
                ("appId", client_id),
                ("f", "json"),
                ("token", &token),
            ],
        )
        .await;
    assert_eq!(
        by_app["data"],
        json!([{ "appId": client_id, "num": by_app["data"][0]["num"], "credits": by_app["data"][0]["credits"] }])
    );
    assert_eq!(series_total(&by_app["data"][0], "num"), 4.0);

    // Another org's user sees none of it.
    let other = portal.token("other_user").await;
    let theirs = portal
        .get(
            "/portals/self/usage",
            &[("startTime", &start), ("endTime", &end), ("appId", client_id), ("f", "json"), ("token", &other)],
        )
        .await;
    assert_eq!(theirs["data"], json!([]));
}

#[tokio::test]
async fn usage_errors() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let now = portal.emulator.now().to_string();
    assert_error(
        &portal.get("/portals/self/usage", &[("startTime", "0"), ("endTime", &now), ("f", "json")]).await,
        499,
        "Token Required",
    );
    assert_error(
        &portal.get("/portals/self/usage", &[("endTime", &now), ("f", "json"), ("token", &token)]).await,
        400,
        "'startTime' must be specified",
    );
    assert_error(
        &portal
            .get("/portals/self/usage", &[("startTime", &now), ("endTime", "0"), ("f", "json"), ("token", &token)])
            .await,
        400,
        "must be after",
    );
    assert_error(
        &portal
            .get(
                "/portals/self/usage",
                &[("startTime", "0"), ("endTime", "1000"), ("period", "1y"), ("f", "json"), ("token", &token)],
            )
            .await,
        400,
        "Invalid period",
    );
    assert_error(
        &portal
            .get(
                "/portals/self/usage",
                &[("startTime", "0"), ("endTime", &now), ("period", "1h"), ("f", "json"), ("token", &token)],
            )
            .await,
        400,
        "more than",
    );
}

#[tokio::test]
async fn absurd_usage_ranges_are_refused_not_overflowed() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let (min, max) = (i64::MIN.to_string(), i64::MAX.to_string());
    let body = portal
        .get("/portals/self/usage", &[("startTime", &min), ("endTime", &max), ("f", "json"), ("token", &token)])
        .await;
    assert_error(&body, 400, "more than");
}
