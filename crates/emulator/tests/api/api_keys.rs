//! Contract section 12: an API key whose credential holds personal privileges acts as
//! the credential's owner on the sharing API, within those privileges; each open point
//! of that section acted out both ways.

use axum::http::Method;
use serde_json::{Value, json};

use crate::harness::{Portal, assert_error, error_code};

async fn behave(portal: &Portal, behaviour: Value) {
    let reply = portal.control(Method::PUT, "/behaviour", behaviour).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

/// A key of a personal credential of `user` holding `privileges`; returns (key, item id).
async fn personal_key(portal: &Portal, user: &str, privileges: &[&str]) -> (String, String) {
    let token = portal.token(user).await;
    let id = portal.add_item(&token, user, "Automation", "Application").await;
    let privileges = serde_json::to_string(privileges).unwrap();
    let app = portal
        .post(
            "/oauth2/registerApp",
            &[
                ("itemId", &id),
                ("appType", "multiple"),
                ("redirect_uris", r#"["urn:ietf:wg:oauth:2.0:oob"]"#),
                ("httpReferrers", "[]"),
                ("privileges", &privileges),
                ("isPersonalAPIToken", "true"),
                ("f", "json"),
                ("token", &token),
            ],
        )
        .await;
    assert!(app["client_id"].is_string(), "{app}");
    (portal.generate_key(&token, user, &id, &app, 1, 30).await, id)
}

fn update(user: &str, id: &str) -> String {
    format!("/content/users/{user}/items/{id}/update")
}

#[tokio::test]
async fn a_personal_key_acts_as_its_owner_within_its_privileges() {
    let portal = Portal::new();
    let (key, id) = personal_key(&portal, "jsmith", &["portal:user:createItem"]).await;
    let me = portal.get("/community/self", &[("f", "json"), ("token", &key)]).await;
    assert_eq!(me["username"], "jsmith", "{me}");
    let content = portal.get("/content/users/jsmith", &[("f", "json"), ("token", &key)]).await;
    assert!(content["items"].as_array().is_some_and(|items| !items.is_empty()), "{content}");
    let info = portal
        .get(&format!("/content/users/jsmith/items/{id}/registeredAppInfo"), &[("f", "json"), ("token", &key)])
        .await;
    assert!(info["client_id"].is_string(), "{info}");
    let changed = portal.post(&update("jsmith", &id), &[("snippet", "x"), ("f", "json"), ("token", &key)]).await;
    assert_eq!(changed["success"], true, "{changed}");
    // Another member's content needs an administrator's privileges, which jsmith lacks.
    let theirs = portal.get("/content/users/mlopez", &[("f", "json"), ("token", &key)]).await;
    assert_eq!(error_code(&theirs), Some(403), "{theirs}");

    // Without createItem, the same update is refused, naming the privilege.
    let (viewer, viewer_id) = personal_key(&portal, "jsmith", &["portal:user:viewOrgItems"]).await;
    let refused =
        portal.post(&update("jsmith", &viewer_id), &[("snippet", "x"), ("f", "json"), ("token", &viewer)]).await;
    assert_error(&refused, 403, "portal:user:createItem");
}

#[tokio::test]
async fn an_administrators_key_needs_the_admin_privilege_for_each_act_on_members_content() {
    let portal = Portal::new();
    let member = portal.token("jsmith").await;
    let theirs = portal.add_item(&member, "jsmith", "Member's item", "Application").await;
    let edit = [("snippet", "by the admin key"), ("f", "json")];
    let (viewer, _) = personal_key(&portal, "demo_admin", &["portal:user:createItem", "portal:admin:viewItems"]).await;
    let item = portal.get(&format!("/content/items/{theirs}"), &[("f", "json"), ("token", &viewer)]).await;
    assert_eq!(item["id"], theirs.as_str(), "admin:viewItems reads a member's item: {item}");
    let tokens = portal.post("/portals/self/apiTokens", &[("f", "json"), ("token", &viewer)]).await;
    assert!(tokens["items"].is_array(), "{tokens}");
    let path = update("jsmith", &theirs);
    let refused = portal.post(&path, &[edit[0], edit[1], ("token", &viewer)]).await;
    assert_error(&refused, 403, "portal:admin:updateItems");

    let (updater, _) =
        personal_key(&portal, "demo_admin", &["portal:admin:viewItems", "portal:admin:updateItems"]).await;
    let changed = portal.post(&path, &[edit[0], edit[1], ("token", &updater)]).await;
    assert_eq!(changed["success"], true, "{changed}");
    let delete = format!("/content/users/jsmith/items/{theirs}/delete");
    let refused = portal.post(&delete, &[("permanentDelete", "true"), ("f", "json"), ("token", &updater)]).await;
    assert_error(&refused, 403, "portal:admin:deleteItems");

    let (creator, _) = personal_key(&portal, "demo_admin", &["portal:user:createItem"]).await;
    let refused = portal.post("/portals/self/apiTokens", &[("f", "json"), ("token", &creator)]).await;
    assert_error(&refused, 403, "portal:admin:viewItems");
}

#[tokio::test]
async fn self_names_the_owner_or_is_refused_as_the_reading_says() {
    let portal = Portal::new();
    let (key, _) = personal_key(&portal, "jsmith", &["portal:user:createItem"]).await;
    let ask = async |path: &str| portal.get(path, &[("f", "json"), ("token", &key)]).await;
    assert_eq!(ask("/portals/self").await["user"]["username"], "jsmith");

    behave(&portal, json!({ "apiKeySelf": "refused" })).await;
    assert_eq!(error_code(&ask("/community/self").await), Some(403));
    let org = ask("/portals/self").await;
    assert!(org["user"].is_null(), "no user under this reading: {org}");
    assert_eq!(org["id"], "DemoOrgA1b2C3d4E5", "the organization is still named: {org}");
    let user = ask("/community/users/jsmith").await;
    assert_eq!(user["username"], "jsmith", "{user}");
    assert_eq!(user["orgId"], "DemoOrgA1b2C3d4E5");
}

#[tokio::test]
async fn reading_own_content_needs_any_personal_privilege_or_a_content_one_as_the_reading_says() {
    let portal = Portal::new();
    let (key, id) = personal_key(&portal, "jsmith", &["portal:user:viewOrgItems"]).await;
    let info_path = format!("/content/users/jsmith/items/{id}/registeredAppInfo");
    let read = async |path: &str| portal.get(path, &[("f", "json"), ("token", &key)]).await;
    assert!(read(&info_path).await["client_id"].is_string());
    assert_eq!(read("/community/self").await["username"], "jsmith");

    behave(&portal, json!({ "apiKeyReads": "contentPrivilege" })).await;
    assert_error(&read(&info_path).await, 403, "portal:user:createItem");
    assert_error(&read("/content/users/jsmith").await, 403, "portal:user:createItem");
}

#[tokio::test]
async fn a_key_without_personal_privileges_is_no_management_credential() {
    let portal = Portal::new();
    let (key, _) = personal_key(&portal, "jsmith", &["premium:user:geocode:temporary"]).await;
    let me = portal.get("/community/self", &[("f", "json"), ("token", &key)]).await;
    assert_error(&me, 403, "no personal privilege");
    behave(&portal, json!({ "nonPersonalKey": "invalidToken" })).await;
    let me = portal.get("/community/self", &[("f", "json"), ("token", &key)]).await;
    assert_eq!(error_code(&me), Some(498), "{me}");
    // Either way the key still does what it was made for.
    assert!(portal.geocode(&key, None).await["candidates"].is_array());
}

#[tokio::test]
async fn an_invalidated_or_expired_personal_key_is_an_invalid_token() {
    let portal = Portal::new();
    let (key, _) = personal_key(&portal, "jsmith", &["portal:user:createItem"]).await;
    portal.control(Method::POST, "/clock", json!({ "advanceMs": 31 * 86_400_000_i64 })).await;
    let me = portal.get("/community/self", &[("f", "json"), ("token", &key)]).await;
    assert_eq!(error_code(&me), Some(498), "{me}");
}
