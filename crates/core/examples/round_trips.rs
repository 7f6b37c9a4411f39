//! Round trips per workflow, read from the emulator's request log (run by `npm run bench`).
//! Counts, not times: each workflow runs against the in-process emulator with 20 ms of
//! injected latency so that concurrent requests show as overlapping in the log.

#[path = "../tests/client/support.rs"]
#[allow(dead_code)]
mod support;

use arcgis_keys::model::KeyKind;
use arcgis_keys::ops::create::{CredentialInput, Folder, NewCredential, Slot};
use arcgis_keys::ops::list::ListOptions;
use arcgis_keys::ops::update::{CredentialUpdate, KeysStopWorking};
use arcgis_keys::validate::{Expiration, Referrer};
use arcgis_keys::{Client, Transport};
use serde_json::{Value, json};
use support::{EmulatorTransport, add_bulk_credentials, levels, signed_in};

const DAY: i64 = 86_400_000;
const LATENCY_MS: u64 = 20;

async fn measure<F: std::future::Future<Output = ()>>(client: &Client<EmulatorTransport>, run: F) -> (usize, usize) {
    let transport = client.transport();
    transport.control("PUT", "/latency", json!({ "ms": LATENCY_MS })).await;
    transport.control("DELETE", "/log", json!(null)).await;
    run.await;
    transport.control("PUT", "/latency", json!({ "ms": 0 })).await;
    let log = transport.control("GET", "/log", json!(null)).await;
    let entries: Vec<Value> = log["entries"].as_array().unwrap().clone();
    (entries.len(), levels(&entries))
}

fn new(client: &Client<EmulatorTransport>, slots: &[Slot], folder: Folder) -> NewCredential {
    let now = client.transport().now_ms();
    let input = CredentialInput {
        title: "Bench".into(),
        privileges: vec!["premium:user:geocode:temporary".into()],
        keys: slots.iter().map(|s| (*s, now + 30 * DAY)).collect(),
        folder,
        ..CredentialInput::default()
    };
    NewCredential::new(input, now).unwrap()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut rows: Vec<(String, usize, usize, String)> = Vec::new();

    let client = signed_in("jsmith").await;
    for (label, slots, folder, target) in [
        ("create + 1 key", &[Slot::Primary][..], Folder::Root, "<= 4 levels (REST JS: 7)"),
        ("create + 2 keys", &[Slot::Primary, Slot::Secondary][..], Folder::Root, "<= 4 levels"),
        ("create + 1 key, new folder", &[Slot::Primary][..], Folder::New("Bench folder".into()), "<= 5 levels"),
    ] {
        let new = new(&client, slots, folder);
        let (requests, waves) = measure(&client, async {
            client.create_credential(&new).await.unwrap();
        })
        .await;
        rows.push((label.into(), requests, waves, target.into()));
    }

    let mut credential =
        client.create_credential(&new(&client, &[Slot::Primary], Folder::Root)).await.unwrap().credential;
    let now = client.transport().now_ms();
    let (requests, waves) = measure(&client, async {
        client
            .generate_key(&mut credential, Slot::Secondary, Expiration::new(now + 60 * DAY, now).unwrap())
            .await
            .unwrap();
        client.invalidate_key(&mut credential, Slot::Primary).await.unwrap();
    })
    .await;
    rows.push(("rotate (generate 2, invalidate 1)".into(), requests, waves, "<= 4 levels".into()));
    let (requests, waves) = measure(&client, async {
        let update = CredentialUpdate {
            privileges: Some(vec!["premium:user:basemaps".into()]),
            referrers: Some(vec![Referrer::new("https://a.example.com").unwrap()]),
            ..Default::default()
        };
        client.update_credential(&mut credential, update, Some(KeysStopWorking)).await.unwrap();
    })
    .await;
    rows.push(("change privileges + referrers".into(), requests, waves, "2 levels (read, update)".into()));

    for total in [100usize, 250, 1000] {
        let client = signed_in("jsmith").await;
        let seeded = client.list_keys(KeyKind::Credential, ListOptions::default()).await.unwrap().len();
        add_bulk_credentials(client.transport(), total - seeded).await;
        let options = ListOptions::default();
        let (requests, waves) = measure(&client, async {
            assert_eq!(client.list_keys(KeyKind::Credential, options).await.unwrap().len(), total);
        })
        .await;
        let pages = total.div_ceil(options.page_size);
        let expected = 1 + (pages - 1).div_ceil(options.concurrency);
        rows.push((
            format!("list {total} credentials"),
            requests,
            waves,
            format!("1 + ceil(({pages} - 1) / {}) = {expected} waves", options.concurrency),
        ));
    }

    println!("| workflow | requests | sequential levels | target |");
    println!("|---|---|---|---|");
    for (label, requests, waves, target) in rows {
        println!("| {label} | {requests} | {waves} | {target} |");
    }
}
