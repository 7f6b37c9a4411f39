//! The test control surface: faults, latency, the request log, resets; CORS and the
//! control switch itself.

use std::time::{Duration, Instant};

use arcgis_portal_emulator::Config;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

use crate::harness::{Portal, Served, assert_error, form};

async fn arm(portal: &Portal, fault: Value) {
    let reply = portal.control(Method::POST, "/faults", fault).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

async fn log(portal: &Portal) -> Vec<Value> {
    portal.control(Method::GET, "/log", json!(null)).await.json()["entries"].as_array().unwrap().clone()
}

#[tokio::test]
async fn faults_fire_once_on_the_nth_matching_request() {
    let portal = Portal::new();
    arm(&portal, json!({ "path": "/portals/self", "nth": 2, "kind": "http500" })).await;
    let ok = portal.get_raw("/portals/self", &[("f", "json")]).await;
    assert_eq!(ok.status, StatusCode::OK);
    let failed = portal.get_raw("/portals/self", &[("f", "json")]).await;
    assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(failed.text().contains("500"));
    assert_eq!(portal.get_raw("/portals/self", &[("f", "json")]).await.status, StatusCode::OK, "a fault fires once");
    let entries = log(&portal).await;
    let faults: Vec<&Value> = entries.iter().map(|e| &e["fault"]).collect();
    assert_eq!(faults, [&Value::Null, &json!("http500"), &Value::Null]);
}

#[tokio::test]
async fn every_fault_kind_answers_as_described() {
    let portal = Portal::new();
    let cases = [
        (json!({ "path": "portals/self", "kind": "errorJson", "code": 400, "message": "Nope" }), "errorJson"),
        (json!({ "path": "portals/self", "kind": "expiredToken" }), "expiredToken"),
        (json!({ "path": "portals/self", "kind": "malformedJson" }), "malformedJson"),
        (json!({ "path": "portals/self", "kind": "drop" }), "drop"),
    ];
    for (fault, kind) in cases {
        arm(&portal, fault).await;
        let request = Request::get("/sharing/rest/portals/self?f=json").body(Body::empty()).unwrap();
        match kind {
            "drop" => {
                // In-process, a dropped connection is a body that fails mid-read.
                use tower::ServiceExt;
                let response = portal.emulator.router().oneshot(request).await.unwrap();
                let read = http_body_util::BodyExt::collect(response.into_body()).await;
                assert!(read.is_err(), "the body must fail");
            }
            _ => {
                let reply = portal.send(request).await;
                assert_eq!(reply.status, StatusCode::OK);
                match kind {
                    "errorJson" => assert_error(&reply.json(), 400, "Nope"),
                    "expiredToken" => assert_error(&reply.json(), 498, "Invalid token."),
                    _ => assert!(serde_json::from_slice::<Value>(&reply.body).is_err(), "{}", reply.text()),
                }
            }
        }
    }
}

#[tokio::test]
async fn a_fault_after_the_work_loses_only_the_answer() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    arm(&portal, json!({ "path": "/addItem", "kind": "http500", "phase": "after" })).await;
    let before = portal.emulator.inspect(|s| s.items.len());
    let reply = portal
        .post_raw(
            "/content/users/jsmith/addItem",
            &[("title", "ghost"), ("type", "Application"), ("f", "json"), ("token", &token)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(portal.emulator.inspect(|s| s.items.len()), before + 1, "the portal did the work");
    arm(&portal, json!({ "path": "/addItem", "kind": "http500" })).await;
    portal
        .post_raw(
            "/content/users/jsmith/addItem",
            &[("title", "never"), ("type", "Application"), ("f", "json"), ("token", &token)],
        )
        .await;
    assert_eq!(portal.emulator.inspect(|s| s.items.len()), before + 1, "a fault before the work stops it");
}

#[tokio::test]
async fn faults_can_match_the_method_and_delay_requests() {
    let portal = Portal::new();
    arm(&portal, json!({ "path": "portals/self", "method": "POST", "kind": "expiredToken" })).await;
    assert!(portal.get("/portals/self", &[("f", "json")]).await.get("error").is_none(), "GET does not match");
    assert_error(&portal.post("/portals/self", &[("f", "json")]).await, 498, "Invalid token");
    arm(&portal, json!({ "path": "portals/self", "kind": "delay", "ms": 150 })).await;
    let started = Instant::now();
    assert!(portal.get("/portals/self", &[("f", "json")]).await.get("error").is_none());
    assert!(started.elapsed() >= Duration::from_millis(150), "delayed, then answered");
    let bad = portal.control(Method::POST, "/faults", json!({ "path": "", "kind": "drop" })).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let unknown_kind = portal.control(Method::POST, "/faults", json!({ "path": "x", "kind": "gremlins" })).await;
    assert!(unknown_kind.status.is_client_error());
    assert_eq!(portal.control(Method::GET, "/faults", json!(null)).await.json()["faults"], json!([]));
}

#[tokio::test]
async fn latency_applies_to_every_portal_request() {
    let portal = Portal::new();
    portal.control(Method::PUT, "/latency", json!({ "ms": 60 })).await;
    assert_eq!(portal.control(Method::GET, "/latency", json!(null)).await.json()["ms"], 60);
    let started = Instant::now();
    portal.get("/portals/self", &[("f", "json")]).await;
    portal.get("/portals/self", &[("f", "json")]).await;
    assert!(started.elapsed() >= Duration::from_millis(120));
    let entries = log(&portal).await;
    let spans: Vec<u64> =
        entries.iter().map(|e| e["endUs"].as_u64().unwrap() - e["startUs"].as_u64().unwrap()).collect();
    assert!(spans.iter().all(|us| *us >= 60_000), "{spans:?}");
}

#[tokio::test]
async fn the_log_records_where_parameters_came_from_and_redacts_secrets() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let request = Request::post(format!("/sharing/rest/community/self?{}", form(&[("f", "json")])))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-custom", "1")
        .body(Body::from(form(&[("token", &token)])))
        .unwrap();
    portal.send(request).await;
    let entries = log(&portal).await;
    let generate = &entries[0];
    assert_eq!(generate["path"], "/sharing/rest/generateToken");
    assert_eq!(generate["body"]["password"], "[redacted]");
    assert_eq!(generate["body"]["username"], "jsmith");
    let me = &entries[1];
    assert_eq!(me["query"], json!({ "f": "json" }));
    assert_eq!(me["body"], json!({ "token": "[redacted]" }));
    assert_eq!(me["status"], 200);
    assert!(me["headers"].as_array().unwrap().contains(&json!("x-custom")));
    let raw = serde_json::to_string(&entries).unwrap();
    assert!(!raw.contains(&token) && !raw.contains("arcgis-demo"), "no secret in the log");

    portal.control(Method::DELETE, "/log", json!(null)).await;
    assert!(log(&portal).await.is_empty());
}

#[tokio::test]
async fn reset_restores_the_seed_and_clears_the_harness() {
    let portal = Portal::new();
    let seeded = portal.emulator.inspect(|s| s.items.keys().cloned().collect::<Vec<_>>());
    let token = portal.token("jsmith").await;
    portal.add_item(&token, "jsmith", "temporary", "Web Map").await;
    portal.control(Method::PUT, "/latency", json!({ "ms": 5 })).await;
    portal.control(Method::POST, "/clock", json!({ "advanceMs": 1000 })).await;
    assert_eq!(portal.control(Method::POST, "/reset", json!({})).await.status, StatusCode::OK);
    assert_eq!(portal.emulator.inspect(|s| s.items.keys().cloned().collect::<Vec<_>>()), seeded);
    assert_eq!(portal.control(Method::GET, "/latency", json!(null)).await.json()["ms"], 0);
    assert_eq!(portal.control(Method::GET, "/clock", json!(null)).await.json()["offsetMs"], 0);
    assert_error(&portal.get("/community/self", &[("f", "json"), ("token", &token)]).await, 498, "Invalid token");
    assert!(portal.control(Method::POST, "/clock", json!({ "advanceMs": -5 })).await.status.is_client_error());
}

#[tokio::test]
async fn numbers_the_control_surface_takes_are_bounded_and_the_portal_keeps_answering() {
    let portal = Portal::new();
    let refused = |reply: crate::harness::Reply| {
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        reply.text()
    };
    let huge = json!({ "ms": 9_223_372_036_854_775_808_u64 });
    assert!(portal.control(Method::PUT, "/latency", huge).await.status.is_client_error());
    assert!(refused(portal.control(Method::PUT, "/latency", json!({ "ms": 60_001 })).await).contains("at most 60000"));
    assert_eq!(portal.control(Method::PUT, "/latency", json!({ "ms": 60_000 })).await.status, StatusCode::OK);
    portal.control(Method::PUT, "/latency", json!({ "ms": 0 })).await;
    let delay = json!({ "path": "/search", "kind": "delay", "ms": 3_600_000 });
    assert!(refused(portal.control(Method::POST, "/faults", delay).await).contains("at most 60000"));
    let near_max = json!({ "advanceMs": i64::MAX - 5 });
    assert!(refused(portal.control(Method::POST, "/clock", near_max).await).contains("10 years"));
    let years = json!({ "advanceMs": 9 * 365 * 86_400_000_i64 });
    assert_eq!(portal.control(Method::POST, "/clock", years.clone()).await.status, StatusCode::OK);
    assert!(refused(portal.control(Method::POST, "/clock", years).await).contains("10 years"), "in all");
    let token = portal.token("jsmith").await;
    let me = portal.get("/community/self", &[("f", "json"), ("token", &token)]).await;
    assert_eq!(me["username"], "jsmith", "the portal still answers: {me}");
}

#[tokio::test]
async fn expire_tokens_ends_one_users_sessions() {
    let portal = Portal::new();
    let jsmith = portal.token("jsmith").await;
    let other = portal.token("other_user").await;
    let expired = portal.control(Method::POST, "/expire-tokens", json!({ "username": "jsmith" })).await.json();
    assert_eq!(expired["expired"], 1);
    assert_error(&portal.get("/community/self", &[("f", "json"), ("token", &jsmith)]).await, 498, "Invalid token");
    assert_eq!(portal.get("/community/self", &[("f", "json"), ("token", &other)]).await["username"], "other_user");
}

#[tokio::test]
async fn the_control_surface_exists_only_when_enabled() {
    let portal = Portal::with(Config::default());
    assert_eq!(portal.control(Method::GET, "/health", json!(null)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(portal.control(Method::POST, "/reset", json!({})).await.status, StatusCode::NOT_FOUND);
    assert!(Portal::new().control(Method::GET, "/health", json!(null)).await.json()["ok"] == true);
}

#[tokio::test]
async fn cors_answers_preflights_and_simple_requests_from_any_origin() {
    let portal = Portal::new();
    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri("/sharing/rest/portals/self")
        .header(header::ORIGIN, "https://app.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "x-esri-authorization")
        .body(Body::empty())
        .unwrap();
    let reply = portal.send(preflight).await;
    assert!(reply.status.is_success());
    assert_eq!(reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "https://app.example");
    assert!(reply.headers[header::ACCESS_CONTROL_ALLOW_METHODS].to_str().unwrap().contains("POST"));
    let simple = Request::post("/sharing/rest/portals/self")
        .header(header::ORIGIN, "http://localhost:5173")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("f=json"))
        .unwrap();
    let reply = portal.send(simple).await;
    assert_eq!(reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "http://localhost:5173");
    assert!(log(&portal).await.iter().all(|e| e["method"] != "OPTIONS"), "preflights are not portal traffic");
}

#[tokio::test]
async fn a_dropped_connection_is_an_error_for_a_real_client() {
    let served = Served::start(Config { control: true, ..Config::default() }).await;
    let client = reqwest::Client::new();
    let fault = json!({ "path": "portals/self", "kind": "drop" }).to_string();
    let armed = client
        .post(format!("{}/__emulator/faults", served.base))
        .header("content-type", "application/json")
        .header(arcgis_portal_emulator::control::TOKEN_HEADER, served.emulator.control_token().unwrap())
        .body(fault)
        .send()
        .await
        .unwrap();
    assert!(armed.status().is_success());
    let result =
        async { client.get(format!("{}/sharing/rest/portals/self?f=json", served.base)).send().await?.text().await }
            .await;
    assert!(result.is_err(), "expected a transport error, got {result:?}");
    let next = client.get(format!("{}/sharing/rest/portals/self?f=json", served.base)).send().await.unwrap();
    assert!(next.text().await.unwrap().contains("isPortal"), "the server lives on");
    served.stop().await;
}

#[tokio::test]
async fn the_strict_csp_goes_with_the_site_only_and_only_when_asked() {
    let site = std::env::temp_dir().join(format!("arcgis-keys-site-{}", std::process::id()));
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("index.html"), "<!doctype html><title>site</title>").unwrap();
    for strict_csp in [true, false] {
        let portal = Portal::with(Config { site_dir: Some(site.clone()), strict_csp, ..Config::default() });
        let page = portal.send(Request::get("/index.html").body(Body::empty()).unwrap()).await;
        assert_eq!(page.status, StatusCode::OK);
        let csp = page.headers.get(header::CONTENT_SECURITY_POLICY).map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(csp.as_deref(), strict_csp.then_some(arcgis_portal_emulator::STRICT_SITE_CSP));
        let api = portal.get_raw("/portals/self", &[("f", "json")]).await;
        assert!(api.headers.get(header::CONTENT_SECURITY_POLICY).is_none(), "the portal's answers carry no CSP");
    }
    std::fs::remove_dir_all(&site).unwrap();
}

/// A page on another origin can neither read nor change the control surface: no CORS
/// answer for it, and without the run's secret every control call is refused, a
/// simple (no preflight) POST to `reset` included.
#[tokio::test]
async fn a_foreign_page_can_neither_read_nor_change_the_control_surface() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let before = portal.emulator.inspect(|s| s.items.len());
    portal
        .post(
            "/content/users/jsmith/addItem",
            &[("title", "Kept"), ("type", "Web Map"), ("f", "json"), ("token", &token)],
        )
        .await;
    for (method, path) in
        [(Method::GET, "/log"), (Method::POST, "/reset"), (Method::POST, "/faults"), (Method::PUT, "/behaviour")]
    {
        let request = Request::builder()
            .method(method.clone())
            .uri(format!("/__emulator{path}"))
            .header(header::ORIGIN, "https://evil.example")
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from(r#"{"path":"addItem","kind":"drop"}"#))
            .unwrap();
        let reply = portal.send(request).await;
        assert_eq!(reply.status, 403, "{method} {path} without the secret");
        assert!(reply.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none(), "{path}: no CORS for a foreign page");
        assert!(!reply.text().contains("entries"), "nothing is read");
    }
    let wrong = Request::post("/__emulator/reset")
        .header(arcgis_portal_emulator::control::TOKEN_HEADER, "guessed")
        .body(Body::empty())
        .unwrap();
    assert_eq!(portal.send(wrong).await.status, 403);
    assert_eq!(portal.emulator.inspect(|s| s.items.len()), before + 1, "nothing was reset");
    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri("/__emulator/log")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "x-emulator-control")
        .body(Body::empty())
        .unwrap();
    let reply = portal.send(preflight).await;
    assert!(reply.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none(), "the preflight is not answered");
    // A test runner's page on this machine may, with the secret.
    let local = Request::get("/__emulator/health")
        .header(header::ORIGIN, "http://127.0.0.1:40123")
        .header(arcgis_portal_emulator::control::TOKEN_HEADER, portal.emulator.control_token().unwrap())
        .body(Body::empty())
        .unwrap();
    let reply = portal.send(local).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "http://127.0.0.1:40123");
}

#[test]
fn the_fault_kinds_are_one_list_that_the_wire_and_the_docs_share() {
    use arcgis_portal_emulator::control::FaultKind;
    for kind in FaultKind::ALL {
        assert_eq!(serde_json::to_value(kind).unwrap(), json!(kind.name()));
        assert_eq!(serde_json::from_value::<FaultKind>(json!(kind.name())).unwrap(), kind);
    }
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../ARCHITECTURE.md")).unwrap();
    let row = docs.lines().find(|line| line.starts_with("| `POST faults`")).expect("the control table's faults row");
    let (_, kinds) = row.split_once("`kind` is ").expect("the row lists the kinds");
    // The names run up to the first aside: "`falseSuccess` (`{\"success\":true}` …)".
    let (kinds, _) = kinds.split_once(" (").unwrap();
    let named: Vec<&str> = kinds.split('`').skip(1).step_by(2).collect();
    let all: Vec<&str> = FaultKind::ALL.iter().map(|k| k.name()).collect();
    assert_eq!(named, all, "ARCHITECTURE.md names the kinds of FaultKind::ALL, in order");
}
