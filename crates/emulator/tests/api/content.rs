//! Contract section 3: items and folders.

use axum::http::Method;
use serde_json::json;

use crate::harness::{Portal, assert_error};

#[tokio::test]
async fn add_item_follows_the_javascript_client_conventions() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    // As ArcGIS REST JS sends it: form-encoded, token in the body, comma-joined lists.
    let added = portal
        .post(
            "/content/users/jsmith/addItem",
            &[
                ("title", "  My key  "),
                ("type", "Application"),
                ("tags", "a,b c"),
                ("typeKeywords", "Registered App,APIToken"),
                ("snippet", "s"),
                ("url", "https://x.example"),
                ("f", "json"),
                ("token", &token),
            ],
        )
        .await;
    assert_eq!(added["success"], true);
    assert_eq!(added["folder"], "");
    let id = added["id"].as_str().unwrap();
    assert_eq!(id.len(), 32);
    let item = portal.get(&format!("/content/items/{id}"), &[("f", "json"), ("token", &token)]).await;
    assert_eq!(item["title"], "My key");
    assert_eq!(item["tags"], json!(["a", "b c"]));
    assert_eq!(item["typeKeywords"], json!(["Registered App", "APIToken"]));
    assert_eq!(item["owner"], "jsmith");
    assert_eq!(item["access"], "private");
    assert_eq!(item["url"], "https://x.example");
    assert_eq!(item["apiToken1ExpirationDate"], -1);
    assert_eq!(item["apiToken2ExpirationDate"], -1);
}

#[tokio::test]
async fn add_item_errors() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let missing = portal
        .post("/content/users/jsmith/addItem", &[("type", "Application"), ("f", "json"), ("token", &token)])
        .await;
    assert_error(&missing, 400, "'type' and 'title' property required.");
    let anonymous =
        portal.post("/content/users/jsmith/addItem", &[("title", "t"), ("type", "Application"), ("f", "json")]).await;
    assert_error(&anonymous, 499, "Token Required");
    let other = portal.token("other_user").await;
    let foreign = portal
        .post(
            "/content/users/jsmith/addItem",
            &[("title", "t"), ("type", "Application"), ("f", "json"), ("token", &other)],
        )
        .await;
    assert_error(&foreign, 403, "permissions");
    let no_folder = portal
        .post(
            "/content/users/jsmith/0123456789abcdef0123456789abcdef/addItem",
            &[("title", "t"), ("type", "Application"), ("f", "json"), ("token", &token)],
        )
        .await;
    assert_error(&no_folder, 400, "Folder does not exist");
    assert_error(&portal.get("/content/users/jsmith/addItem", &[("f", "json")]).await, 400, "requires POST");
}

#[tokio::test]
async fn folders_hold_items_and_list_with_paging() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let created =
        portal.post("/content/users/jsmith/createFolder", &[("title", "Keys"), ("f", "json"), ("token", &token)]).await;
    assert_eq!(created["folder"]["title"], "Keys");
    let folder = created["folder"]["id"].as_str().unwrap().to_owned();
    let duplicate =
        portal.post("/content/users/jsmith/createFolder", &[("title", "keys"), ("f", "json"), ("token", &token)]).await;
    assert_error(&duplicate, 400, "not available");
    assert_error(
        &portal.post("/content/users/jsmith/createFolder", &[("f", "json"), ("token", &token)]).await,
        400,
        "'title' must be specified",
    );

    for n in 0..3 {
        let added = portal
            .post(
                &format!("/content/users/jsmith/{folder}/addItem"),
                &[("title", &format!("in folder {n}")), ("type", "Web Map"), ("f", "json"), ("token", &token)],
            )
            .await;
        assert_eq!(added["folder"], folder.as_str());
    }
    let page =
        portal.get(&format!("/content/users/jsmith/{folder}"), &[("num", "2"), ("f", "json"), ("token", &token)]).await;
    assert_eq!(page["total"], 3);
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["nextStart"], 3);
    assert_eq!(page["currentFolder"]["title"], "Keys");
    let last = portal
        .get(
            &format!("/content/users/jsmith/{folder}"),
            &[("num", "2"), ("start", "3"), ("f", "json"), ("token", &token)],
        )
        .await;
    assert_eq!(last["items"][0]["title"], "in folder 2");
    assert_eq!(last["nextStart"], -1);

    let root = portal.get("/content/users/jsmith", &[("num", "100"), ("f", "json"), ("token", &token)]).await;
    let titles: Vec<&str> = root["folders"].as_array().unwrap().iter().map(|f| f["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Apps", "Keys"]);
    assert!(root["items"].as_array().unwrap().iter().all(|i| i["ownerFolder"].is_null()));
    assert!(root["currentFolder"].is_null());
}

#[tokio::test]
async fn content_listing_is_for_the_owner_and_their_admin() {
    let portal = Portal::new();
    let other = portal.token("other_user").await;
    assert_error(&portal.get("/content/users/jsmith", &[("f", "json"), ("token", &other)]).await, 403, "permissions");
    let admin = portal.token("demo_admin").await;
    let listed = portal.get("/content/users/jsmith", &[("f", "json"), ("token", &admin)]).await;
    assert!(listed["total"].as_u64().unwrap() > 0);
    assert_error(
        &portal.get("/content/users/nobody", &[("f", "json"), ("token", &admin)]).await,
        400,
        "does not exist",
    );
    assert_error(
        &portal.get("/content/users/jsmith/notafolder", &[("f", "json"), ("token", &admin)]).await,
        400,
        "Folder does not exist",
    );
    assert_error(&portal.get("/content/users/jsmith", &[("f", "json")]).await, 499, "Token Required");
}

#[tokio::test]
async fn get_item_respects_access() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let id = portal.add_item(&token, "jsmith", "Private thing", "Web Map").await;
    let path = format!("/content/items/{id}");
    assert_eq!(portal.get(&path, &[("f", "json"), ("token", &token)]).await["id"], id.as_str());
    let admin = portal.token("demo_admin").await;
    assert_eq!(portal.get(&path, &[("f", "json"), ("token", &admin)]).await["id"], id.as_str());
    let other = portal.token("other_user").await;
    assert_error(&portal.get(&path, &[("f", "json"), ("token", &other)]).await, 403, "permissions");
    assert_error(&portal.get(&path, &[("f", "json")]).await, 403, "permissions");
    let unknown =
        portal.get("/content/items/0123456789abcdef0123456789abcdef", &[("f", "json"), ("token", &token)]).await;
    assert_error(&unknown, 400, "Item does not exist or is inaccessible.");
    assert_eq!(unknown["error"]["messageCode"], "CONT_0001");
}

#[tokio::test]
async fn update_changes_fields_and_validates_expirations() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let id = portal.add_item(&token, "jsmith", "Before", "Application").await;
    let update = format!("/content/users/jsmith/items/{id}/update");
    let in_a_month = (portal.emulator.now() + 30 * 86_400_000).to_string();
    let done = portal
        .post(
            &update,
            &[
                ("title", "After"),
                ("tags", "x,y"),
                ("description", "d"),
                ("apiToken1ExpirationDate", &in_a_month),
                ("f", "json"),
                ("token", &token),
            ],
        )
        .await;
    assert_eq!(done, json!({ "success": true, "id": id }));
    let item = portal.get(&format!("/content/items/{id}"), &[("f", "json"), ("token", &token)]).await;
    assert_eq!(item["title"], "After");
    assert_eq!(item["tags"], json!(["x", "y"]));
    // The service keeps the end of that day, UTC, whatever instant of it was sent.
    let day = 86_400_000;
    let end_of_day = (in_a_month.parse::<i64>().unwrap() / day + 1) * day - 1;
    assert_eq!(item["apiToken1ExpirationDate"], end_of_day);
    assert!(item["modified"].as_i64().unwrap() >= item["created"].as_i64().unwrap());

    let too_far = (portal.emulator.now() + 400 * 86_400_000).to_string();
    assert_error(
        &portal.post(&update, &[("apiToken2ExpirationDate", &too_far), ("f", "json"), ("token", &token)]).await,
        400,
        "at most one year",
    );
    let past = (portal.emulator.now() - 86_400_000).to_string();
    assert_error(
        &portal
            .post(&update, &[("apiToken1ExpirationDate", &past), ("title", "X"), ("f", "json"), ("token", &token)])
            .await,
        400,
        "in the future",
    );
    // A rejected update changes nothing.
    let item = portal.get(&format!("/content/items/{id}"), &[("f", "json"), ("token", &token)]).await;
    assert_eq!(item["title"], "After");
    assert_error(
        &portal.post(&update, &[("title", ""), ("f", "json"), ("token", &token)]).await,
        400,
        "cannot be empty",
    );
    let unset = portal.post(&update, &[("apiToken1ExpirationDate", "-1"), ("f", "json"), ("token", &token)]).await;
    assert_eq!(unset["success"], true);
}

#[tokio::test]
async fn properties_are_a_json_object_replaced_whole_and_shown_as_one() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let id = portal.add_item(&token, "jsmith", "Props", "Application").await;
    let update = format!("/content/users/jsmith/items/{id}/update");
    let path = format!("/content/items/{id}");
    let read = [("f", "json"), ("token", token.as_str())];
    assert_eq!(portal.get(&path, &read).await["properties"], json!(null));
    let set = r#"{"hub":{"v":2},"arcgisKeys":{"rotation":null}}"#;
    let done = portal.post(&update, &[("properties", set), ("f", "json"), ("token", &token)]).await;
    assert_eq!(done["success"], true);
    assert_eq!(
        portal.get(&path, &read).await["properties"],
        json!({ "hub": { "v": 2 }, "arcgisKeys": { "rotation": null } })
    );
    // An update replaces the object whole; one without `properties` leaves it be.
    portal.post(&update, &[("properties", r#"{"only":1}"#), ("f", "json"), ("token", &token)]).await;
    portal.post(&update, &[("title", "Renamed"), ("f", "json"), ("token", &token)]).await;
    assert_eq!(portal.get(&path, &read).await["properties"], json!({ "only": 1 }));
    for bad in ["[1]", "\"text\"", "{not json"] {
        let refused = portal.post(&update, &[("properties", bad), ("f", "json"), ("token", &token)]).await;
        assert_error(&refused, 400, "'properties' must be a JSON object.");
    }
    portal.post(&update, &[("properties", ""), ("f", "json"), ("token", &token)]).await;
    assert_eq!(portal.get(&path, &read).await["properties"], json!(null), "sent empty, it is cleared");
}

#[tokio::test]
async fn update_and_delete_are_for_the_owner_or_their_admin() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let id = portal.add_item(&token, "jsmith", "Mine", "Web Map").await;
    let other = portal.token("other_user").await;
    let update = format!("/content/users/jsmith/items/{id}/update");
    let delete = format!("/content/users/jsmith/items/{id}/delete");
    assert_error(
        &portal.post(&update, &[("title", "Theirs"), ("f", "json"), ("token", &other)]).await,
        403,
        "permissions",
    );
    assert_error(&portal.post(&delete, &[("f", "json"), ("token", &other)]).await, 403, "permissions");
    let wrong_path = format!("/content/users/other_user/items/{id}/update");
    assert_error(
        &portal.post(&wrong_path, &[("title", "x"), ("f", "json"), ("token", &token)]).await,
        403,
        "permissions",
    );
    let unknown = "/content/users/jsmith/items/0123456789abcdef0123456789abcdef/delete";
    assert_error(&portal.post(unknown, &[("f", "json"), ("token", &token)]).await, 400, "CONT_0001");

    let admin = portal.token("demo_admin").await;
    assert_eq!(
        portal.post(&update, &[("title", "Admin was here"), ("f", "json"), ("token", &admin)]).await["success"],
        true
    );
    let deleted = portal.post(&delete, &[("f", "json"), ("token", &token)]).await;
    assert_eq!(deleted, json!({ "success": true, "itemId": id }));
    assert_error(
        &portal.get(&format!("/content/items/{id}"), &[("f", "json"), ("token", &token)]).await,
        400,
        "CONT_0001",
    );
}

#[tokio::test]
async fn a_permanent_delete_stops_the_keys_and_drops_the_app() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let (id, app) = portal.credential(&token, "jsmith", r#"["premium:user:geocode:temporary"]"#, "[]").await;
    let key = portal.generate_key(&token, "jsmith", &id, &app, 1, 30).await;
    assert!(portal.geocode(&key, None).await["candidates"].is_array());
    let delete = format!("/content/users/jsmith/items/{id}/delete");
    portal.post(&delete, &[("permanentDelete", "true"), ("f", "json"), ("token", &token)]).await;
    assert_error(&portal.geocode(&key, None).await, 498, "Invalid token");
    let state_has_app = portal.emulator.inspect(|s| s.apps.values().any(|a| a.item_id == id));
    assert!(!state_has_app, "the app went with its item");
    let restored = portal.control(Method::POST, "/restore", json!({ "itemId": id })).await;
    assert_eq!(restored.status, 404, "nothing to restore");
}
