//! Rotation left to CI: lost answers, retries and the record on the credential. In every
//! case the deployed key keeps working, no live key is one nobody received, and the
//! record agrees with the portal.

use arcgis_keys::Client;
use arcgis_keys::model::{Credential, Slot};
use arcgis_keys::ops::rotation::RotateError;
use arcgis_keys::rotation::RotationPlan;
use arcgis_keys::validate::Expiration;

use arcgis_portal_emulator::control::{FaultKind, FaultSpec};

use crate::support::{EmulatorTransport, calls, credential_with_key, signed_in};

const DAY: i64 = 86_400_000;

fn in_days(client: &Client<EmulatorTransport>, days: i64) -> Expiration {
    let now = client.transport().emulator.now();
    Expiration::new(now + days * DAY, now).unwrap()
}

#[tokio::test]
async fn a_lost_answer_to_generate_is_made_again_once_and_delivered() {
    for kind in [FaultKind::Http500, FaultKind::Drop, FaultKind::ErrorJson, FaultKind::MalformedJson] {
        let client = signed_in("jsmith").await;
        let transport = client.transport();
        let (mut credential, deployed) = credential_with_key(&client, "Lost answer").await;
        transport.arm(FaultSpec::new("/oauth2/token", kind).after()).await;
        transport.clear_log().await;
        let issued = client.generate_key(&mut credential, Slot::Secondary, in_days(&client, 60)).await;
        let issued = issued.unwrap_or_else(|e| panic!("{kind}: {e}"));
        let tokens = calls(&transport.log().await, "/oauth2/token").len();
        assert_eq!(tokens, 2, "{kind}: the lost key was made again, once");
        assert!(transport.key_works(issued.key.expose()).await, "{kind}: the key delivered is the slot's key");
        assert!(transport.key_works(&deployed).await, "{kind}: the deployed key still works");
        let portal = client.credential(&credential.item.id).await.unwrap();
        assert_eq!(issued.expires_ms, portal.item.expiration(Slot::Secondary), "{kind}: the portal's expiry");
    }
}

#[tokio::test]
async fn a_refusal_or_a_request_that_never_arrived_is_not_made_again() {
    for (fault, what) in [
        (FaultSpec::new("/oauth2/token", FaultKind::Http500), "lost before the portal"),
        (
            FaultSpec::new("/oauth2/token", FaultKind::ErrorJson).error(400, "Unable to generate the API key."),
            "refused",
        ),
    ] {
        let client = signed_in("jsmith").await;
        let transport = client.transport();
        let (mut credential, deployed) = credential_with_key(&client, "Not made").await;
        transport.arm(fault).await;
        transport.clear_log().await;
        let error = client.generate_key(&mut credential, Slot::Secondary, in_days(&client, 60)).await.unwrap_err();
        assert!(!error.undelivered, "{what}: {error}");
        assert_eq!(calls(&transport.log().await, "/oauth2/token").len(), 1, "{what}: one call");
        assert!(!client.credential(&credential.item.id).await.unwrap().app.api_token2_active, "{what}");
        assert!(transport.key_works(&deployed).await);
    }
}

#[tokio::test]
async fn a_lost_answer_whose_retry_fails_too_says_the_slot_holds_an_undelivered_key() {
    let client = signed_in("jsmith").await;
    let transport = client.transport();
    let (mut credential, _) = credential_with_key(&client, "Twice lost").await;
    transport.arm(FaultSpec::new("/oauth2/token", FaultKind::Drop).after()).await;
    transport.arm(FaultSpec::new("/oauth2/token", FaultKind::Drop).after().nth(2)).await;
    let error = client.generate_key(&mut credential, Slot::Secondary, in_days(&client, 60)).await.unwrap_err();
    assert!(error.undelivered);
    assert!(error.to_string().contains("nobody received it"), "{error}");
    assert!(credential.app.api_token2_active, "the error's credential is the portal's state, read after");
}

/// One CI job's generate step: read, rotate, deliver, record the delivery. The key
/// counts as delivered only when the whole job succeeded.
async fn job(client: &Client<EmulatorTransport>, id: &str) -> Result<(RotationPlan, Option<String>), String> {
    let mut credential = client.credential(id).await.map_err(|e| e.to_string())?;
    let rotated =
        client.rotate(&mut credential, None, Some(in_days(client, 90)), "test job").await.map_err(|e| e.to_string())?;
    if rotated.issued.is_some() {
        client.mark_delivered(&mut credential).await.map_err(|e| e.to_string())?;
    }
    Ok((rotated.plan, rotated.issued.map(|k| k.key.expose().to_owned())))
}

#[tokio::test]
async fn generate_run_two_and_three_times_never_stops_a_delivered_key() {
    let client = signed_in("jsmith").await;
    let transport = client.transport();
    let (credential, deployed) = credential_with_key(&client, "Run again").await;
    let id = credential.item.id.clone();
    let (plan, key) = job(&client, &id).await.unwrap();
    assert!(matches!(plan, RotationPlan::Generate { slot: Slot::Secondary, replaces_live: false, .. }));
    let delivered = key.unwrap();
    for run in 2..=3 {
        transport.clear_log().await;
        let (plan, key) = job(&client, &id).await.unwrap();
        assert_eq!(plan, RotationPlan::Deploy { slot: Slot::Secondary, retire: Slot::Primary }, "run {run}");
        assert_eq!(key, None);
        let writes: Vec<_> = transport
            .log()
            .await
            .into_iter()
            .filter(|e| {
                ["/update", "/oauth2/token", "/revokeToken"].iter().any(|w| e["path"].as_str().unwrap().ends_with(w))
            })
            .collect();
        assert!(writes.is_empty(), "run {run} wrote nothing: {writes:?}");
    }
    assert!(transport.key_works(&delivered).await && transport.key_works(&deployed).await);

    // Both keys live with no rotation recorded: refused, naming both, unless one is named.
    let mut fresh = client.credential(&id).await.unwrap();
    let retired = client.retire(&mut fresh, None).await.unwrap();
    assert_eq!((retired.keep, retired.retire, retired.stops_key), (Slot::Secondary, Slot::Primary, true));
    assert!(!transport.key_works(&deployed).await, "retire stopped only the old key");
    assert!(transport.key_works(&delivered).await);
    assert_eq!(fresh.rotation_in_progress(), None, "the record is closed");
}

#[tokio::test]
async fn both_keys_live_with_no_rotation_recorded_is_refused_unless_one_is_named() {
    use arcgis_keys::ops::create::{CredentialInput, NewCredential};
    let client = signed_in("jsmith").await;
    let transport = client.transport();
    let now = transport.emulator.now();
    let input = CredentialInput {
        title: "Both live".into(),
        privileges: vec!["premium:user:geocode:temporary".into()],
        keys: vec![(Slot::Primary, now + 20 * DAY), (Slot::Secondary, now + 200 * DAY)],
        ..CredentialInput::default()
    };
    let created = client.create_credential(&NewCredential::new(input, now).unwrap()).await.unwrap();
    let id = created.credential.item.id.clone();
    let mut read = client.credential(&id).await.unwrap();
    transport.clear_log().await;
    let refused = client.rotate(&mut read, None, None, "test").await.unwrap_err();
    let RotateError::Refused(refused) = refused else { panic!("{refused}") };
    assert_eq!(refused.field.name(), "replace");
    assert!(refused.rule.contains("key 1 until") && refused.rule.contains("key 2 until"), "{refused}");
    let log = transport.log().await;
    let writes = ["/update", "/oauth2/token", "/revokeToken"].iter().map(|w| calls(&log, w).len()).sum::<usize>();
    assert_eq!(writes, 0, "it read, and wrote nothing");
    let named = client.rotate(&mut read, Some(Slot::Primary), None, "test").await.unwrap();
    assert!(matches!(named.plan, RotationPlan::Generate { slot: Slot::Primary, replaces_live: true, .. }));
    for key in &created.keys {
        let works = transport.key_works(key.key.expose()).await;
        assert_eq!(works, key.slot == Slot::Secondary, "only the key named stopped");
    }
}

#[tokio::test]
async fn fault_matrix_for_the_rotation_record() {
    /// A step of a job, and the fault (on the credential `id`) that hits it.
    type Step = (&'static str, fn(&str) -> FaultSpec);
    let steps: [Step; 7] = [
        // The job reads the credential, the rotation reads it again (item and app), then
        // reads the app once more beside the record and date, makes the key, reads the item
        // back; the mark reads the item and writes the record.
        ("read again", |id| FaultSpec::new(format!("/content/items/{id}"), FaultKind::Http500).nth(2)),
        ("record + date", |id| FaultSpec::new(format!("/items/{id}/update"), FaultKind::Http500)),
        ("read app", |_| FaultSpec::new("/registeredAppInfo", FaultKind::Http500).nth(3)),
        ("generate", |_| FaultSpec::new("/oauth2/token", FaultKind::Http500)),
        ("read back", |id| FaultSpec::new(format!("/content/items/{id}"), FaultKind::Http500).nth(3)),
        ("mark: read", |id| FaultSpec::new(format!("/content/items/{id}"), FaultKind::Http500).nth(4)),
        ("mark: write", |id| FaultSpec::new(format!("/items/{id}/update"), FaultKind::Http500).nth(2)),
    ];
    let kinds = crate::matrix::KINDS;
    let mut table = format!("{:<22}", "step \\ fault");
    for kind in kinds {
        table.push_str(&format!("{:<15}", kind.name()));
    }
    for (step, fault) in steps {
        for after in [false, true] {
            table.push_str(&format!("\n{:<22}", format!("{step}{}", if after { " (after)" } else { "" })));
            for kind in kinds {
                let cell = format!("{step} × {kind}{}", if after { " after" } else { "" });
                let client = signed_in("jsmith").await;
                client.set_timeout_ms(300);
                let transport = client.transport();
                let (credential, deployed) = credential_with_key(&client, "Record matrix").await;
                let id = credential.item.id.clone();
                let mut spec = FaultSpec { kind, ms: Some(5_000), ..fault(&id) };
                if after {
                    spec = spec.after();
                }
                transport.arm(spec).await;
                let first = job(&client, &id).await;
                let unfired = transport.control("GET", "/faults", serde_json::Value::Null).await;
                assert_eq!(unfired["faults"], serde_json::json!([]), "{cell}: the fault fired");
                // CI retries a failed job; a job that succeeded is run again too, as a
                // rerun of the workflow would.
                let (outcome, delivered) = match first {
                    Ok((_, key)) => ("delivered", key),
                    Err(_) => {
                        let (_, key) = job(&client, &id).await.unwrap_or_else(|e| panic!("{cell}: the retry: {e}"));
                        ("retried", key)
                    }
                };
                let delivered = delivered.unwrap_or_else(|| panic!("{cell}: no key reached the job that succeeded"));
                let (plan, again) = job(&client, &id).await.unwrap();
                assert_eq!(again, None, "{cell}: a delivered rotation is not repeated");
                assert_eq!(plan, RotationPlan::Deploy { slot: Slot::Secondary, retire: Slot::Primary }, "{cell}");
                assert!(transport.key_works(&deployed).await, "{cell}: the deployed key still works");
                assert!(transport.key_works(&delivered).await, "{cell}: the live key 2 is the one delivered");
                let portal: Credential = client.credential(&id).await.unwrap();
                let record = portal.rotation_in_progress().unwrap_or_else(|| panic!("{cell}: no record"));
                assert!(record.delivered && record.slot == Slot::Secondary, "{cell}: the record agrees: {record:?}");
                assert!(portal.app.api_token2_active);
                table.push_str(&format!("{outcome:<15}"));
            }
        }
    }
    println!("{table}");
}

#[tokio::test]
async fn an_undelivered_key_is_the_only_key_a_retry_stops() {
    let client = signed_in("jsmith").await;
    let transport = client.transport();
    let (credential, deployed) = credential_with_key(&client, "Undelivered").await;
    let id = credential.item.id.clone();
    let mut read = client.credential(&id).await.unwrap();
    let rotated = client.rotate(&mut read, None, None, "test").await.unwrap();
    let never_delivered = rotated.issued.unwrap();
    // The job died before delivering: the record says so, and retire refuses to keep it.
    let mut read = client.credential(&id).await.unwrap();
    let refused = client.retire(&mut read, Some(Slot::Secondary)).await.unwrap_err();
    assert!(refused.to_string().contains("never delivered"), "{refused}");
    assert!(transport.key_works(&deployed).await);
    let (plan, key) = job(&client, &id).await.unwrap();
    assert_eq!(plan, RotationPlan::Redo { slot: Slot::Secondary, retire: Some(Slot::Primary) });
    assert!(!transport.key_works(never_delivered.key.expose()).await, "the undelivered key stopped");
    assert!(transport.key_works(&key.unwrap()).await && transport.key_works(&deployed).await);
    // An invalidated undelivered key leaves a stale record that changes nothing.
    let mut read = client.credential(&id).await.unwrap();
    client.invalidate_key(&mut read, Slot::Secondary).await.unwrap();
    let read = client.credential(&id).await.unwrap();
    assert!(matches!(read.rotation(None), Ok(RotationPlan::Generate { slot: Slot::Secondary, .. })));
}

#[tokio::test]
async fn a_rotation_from_a_stale_view_reads_again_and_never_replaces_the_key_another_session_delivered() {
    let client = signed_in("jsmith").await;
    let transport = client.transport();
    let (credential, deployed) = credential_with_key(&client, "Stale view").await;
    // The manager read the credential; then a CI job rotated and delivered key 2.
    let mut stale = client.credential(&credential.item.id).await.unwrap();
    let (_, delivered) = job(&client, &credential.item.id).await.unwrap();
    let delivered = delivered.unwrap();
    let rotated = client.rotate(&mut stale, None, None, "stale manager").await.unwrap();
    assert_eq!(rotated.plan, RotationPlan::Deploy { slot: Slot::Secondary, retire: Slot::Primary });
    assert!(rotated.issued.is_none());
    assert!(transport.key_works(&delivered).await && transport.key_works(&deployed).await);
    // Retiring from a view read before the job: the guard reads the portal's state too.
    let mut before_job = stale.clone();
    before_job.app.api_token2_active = false;
    let retired = client.retire(&mut before_job, Some(Slot::Secondary)).await.unwrap();
    assert_eq!((retired.keep, retired.stops_key), (Slot::Secondary, true));
    assert!(transport.key_works(&delivered).await && !transport.key_works(&deployed).await);
}
