//! The service as of 2026 (contract sections 3–11): keys whose expiration is fixed when
//! they are generated, personal keys, the recycle bin, usage, and each open point of
//! section 11 acted out both ways through `/__emulator/behaviour`.

use axum::http::Method;
use serde_json::{Value, json};

use crate::harness::{Portal, assert_error, error_code};

const GEOCODE: &str = r#"["premium:user:geocode:temporary"]"#;
const DAY: i64 = 86_400_000;

async fn behave(portal: &Portal, behaviour: Value) {
    let reply = portal.control(Method::PUT, "/behaviour", behaviour).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

fn update_path(app: &Value) -> String {
    format!("/oauth2/apps/{}/update", app["client_id"].as_str().unwrap())
}

async fn app_info(portal: &Portal, token: &str, id: &str) -> Value {
    portal
        .post(&format!("/content/users/jsmith/items/{id}/registeredAppInfo"), &[("f", "json"), ("token", token)])
        .await
}

#[tokio::test]
async fn a_key_keeps_the_expiration_it_was_generated_with() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let (id, app) = portal.credential(&token, "jsmith", GEOCODE, "[]").await;
    let key = portal.generate_key(&token, "jsmith", &id, &app, 1, 2).await;
    // Moving the item's date to a year ahead does not extend the live key.
    let later = (portal.emulator.now() + 300 * DAY).to_string();
    let update = format!("/content/users/jsmith/items/{id}/update");
    portal.post(&update, &[("apiToken1ExpirationDate", &later), ("f", "json"), ("token", &token)]).await;
    portal.control(Method::POST, "/clock", json!({ "advanceMs": 3 * DAY })).await;
    assert_error(&portal.geocode(&key, None).await, 498, "Invalid token");
}

#[tokio::test]
async fn revoking_a_slot_resets_its_date_and_false_regenerates_only_an_empty_slot() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let (id, app) = portal.credential(&token, "jsmith", GEOCODE, "[]").await;
    let (client_id, secret) = (app["client_id"].as_str().unwrap(), app["client_secret"].as_str().unwrap());
    let expires = (portal.emulator.now() + 30 * DAY).to_string();
    let update = format!("/content/users/jsmith/items/{id}/update");
    portal.post(&update, &[("apiToken1ExpirationDate", &expires), ("f", "json"), ("token", &token)]).await;
    let generate = |regenerate: &'static str| {
        [
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
            ("apiToken", "1"),
            ("regenerateApiToken", regenerate),
            ("f", "json"),
        ]
    };
    let first = portal.post("/oauth2/token", &generate("false")).await;
    assert!(first["access_token"].as_str().unwrap().starts_with("AAPT"), "{first}");
    assert_error(&portal.post("/oauth2/token", &generate("false")).await, 400, "regenerateApiToken=true");
    let revoke = [
        ("client_id", client_id),
        ("client_secret", secret),
        ("apiToken", "1"),
        ("grant_type", "client_credentials"),
        ("regenerateApiToken", "true"),
        ("f", "json"),
    ];
    assert_eq!(portal.post("/oauth2/revokeToken", &revoke).await, json!({ "success": true }));
    let item = portal.get(&format!("/content/items/{id}"), &[("f", "json"), ("token", &token)]).await;
    assert_eq!(item["apiToken1ExpirationDate"], -1);
    assert_eq!(app_info(&portal, &token, &id).await["apiToken1Active"], false);
}

#[tokio::test]
async fn personal_privileges_need_is_personal_api_token() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let personal = r#"["portal:user:createItem"]"#;
    let (id, app) = portal.credential(&token, "jsmith", personal, "[]").await;
    assert_eq!(app["isPersonalAPIToken"], false);
    let expires = (portal.emulator.now() + 30 * DAY).to_string();
    let update = format!("/content/users/jsmith/items/{id}/update");
    portal.post(&update, &[("apiToken1ExpirationDate", &expires), ("f", "json"), ("token", &token)]).await;
    let generate = [
        ("grant_type", "client_credentials"),
        ("client_id", app["client_id"].as_str().unwrap()),
        ("client_secret", app["client_secret"].as_str().unwrap()),
        ("apiToken", "1"),
        ("regenerateApiToken", "true"),
        ("f", "json"),
    ];
    assert_error(&portal.post("/oauth2/token", &generate).await, 400, "isPersonalAPIToken=true");
    let fixed = portal
        .post(
            &update_path(&app),
            &[
                ("privileges", personal),
                ("httpReferrers", "[]"),
                ("isPersonalAPIToken", "true"),
                ("f", "json"),
                ("token", &token),
            ],
        )
        .await;
    assert_eq!(fixed["isPersonalAPIToken"], true, "stored and echoed");
    assert!(portal.post("/oauth2/token", &generate).await["access_token"].is_string());
}

#[tokio::test]
async fn registering_a_credential_marks_it_api_token_whoever_made_the_item() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    // As REST JS and the portal make one: an Application with no keywords of ours.
    let id = portal.add_item(&token, "jsmith", "Made elsewhere", "Application").await;
    let register = [
        ("itemId", id.as_str()),
        ("appType", "multiple"),
        ("redirect_uris", r#"["urn:ietf:wg:oauth:2.0:oob"]"#),
        ("httpReferrers", "[]"),
        ("privileges", GEOCODE),
        ("f", "json"),
        ("token", &token),
    ];
    portal.post("/oauth2/registerApp", &register).await;
    let item = portal.get(&format!("/content/items/{id}"), &[("f", "json"), ("token", &token)]).await;
    assert_eq!(item["typeKeywords"], json!(["Registered App", "APIToken"]));
    // An OAuth app (a real redirect URI) is not an API key credential.
    let oauth = portal.add_item(&token, "jsmith", "OAuth app", "Application").await;
    let register = [
        ("itemId", oauth.as_str()),
        ("appType", "multiple"),
        ("redirect_uris", r#"["https://app.example.com/callback"]"#),
        ("f", "json"),
        ("token", &token),
    ];
    portal.post("/oauth2/registerApp", &register).await;
    let item = portal.get(&format!("/content/items/{oauth}"), &[("f", "json"), ("token", &token)]).await;
    assert_eq!(item["typeKeywords"], json!(["Registered App"]));
}

#[tokio::test]
async fn an_omitted_app_field_is_kept_or_cleared() {
    for (reading, referrers_after) in [("keep", json!(["https://a.example.com"])), ("clear", json!([]))] {
        let portal = Portal::new();
        behave(&portal, json!({ "omittedAppField": reading })).await;
        let token = portal.token("jsmith").await;
        let (_, app) = portal.credential(&token, "jsmith", GEOCODE, r#"["https://a.example.com"]"#).await;
        let privileges = r#"["premium:user:basemaps"]"#;
        let answer =
            portal.post(&update_path(&app), &[("privileges", privileges), ("f", "json"), ("token", &token)]).await;
        assert_eq!(answer["httpReferrers"], referrers_after, "{reading}");
    }
}

#[tokio::test]
async fn a_referrers_only_update_keeps_or_stops_the_keys() {
    for (reading, active_after) in [("keysStay", true), ("keysStop", false)] {
        let portal = Portal::new();
        behave(&portal, json!({ "referrersUpdate": reading })).await;
        let token = portal.token("jsmith").await;
        let (id, app) = portal.credential(&token, "jsmith", GEOCODE, "[]").await;
        let key = portal.generate_key(&token, "jsmith", &id, &app, 1, 30).await;
        let params = [("privileges", GEOCODE), ("httpReferrers", r#"["https://b.example.com"]"#)];
        let mut form = params.to_vec();
        form.extend([("f", "json"), ("token", token.as_str())]);
        let answer = portal.post(&update_path(&app), &form).await;
        assert_eq!(answer["apiToken1Active"], active_after, "{reading}");
        let works = portal.geocode(&key, Some("https://b.example.com/")).await["candidates"].is_array();
        assert_eq!(works, active_after, "{reading}");
        // New privileges stop the keys under either reading.
        let key = portal.generate_key(&token, "jsmith", &id, &app, 2, 30).await;
        let form = [("privileges", r#"["premium:user:basemaps"]"#), ("httpReferrers", "[]"), ("f", "json")];
        let mut form = form.to_vec();
        form.push(("token", &token));
        let answer = portal.post(&update_path(&app), &form).await;
        assert_eq!(
            (answer["apiToken1Active"].clone(), answer["apiToken2Active"].clone()),
            (json!(false), json!(false))
        );
        assert_error(&portal.geocode(&key, None).await, 498, "Invalid token");
    }
}

#[tokio::test]
async fn a_recycled_credential_is_hidden_and_its_keys_stop_or_keep_working() {
    for (reading, works) in [("stop", false), ("keepWorking", true)] {
        let portal = Portal::new();
        behave(&portal, json!({ "recycledKeys": reading })).await;
        let token = portal.token("jsmith").await;
        let (id, app) = portal.credential(&token, "jsmith", GEOCODE, "[]").await;
        let key = portal.generate_key(&token, "jsmith", &id, &app, 1, 30).await;
        let delete = format!("/content/users/jsmith/items/{id}/delete");
        portal.post(&delete, &[("f", "json"), ("token", &token)]).await;
        assert_eq!(portal.geocode(&key, None).await["candidates"].is_array(), works, "{reading}");
        let item = portal.get(&format!("/content/items/{id}"), &[("f", "json"), ("token", &token)]).await;
        assert_error(&item, 400, "CONT_0001");
        let found =
            portal.get("/search", &[("q", "owner:jsmith AND typekeywords:APIToken"), ("num", "100"), ("f", "json")]);
        let found = found.await;
        assert!(!found.to_string().contains(&id), "hidden from search");
        // 14 days later the recycle bin is purged: the keys stop under either reading.
        portal.control(Method::POST, "/clock", json!({ "advanceMs": 15 * DAY })).await;
        portal.token("jsmith").await; // a write that prunes
        assert_error(&portal.geocode(&key, None).await, 498, "Invalid token");
    }
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let (id, _) = portal.credential(&token, "jsmith", GEOCODE, "[]").await;
    portal.post(&format!("/content/users/jsmith/items/{id}/delete"), &[("f", "json"), ("token", &token)]).await;
    assert_eq!(portal.control(Method::POST, "/restore", json!({ "itemId": id })).await.status, 200);
    let item = portal.get(&format!("/content/items/{id}"), &[("f", "json"), ("token", &token)]).await;
    assert_eq!(item["id"], id.as_str(), "restored");
}

#[tokio::test]
async fn search_is_fresh_or_lags_behind_writes() {
    let portal = Portal::new();
    behave(&portal, json!({ "searchLagMs": 60_000 })).await;
    let token = portal.token("jsmith").await;
    let id = portal.add_item(&token, "jsmith", "Fresh item", "Application").await;
    let query = [("q", "\"Fresh item\""), ("f", "json"), ("token", token.as_str())];
    assert_eq!(portal.get("/search", &query).await["total"], 0, "not indexed yet");
    let item = portal.get(&format!("/content/items/{id}"), &[("f", "json"), ("token", &token)]).await;
    assert_eq!(item["id"], id.as_str(), "reading by id is never stale");
    portal.control(Method::POST, "/clock", json!({ "advanceMs": 61_000 })).await;
    assert_eq!(portal.get("/search", &query).await["total"], 1);
}

#[tokio::test]
async fn usage_by_portal_id_with_strings_and_for_members_allowed_or_forbidden() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let org = portal.get("/community/self", &[("f", "json"), ("token", &token)]).await["orgId"].clone();
    let (id, app) = portal.credential(&token, "jsmith", GEOCODE, "[]").await;
    let key = portal.generate_key(&token, "jsmith", &id, &app, 1, 30).await;
    portal.geocode(&key, None).await;
    let now = portal.emulator.now();
    let call = |path: &str, token: &str| usage(&portal, path.to_owned(), token.to_owned(), now);
    let by_id = call(&format!("/portals/{}/usage", org.as_str().unwrap()), &token).await;
    let point = &by_id["data"][0]["num"][0];
    assert!(point[0].is_string() && point[1].is_string(), "timestamps and values as strings: {by_id}");
    assert_eq!(call("/portals/self/usage", &token).await["data"], by_id["data"]);
    assert_eq!(error_code(&call("/portals/0123456789abcdef/usage", &token).await), Some(403));
    behave(&portal, json!({ "usageForMembers": "forbidden" })).await;
    assert_eq!(error_code(&call("/portals/self/usage", &token).await), Some(403));
    let admin = portal.token("demo_admin").await;
    assert!(call("/portals/self/usage", &admin).await["data"].is_array(), "admins may");
}

/// Last month's usage by month, as the Python API asks for it.
async fn usage(portal: &Portal, path: String, token: String, now: i64) -> Value {
    let (start, end) = ((now - 30 * DAY).to_string(), (now + DAY).to_string());
    let params = [
        ("startTime", start.as_str()),
        ("endTime", &end),
        ("period", "1m"),
        ("vars", "num,credits"),
        ("groupby", "appId,stype,etype"),
        ("f", "json"),
        ("token", &token),
    ];
    portal.post(&path, &params).await
}

#[tokio::test]
async fn an_oauth_token_may_be_refused_for_key_management() {
    let portal = Portal::new();
    behave(&portal, json!({ "oauthTokenForKeys": "forbidden" })).await;
    let password_token = portal.token("jsmith").await;
    let (id, app) = portal.credential(&password_token, "jsmith", GEOCODE, "[]").await;
    // An OAuth token, as the authorization-code flow issues it.
    let oauth_token = portal.oauth_token("jsmith").await;
    let update = [("privileges", GEOCODE), ("httpReferrers", "[]"), ("f", "json"), ("token", &oauth_token)];
    assert_error(&portal.post(&update_path(&app), &update).await, 403, "username and password");
    let item_update = format!("/content/users/jsmith/items/{id}/update");
    let dated = [("apiToken1ExpirationDate", "-1"), ("f", "json"), ("token", oauth_token.as_str())];
    assert_error(&portal.post(&item_update, &dated).await, 403, "username and password");
    // Reading is fine with either token.
    assert_eq!(app_info(&portal, &oauth_token, &id).await["client_id"], app["client_id"]);
    behave(&portal, json!({})).await;
    assert!(portal.post(&update_path(&app), &update).await["client_id"].is_string(), "accepted by default");
}
