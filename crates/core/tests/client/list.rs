//! Listing keys with concurrent paging, and reading one credential.

use arcgis_keys::model::{KeyKind, Slot};
use arcgis_keys::ops::credentials::{READS_AT_ONCE, read_at_once};
use arcgis_keys::ops::list::ListOptions;
use serde_json::{Value, json};

use crate::support::{add_bulk_credentials, credential_with_key, signed_in};

fn search_entries(log: &Value) -> Vec<&Value> {
    log["entries"].as_array().unwrap().iter().filter(|e| e["path"].as_str().unwrap().ends_with("/search")).collect()
}

#[tokio::test]
async fn lists_every_credential_once_in_creation_order() {
    let client = signed_in("jsmith").await;
    let seeded = client.list_keys(KeyKind::Credential, ListOptions::default()).await.unwrap();
    assert_eq!(
        seeded.iter().map(|i| i.title.as_str()).collect::<Vec<_>>(),
        ["Storefront locator", "Delivery routing", "Prototype", "Content bot"]
    );
    add_bulk_credentials(client.transport(), 246).await;
    let all = client
        .list_keys(KeyKind::Credential, ListOptions { page_size: 100, concurrency: 2, ..ListOptions::default() })
        .await
        .unwrap();
    assert_eq!(all.len(), 250);
    let mut ids: Vec<&str> = all.iter().map(|i| i.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 250);
    assert_eq!(all[4].title, "bulk 0000");
    assert_eq!(all[249].title, "bulk 0245");
    assert!(all.iter().all(|i| i.key_kind() == Some(KeyKind::Credential)));
    let legacy = client.list_keys(KeyKind::Legacy, ListOptions::default()).await.unwrap();
    assert_eq!(legacy.iter().map(|i| i.title.as_str()).collect::<Vec<_>>(), ["Legacy basemap key"]);
}

#[tokio::test]
async fn pages_after_the_first_are_fetched_concurrently() {
    let client = signed_in("jsmith").await;
    add_bulk_credentials(client.transport(), 296).await; // 300 with the seed: 3 pages of 100
    client.transport().set_latency(40).await;
    client.transport().control("DELETE", "/log", json!(null)).await;
    let all = client.list_keys(KeyKind::Credential, ListOptions::default()).await.unwrap();
    assert_eq!(all.len(), 300);
    let log = client.transport().control("GET", "/log", json!(null)).await;
    let searches = search_entries(&log);
    assert_eq!(searches.len(), 3);
    let (first, second, third) = (searches[0], searches[1], searches[2]);
    let end = |e: &Value| e["endUs"].as_u64().unwrap();
    let start = |e: &Value| e["startUs"].as_u64().unwrap();
    assert!(start(second) >= end(first) && start(third) >= end(first), "the rest waits for the first page's total");
    assert!(start(third) < end(second), "pages 2 and 3 overlap: {second} {third}");
    // A search carries the token, so it is a POST with everything in the body.
    assert_eq!((first["method"].as_str(), first["body"]["num"].as_str()), (Some("POST"), Some("100")));
    assert_eq!(first["query"], json!({}), "nothing in the URL");
}

#[tokio::test]
async fn reads_a_credential_with_both_slot_states() {
    let client = signed_in("jsmith").await;
    let items = client.list_keys(KeyKind::Credential, ListOptions::default()).await.unwrap();
    let routing = items.iter().find(|i| i.title == "Delivery routing").unwrap();
    let credential = client.credential(&routing.id).await.unwrap();
    let [primary, secondary] = credential.slots();
    assert!(primary.active && secondary.active);
    assert!(primary.expires_ms.unwrap() < secondary.expires_ms.unwrap());
    assert_eq!(secondary.slot, Slot::Secondary);
    assert_eq!(credential.app.privileges, ["premium:user:networkanalysis:routing", "premium:user:basemaps"]);
    let prototype = items.iter().find(|i| i.title == "Prototype").unwrap();
    let none = client.credential(&prototype.id).await.unwrap();
    assert!(none.slots().iter().all(|s| !s.active && s.expires_ms.is_none()));
}

#[tokio::test]
async fn an_admin_reads_a_members_credential() {
    let member = signed_in("jsmith").await;
    let items = member.list_keys(KeyKind::Credential, ListOptions::default()).await.unwrap();
    let admin = signed_in("demo_admin").await;
    // The same emulator seed builds the same item ids.
    let credential = admin.credential(&items[0].id).await.unwrap();
    assert_eq!(credential.item.owner, "jsmith");
    assert_eq!(credential.app.item_id, items[0].id);
}

#[tokio::test]
async fn lists_in_the_order_asked_for() {
    use arcgis_keys::ops::list::SortField;
    let client = signed_in("jsmith").await;
    let options = ListOptions { sort: SortField::Title, descending: true, ..ListOptions::default() };
    let titles: Vec<String> =
        client.list_keys(KeyKind::Credential, options).await.unwrap().into_iter().map(|i| i.title).collect();
    assert_eq!(titles, ["Storefront locator", "Prototype", "Delivery routing", "Content bot"]);
}

#[tokio::test]
async fn many_credentials_are_read_a_few_at_a_time_in_the_order_asked() {
    let client = signed_in("jsmith").await;
    for n in 0..10 {
        credential_with_key(&client, &format!("app {n}")).await;
    }
    let mut ids: Vec<String> = client
        .list_keys(KeyKind::Credential, ListOptions::default())
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.id)
        .collect();
    ids.reverse();
    client.transport().set_latency(40).await;
    client.transport().control("DELETE", "/log", json!(null)).await;
    let read = read_at_once(&ids, |id| client.credential(id)).await.unwrap();
    assert_eq!(read.iter().map(|c| c.item.id.as_str()).collect::<Vec<_>>(), ids, "in the order asked");
    let log = client.transport().control("GET", "/log", json!(null)).await;
    let items: Vec<&Value> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["path"].as_str().unwrap().contains("/content/items/"))
        .collect();
    assert_eq!(items.len(), ids.len(), "one item read per credential");
    let (start, end) = (|e: &Value| e["startUs"].as_u64().unwrap(), |e: &Value| e["endUs"].as_u64().unwrap());
    let at_once = |at: u64| items.iter().filter(|e| start(e) <= at && at < end(e)).count();
    let most = items.iter().map(|e| at_once(start(e))).max().unwrap();
    assert!((2..=READS_AT_ONCE).contains(&most), "{most} item reads at once");

    let mut wrong = ids.clone();
    wrong.insert(3, "0123456789abcdef0123456789abcdef".into());
    assert!(read_at_once(&wrong, |id| client.credential(id)).await.is_err(), "a missing credential fails the read");
}
