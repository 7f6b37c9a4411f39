//! Contract section 6: `/search`.

use serde_json::Value;

use crate::harness::{Portal, assert_error};

fn titles(body: &Value) -> Vec<String> {
    body["results"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn finds_credentials_and_legacy_keys_with_the_queries_clients_use() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    let credentials = portal
        .get(
            "/search",
            &[("q", r#"owner:jsmith AND typekeywords:"APIToken""#), ("num", "100"), ("f", "json"), ("token", &token)],
        )
        .await;
    let found = titles(&credentials);
    assert!(found.contains(&"Storefront locator".to_owned()) && found.contains(&"Prototype".to_owned()), "{found:?}");
    assert!(!found.contains(&"Legacy basemap key".to_owned()));
    assert!(!found.contains(&"Other org map app".to_owned()));
    let python = portal
        .post("/search", &[("q", r#"owner:jsmith AND type:"Application" AND typekeywords:"Registered App" AND typekeywords:"APIToken""#), ("num", "100"), ("f", "json"), ("token", &token)])
        .await;
    assert_eq!(python["total"], credentials["total"]);
    let legacy =
        portal.get("/search", &[("q", r#"owner:jsmith AND type:"API Key""#), ("f", "json"), ("token", &token)]).await;
    assert_eq!(titles(&legacy), ["Legacy basemap key"]);
}

#[tokio::test]
async fn pages_sort_and_cap_num_at_one_hundred() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    for n in 0..105 {
        portal.add_item(&token, "jsmith", &format!("bulk {n:03}"), "Application").await;
    }
    let query = ("q", "title:bulk");
    let first = portal.get("/search", &[query, ("num", "500"), ("f", "json"), ("token", &token)]).await;
    assert_eq!(
        (first["total"].as_u64(), first["num"].as_u64(), first["nextStart"].as_i64()),
        (Some(105), Some(100), Some(101))
    );
    assert_eq!(first["results"].as_array().unwrap().len(), 100);
    let last =
        portal.get("/search", &[query, ("num", "100"), ("start", "101"), ("f", "json"), ("token", &token)]).await;
    assert_eq!(last["results"].as_array().unwrap().len(), 5);
    assert_eq!(last["nextStart"], -1);
    let mut all = titles(&first);
    all.extend(titles(&last));
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 105, "pages neither overlap nor skip");

    let desc = portal
        .get(
            "/search",
            &[query, ("num", "3"), ("sortField", "title"), ("sortOrder", "desc"), ("f", "json"), ("token", &token)],
        )
        .await;
    assert_eq!(titles(&desc), ["bulk 104", "bulk 103", "bulk 102"]);
    let asc =
        portal.get("/search", &[query, ("num", "2"), ("sortField", "title"), ("f", "json"), ("token", &token)]).await;
    assert_eq!(titles(&asc), ["bulk 000", "bulk 001"]);
}

#[tokio::test]
async fn results_only_hold_what_the_caller_may_see() {
    let portal = Portal::new();
    let query = ("q", "typekeywords:APIToken");
    let other = portal.token("other_user").await;
    assert_eq!(titles(&portal.get("/search", &[query, ("f", "json"), ("token", &other)]).await), ["Other org map app"]);
    let anonymous = portal.get("/search", &[query, ("f", "json")]).await;
    assert_eq!(anonymous["total"], 0);
    let admin = portal.token("demo_admin").await;
    let admin_sees = titles(&portal.get("/search", &[query, ("num", "100"), ("f", "json"), ("token", &admin)]).await);
    assert!(
        admin_sees.contains(&"Storefront locator".to_owned()) && !admin_sees.contains(&"Other org map app".to_owned()),
        "{admin_sees:?}"
    );
}

#[tokio::test]
async fn bad_queries_and_parameters_say_what_to_fix() {
    let portal = Portal::new();
    let token = portal.token("jsmith").await;
    assert_error(&portal.get("/search", &[("f", "json"), ("token", &token)]).await, 400, "'q' must be specified");
    assert_error(
        &portal.get("/search", &[("q", "(owner:jsmith"), ("f", "json"), ("token", &token)]).await,
        400,
        "never closed",
    );
    assert_error(
        &portal.get("/search", &[("q", "x"), ("sortField", "colour"), ("f", "json"), ("token", &token)]).await,
        400,
        "Invalid sortField",
    );
    assert_error(
        &portal.get("/search", &[("q", "x"), ("sortOrder", "up"), ("f", "json"), ("token", &token)]).await,
        400,
        "Invalid sortOrder",
    );
    assert_error(
        &portal.get("/search", &[("q", "x"), ("num", "ten"), ("f", "json"), ("token", &token)]).await,
        400,
        "must be an integer",
    );
    assert_error(&portal.get("/search", &[("q", "x"), ("f", "json"), ("token", "forged")]).await, 498, "Invalid token");
    // Any web page may send this anonymous GET: a deep query is refused, not a crash.
    let deep = format!("{}a{}", "(".repeat(400), ")".repeat(400));
    assert_error(&portal.get("/search", &[("q", &deep), ("f", "json")]).await, 400, "Invalid query.");
    let refused = portal.get("/search", &[("q", &deep), ("f", "json")]).await;
    assert!(refused["error"]["details"][0].as_str().unwrap().contains("deeper than 64 levels"), "{refused}");
    let nested = format!("{}owner:jsmith{}", "(".repeat(60), ")".repeat(60));
    let found = portal.get("/search", &[("q", &nested), ("f", "json"), ("token", &token)]).await;
    assert!(found["total"].as_u64().is_some(), "60 levels are fine: {found}");
}
