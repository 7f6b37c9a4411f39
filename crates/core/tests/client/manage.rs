//! Managing a credential after creation: rotate, regenerate, update, delete; retired
//! legacy keys. Each workflow runs under both readings of the contract's open points
//! and is checked on the emulator's request log as well as by its outcome.

use arcgis_keys::Error;
use arcgis_keys::ops::create::Slot;
use arcgis_keys::ops::keys::KeyStep;
use arcgis_keys::ops::update::{CredentialUpdate, KeysStopWorking, UpdateStep};
use arcgis_keys::validate::{Expiration, ItemAccess, Referrer, Title};
use serde_json::{Value, json};

use arcgis_portal_emulator::control::{FaultKind, FaultSpec};

use crate::support::{EmulatorTransport, calls, credential_with_key, levels, readings, signed_in};

const DAY: i64 = 86_400_000;
const GEOCODE: &str = "premium:user:geocode:temporary";

fn in_days(client: &arcgis_keys::Client<EmulatorTransport>, days: i64) -> Expiration {
    let now = client.transport().emulator.now();
    Expiration::new(now + days * DAY, now).unwrap()
}

fn referrers(list: &[&str]) -> Option<Vec<Referrer>> {
    Some(list.iter().map(|r| Referrer::new(r).unwrap()).collect())
}

/// An app update's body carries both lists, whatever the update named.
fn assert_both_fields(log: &[Value], context: &str) {
    let updates = calls(log, "/update");
    let app_updates: Vec<&&Value> =
        updates.iter().filter(|e| e["path"].as_str().unwrap().contains("/oauth2/apps/")).collect();
    assert!(!app_updates.is_empty(), "{context}: no app update");
    for update in app_updates {
        assert!(update["body"]["privileges"].is_string(), "{context}: privileges missing: {update}");
        assert!(update["body"]["httpReferrers"].is_string(), "{context}: httpReferrers missing: {update}");
    }
}

#[tokio::test]
async fn rotate_without_downtime_then_regenerate() {
    for (reading, behaviour) in readings() {
        let client = signed_in("jsmith").await;
        let transport = client.transport();
        transport.behave(&behaviour).await;
        let (mut credential, primary) = credential_with_key(&client, "Managed").await;
        transport.set_latency(20).await;
        transport.clear_log().await;
        let secondary = client.generate_key(&mut credential, Slot::Secondary, in_days(&client, 60)).await.unwrap();
        assert!(
            transport.key_works(&primary).await && transport.key_works(secondary.key.expose()).await,
            "{reading}: both work during the switch"
        );
        client.invalidate_key(&mut credential, Slot::Primary).await.unwrap();
        let log = transport.log().await;
        transport.set_latency(0).await;
        let portal: Vec<&Value> = log.iter().filter(|e| e["path"].as_str().unwrap().starts_with("/sharing")).collect();
        let portal: Vec<Value> = portal.into_iter().cloned().collect();
        assert_eq!(
            levels(&portal),
            5,
            "{reading}: read + date, key, read back its expiry, revoke, confirm: {portal:#?}"
        );
        assert_eq!(secondary.expires_ms, credential.item.expiration(Slot::Secondary), "{reading}: read back");
        let token = &calls(&log, "/oauth2/token")[0]["body"];
        assert_eq!(token["regenerateApiToken"], "false", "{reading}: an empty slot is generated, not regenerated");
        assert!(token.get("token").is_none() && token["client_secret"] == "[redacted]", "{reading}: {token}");
        assert!(!transport.key_works(&primary).await);
        assert!(transport.key_works(secondary.key.expose()).await);
        let read = client.credential(&credential.item.id).await.unwrap();
        assert_eq!(read.slots(), credential.slots(), "{reading}: the local copy matches the portal");
        assert_eq!(read.item.expiration(Slot::Primary), None, "{reading}: revoking resets the date");

        transport.clear_log().await;
        let again = client.generate_key(&mut credential, Slot::Secondary, in_days(&client, 90)).await.unwrap();
        let log = transport.log().await;
        assert_eq!(calls(&log, "/oauth2/token")[0]["body"]["regenerateApiToken"], "true", "{reading}");
        assert!(!transport.key_works(secondary.key.expose()).await, "{reading}: regenerating replaces the old key");
        assert!(transport.key_works(again.key.expose()).await);
        assert_eq!(credential.item.expiration(Slot::Secondary), again.expires_ms);
    }
}

#[tokio::test]
async fn a_key_keeps_its_expiration_and_set_expiration_is_for_the_next_key() {
    let client = signed_in("jsmith").await;
    let transport = client.transport();
    let (mut credential, key) = credential_with_key(&client, "Dated").await;
    transport.clear_log().await;
    let error = client.set_expiration(&mut credential, Slot::Primary, in_days(&client, 200)).await.unwrap_err();
    assert!(
        matches!(&error.error, Error::Input(e) if e.field.name() == "slot" && e.rule.contains("generate key 1 again"))
    );
    assert!(calls(&transport.log().await, "/update").is_empty(), "a live key's date is never moved");
    assert!(transport.key_works(&key).await);
    let later = in_days(&client, 200);
    client.set_expiration(&mut credential, Slot::Secondary, later).await.unwrap();
    let read = client.credential(&credential.item.id).await.unwrap();
    assert_eq!(read.item.expiration(Slot::Secondary), Some(later.epoch_ms()));
    assert_eq!(read.slots(), credential.slots());
}

#[tokio::test]
async fn key_errors_name_the_step_and_the_slot() {
    let client = signed_in("jsmith").await;
    let (mut credential, _) = credential_with_key(&client, "Managed").await;
    client.transport().arm(FaultSpec::new("/update", FaultKind::Http500)).await;
    let error = client.generate_key(&mut credential, Slot::Secondary, in_days(&client, 10)).await.unwrap_err();
    assert_eq!((error.slot, error.step), (Slot::Secondary, KeyStep::SetExpiration));
    assert!(error.to_string().starts_with("Setting the expiration of key 2 failed"), "{error}");
    client.transport().arm(FaultSpec::new("/revokeToken", FaultKind::ErrorJson)).await;
    let error = client.invalidate_key(&mut credential, Slot::Primary).await.unwrap_err();
    assert_eq!(error.step, KeyStep::Invalidate);
    assert!(credential.app.api_token1_active, "a failed invalidation changes nothing");
}

#[tokio::test]
async fn an_invalidation_the_portal_did_not_do_is_reported() {
    let client = signed_in("jsmith").await;
    let transport = client.transport();
    let (mut credential, key) = credential_with_key(&client, "Unrevoked").await;
    // revokeToken answers success whatever happened: here it did nothing.
    transport.arm(FaultSpec::new("/revokeToken", FaultKind::FalseSuccess)).await;
    let error = client.invalidate_key(&mut credential, Slot::Primary).await.unwrap_err();
    assert_eq!(error.step, KeyStep::Invalidate, "{error}");
    assert!(transport.key_works(&key).await);
    assert!(credential.app.api_token1_active, "the copy says the key still works");
}

#[tokio::test]
async fn referrers_only_keep_the_privileges_and_report_what_the_portal_did_to_the_keys() {
    for (reading, behaviour) in readings() {
        let client = signed_in("jsmith").await;
        let transport = client.transport();
        transport.behave(&behaviour).await;
        let (mut credential, key) = credential_with_key(&client, "Managed").await;
        transport.set_latency(20).await;
        transport.clear_log().await;
        let update = CredentialUpdate { referrers: referrers(&["https://a.example.com"]), ..Default::default() };
        let updated = client.update_credential(&mut credential, update, None).await.unwrap();
        let log = transport.log().await;
        transport.set_latency(0).await;
        assert_eq!(levels(&log), 3, "{reading}: read the app, update it, read it back");
        assert_both_fields(&log, reading);
        let read = client.credential(&credential.item.id).await.unwrap();
        assert_eq!(read.app.privileges, [GEOCODE], "{reading}: no privilege lost");
        assert_eq!(read.app.http_referrers, ["https://a.example.com"], "{reading}");
        let stopped = if reading == "strict" { vec![Slot::Primary] } else { vec![] };
        assert_eq!(updated.keys_stopped, stopped, "{reading}: what the answer says");
        assert_eq!(read.slots(), credential.slots(), "{reading}: the copy matches the portal");
        assert!(!transport.key_works(&key).await, "{reading}: the key needs the referrer now");
    }
}

#[tokio::test]
async fn new_privileges_keep_the_referrers_and_stop_the_keys() {
    for (reading, behaviour) in readings() {
        let client = signed_in("jsmith").await;
        let transport = client.transport();
        transport.behave(&behaviour).await;
        let (mut credential, key) = credential_with_key(&client, "Managed").await;
        let restrict = CredentialUpdate { referrers: referrers(&["https://a.example.com"]), ..Default::default() };
        client.update_credential(&mut credential, restrict, None).await.unwrap();

        let update = CredentialUpdate {
            title: Some(Title::new("Renamed").unwrap()),
            tags: Some(vec!["t1".into()]),
            privileges: Some(vec![GEOCODE.into(), "premium:user:basemaps".into()]),
            ..Default::default()
        };
        let refused = client.update_credential(&mut credential, update.clone(), None).await.unwrap_err();
        assert!(matches!(&refused.error, Error::Input(e) if e.field.name() == "privileges"), "{reading}: {refused}");
        transport.set_latency(20).await;
        transport.clear_log().await;
        let updated = client.update_credential(&mut credential, update, Some(KeysStopWorking)).await.unwrap();
        let log = transport.log().await;
        transport.set_latency(0).await;
        assert_eq!(levels(&log), 3, "{reading}: the item beside the read, then the app, then the read back");
        assert_both_fields(&log, reading);
        let read = client.credential(&credential.item.id).await.unwrap();
        assert_eq!(read.app.http_referrers, ["https://a.example.com"], "{reading}: no referrer lost");
        assert_eq!((read.item.title.as_str(), read.item.tags.clone()), ("Renamed", vec!["t1".to_owned()]));
        let was_active = reading == "friendly"; // strict stopped the key with the referrers already
        assert_eq!(updated.keys_stopped, if was_active { vec![Slot::Primary] } else { vec![] }, "{reading}");
        assert!(!credential.app.api_token1_active && !credential.app.api_token2_active);
        assert!(!transport.key_works(&key).await);
        assert_eq!(read.app.privileges, credential.app.privileges);

        // The same set again is no change: only the read is sent, the keys are safe.
        transport.clear_log().await;
        let same = CredentialUpdate {
            privileges: Some(vec!["premium:user:basemaps".into(), GEOCODE.into()]),
            ..Default::default()
        };
        client.update_credential(&mut credential, same, None).await.unwrap();
        assert!(calls(&transport.log().await, "/update").is_empty(), "{reading}");

        let malformed = CredentialUpdate { privileges: Some(vec!["geo code".into()]), ..Default::default() };
        transport.clear_log().await;
        let error = client.update_credential(&mut credential, malformed, Some(KeysStopWorking)).await.unwrap_err();
        assert!(matches!(&error.error, Error::Input(e) if e.field.name() == "privileges"), "{error}");
        assert!(transport.log().await.is_empty(), "nothing sent");
    }
}

#[tokio::test]
async fn a_change_made_elsewhere_is_not_undone_and_still_needs_the_acknowledgment() {
    let client = signed_in("jsmith").await;
    let (mut stale, _) = credential_with_key(&client, "Shared").await;
    // Another client adds a referrer and a privilege; our copy does not know.
    let mut elsewhere = stale.clone();
    let change = CredentialUpdate {
        referrers: referrers(&["https://b.example.com"]),
        privileges: Some(vec![GEOCODE.into(), "premium:user:basemaps".into()]),
        ..Default::default()
    };
    client.update_credential(&mut elsewhere, change, Some(KeysStopWorking)).await.unwrap();
    client.generate_key(&mut elsewhere, Slot::Primary, in_days(&client, 30)).await.unwrap();
    // Our title-and-referrers edit keeps their privilege.
    let ours = CredentialUpdate { referrers: referrers(&["https://c.example.com"]), ..Default::default() };
    client.update_credential(&mut stale, ours, None).await.unwrap();
    assert_eq!(stale.app.privileges, [GEOCODE, "premium:user:basemaps"]);
    // Back to the privileges our copy had would stop their key: that needs the acknowledgment.
    let back = CredentialUpdate { privileges: Some(vec![GEOCODE.into()]), ..Default::default() };
    let error = client.update_credential(&mut stale, back, None).await.unwrap_err();
    assert_eq!(error.step, UpdateStep::App);
    assert!(matches!(&error.error, Error::Input(_)), "{error}");
    assert!(stale.app.api_token1_active, "the live key was not stopped");
}

#[tokio::test]
async fn delete_invalidates_the_keys_then_deletes_for_good() {
    for (reading, behaviour) in readings() {
        let client = signed_in("jsmith").await;
        let transport = client.transport();
        transport.behave(&behaviour).await;
        let (mut credential, key) = credential_with_key(&client, "Managed").await;
        let second = client.generate_key(&mut credential, Slot::Secondary, in_days(&client, 60)).await.unwrap();
        transport.clear_log().await;
        client.delete_key(&mut credential).await.unwrap();
        let log = transport.log().await;
        assert_eq!(calls(&log, "/revokeToken").len(), 2, "{reading}: both live slots");
        let delete = calls(&log, "/delete");
        assert_eq!(delete.len(), 1);
        assert_eq!(delete[0]["body"]["permanentDelete"], "true", "{reading}");
        assert!(!transport.key_works(&key).await && !transport.key_works(second.key.expose()).await, "{reading}");
        assert!(
            matches!(client.credential(&credential.item.id).await, Err(Error::Portal(e)) if e.message_code.as_deref() == Some("CONT_0001"))
        );
        assert!(transport.emulator.inspect(|s| s.recycle_bin.is_empty()), "{reading}: nothing in the recycle bin");
    }
}

#[tokio::test]
async fn a_failed_invalidation_deletes_nothing() {
    let client = signed_in("jsmith").await;
    let transport = client.transport();
    let (mut credential, key) = credential_with_key(&client, "Kept").await;
    transport.arm(FaultSpec::new("/revokeToken", FaultKind::Http500)).await;
    assert!(client.delete_key(&mut credential).await.is_err());
    assert!(transport.key_works(&key).await);
    assert!(client.credential(&credential.item.id).await.is_ok(), "the item is still there");
}

#[tokio::test]
async fn retired_legacy_keys_can_only_be_deleted() {
    let client = signed_in("jsmith").await;
    let transport = client.transport();
    let legacy = client.list_keys(arcgis_keys::model::KeyKind::Legacy, Default::default()).await.unwrap();
    let mut legacy = client.credential(&legacy[0].id).await.unwrap();
    transport.clear_log().await;
    let update = CredentialUpdate { title: Some(Title::new("Renamed").unwrap()), ..Default::default() };
    let error = client.update_credential(&mut legacy, update, Some(KeysStopWorking)).await.unwrap_err();
    assert!(matches!(&error.error, Error::Input(e) if e.rule.contains("retired")), "{error}");
    assert!(transport.log().await.is_empty(), "nothing sent");
    client.delete_key(&mut legacy).await.unwrap();
    let log = transport.log().await;
    assert!(calls(&log, "/revokeToken").is_empty(), "a legacy key has no slots");
    assert_eq!(calls(&log, "/delete")[0]["body"]["permanentDelete"], "true");
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
    client.transport().clear_log().await;
    let series = client.usage(&credential, now - 7 * DAY, now + DAY, Period::Day).await.unwrap();
    let org = client.user().unwrap().org_id.unwrap();
    let log = client.transport().log().await;
    assert_eq!(log[0]["path"], format!("/sharing/rest/portals/{org}/usage"), "the Python API's path");
    assert_eq!(series.len(), 1);
    assert_eq!((series[0].stype.as_str(), series[0].etype.as_str()), ("geocode", "geocodecnt"));
    assert_eq!(series[0].points.len(), 8);
    assert_eq!(series[0].points.iter().map(|p| p.count).sum::<u64>(), 3);
    let (other, _) = credential_with_key(&client, "Managed").await;
    assert!(client.usage(&other, now - DAY, now + DAY, Period::Hour).await.unwrap().is_empty(), "per credential");
    let months = client.usage(&credential, now - 60 * DAY, now + DAY, Period::Month).await.unwrap();
    assert_eq!(months[0].points.iter().map(|p| p.count).sum::<u64>(), 3);
}

#[tokio::test]
async fn usage_for_a_member_may_need_an_administrator() {
    use arcgis_keys::ops::usage::{Period, needs_administrator};
    let client = signed_in("jsmith").await;
    let (credential, _) = credential_with_key(&client, "Managed").await;
    client.transport().behave(&json!({ "usageForMembers": "forbidden" })).await;
    let now = client.transport().emulator.now();
    let error = client.usage(&credential, now - DAY, now, Period::Day).await.unwrap_err();
    assert!(needs_administrator(&error), "{error}");
    assert!(needs_administrator(&client.usage_by_app(now - DAY, now).await.unwrap_err()));
    let admin = signed_in("demo_admin").await;
    let now = admin.transport().emulator.now();
    assert!(admin.usage_by_app(now - DAY, now).await.is_ok());
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
async fn test_a_key_against_the_services_it_should_and_should_not_reach() {
    use arcgis_keys::ops::test_key::{KeyVerdict, ServiceHosts};
    let client = signed_in("jsmith").await;
    let (mut credential, key) = credential_with_key(&client, "Tested").await;
    let key = arcgis_keys::Secret::new(key);
    let emulator = ServiceHosts::Base("http://127.0.0.1:1".into());
    assert_eq!(client.test_key(&key, GEOCODE, &emulator).await.unwrap(), KeyVerdict::Accepted);
    // Each service by its own method and inputs: basemap styles and static tiles (an
    // image) answer GET only.
    let mut both = credential.clone();
    let services = CredentialUpdate {
        privileges: Some(vec![
            GEOCODE.into(),
            "premium:user:basemaps".into(),
            "premium:user:staticbasemaptiles".into(),
        ]),
        ..Default::default()
    };
    client.update_credential(&mut both, services, Some(KeysStopWorking)).await.unwrap();
    let key2 = client.generate_key(&mut both, Slot::Secondary, in_days(&client, 30)).await.unwrap().key;
    credential = both;
    let transport = client.transport();
    transport.clear_log().await;
    for privilege in ["premium:user:basemaps", "premium:user:staticbasemaptiles", GEOCODE] {
        assert_eq!(client.test_key(&key2, privilege, &emulator).await.unwrap(), KeyVerdict::Accepted, "{privilege}");
    }
    let log = transport.log().await;
    let methods: Vec<&str> = log.iter().map(|e| e["method"].as_str().unwrap()).collect();
    assert_eq!(methods, ["GET", "GET", "POST"], "GET only where the service takes only GET");
    assert_eq!(log[2]["body"]["SingleLine"], "380 New York St, Redlands, CA", "the geocoder's input");
    let key = key2;
    let KeyVerdict::Rejected(reason) =
        client.test_key(&key, "premium:user:networkanalysis:routing", &emulator).await.unwrap()
    else {
        panic!("routing is not granted")
    };
    assert_eq!(reason.code, 403);
    assert!(reason.to_string().contains("premium:user:networkanalysis:routing"), "{reason}");
    client.invalidate_key(&mut credential, Slot::Secondary).await.unwrap();
    let KeyVerdict::Rejected(reason) = client.test_key(&key, GEOCODE, &emulator).await.unwrap() else {
        panic!("an invalidated key is refused")
    };
    assert_eq!(reason.code, 498);
    assert!(matches!(client.test_key(&key, "portal:user:createItem", &emulator).await, Err(Error::Input(_))));
    // A service that refuses the request itself has not judged the key.
    transport.arm(FaultSpec::new("findAddressCandidates", FaultKind::ErrorJson).error(400, "Bad input")).await;
    let verdict = client.test_key(&key, GEOCODE, &emulator).await.unwrap();
    assert!(matches!(verdict, KeyVerdict::Inconclusive(reason) if reason.code == 400), "a 400 is not a rejection");
}

#[tokio::test]
async fn item_access_in_create_and_update() {
    use arcgis_keys::ops::create::{CredentialInput, NewCredential};
    for (reading, behaviour) in readings() {
        let client = signed_in("jsmith").await;
        client.transport().behave(&behaviour).await;
        let root = client.browse(None, 1).await.unwrap();
        let store = root.items.iter().find(|i| i.title == "Store locations").unwrap().id.clone();
        let now = client.transport().emulator.now();
        let input = CredentialInput {
            title: "With items".into(),
            privileges: vec!["premium:user:basemaps".into()],
            referrers: vec!["https://maps.example.com".into()],
            item_access: vec![store.clone()],
            ..CredentialInput::default()
        };
        let mut credential =
            client.create_credential(&NewCredential::new(input, now).unwrap()).await.unwrap().credential;
        let expected = format!("portal:app:access:item:{store}");
        assert_eq!(
            client.credential(&credential.item.id).await.unwrap().app.privileges,
            ["premium:user:basemaps", expected.as_str()]
        );

        // Replacing the items keeps the service privileges and the referrers.
        let apps = root.folders.iter().find(|f| f.title == "Apps").unwrap();
        let zones = client.browse(Some(&apps.id), 1).await.unwrap().items[0].id.clone();
        let update =
            CredentialUpdate { item_access: Some(ItemAccess::new([zones.as_str()]).unwrap()), ..Default::default() };
        client.update_credential(&mut credential, update, Some(KeysStopWorking)).await.unwrap();
        let read = client.credential(&credential.item.id).await.unwrap();
        assert_eq!(
            read.app.privileges,
            ["premium:user:basemaps".to_owned(), format!("portal:app:access:item:{zones}")],
            "{reading}"
        );
        assert_eq!(read.app.http_referrers, ["https://maps.example.com"], "{reading}");
    }
}

#[tokio::test]
async fn personal_privileges_register_as_personal_and_their_keys_work() {
    use arcgis_keys::ops::create::{CredentialInput, NewCredential};
    let client = signed_in("jsmith").await;
    let transport = client.transport();
    let now = transport.emulator.now();
    let input = CredentialInput {
        title: "Acts as me".into(),
        privileges: vec!["portal:user:createItem".into()],
        keys: vec![(Slot::Primary, now + 30 * DAY)],
        personal_privileges_acknowledged: true,
        ..CredentialInput::default()
    };
    transport.clear_log().await;
    let created = client.create_credential(&NewCredential::new(input, now).unwrap()).await.unwrap();
    let log = transport.log().await;
    assert_eq!(calls(&log, "/registerApp")[0]["body"]["isPersonalAPIToken"], "true");
    assert!(created.credential.app.is_personal_api_token, "the service's verdict");
    assert_eq!(created.keys.len(), 1, "the key could be generated");
    // An edit keeps saying so, or the next key could not be generated.
    let mut credential = created.credential;
    let update = CredentialUpdate {
        privileges: Some(vec!["portal:user:createItem".into(), GEOCODE.into()]),
        ..Default::default()
    };
    transport.clear_log().await;
    client.update_credential(&mut credential, update, Some(KeysStopWorking)).await.unwrap();
    let log = transport.log().await;
    let app_update = calls(&log, "/update").into_iter().find(|e| e["path"].as_str().unwrap().contains("/apps/"));
    assert_eq!(app_update.unwrap()["body"]["isPersonalAPIToken"], "true");
    assert!(client.generate_key(&mut credential, Slot::Primary, in_days(&client, 30)).await.is_ok());
}

#[tokio::test]
async fn an_enterprise_username_with_a_backslash_works_in_every_path() {
    use arcgis_portal_emulator::Config;
    use arcgis_portal_emulator::seed::Seed;
    let mut seed = Seed::demo();
    let mut user = seed.users.iter().find(|u| u.username == "jsmith").unwrap().clone();
    user.username = "DOMAIN\\jsmith2".into();
    seed.users.push(user);
    let transport = EmulatorTransport::with(Config { seed, control: true, ..Config::default() });
    let client = arcgis_keys::Client::new(transport, arcgis_keys::Portal::new("http://127.0.0.1:1").unwrap());
    let password = arcgis_keys::Secret::new(crate::support::PASSWORD);
    client.sign_in("DOMAIN\\jsmith2", &password, "http://localhost").await.unwrap();
    let (mut credential, _) = credential_with_key(&client, "Enterprise").await;
    assert_eq!(credential.item.owner, "DOMAIN\\jsmith2");
    client.generate_key(&mut credential, Slot::Secondary, in_days(&client, 30)).await.unwrap();
    let listed = client.list_keys(arcgis_keys::model::KeyKind::Credential, Default::default()).await.unwrap();
    assert!(listed.iter().any(|i| i.id == credential.item.id));
    client.delete_key(&mut credential).await.unwrap();
    let log = client.transport().log().await;
    assert!(calls(&log, "/delete")[0]["path"].as_str().unwrap().contains("DOMAIN%5Cjsmith2"), "percent-encoded");
}

#[tokio::test]
async fn removing_the_personal_privileges_clears_the_personal_flag_under_either_reading() {
    use arcgis_keys::ops::create::{CredentialInput, NewCredential};
    for (reading, behaviour) in readings() {
        let client = signed_in("jsmith").await;
        let transport = client.transport();
        transport.behave(&behaviour).await;
        let now = transport.emulator.now();
        let input = CredentialInput {
            title: "Acts as me".into(),
            privileges: vec![GEOCODE.into(), "portal:user:viewOrgItems".into()],
            personal_privileges_acknowledged: true,
            ..CredentialInput::default()
        };
        let mut credential =
            client.create_credential(&NewCredential::new(input, now).unwrap()).await.unwrap().credential;
        assert!(credential.app.is_personal_api_token, "{reading}");
        let update = CredentialUpdate { privileges: Some(vec![GEOCODE.into()]), ..Default::default() };
        transport.clear_log().await;
        client.update_credential(&mut credential, update, Some(KeysStopWorking)).await.unwrap();
        let sent = calls(&transport.log().await, "/update")
            .into_iter()
            .find(|e| e["path"].as_str().unwrap().starts_with("/sharing/rest/oauth2/apps/"))
            .map(|e| e["body"]["isPersonalAPIToken"].clone());
        assert_eq!(sent, Some(json!("false")), "{reading}: the update says so, as registerApp does");
        assert!(!credential.app.is_personal_api_token, "{reading}: the portal's answer");
        let read = client.credential(&credential.item.id).await.unwrap();
        assert!(!read.app.is_personal_api_token, "{reading}: and as read again");
    }
}
