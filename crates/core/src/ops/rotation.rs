//! A rotation's two steps against the portal, with its record kept on the credential
//! (the rules are [`crate::rotation`]'s):
//!
//! 1. [`Client::rotate`]: the plan from the portal's state and record; unless the key
//!    was delivered already, the slot's date and the record (not delivered) in one item
//!    update, then the key. The caller delivers it, then
//! 2. [`Client::mark_delivered`] records that it arrived, or, when it could not be
//!    delivered, the caller invalidates it ([`Client::invalidate_key`]): a key nobody
//!    holds never stays live.
//! 3. [`Client::retire`]: once the new key is deployed, the other slot's key is
//!    invalidated and the record closed.
//!
//! Every step is safe to run again after a lost answer: each reads what the portal
//! holds first, and the record says what the last run did.

use crate::client::Client;
use crate::error::Error;
use crate::model::{Credential, Slot};
use crate::ops::keys::{IssuedKey, KeyError, KeyStep, default_expiration};
use crate::paths;
use crate::request::ApiRequest;
use crate::rotation::{KeysRecord, Retirement, RotationPlan, RotationRecord};
use crate::transport::Transport;
use crate::validate::Expiration;

/// What [`Client::rotate`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotated {
    pub plan: RotationPlan,
    /// The new key; `None` when the recorded rotation's key was delivered already.
    pub issued: Option<IssuedKey>,
}

/// Why a rotation step failed, with the plan it was carrying out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RotateError {
    /// Reading the credential first failed: nothing was changed.
    #[error("{0}")]
    Read(Error),
    /// The plan could not be made (both keys live and none named, …): nothing was sent.
    #[error("{0}")]
    Refused(#[from] crate::error::InputError),
    /// Writing the date and record, or making the key, failed.
    #[error("{0}")]
    Key(#[from] KeyError),
}

impl RotateError {
    /// As a [`KeyError`] on `slot`, for a front end that reports every key step one way
    /// (a refusal becomes the input error it is, at the generate step).
    pub fn into_key_error(self, slot: Slot) -> KeyError {
        match self {
            RotateError::Key(error) => error,
            RotateError::Read(error) => KeyError { slot, step: KeyStep::ReadApp, error, undelivered: false },
            RotateError::Refused(refused) => {
                KeyError { slot, step: KeyStep::Generate, error: refused.into(), undelivered: false }
            }
        }
    }
}

impl<T: Transport> Client<T> {
    /// Carries out a rotation's generate step on `credential`, read again first: the
    /// plan is only as good as the state it is made from, and a CI job or another
    /// browser may have rotated since the caller read it. `replace` names a live key the
    /// user chose to stop; `by` says what is rotating, for the record. Without
    /// `expires`, the key gets [`default_expiration`].
    pub async fn rotate(
        &self,
        credential: &mut Credential,
        replace: Option<Slot>,
        expires: Option<Expiration>,
        by: &str,
    ) -> Result<Rotated, RotateError> {
        *credential = self.credential(&credential.item.id).await.map_err(RotateError::Read)?;
        let plan = credential.rotation(replace)?;
        if !plan.issues_key() {
            return Ok(Rotated { plan, issued: None });
        }
        let slot = plan.slot();
        let now = self.transport().now_ms();
        let expires = expires.unwrap_or_else(|| default_expiration(credential, slot, now));
        let mut record = credential.keys_record();
        record.rotation =
            Some(RotationRecord { slot, retire: plan.retire(), started_ms: now, by: by.to_owned(), delivered: false });
        let properties = record.merged_into(&credential.item, &|n| self.transport().json_number(n));
        let issued = self.generate_recorded(credential, slot, expires, Some(properties)).await?;
        Ok(Rotated { plan, issued: Some(issued) })
    }

    /// Records that the rotation's key reached its destination, so that running the
    /// generate step again changes nothing. Reads the item first: the record is merged
    /// into `properties` as the portal holds them now.
    pub async fn mark_delivered(&self, credential: &mut Credential) -> Result<(), Error> {
        credential.item = self.item(&credential.item.id).await?;
        let mut record = credential.keys_record();
        let Some(rotation) = record.rotation.as_mut() else { return Ok(()) };
        rotation.delivered = true;
        let (slot, made) = (rotation.slot, rotation.started_ms);
        record.set_made(slot, Some(made));
        match self.write_record(credential, &record).await {
            // The answer may have been lost, or be wrong: the record as the portal holds it
            // says whether the write took (a read changes nothing).
            Err(error) => match self.item(&credential.item.id).await {
                Ok(item) if KeysRecord::of(&item).rotation.is_some_and(|r| r.delivered && r.slot == slot) => {
                    credential.item = item;
                    Ok(())
                }
                _ => Err(error),
            },
            Ok(()) => Ok(()),
        }
    }

    /// Retires the old key once the new one is deployed: invalidates the other slot's
    /// key (when live) and closes the record. `credential` is read again first, as for
    /// [`Client::rotate`]. `keep` defaults to the recorded rotation's new key; see
    /// [`Credential::retirement`] for what is refused.
    pub async fn retire(&self, credential: &mut Credential, keep: Option<Slot>) -> Result<Retirement, RotateError> {
        *credential = self.credential(&credential.item.id).await.map_err(RotateError::Read)?;
        let retirement = credential.retirement(keep)?;
        if retirement.stops_key && self.may_be_own_key(credential, retirement.retire) {
            return Err(RotateError::Refused(crate::error::InputError::new(
                crate::error::Field::Slot,
                format!(
                    "key {n} of \"{title}\" may be the API key this session signs in with (a key of slot {n} of a \
                     credential with personal privileges), and retiring it would stop this session; sign in with \
                     the new key (or as a user) and retire again",
                    n = retirement.retire.number(),
                    title = credential.item.title,
                ),
            )));
        }
        if retirement.stops_key {
            self.invalidate_key(credential, retirement.retire).await?;
        }
        let mut record = credential.keys_record();
        if record.rotation.is_some() || record.made(retirement.retire).is_some() {
            record.rotation = None;
            record.set_made(retirement.retire, None);
            // The keys are as asked; a record left open is stale (its old key is gone)
            // and the next plan ignores it, so a failure here is not the retire's.
            let _ = self.write_record(credential, &record).await;
        }
        Ok(retirement)
    }

    /// Could retiring `slot` of `credential` stop the API key this session signs in
    /// with? The portal never says which credential a key belongs to, so: the session
    /// acts through a key of that slot number, and the credential holds personal
    /// privileges (only such a credential's key can be a session's). Rotation never
    /// stops it: it fills the other slot, so a session keeps working through a rotation
    /// of its own credential, and is refused only the retirement of its own key.
    fn may_be_own_key(&self, credential: &Credential, slot: Slot) -> bool {
        let Some(session) = self.session().filter(|s| s.api_key) else { return false };
        Slot::of_key(session.token.expose()) == Some(slot)
            && crate::privileges::any_personal(&credential.app.privileges)
    }

    async fn write_record(&self, credential: &mut Credential, record: &KeysRecord) -> Result<(), Error> {
        let item = &credential.item;
        let properties = record.merged_into(item, &|n| self.transport().json_number(n));
        let request =
            ApiRequest::write(paths::item_action(&item.owner, &item.id, "update")).param("properties", properties);
        self.call_success(&request).await?;
        // The copy takes the record as the portal now holds it; the write stands either way.
        if let Ok(item) = self.item(&credential.item.id).await {
            credential.item = item;
        }
        Ok(())
    }
}
