//! Managing a credential after creation: rotate, regenerate, update, delete; legacy keys.

use arcgis_keys::Error;
use arcgis_keys::ops::create::Slot;
use arcgis_keys::ops::keys::KeyStep;
use arcgis_keys::ops::update::{CredentialUpdate, KeysStopWorking};
use arcgis_keys::validate::{Expiration, Referrer, Title};
use serde_json::json;

use crate::support::{EmulatorTransport, credential_with_key, signed_in};

const DAY: i64 = 86_400_000;

fn in_days(client: &arcgis_keys::Client<EmulatorTransport>, days: i64) -> Expiration {
    let now = client.transport().emulator.now();
    Expiration::new(now + days * DAY, now).unwrap()
}

async fn log_paths(transport: &EmulatorTransport) -> Vec<String> {
    let log = transport.control("GET", "/log", json!(null)).await;
    log["entries"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn rotate_without_downtime_then_regenerate() {
    let client = signed_in("jsmith").await;
    let transport = client.transport();
    let (mut credential, primary) = credential_with_key(&client, "Managed").await;
    let secondary = client.generate_key(&mut credential, Slot::Secondary, in_days(&client, 60)).await.unwrap();
    assert_eq!(Slot::of_key(secondary.key.expose()), Some(Slot::Secondary));
    assert!(
        transport.key_works(&primary).await && transport.key_works(secondary.key.expose()).await,
        "both work during the switch"
    );
    client.invalidate_key(&mut credential, Slot::Primary).await.unwrap();
    assert!(!transport.key_works(&primary).await);
    assert!(transport.key_works(secondary.key.expose()).await);
    let read = client.credential(&credential.item.id).await.unwrap();
    assert_eq!(read.slots(), credential.slots(), "the local copy matches the portal");

    let again = client.generate_key(&mut credential, Slot::Secondary, in_days(&client, 90)).await.unwrap();
    assert!(!transport.key_works(secondary.key.expose()).await, "regenerating replaces the old key");
    assert!(transport.key_works(again.key.expose()).await);
    assert_eq!(credential.item.expiration(Slot::Secondary), Some(again.expires_ms));
}

#[tokio::test]
async fn key_errors_name_the_step_and_the_slot() {
    let client = signed_in("jsmith").await;
    let (mut credential, _) = credential_with_key(&client, "Managed").await;
    client.transport().control("POST", "/faults", json!({ "path": "/update", "kind": "http500" })).await;
    let error = client.generate_key(&mut credential, Slot::Secondary, in_days(&client, 10)).await.unwrap_err();
    assert_eq!((error.slot, error.step), (Slot::Secondary, KeyStep::SetExpiration));
    assert!(error.to_string().starts_with("Setting the expiration of key 2 failed"), "{error}");
    client.transport().control("POST", "/faults", json!({ "path": "/revokeToken", "kind": "errorJson" })).await;
    let error = client.invalidate_key(&mut credential, Slot::Primary).await.unwrap_err();
    assert_eq!(error.step, KeyStep::Invalidate);
    assert!(credential.app.api_token1_active, "a failed invalidation changes nothing");
}

#[tokio::test]
async fn referrers_are_one_call_and_keep_the_keys() {
    let client = signed_in("jsmith").await;
    let transport = client.transport();
    let (mut credential, key) = credential_with_key(&client, "Managed").await;
    transport.control("DELETE", "/log", json!(null)).await;
    let update = CredentialUpdate {
        referrers: Some(vec![Referrer::new("https://a.example.com").unwrap()]),
        ..Default::default()
    };
    client.update_credential(&mut credential, update).await.unwrap();
    assert_eq!(log_paths(transport).await, [format!("/sharing/rest/oauth2/apps/{}/update", credential.app.client_id)]);
    assert_eq!(credential.app.http_referrers, ["https://a.example.com"]);
    assert!(credential.app.api_token1_active);
    assert!(!transport.key_works(&key).await, "the key now needs the referrer");
}

#[tokio::test]
async fn new_privileges_and_details_in_one_level_and_the_keys_stop() {
    let client = signed_in("jsmith").await;
    let transport = client.transport();
    let (mut credential, key) = credential_with_key(&client, "Managed").await;
    transport.control("DELETE", "/log", json!(null)).await;
    let update = CredentialUpdate {
        title: Some(Title::new("Renamed").unwrap()),
        tags: Some(vec!["t1".into()]),
        privileges: Some((
            vec!["premium:user:geocode:temporary".into(), "premium:user:basemaps".into()],
            KeysStopWorking,
        )),
        ..Default::default()
    };
    client.update_credential(&mut credential, update).await.unwrap();
    assert_eq!(log_paths(transport).await.len(), 2);
    assert!(!credential.app.api_token1_active && !credential.app.api_token2_active);
    assert!(!transport.key_works(&key).await);
    let read = client.credential(&credential.item.id).await.unwrap();
    assert_eq!((read.item.title.as_str(), read.item.tags.clone()), ("Renamed", vec!["t1".to_owned()]));
    assert_eq!(read.app.privileges, credential.app.privileges);

    // The same set again is no change: nothing is sent, the keys are safe.
    transport.control("DELETE", "/log", json!(null)).await;
    let same = CredentialUpdate {
        privileges: Some((
            vec!["premium:user:basemaps".into(), "premium:user:geocode:temporary".into()],
            KeysStopWorking,
        )),
        ..Default::default()
    };
    client.update_credential(&mut credential, same).await.unwrap();
    assert!(log_paths(transport).await.is_empty());

    let unknown = CredentialUpdate {
        privileges: Some((vec!["premium:user:teleport".into()], KeysStopWorking)),
        ..Default::default()
    };
    let error = client.update_credential(&mut credential, unknown).await.unwrap_err();
    assert!(matches!(&error.error, Error::Input(e) if e.field == "privileges"), "{error}");
}

#[tokio::test]
async fn delete_ends_the_item_and_its_keys() {
    let client = signed_in("jsmith").await;
    let (credential, key) = credential_with_key(&client, "Managed").await;
    client.delete_key(&credential).await.unwrap();
    assert!(!client.transport().key_works(&key).await);
    assert!(
        matches!(client.credential(&credential.item.id).await, Err(Error::Portal(e)) if e.message_code.as_deref() == Some("CONT_0001"))
    );
}

#[tokio::test]
async fn legacy_keys_create_reset_and_roll_back() {
    let client = signed_in("jsmith").await;
    let transport = client.transport();
    let title = Title::new("Legacy from core").unwrap();
    let privileges = vec!["premium:user:geocode".to_owned()];
    let (mut legacy, key) = client.create_legacy_key(&title, &privileges, &[]).await.unwrap();
    assert!(key.expose().starts_with("AAPK") && transport.key_works(key.expose()).await);
    let fresh = client.reset_legacy_key(&mut legacy).await.unwrap();
    assert!(!transport.key_works(key.expose()).await && transport.key_works(fresh.expose()).await);

    let before = transport.titles();
    transport.control("POST", "/faults", json!({ "path": "/registerApp", "kind": "drop" })).await;
    let error = client.create_legacy_key(&title, &privileges, &[]).await.unwrap_err();
    assert_eq!(error.rollback, arcgis_keys::ops::create::Rollback::Deleted);
    assert_eq!(transport.titles(), before, "no orphan");
    client.delete_key(&legacy).await.unwrap();
}

#[tokio::test]
async fn browse_root_and_folders_for_item_access() {
    let client = signed_in("jsmith").await;
    let root = client.browse(None, 1).await.unwrap();
    assert!(root.items.iter().any(|i| i.title == "Store locations"));
    let apps = root.folders.iter().find(|f| f.title == "Apps").expect("the seeded folder");
    let inside = client.browse(Some(&apps.id), 1).await.unwrap();
    assert!(inside.items.iter().any(|i| i.title == "Delivery zones"));
    assert!(inside.items.iter().all(|i| i.owner_folder.as_deref() == Some(apps.id.as_str())));
    assert_eq!(inside.next_start, -1);
    assert!(client.browse(Some("nosuchfolder"), 1).await.is_err());
}

#[tokio::test]
async fn usage_per_credential_counts_each_use() {
    use arcgis_keys::ops::usage::Period;
    let client = signed_in("jsmith").await;
    let (credential, key) = credential_with_key(&client, "Managed").await;
    for _ in 0..3 {
        assert!(client.transport().key_works(&key).await);
    }
    let now = client.transport().emulator.now();
    let series = client.usage(&credential, now - 7 * DAY, now + DAY, Period::Day).await.unwrap();
    assert_eq!(series.len(), 1);
    assert_eq!((series[0].stype.as_str(), series[0].etype.as_str()), ("geocode", "geocodecnt"));
    assert_eq!(series[0].points.len(), 8);
    assert_eq!(series[0].points.iter().map(|p| p.count).sum::<u64>(), 3);
    let (other, _) = credential_with_key(&client, "Managed").await;
    assert!(client.usage(&other, now - DAY, now + DAY, Period::Hour).await.unwrap().is_empty(), "per credential");
}

#[tokio::test]
async fn usage_by_app_sums_every_app_in_one_request() {
    let client = signed_in("jsmith").await;
    let (used, key) = credential_with_key(&client, "Used").await;
    let (unused, _) = credential_with_key(&client, "Unused").await;
    for _ in 0..2 {
        assert!(client.transport().key_works(&key).await);
    }
    let now = client.transport().emulator.now();
    let totals = client.usage_by_app(now - 90 * DAY, now + DAY).await.unwrap();
    assert!(totals.contains(&(used.app.client_id.clone(), 2)), "{totals:?}");
    assert!(totals.iter().all(|(app, _)| *app != unused.app.client_id), "an unused app is absent");
}

#[tokio::test]
async fn an_expiration_moves_without_a_new_key() {
    let client = signed_in("jsmith").await;
    let (mut credential, key) = credential_with_key(&client, "Moved").await;
    let later = in_days(&client, 200);
    client.set_expiration(&mut credential, Slot::Primary, later).await.unwrap();
    assert_eq!(credential.item.expiration(Slot::Primary), Some(later.epoch_ms()));
    assert!(client.transport().key_works(&key).await, "the key is the same key");
    let read = client.credential(&credential.item.id).await.unwrap();
    assert_eq!(read.slots(), credential.slots());
}

#[tokio::test]
async fn test_a_key_against_the_services_it_should_and_should_not_reach() {
    use arcgis_keys::ops::test_key::{KeyVerdict, ServiceHosts};
    let client = signed_in("jsmith").await;
    let (mut credential, key) = credential_with_key(&client, "Tested").await;
    let key = arcgis_keys::Secret::new(key);
    let emulator = ServiceHosts::Base("http://emulator.test".into());
    assert_eq!(client.test_key(&key, "premium:user:geocode:temporary", &emulator).await.unwrap(), KeyVerdict::Accepted);
    let KeyVerdict::Rejected(reason) =
        client.test_key(&key, "premium:user:networkanalysis:routing", &emulator).await.unwrap()
    else {
        panic!("routing is not granted")
    };
    assert_eq!(reason.code, 403);
    assert!(reason.to_string().contains("premium:user:networkanalysis:routing"), "{reason}");
    client.invalidate_key(&mut credential, Slot::Primary).await.unwrap();
    let KeyVerdict::Rejected(reason) =
        client.test_key(&key, "premium:user:geocode:temporary", &emulator).await.unwrap()
    else {
        panic!("an invalidated key is refused")
    };
    assert_eq!(reason.code, 498);
    assert!(matches!(client.test_key(&key, "portal:user:createItem", &emulator).await, Err(Error::Input(_))));
}

#[tokio::test]
async fn item_access_in_create_and_update_and_a_legacy_update() {
    use arcgis_keys::ops::create::{CredentialInput, NewCredential};
    use arcgis_keys::validate::ItemAccess;
    let client = signed_in("jsmith").await;
    let root = client.browse(None, 1).await.unwrap();
    let store = root.items.iter().find(|i| i.title == "Store locations").unwrap().id.clone();
    let now = client.transport().emulator.now();
    let input = CredentialInput {
        title: "With items".into(),
        privileges: vec!["premium:user:basemaps".into()],
        item_access: vec![store.clone()],
        ..CredentialInput::default()
    };
    let mut credential = client.create_credential(&NewCredential::new(input, now).unwrap()).await.unwrap().credential;
    let expected = format!("portal:app:access:item:{store}");
    assert_eq!(
        client.credential(&credential.item.id).await.unwrap().app.privileges,
        ["premium:user:basemaps", expected.as_str()]
    );

    // Replacing the items keeps the service privileges.
    let apps = root.folders.iter().find(|f| f.title == "Apps").unwrap();
    let zones = client.browse(Some(&apps.id), 1).await.unwrap().items[0].id.clone();
    let update = CredentialUpdate {
        item_access: Some((ItemAccess::new([zones.as_str()]).unwrap(), KeysStopWorking)),
        ..Default::default()
    };
    client.update_credential(&mut credential, update).await.unwrap();
    let read = client.credential(&credential.item.id).await.unwrap();
    assert_eq!(read.app.privileges, ["premium:user:basemaps".to_owned(), format!("portal:app:access:item:{zones}")]);

    // A legacy key's referrers and privileges change through the same update.
    let title = Title::new("Legacy to update").unwrap();
    let (mut legacy, key) = client.create_legacy_key(&title, &["premium:user:geocode".into()], &[]).await.unwrap();
    let update = CredentialUpdate {
        privileges: Some((vec!["premium:user:geocode".into(), "portal:apikey:basemaps".into()], KeysStopWorking)),
        referrers: Some(vec![Referrer::new("https://legacy.example.com").unwrap()]),
        ..Default::default()
    };
    client.update_credential(&mut legacy, update).await.unwrap();
    assert_eq!(legacy.app.http_referrers, ["https://legacy.example.com"]);
    assert_eq!(
        legacy.app.api_key.as_ref().map(|k| k.expose()),
        Some(key.expose()),
        "a legacy key survives new privileges"
    );
}
