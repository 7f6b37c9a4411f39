//! An API key as the management credential (contract section 12): a key whose
//! credential holds personal privileges acts as the credential's owner. Each open point
//! of that section is acted out both ways, and the client is safe and clear under each.

use arcgis_keys::model::{Credential, KeyKind, Slot};
use arcgis_keys::ops::create::{CredentialInput, NewCredential};
use arcgis_keys::ops::rotation::RotateError;
use arcgis_keys::{Client, Error, Portal, Secret};
use serde_json::json;

use crate::support::{EmulatorTransport, credential_with_key, signed_in};

const DAY: i64 = 86_400_000;

/// A credential of `owner` holding `privileges` with a key in slot 1; returns it and the key.
async fn automation_key(owner: &Client<EmulatorTransport>, privileges: &[&str]) -> (Credential, String) {
    let now = owner.transport().emulator.now();
    let input = CredentialInput {
        title: "Automation".into(),
        privileges: privileges.iter().map(|p| p.to_string()).collect(),
        keys: vec![(Slot::Primary, now + 30 * DAY)],
        personal_privileges_acknowledged: true,
        ..CredentialInput::default()
    };
    let created = owner.create_credential(&NewCredential::new(input, now).unwrap()).await.unwrap();
    (created.credential, created.keys[0].key.expose().to_owned())
}

/// A client on the same portal signed in with `key` (and `username`, if given).
async fn with_key(
    owner: &Client<EmulatorTransport>,
    key: &str,
    username: Option<&str>,
) -> (Client<EmulatorTransport>, Result<arcgis_keys::model::User, Error>) {
    let client = Client::new(owner.transport().same_portal(), Portal::new("http://127.0.0.1:1").unwrap());
    let user = client.sign_in_with_api_key(Secret::new(key), username).await;
    (client, user)
}

#[tokio::test]
async fn a_key_session_knows_its_owner_under_either_reading_of_self() {
    let owner = signed_in("jsmith").await;
    let (_, key) = automation_key(&owner, &["portal:user:createItem"]).await;
    let (session, user) = with_key(&owner, &key, None).await;
    assert_eq!(user.unwrap().username, "jsmith");
    assert!(session.is_api_key());
    assert!(!session.list_keys(KeyKind::Credential, Default::default()).await.unwrap().is_empty());

    owner.transport().behave(&json!({ "apiKeySelf": "refused" })).await;
    let (_, refused) = with_key(&owner, &key, None).await;
    let Err(Error::Input(input)) = refused else { panic!("no username and no self: {refused:?}") };
    assert_eq!(input.field.name(), "username", "{input}");
    assert!(input.rule.contains("give the username"), "{input}");
    let (session, user) = with_key(&owner, &key, Some("jsmith")).await;
    assert_eq!(user.unwrap().username, "jsmith", "read from community/users");
    assert!(!session.list_keys(KeyKind::Credential, Default::default()).await.unwrap().is_empty());

    owner.transport().behave(&json!({})).await;
    let (_, wrong) = with_key(&owner, &key, Some("mlopez")).await;
    assert!(matches!(wrong, Err(Error::Input(_))), "a username that is not the owner: {wrong:?}");
}

#[tokio::test]
async fn a_missing_privilege_is_named_and_never_asks_to_sign_in() {
    let owner = signed_in("jsmith").await;
    credential_with_key(&owner, "Service key").await;
    let (_, viewer) = automation_key(&owner, &["portal:user:viewOrgItems"]).await;
    for (reading, behaviour) in crate::support::readings() {
        owner.transport().behave(&behaviour).await;
        let (session, user) = with_key(&owner, &viewer, Some("jsmith")).await;
        // Under the lenient reading the reads pass and the rotation's write is refused;
        // under the strict one the first read of content is.
        let attempt = async {
            user?;
            let items = session.list_keys(KeyKind::Credential, Default::default()).await?;
            let mut credential = session.credential(&items[0].id).await?;
            match session.rotate(&mut credential, None, None, "test").await {
                Err(RotateError::Key(error)) => Err::<(), Error>(error.error),
                Err(RotateError::Read(error)) => Err(error),
                other => panic!("{reading}: {other:?}"),
            }
        };
        let error: Error = attempt.await.expect_err(reading);
        let Error::Portal(server) = &error else { panic!("{reading}: {error:?}") };
        assert_eq!(server.code, 403, "{reading}");
        assert_eq!(server.privilege, Some("portal:user:createItem"), "{reading}: {error}");
        assert!(error.to_string().contains("portal:user:createItem"), "{reading}: {error}");
        assert!(!error.to_string().contains("Sign in again"), "{reading}: {error}");
    }
}

#[tokio::test]
async fn a_key_without_personal_privileges_is_refused_clearly_under_either_reading() {
    let owner = signed_in("jsmith").await;
    let (_, key) = credential_with_key(&owner, "Geocoding only").await;
    for (reading, behaviour) in crate::support::readings() {
        owner.transport().behave(&behaviour).await;
        let (_, refused) = with_key(&owner, &key, Some("jsmith")).await;
        let error = refused.expect_err(reading);
        let text = error.to_string();
        assert!(text.contains("personal privilege"), "{reading}: {text}");
        assert!(!text.contains("Sign in again"), "{reading}: {text}");
    }
}

#[tokio::test]
async fn a_key_session_rotates_other_credentials_and_refuses_to_retire_its_own_key() {
    for (reading, behaviour) in crate::support::readings() {
        let owner = signed_in("jsmith").await;
        owner.transport().behave(&behaviour).await;
        let (mut own, key) = automation_key(&owner, &["portal:user:createItem"]).await;
        let (mut service, deployed) = credential_with_key(&owner, "Service key").await;
        let (session, user) = with_key(&owner, &key, Some("jsmith")).await;
        user.unwrap_or_else(|e| panic!("{reading}: {e}"));
        let transport = owner.transport();
        // A service credential: both phases, as CI runs them.
        let rotated = session.rotate(&mut service, None, None, "ci").await.unwrap_or_else(|e| panic!("{reading}: {e}"));
        let new_key = rotated.issued.expect("a key").key;
        session.mark_delivered(&mut service).await.unwrap();
        session.retire(&mut service, None).await.unwrap_or_else(|e| panic!("{reading}: {e}"));
        assert!(transport.key_works(new_key.expose()).await, "{reading}: the new key works");
        assert!(!transport.key_works(&deployed).await, "{reading}: the old key stopped");
        // Its own credential: the rotation fills the other slot, the session keeps
        // working, and retiring the key it signs in with is refused.
        let rotated = session.rotate(&mut own, None, None, "ci").await.unwrap_or_else(|e| panic!("{reading}: {e}"));
        let successor = rotated.issued.expect("a key").key;
        session.mark_delivered(&mut own).await.unwrap();
        let refused = session.retire(&mut own, None).await.unwrap_err();
        assert!(matches!(refused, RotateError::Refused(_)), "{reading}: {refused}");
        assert!(refused.to_string().contains("signs in with"), "{reading}: {refused}");
        assert!(
            session.list_keys(KeyKind::Credential, Default::default()).await.is_ok(),
            "{reading}: the session still works"
        );
        // Signed in with the new key, the old one retires.
        let (next, user) = with_key(&owner, successor.expose(), Some("jsmith")).await;
        user.unwrap_or_else(|e| panic!("{reading}: {e}"));
        next.retire(&mut own, None).await.unwrap_or_else(|e| panic!("{reading}: {e}"));
        assert!(
            next.list_keys(KeyKind::Credential, Default::default()).await.is_ok(),
            "{reading}: the new key's session works"
        );
    }
}
