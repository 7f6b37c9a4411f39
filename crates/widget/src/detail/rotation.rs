//! Guided rotation without downtime: generate the key in the free slot, show it once,
//! let the user deploy it, then invalidate the old one. Between the two steps the
//! rotation is remembered in local storage (which slots and when, never a key), so
//! closing the page does not lose the second step: the list and the credential's page
//! offer to finish it.

use arcgis_keys::model::{Credential, Slot};
use arcgis_keys::ops::rotation::RotateError;
use arcgis_keys::rotation::RotationPlan;
use arcgis_keys::{Field, InputError};
use leptos::prelude::*;

use super::{Shown, rotated, title_of};
use crate::fields::{ExpirationField, default_expiration_date, read_expiration};
use crate::manager::{Focus, Manager, SlotChange};
use crate::text::RotationText;
use arcgis_keys::dates::format_date;

/// A rotation between its two steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The credential's item id.
    pub id: String,
    pub title: String,
    /// The slot to invalidate, and the slot whose new key replaces it.
    pub old: Slot,
    pub new: Slot,
    pub started_ms: i64,
}

impl Pending {
    /// One line: `id \t old \t new \t started \t title` (the title last: it may hold
    /// tabs; line breaks in it become spaces).
    fn encode(&self) -> String {
        let title = self.title.replace(['\n', '\r'], " ");
        format!("{}\t{}\t{}\t{}\t{title}", self.id, self.old.number(), self.new.number(), self.started_ms)
    }

    fn decode(line: &str) -> Option<Pending> {
        let mut parts = line.splitn(5, '\t');
        let id = parts.next()?.to_owned();
        let slot = |text: Option<&str>| Slot::from_number(text?.parse().ok()?);
        let (old, new) = (slot(parts.next())?, slot(parts.next())?);
        let started_ms = parts.next()?.parse().ok()?;
        Some(Pending { id, title: parts.next()?.to_owned(), old, new, started_ms })
    }
}

/// Rotations in progress, one list per portal and user, in local storage.
pub struct Rotations {
    key: String,
}

impl Rotations {
    pub fn of(manager: Manager) -> Rotations {
        let user = manager.user.with_untracked(|u| u.as_ref().map(|u| u.username.clone())).unwrap_or_default();
        Rotations { key: format!("arcgis-keys:rotations:{}:{user}", manager.client().portal().base()) }
    }

    fn storage() -> Option<web_sys::Storage> {
        window().local_storage().ok().flatten()
    }

    pub fn all(&self) -> Vec<Pending> {
        let text = Self::storage().and_then(|s| s.get_item(&self.key).ok().flatten()).unwrap_or_default();
        text.lines().filter_map(Pending::decode).collect()
    }

    pub fn of_credential(&self, id: &str) -> Option<Pending> {
        self.all().into_iter().find(|p| p.id == id)
    }

    fn save(&self, pending: &[Pending]) {
        let Some(storage) = Self::storage() else { return };
        let _ = if pending.is_empty() {
            storage.remove_item(&self.key)
        } else {
            storage.set_item(&self.key, &pending.iter().map(Pending::encode).collect::<Vec<_>>().join("\n"))
        };
    }

    pub fn start(&self, pending: Pending) {
        let mut all = self.all();
        all.retain(|p| p.id != pending.id);
        all.push(pending);
        self.save(&all);
    }

    pub fn finish(&self, id: &str) {
        let mut all = self.all();
        all.retain(|p| p.id != id);
        self.save(&all);
    }
}

/// Which slot a rotation replaces, and which it fills (the core's
/// [`Credential::rotation`], with no key named to replace): `Err` says why the guided
/// rotation does not start. It never replaces a live key.
pub fn plan(t: &RotationText, credential: &Credential) -> Result<(Slot, Slot), &'static str> {
    match credential.rotation(None) {
        // Both keys live, or a delivered rotation waiting for its retire (shown as pending).
        Err(_) | Ok(RotationPlan::Deploy { .. }) => Err(t.both_slots_full),
        Ok(plan) => match plan.retire() {
            None => Err(t.nothing_to_rotate),
            Some(retire) => Ok((retire, plan.slot())),
        },
    }
}

/// What the manager records as having rotated a key (the record holds no secret).
const ROTATED_BY: &str = "arcgis-keys manager";

/// The rotation recorded on the credential by any front end (a CI job, another
/// browser) whose key was delivered and whose old key still lives.
fn recorded(credential: &Credential) -> Option<Pending> {
    let record = credential.rotation_in_progress().filter(|r| r.delivered)?;
    Some(Pending {
        id: credential.item.id.clone(),
        title: credential.item.title.clone(),
        old: record.retire?,
        new: record.slot,
        started_ms: record.started_ms,
    })
}

#[component]
pub fn RotationPanel(shown: Shown) -> impl IntoView {
    let manager = shown.manager;
    let text = manager.text;
    let t = &text.rotation;
    let rotations = StoredValue::new_local(Rotations::of(manager));
    let id = move || shown.credential.with_untracked(|c| c.as_ref().map(|c| c.item.id.clone()).unwrap_or_default());
    let on_record = move || shown.credential.with_untracked(|c| c.as_ref().and_then(recorded));
    let pending = RwSignal::new(on_record().or_else(|| rotations.with_value(|r| r.of_credential(&id()))));
    let expiration = RwSignal::new(default_expiration_date(manager.now()));
    let problem = manager.problem();
    let deployed = RwSignal::new(false);
    let finished = RwSignal::new(None::<String>);

    let start = move |_| {
        let Some(credential) = shown.credential.get_untracked() else { return };
        // The slot this page offers; the core decides again from a fresh read.
        let new = match plan(t, &credential) {
            Ok((_, new)) => new,
            Err(why) => return problem.set(Some(why.into())),
        };
        let expires = match read_expiration(&text.fields, &expiration.get_untracked(), manager.now()) {
            Ok(expires) => expires,
            Err(why) => return problem.set(Some(why)),
        };
        problem.set(None);
        finished.set(None);
        shown.issue(
            async move |client, credential| {
                // Recorded on the credential, so a CI job or another browser sees it; the
                // key is delivered as it is shown here.
                let rotated = client
                    .rotate(credential, None, Some(expires), ROTATED_BY)
                    .await
                    .map_err(|e| e.into_key_error(new))?;
                let _ = client.mark_delivered(credential).await;
                rotated.issued.ok_or_else(|| {
                    RotateError::Refused(InputError::new(Field::Slot, t.both_slots_full)).into_key_error(new)
                })
            },
            (t.new_key_of)(new.number(), &title_of(shown)),
            // The slots the portal's state decided (the plan is made again from a fresh read).
            move |issued| {
                let new = issued.slot;
                let old = if new == Slot::Primary { Slot::Secondary } else { Slot::Primary };
                let step = Pending { id: id(), title: title_of(shown), old, new, started_ms: manager.now() };
                rotations.with_value(|r| r.start(step.clone()));
                pending.set(Some(step));
            },
            move |e| problem.set(Some(manager.explain_as(&e.error, &e))),
        );
    };
    let finish = move |_| {
        let Some(step) = pending.get_untracked() else { return };
        if !deployed.get_untracked() {
            return problem.set(Some((t.confirm_deployed_first)(step.new.number())));
        }
        problem.set(None);
        let old = step.old;
        let new = step.new;
        shown.change(
            async move |client, credential| {
                client.retire(credential, Some(new)).await.map_err(|e| e.into_key_error(old))
            },
            move |result| match result {
                Ok(_) => {
                    rotations.with_value(|r| r.finish(&step.id));
                    pending.set(None);
                    deployed.set(false);
                    rotated(shown, SlotChange::Invalidated(old.number()), None);
                    finished.set(Some((t.finished)(old.number(), step.new.number())));
                    manager.focus(Focus::Rotation);
                }
                Err(e) => problem.set(Some(manager.explain_as(&e.error, &e))),
            },
        );
    };
    let cancel = move |_| {
        rotations.with_value(|r| r.finish(&id()));
        pending.set(None);
        problem.set(None);
    };

    view! {
        <section class="rotation" aria-labelledby="rotation-heading">
            <h2 id="rotation-heading">{t.heading}</h2>
            {move || match pending.get() {
                // Offered only when it can run; otherwise the reason, and what to do.
                None => match shown.credential.with(|c| c.as_ref().map(|c| plan(t, c))) {
                    Some(Err(why)) => view! {
                        <p>{t.intro}</p>
                        <p class="warning-box" id="rotation-unavailable" tabindex="-1">{why}</p>
                    }.into_any(),
                    _ => view! {
                        <p>{t.intro}</p>
                        <ExpirationField value=expiration id="rotation-expiration" error=Signal::derive(move || problem.get()) />
                        <div class="actions">
                            <button type="button" on:click=start prop:disabled=move || shown.busy.get()>{t.start}</button>
                        </div>
                    }.into_any(),
                },
                Some(step) => {
                    let (old, new) = (step.old.number(), step.new.number());
                    view! {
                        <p class="warning-box">{(t.in_progress)(&format_date(step.started_ms), new, old)}</p>
                        <div class="option">
                            <input type="checkbox" id="rotation-deployed" bind:checked=deployed />
                            <label for="rotation-deployed">{(t.every_app_uses)(new)}</label>
                        </div>
                        <p class="error" role="alert">{move || problem.get()}</p>
                        <div class="actions">
                            <button type="button" class="danger" on:click=finish prop:disabled=move || shown.busy.get()>
                                {(t.invalidate_and_finish)(old)}
                            </button>
                            <button type="button" class="secondary" on:click=cancel>{t.stop_tracking}</button>
                        </div>
                    }.into_any()
                }
            }}
            <p role="status">{move || finished.get()}</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_rotation_survives_storage_whatever_its_title() {
        let mut pending = Pending {
            id: "0123456789abcdef0123456789abcdef".into(),
            title: "Maps\twith a tab\nand a line break".into(),
            old: Slot::Primary,
            new: Slot::Secondary,
            started_ms: 1_795_305_600_000,
        };
        let decoded = Pending::decode(&pending.encode());
        pending.title = "Maps\twith a tab and a line break".into();
        assert_eq!(decoded, Some(pending));
        assert_eq!(Pending::decode("id\t3\t1\t0\tx"), None, "slots are 1 or 2");
    }
}
