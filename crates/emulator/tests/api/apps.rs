//! Contract sections 4 and 5: registered apps and the two key slots.

use axum::http::Method;
use serde_json::{Value, json};

use crate::harness::{Portal, assert_error};

const GEOCODE: &str = r#"["premium:user:geocode:temporary"]"#;

fn slot_of(key: &str) -> char {
    key.chars().rev().nth(9).unwrap()
}

async fn app_info(portal: &Portal, token: &str, item_id: &str) -> Value {
    portal
        .post(&format!("/content/users/jsmith/items/{item_id}/registeredAppInfo"), &[("f", "json"), ("token", token)])
        .await
}

#[tokio::test]
async fn register_app_returns_app_info_and_marks_the_item() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let id = portal.add_item(&token, "jsmith", "Credential", "Application").await;
    let app = portal
        .post(
            "/oauth2/registerApp",
            &[
                ("itemId", &id),
                ("appType", "multiple"),
                ("redirect_uris", r#"["urn:ietf:wg:oauth:2.0:oob"]"#),
                ("httpReferrers", r#"["https://a.example"]"#),
                ("privileges", GEOCODE),
                ("f", "json"),
                ("token", &token),
            ],
        )
        .await;
    assert_eq!(app["itemId"], id.as_str());
    assert_eq!(app["client_id"].as_str().unwrap().len(), 16);
    assert_eq!(app["client_secret"].as_str().unwrap().len(), 32);
    assert_eq!(app["appType"], "multiple");
    assert_eq!(app["privileges"], json!(["premium:user:geocode:temporary"]));
    assert_eq!(app["httpReferrers"], json!(["https://a.example"]));
    assert_eq!(app["apiToken1Active"], false);
    assert_eq!(app["apiToken2Active"], false);
    assert!(app.get("apiKey").is_none());
    let item = portal.get(&format!("/content/items/{id}"), &[("f", "json"), ("token", &token)]).await;
    assert!(item["typeKeywords"].as_array().unwrap().contains(&json!("Registered App")));
    assert_eq!(app_info(&portal, &token, &id).await, app);
}

#[tokio::test]
async fn register_app_validates_privileges_and_ownership() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let id = portal.add_item(&token, "jsmith", "Credential", "Application").await;
    let register = |privileges: String, token: String| {
        let (portal, id) = (&portal, id.clone());
        async move {
            portal
                .post(
                    "/oauth2/registerApp",
                    &[
                        ("itemId", &id),
                        ("appType", "multiple"),
                        ("privileges", &privileges),
                        ("f", "json"),
                        ("token", &token),
                    ],
                )
                .await
        }
    };
    assert_error(
        &register(r#"["premium:user:teleport"]"#.into(), token.clone()).await,
        400,
        "Invalid privilege 'premium:user:teleport'",
    );
    // jsmith is a publisher, not an admin: an admin privilege is not hers to grant.
    assert_error(&register(r#"["portal:admin:viewUsers"]"#.into(), token.clone()).await, 400, "Invalid privilege");
    let items: Vec<String> = (0..101).map(|i| format!("\"portal:app:access:item:{i:032x}\"")).collect();
    assert_error(&register(format!("[{}]", items.join(",")), token.clone()).await, 400, "At most 100 items");
    assert_error(&register(GEOCODE.into(), "forged".into()).await, 498, "Invalid token");
    let other = portal.token("other_user").await;
    assert_error(&register(GEOCODE.into(), other).await, 403, "permissions");
    let hundred = format!("[{}]", items[..100].join(","));
    assert_eq!(register(hundred, token.clone()).await["appType"], "multiple");
    assert_error(&register(GEOCODE.into(), token.clone()).await, 400, "already registered");
    let missing =
        portal.post("/oauth2/registerApp", &[("appType", "multiple"), ("f", "json"), ("token", &token)]).await;
    assert_error(&missing, 400, "'itemId' must be specified");
    let bad_type = portal
        .post("/oauth2/registerApp", &[("itemId", &id), ("appType", "spaceship"), ("f", "json"), ("token", &token)])
        .await;
    assert_error(&bad_type, 400, "Invalid appType");
}

#[tokio::test]
async fn registered_app_info_errors() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let id = portal.add_item(&token, "jsmith", "Not an app", "Web Map").await;
    assert_error(&app_info(&portal, &token, &id).await, 400, "not registered");
    let other = portal.token("other_user").await;
    assert_error(&app_info(&portal, &other, &id).await, 403, "permissions");
    assert_error(&app_info(&portal, &token, "0123456789abcdef0123456789abcdef").await, 400, "CONT_0001");
}

#[tokio::test]
async fn key_slots_generate_invalidate_and_regenerate() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let (id, app) = portal.credential(&token, "jsmith", GEOCODE, "[]").await;
    let client_id = app["client_id"].as_str().unwrap();
    let secret = app["client_secret"].as_str().unwrap();

    // No expiration yet: generating is refused with what to do.
    let early = portal
        .post(
            "/oauth2/token",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", secret),
                ("apiToken", "1"),
                ("regenerateApiToken", "true"),
                ("f", "json"),
            ],
        )
        .await;
    assert_error(&early, 400, "Set apiToken1ExpirationDate");

    let key1 = portal.generate_key(&token, "jsmith", &id, &app, 1, 30).await;
    let key2 = portal.generate_key(&token, "jsmith", &id, &app, 2, 60).await;
    assert!(key1.starts_with("AAPT") && key2.starts_with("AAPT"));
    assert_eq!((slot_of(&key1), slot_of(&key2)), ('1', '2'));
    let info = app_info(&portal, &token, &id).await;
    assert_eq!((info["apiToken1Active"].clone(), info["apiToken2Active"].clone()), (json!(true), json!(true)));
    assert!(portal.geocode(&key1, None).await["candidates"].is_array());
    assert!(portal.geocode(&key2, None).await["candidates"].is_array());

    let invalidate = |slot: &'static str| {
        let portal = &portal;
        async move {
            portal
                .post(
                    "/oauth2/revokeToken",
                    &[
                        ("client_id", client_id),
                        ("client_secret", secret),
                        ("apiToken", slot),
                        ("grant_type", "client_credentials"),
                        ("regenerateApiToken", "true"),
                        ("f", "json"),
                    ],
                )
                .await
        }
    };
    assert_eq!(invalidate("1").await, json!({ "success": true }));
    assert_error(&portal.geocode(&key1, None).await, 498, "Invalid token");
    assert!(portal.geocode(&key2, None).await["candidates"].is_array(), "slot 2 is untouched");
    assert_eq!(app_info(&portal, &token, &id).await["apiToken1Active"], false);

    let again = portal.generate_key(&token, "jsmith", &id, &app, 2, 90).await;
    assert_ne!(again, key2);
    assert_error(&portal.geocode(&key2, None).await, 498, "Invalid token");
    assert!(portal.geocode(&again, None).await["candidates"].is_array());

    let wrong_secret = portal
        .post(
            "/oauth2/token",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", "0000"),
                ("apiToken", "1"),
                ("regenerateApiToken", "true"),
                ("f", "json"),
            ],
        )
        .await;
    assert_error(&wrong_secret, 400, "invalid_client");
    let bad_slot = portal
        .post(
            "/oauth2/revokeToken",
            &[("client_id", client_id), ("client_secret", secret), ("apiToken", "3"), ("f", "json")],
        )
        .await;
    assert_error(&bad_slot, 400, "Invalid apiToken '3'");
}

#[tokio::test]
async fn a_key_stops_working_when_its_slot_expires() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let (id, app) = portal.credential(&token, "jsmith", GEOCODE, "[]").await;
    let key = portal.generate_key(&token, "jsmith", &id, &app, 1, 2).await;
    assert!(portal.geocode(&key, None).await["candidates"].is_array());
    portal.control(Method::POST, "/clock", json!({ "advanceMs": 3 * 86_400_000_i64 })).await;
    assert_error(&portal.geocode(&key, None).await, 498, "Invalid token");
}

#[tokio::test]
async fn changing_privileges_deactivates_both_slots_but_referrers_do_not() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let (id, app) = portal.credential(&token, "jsmith", GEOCODE, "[]").await;
    let key1 = portal.generate_key(&token, "jsmith", &id, &app, 1, 30).await;
    portal.generate_key(&token, "jsmith", &id, &app, 2, 30).await;
    let update = format!("/oauth2/apps/{}/update", app["client_id"].as_str().unwrap());

    let referrers =
        portal.post(&update, &[("httpReferrers", r#"["https://b.example"]"#), ("f", "json"), ("token", &token)]).await;
    assert_eq!(referrers["httpReferrers"], json!(["https://b.example"]));
    assert_eq!(
        (referrers["apiToken1Active"].clone(), referrers["apiToken2Active"].clone()),
        (json!(true), json!(true))
    );
    // Sending the same privileges is no change.
    let same = portal.post(&update, &[("privileges", GEOCODE), ("f", "json"), ("token", &token)]).await;
    assert_eq!(same["apiToken1Active"], true);

    let changed = portal
        .post(
            &update,
            &[
                ("privileges", r#"["premium:user:geocode:temporary","premium:user:basemaps"]"#),
                ("f", "json"),
                ("token", &token),
            ],
        )
        .await;
    assert_eq!((changed["apiToken1Active"].clone(), changed["apiToken2Active"].clone()), (json!(false), json!(false)));
    assert_error(&portal.geocode(&key1, Some("https://b.example/")).await, 498, "Invalid token");

    let other = portal.token("other_user").await;
    assert_error(
        &portal.post(&update, &[("httpReferrers", "[]"), ("f", "json"), ("token", &other)]).await,
        403,
        "permissions",
    );
    assert_error(
        &portal.post(&update, &[("privileges", r#"["nope"]"#), ("f", "json"), ("token", &token)]).await,
        400,
        "Invalid privilege",
    );
    let unknown = portal
        .post("/oauth2/apps/nosuchclient0000/update", &[("httpReferrers", "[]"), ("f", "json"), ("token", &token)])
        .await;
    assert_error(&unknown, 400, "Invalid client_id");
}

#[tokio::test]
async fn unregister_keeps_the_item_and_ends_the_keys() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let (id, app) = portal.credential(&token, "jsmith", GEOCODE, "[]").await;
    let key = portal.generate_key(&token, "jsmith", &id, &app, 1, 30).await;
    let unregister = format!("/oauth2/apps/{}/unregister", app["client_id"].as_str().unwrap());
    let other = portal.token("other_user").await;
    assert_error(&portal.post(&unregister, &[("f", "json"), ("token", &other)]).await, 403, "permissions");
    assert_eq!(
        portal.post(&unregister, &[("f", "json"), ("token", &token)]).await,
        json!({ "success": true, "itemId": id })
    );
    assert_error(&portal.geocode(&key, None).await, 498, "Invalid token");
    assert_error(&app_info(&portal, &token, &id).await, 400, "not registered");
    let item = portal.get(&format!("/content/items/{id}"), &[("f", "json"), ("token", &token)]).await;
    assert!(!item["typeKeywords"].as_array().unwrap().contains(&json!("Registered App")));
    assert_error(&portal.post(&unregister, &[("f", "json"), ("token", &token)]).await, 400, "Invalid client_id");
}

#[tokio::test]
async fn reset_api_key_is_refused_for_every_app() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let legacy = portal.emulator.inspect(|s| {
        let mine =
            |a: &&arcgis_portal_emulator::state::App| s.items.get(&a.item_id).is_some_and(|i| i.owner == "jsmith");
        s.apps.values().find(|a| a.is_legacy() && mine(a)).unwrap().client_id.clone()
    });
    let reset = format!("/oauth2/apps/{legacy}/resetApiKey");
    assert_error(&portal.post(&reset, &[("f", "json"), ("token", &token)]).await, 400, "retired");
    let (_, credential) = portal.credential(&token, "jsmith", GEOCODE, "[]").await;
    let not_legacy = format!("/oauth2/apps/{}/resetApiKey", credential["client_id"].as_str().unwrap());
    assert_error(&portal.post(&not_legacy, &[("f", "json"), ("token", &token)]).await, 400, "legacy API keys only");
    let other = portal.token("other_user").await;
    assert_error(&portal.post(&reset, &[("f", "json"), ("token", &other)]).await, 403, "permissions");
}

#[tokio::test]
async fn app_login_tokens_come_from_client_credentials_without_a_slot() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let (_, app) = portal.credential(&token, "jsmith", GEOCODE, "[]").await;
    let body = portal
        .post(
            "/oauth2/token",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", app["client_id"].as_str().unwrap()),
                ("client_secret", app["client_secret"].as_str().unwrap()),
                ("f", "json"),
            ],
        )
        .await;
    assert_eq!(body["expires_in"], 7200);
    assert!(portal.geocode(body["access_token"].as_str().unwrap(), None).await["candidates"].is_array());
}

#[tokio::test]
async fn two_hundred_parallel_creates_lose_and_duplicate_nothing() {
    let portal = std::sync::Arc::new(Portal::new());
    let token = portal.token("jsmith").await;
    let before = portal.emulator.inspect(|s| s.items.len());
    let tasks: Vec<_> = (0..200)
        .map(|n| {
            let (portal, token) = (portal.clone(), token.clone());
            tokio::spawn(async move {
                let added = portal
                    .post(
                        "/content/users/jsmith/addItem",
                        &[
                            ("title", &format!("parallel {n}")),
                            ("type", "Application"),
                            ("typeKeywords", "APIToken"),
                            ("f", "json"),
                            ("token", &token),
                        ],
                    )
                    .await;
                let id = added["id"].as_str().unwrap().to_owned();
                let app = portal
                    .post(
                        "/oauth2/registerApp",
                        &[
                            ("itemId", &id),
                            ("appType", "multiple"),
                            ("privileges", GEOCODE),
                            ("f", "json"),
                            ("token", &token),
                        ],
                    )
                    .await;
                (id, app["client_id"].as_str().unwrap().to_owned())
            })
        })
        .collect();
    let mut ids = std::collections::BTreeSet::new();
    let mut clients = std::collections::BTreeSet::new();
    for task in tasks {
        let (id, client) = task.await.unwrap();
        ids.insert(id);
        clients.insert(client);
    }
    assert_eq!((ids.len(), clients.len()), (200, 200));
    let (items, titles) = portal.emulator.inspect(|s| {
        let titles: std::collections::BTreeSet<String> =
            s.items.values().filter(|i| i.title.starts_with("parallel ")).map(|i| i.title.clone()).collect();
        (s.items.len(), titles)
    });
    assert_eq!(items, before + 200);
    assert_eq!(titles.len(), 200);
    let found = portal
        .get("/search", &[("q", "owner:jsmith AND title:parallel"), ("num", "1"), ("f", "json"), ("token", &token)])
        .await;
    assert_eq!(found["total"], 200);
}
