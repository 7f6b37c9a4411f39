//! One credential or retired legacy key: its settings, its two key slots (generate,
//! regenerate, invalidate), editing, and deleting. A legacy key is read-only: it can
//! only be deleted.
//!
//! The page reads as an overview first (each slot as a card, the guided rotation), then
//! the settings with their edit form in place, then usage, the key tester and delete.
//! Its parts: `slot` (one key slot), `settings` (what the credential holds), `edit` (the
//! edit and delete forms) and `rotation` (the guided rotation).

mod edit;
pub(crate) mod rotation;
mod settings;
mod slot;

use arcgis_keys::Secret;
use arcgis_keys::model::{Credential, KeyKind, Slot};
use arcgis_keys::ops::keys::IssuedKey;
use arcgis_keys::ops::legacy::replaced_by;
use leptos::prelude::*;

use crate::badges;
use crate::confirm::ConfirmDialog;
use crate::manager::{Focus, KeyIssued, Manager, ManagerEvent, Scope, Screen, SlotChange, StrayKey};
use crate::reveal::KeyReveal;
use crate::tester::KeyTester;
use crate::usage::{UsagePanel, UsageRead};
use arcgis_keys::attention::{AppFacts, badges, live_slots};
use arcgis_keys::dates::format_date;
use arcgis_keys::ops::usage::last_use_ms;
use rotation::RotationPanel;

use crate::icon::{Icon, icon};
use edit::{DeleteForm, EditForm};
use settings::Settings;
use slot::SlotPanel;

/// A key to show once: the key, whose it is, and until when.
struct Revealed {
    key: Secret,
    what: String,
    expires: Option<String>,
    /// The slot the key is in: its card takes the focus when the reveal is done.
    slot: Slot,
}

/// The credential shown and what its operations share.
#[derive(Clone, Copy)]
pub(crate) struct Shown {
    pub manager: Manager,
    pub credential: RwSignal<Option<Credential>>,
    revealed: RwSignal<Option<Revealed>, LocalStorage>,
    pub busy: RwSignal<bool>,
    /// The credential's usage, once read: the dialogs that stop a key say when it was last used.
    pub usage: RwSignal<UsageRead>,
    /// The control the page opened at, when an action elsewhere asked for one.
    landing: Option<Focus>,
}

impl Shown {
    /// Runs `operation` on the credential and keeps it as the operation left it, failed
    /// or not: a step that failed after another succeeded has still changed the portal.
    pub fn change<R: 'static>(
        self,
        operation: impl AsyncFnOnce(&crate::manager::WebClient, &mut Credential) -> R + 'static,
        then: impl FnOnce(R) + 'static,
    ) {
        self.change_or(operation, then, |_| {});
    }

    /// [`Shown::change`], with `if_gone` for a result that arrives after the screen
    /// has gone (what the operation did must still reach the user: an issued key).
    pub fn change_or<R: 'static>(
        self,
        operation: impl AsyncFnOnce(&crate::manager::WebClient, &mut Credential) -> R + 'static,
        then: impl FnOnce(R) + 'static,
        if_gone: impl FnOnce(R) + 'static,
    ) {
        let Some(mut credential) = self.credential.get_untracked() else { return };
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            let client = self.manager.client();
            let result = operation(&client, &mut credential).await;
            // The screen may be gone by now: then there is nothing on it to update.
            let gone = self.credential.try_set(Some(credential)).is_some();
            self.busy.try_set(false);
            if gone { if_gone(result) } else { then(result) }
        });
    }

    /// Generates a key: shown here, or by the manager if this page is gone by the time
    /// it arrives; the host is told either way. `what` names the key; `on_issued` runs
    /// first while the page is still here.
    pub fn issue<E: 'static>(
        self,
        operation: impl AsyncFnOnce(&crate::manager::WebClient, &mut Credential) -> Result<IssuedKey, E> + 'static,
        what: String,
        on_issued: impl FnOnce(&IssuedKey) + 'static,
        on_error: impl FnOnce(E) + 'static,
    ) {
        let manager = self.manager;
        let (id, title) = self
            .credential
            .with_untracked(|c| c.as_ref().map(|c| (c.item.id.clone(), c.item.title.clone())).unwrap_or_default());
        let stray_what = what.clone();
        self.change_or(
            operation,
            move |result| match result {
                Ok(issued) => {
                    on_issued(&issued);
                    reveal_issued(self, issued, what);
                }
                Err(e) => on_error(e),
            },
            move |result| {
                if let Ok(issued) = result {
                    let number = issued.slot.number();
                    let event =
                        KeyIssued { slot: Some(number), expires_ms: issued.expires_ms, key: Some(issued.key.clone()) };
                    manager.emit(ManagerEvent::KeyRotated {
                        id,
                        title,
                        change: SlotChange::Generated(number),
                        key: Some(event),
                    });
                    manager.reveal_stray(StrayKey {
                        key: issued.key,
                        what: stray_what,
                        expires: issued.expires_ms.map(format_date),
                    });
                }
            },
        );
    }
}

#[component]
pub fn DetailScreen(id: String) -> impl IntoView {
    let manager = expect_context::<Manager>();
    let text = manager.text;
    let shown = Shown {
        manager,
        credential: RwSignal::new(None),
        revealed: RwSignal::new_local(None),
        busy: RwSignal::new(false),
        usage: RwSignal::new(None),
        landing: manager.take_landing(),
    };
    let error = manager.problem();
    // Only a change of kind re-renders the screen: changes to the credential must not
    // reset the forms on it.
    let kind = Memo::new(move |_| shown.credential.with(|c| c.as_ref().map(|c| c.item.key_kind())));
    crate::manager::spawn_read(async move {
        match manager.client().credential(&id).await {
            Ok(credential) => {
                shown.credential.set(Some(credential));
                manager.focus(shown.landing.unwrap_or(Focus::Heading));
            }
            Err(e) => error.set(Some(manager.explain(&e))),
        }
    });
    view! {
        <div class="screen">
            {move || match shown.revealed.with(|r| r.as_ref().map(|r| (r.key.clone(), r.what.clone(), r.expires.clone(), r.slot))) {
                Some((key, what, expires, slot)) => {
                    let legacy = kind.get_untracked().flatten() == Some(KeyKind::Legacy);
                    let done = move |_| {
                        shown.revealed.set(None);
                        manager.focus(Focus::Slot(slot));
                    };
                    view! {
                        <KeyReveal key=key.clone() what=what expires=expires on_done=done />
                        {(!legacy).then(|| view! { <KeyTester key=key privileges=privileges_of(shown) referrers=referrers_of(shown) /> })}
                    }.into_any()
                }
                None => view! {
                    <button type="button" class="link back" on:click=move |_| manager.screen.set(manager.scope().list())>
                        {icon(Icon::Back)}{if manager.scope() == Scope::Organization { text.org.back } else { text.common.all_keys }}
                    </button>
                    <p class="error" role="alert">{move || error.get()}</p>
                    {move || kind.get().map(|kind| {
                        if kind == Some(KeyKind::Legacy) {
                            view! { <LegacyDetail shown=shown /> }.into_any()
                        } else {
                            view! { <CredentialDetail shown=shown /> }.into_any()
                        }
                    }).unwrap_or_else(|| (error.get().is_none()).then(|| view! {
                        <p role="status"><progress aria-label=text.detail.loading></progress>" " {text.common.loading}</p>
                    }).into_any())}
                }.into_any(),
            }}
        </div>
    }
}

/// The credential's privileges as they stand (an edit changes what the tester offers).
fn privileges_of(shown: Shown) -> Signal<Vec<String>> {
    Signal::derive(move || shown.credential.with(|c| c.as_ref().map(|c| c.app.privileges.clone()).unwrap_or_default()))
}

fn referrers_of(shown: Shown) -> Signal<Vec<String>> {
    Signal::derive(move || {
        shown.credential.with(|c| c.as_ref().map(|c| c.app.http_referrers.clone()).unwrap_or_default())
    })
}

pub(crate) fn title_of(shown: Shown) -> String {
    shown.credential.with(|c| c.as_ref().map(|c| c.item.title.clone()).unwrap_or_default())
}

/// For a member's key an administrator acts on, whose it is: every confirmation that
/// stops a key names the owner whose apps stop with it.
pub(crate) fn owner_words(shown: Shown) -> Option<String> {
    let me = shown.manager.user.with(|u| u.as_ref().map(|u| u.username.clone()))?;
    let owner = shown.credential.with(|c| c.as_ref().map(|c| c.item.owner.clone()))?;
    (owner != me).then(|| (shown.manager.text.org.belongs_to)(&owner))
}

/// The slot numbers of the credential's working keys: what stops if it changes.
pub(crate) fn live_keys(shown: Shown) -> Vec<u8> {
    let now = shown.manager.now();
    shown.credential.with(|c| {
        c.as_ref().map_or_else(Vec::new, |c| {
            live_slots(&c.item, Some(&AppFacts::from(&c.app)), now).iter().map(|s| s.number()).collect()
        })
    })
}

/// When the credential's keys were last used, as far as its usage says; `None` while
/// usage is unread or unreadable (administrators only, on some portals).
pub(crate) fn last_use_words(shown: Shown) -> Option<String> {
    let t = &shown.manager.text.detail;
    shown.usage.with(|usage| match usage {
        Some(Ok((_, series))) => Some(match last_use_ms(series) {
            Some(at) => (t.last_used)(&format_date(at)),
            None => t.not_used_recently.to_owned(),
        }),
        _ => None,
    })
}

/// A key generated in a slot: tells the host, then shows it once as `what`.
fn reveal_issued(shown: Shown, issued: IssuedKey, what: String) {
    let number = issued.slot.number();
    let event = KeyIssued { slot: Some(number), expires_ms: issued.expires_ms, key: Some(issued.key.clone()) };
    rotated(shown, SlotChange::Generated(number), Some(event));
    shown.revealed.set(Some(Revealed {
        key: issued.key,
        what,
        expires: issued.expires_ms.map(format_date),
        slot: issued.slot,
    }));
}

/// Tells the host that a slot of the credential shown changed.
pub(crate) fn rotated(shown: Shown, change: SlotChange, key: Option<KeyIssued>) {
    let id = shown.credential.with_untracked(|c| c.as_ref().map(|c| c.item.id.clone()).unwrap_or_default());
    shown.manager.emit(ManagerEvent::KeyRotated { id, title: title_of(shown), change, key });
}

#[component]
fn CredentialDetail(shown: Shown) -> impl IntoView {
    let manager = shown.manager;
    let text = manager.text;
    let now = manager.now();
    let title = move || title_of(shown);
    let badge_views = move || {
        shown.credential.with(|c| {
            c.as_ref().map(|c| {
                badges(&c.item, Some(&AppFacts::from(&c.app)), now)
                    .into_iter()
                    .map(|b| view! { <span class=badges::class(b)>{badges::label(b, &text.badges)}</span> })
                    .collect::<Vec<_>>()
            })
        })
    };
    view! {
        <h1>{title}</h1>
        <p class="badges">{badge_views}</p>
        <ReplacedNotice shown=shown />
        <section class="overview" aria-labelledby="keys-heading">
            <h2 id="keys-heading">{text.detail.keys}</h2>
            <div class="slots">
                <SlotPanel shown=shown which=Slot::Primary />
                <SlotPanel shown=shown which=Slot::Secondary />
            </div>
        </section>
        <RotationPanel shown=shown />
        <section aria-labelledby="settings">
            <h2 id="settings">{text.detail.settings}</h2>
            <Settings shown=shown />
            <EditForm shown=shown />
        </section>
        {shown.credential.get_untracked().map(|credential| view! { <UsagePanel credential=credential series=shown.usage /> })}
        <KeyTester privileges=privileges_of(shown) referrers=referrers_of(shown) />
        <DeleteForm shown=shown />
    }
}

/// A retired legacy key: what happened to it, the way out (replace it), its settings,
/// and delete.
#[component]
fn LegacyDetail(shown: Shown) -> impl IntoView {
    let manager = shown.manager;
    let (t, r) = (&manager.text.detail, &manager.text.retire);
    let id = shown.credential.with_untracked(|c| c.as_ref().map(|c| c.item.id.clone()).unwrap_or_default());
    view! {
        <h1>{move || title_of(shown)}</h1>
        <div class="warning-box">
            <p><strong>{t.legacy_retired}</strong></p>
            <p>{t.legacy_intro}</p>
            <div class="actions">
                <button type="button" on:click=move |_| manager.screen.set(Screen::Replace(id.clone()))>{r.replace_one}</button>
                <button type="button" class="secondary" on:click=move |_| manager.screen.set(Screen::ReplaceAll)>{r.replace_all}</button>
            </div>
        </div>
        <section aria-labelledby="settings">
            <h2 id="settings">{t.settings}</h2>
            <Settings shown=shown />
        </section>
        <DeleteForm shown=shown />
    }
}

/// On a credential that replaced a retired legacy key still on the portal: delete the
/// retired one once the new key is deployed. (Shown after the new key's reveal, so the
/// retired key is never deleted before its replacement was seen.)
#[component]
fn ReplacedNotice(shown: Shown) -> impl IntoView {
    let manager = shown.manager;
    let t = &manager.text.retire;
    let legacy = RwSignal::new(None::<Credential>);
    let status = RwSignal::new(String::new());
    let problem = manager.problem();
    let replaced = shown
        .credential
        .with_untracked(|c| c.as_ref().and_then(|c| replaced_by(&c.item.type_keywords).map(str::to_owned)));
    if let Some(id) = replaced {
        crate::manager::spawn_read(async move {
            // Gone already (deleted, or never readable): nothing to offer.
            if let Ok(found) = manager.client().credential(&id).await
                && found.item.key_kind() == Some(KeyKind::Legacy)
            {
                legacy.try_set(Some(found));
            }
        });
    }
    let asking = RwSignal::new(false);
    let retired_title = move || legacy.with(|l| l.as_ref().map(|l| l.item.title.clone()).unwrap_or_default());
    let delete = move || {
        let Some(mut retired) = legacy.get_untracked() else { return };
        leptos::task::spawn_local(async move {
            match manager.client().delete_key(&mut retired).await {
                Ok(()) => {
                    manager.emit(ManagerEvent::KeyDeleted { id: retired.item.id.clone(), title: retired.item.title });
                    legacy.try_set(None);
                    status.try_set(t.retired_deleted.into());
                }
                Err(e) => {
                    problem.try_set(Some(manager.explain(&e)));
                }
            }
        });
    };
    view! {
        <p role="status">{move || status.get()}</p>
        {move || legacy.with(|legacy| legacy.as_ref().map(|legacy| {
            let title = legacy.item.title.clone();
            view! {
                <section class="warning-box" aria-labelledby="replaces-heading">
                    <h2 id="replaces-heading">{(t.replaces)(&title)}</h2>
                    <p>{t.delete_when_deployed}</p>
                    <button type="button" class="danger" on:click=move |_| asking.set(true)>{icon(Icon::Delete)}{(t.delete_retired)(&title)}</button>
                    <p class="error" role="alert">{move || problem.get()}</p>
                </section>
            }
        }))}
        <ConfirmDialog open=asking id="delete-retired" danger=true
            heading=Signal::derive(move || (t.delete_retired_heading)(&retired_title()))
            action=Signal::derive(move || (t.delete_retired)(&retired_title()))
            on_confirm=move |()| { delete(); true }>
            <p>{t.delete_retired_stops}</p>
        </ConfirmDialog>
    }
}
