//! The fault matrix beyond create: rotate (generate slot 2, invalidate slot 1), update,
//! delete and legacy reset, each step × each fault kind. In every cell the call fails
//! with an error naming what failed, no working key is lost, and the caller's copy of
//! the credential still matches the portal.

use arcgis_keys::Client;
use arcgis_keys::model::Credential;
use arcgis_keys::ops::create::Slot;
use arcgis_keys::ops::keys::KeyStep;
use arcgis_keys::ops::update::{CredentialUpdate, KeysStopWorking, UpdateStep};
use arcgis_keys::validate::{Expiration, Referrer, Title};

use arcgis_portal_emulator::control::{FaultKind, FaultSpec};

use crate::support::{EmulatorTransport, credential_with_key, signed_in};

/// Every kind that fails a call (a false success is only how revokeToken lies).
pub(crate) const KINDS: [FaultKind; 6] = [
    FaultKind::Http500,
    FaultKind::Drop,
    FaultKind::ErrorJson,
    FaultKind::ExpiredToken,
    FaultKind::MalformedJson,
    FaultKind::Delay,
];
const DAY: i64 = 86_400_000;
/// The page the key under test is used from.
const PAGE: &str = "https://matrix.example.com";

async fn setup() -> (Client<EmulatorTransport>, Credential, String) {
    let client = signed_in("jsmith").await;
    let (credential, key) = credential_with_key(&client, "Matrix").await;
    (client, credential, key)
}

async fn assert_matches_portal(client: &Client<EmulatorTransport>, local: &Credential, cell: &str) {
    let portal = client.credential(&local.item.id).await.unwrap();
    assert_eq!(portal.slots(), local.slots(), "{cell}: slots");
    assert_eq!(portal.app.privileges, local.app.privileges, "{cell}: privileges");
    assert_eq!(portal.app.http_referrers, local.app.http_referrers, "{cell}: referrers");
    assert_eq!(portal.item.title, local.item.title, "{cell}: title");
}

#[tokio::test]
async fn fault_matrix_for_rotate_update_and_delete() {
    for (reading, behaviour) in crate::support::readings() {
        rotate_update_delete_matrix(reading, &behaviour).await;
    }
}

/// Every step × every fault kind, under one reading of the contract's open points.
async fn rotate_update_delete_matrix(reading: &str, behaviour: &serde_json::Value) {
    let steps = [
        "rotate: set expiration 2",
        "rotate: generate key 2",
        "rotate: invalidate key 1",
        "update: read app",
        "update: app",
        "update: item",
        "delete: invalidate",
        "delete: item",
    ];
    let mut table = format!("{reading} reading\n{:<26}", "step \\ fault");
    for kind in KINDS {
        table.push_str(&format!("{:<15}", kind.name()));
    }
    for step in steps {
        table.push_str(&format!("\n{step:<26}"));
        for kind in KINDS {
            let cell = format!("{step} × {kind}, {reading}");
            let (client, mut credential, key) = setup().await;
            client.transport().behave(behaviour).await;
            // A delay outlasts the client's timeout: the call fails as a timeout.
            client.set_timeout_ms(300);
            let transport = client.transport();
            let fault = |path: &str| FaultSpec::new(path, kind).ms(5_000);
            let now = transport.emulator.now();
            let outcome = match step {
                "rotate: set expiration 2" | "rotate: generate key 2" => {
                    let path = if step.ends_with("expiration 2") { "/update" } else { "/oauth2/token" };
                    transport.arm(fault(path)).await;
                    let expires = Expiration::new(now + 60 * DAY, now).unwrap();
                    let error = client.generate_key(&mut credential, Slot::Secondary, expires).await.unwrap_err();
                    let expected = if path == "/update" { KeyStep::SetExpiration } else { KeyStep::Generate };
                    assert_eq!((error.slot, error.step), (Slot::Secondary, expected), "{cell}");
                    assert!(error.to_string().contains("key 2"), "{cell}: {error}");
                    "key 2 failed"
                }
                "rotate: invalidate key 1" => {
                    transport.arm(fault("/revokeToken")).await;
                    let error = client.invalidate_key(&mut credential, Slot::Primary).await.unwrap_err();
                    assert_eq!(error.step, KeyStep::Invalidate, "{cell}");
                    "kept key 1"
                }
                "update: read app" | "update: app" | "update: item" => {
                    let path = match step {
                        "update: read app" => "/registeredAppInfo".to_owned(),
                        "update: app" => "/oauth2/apps/".to_owned(),
                        _ => format!("/items/{}/update", credential.item.id),
                    };
                    let path = path.as_str();
                    transport.arm(fault(path)).await;
                    let update = CredentialUpdate {
                        title: Some(Title::new("Renamed").unwrap()),
                        // An app change that leaves the key under test working from its page.
                        referrers: Some(vec![Referrer::new(PAGE).unwrap()]),
                        ..Default::default()
                    };
                    let was_live = credential.app.api_token1_active;
                    let error = client.update_credential(&mut credential, update, None).await.unwrap_err();
                    let stopped = was_live && !credential.app.api_token1_active;
                    assert_eq!(
                        error.keys_stopped.contains(&Slot::Primary),
                        stopped,
                        "{cell}: the error says what stopped"
                    );
                    let expected = if step.ends_with("item") { UpdateStep::Item } else { UpdateStep::App };
                    assert_eq!(error.step, expected, "{cell}");
                    assert!(error.to_string().starts_with("Updating the credential's"), "{cell}: {error}");
                    "half applied"
                }
                "delete: invalidate" => {
                    transport.arm(fault("/revokeToken")).await;
                    client.delete_key(&mut credential).await.unwrap_err();
                    "nothing gone"
                }
                "delete: item" => {
                    transport.arm(fault("/delete")).await;
                    client.delete_key(&mut credential).await.unwrap_err();
                    assert!(!transport.key_works_from(&key, Some(PAGE)).await, "{cell}: the keys were stopped first");
                    "keys stopped"
                }
                other => unreachable!("{other}"),
            };
            let live = transport.key_works_from(&key, Some(PAGE)).await;
            match step {
                "delete: item" => {}
                // Under the strict reading new referrers alone stop the keys: the copy
                // (and the error's `keys_stopped`) must say so.
                update if update.starts_with("update") && reading == "strict" => {
                    assert_eq!(live, credential.app.api_token1_active, "{cell}: the copy tells whether the key works");
                }
                _ => assert!(live, "{cell}: the working key was lost"),
            }
            assert_matches_portal(&client, &credential, &cell).await;
            table.push_str(&format!("{outcome:<15}"));
        }
    }
    println!("{table}");
}

#[tokio::test]
async fn a_privilege_change_that_half_fails_still_matches_the_portal() {
    let (client, mut credential, key) = setup().await;
    let item_update = format!("/items/{}/update", credential.item.id);
    client.transport().arm(FaultSpec::new(item_update, FaultKind::Http500)).await;
    let update = CredentialUpdate {
        title: Some(Title::new("Never").unwrap()),
        privileges: Some(vec!["premium:user:basemaps".into()]),
        ..Default::default()
    };
    assert!(client.update_credential(&mut credential, update, Some(KeysStopWorking)).await.is_err());
    assert!(!client.transport().key_works(&key).await, "the app change went through: the key stopped");
    assert!(!credential.app.api_token1_active, "and the local copy knows it");
    assert_matches_portal(&client, &credential, "half-failed privilege change").await;
}
