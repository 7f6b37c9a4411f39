//! One credential or retired legacy key: its settings, its two key slots (generate,
//! regenerate, invalidate), editing, and deleting. A legacy key is read-only: it can
//! only be deleted.

use std::collections::HashMap;

use arcgis_keys::Secret;
use arcgis_keys::model::{Credential, KeyKind, Slot};
use arcgis_keys::ops::keys::IssuedKey;
use arcgis_keys::ops::legacy::replaced_by;
use arcgis_keys::ops::update::{CredentialUpdate, KeysStopWorking, split_privileges};
use arcgis_keys::privileges::ITEM_ACCESS_PREFIX;
use arcgis_keys::validate::{self, ItemAccess, Title};
use futures_util::{StreamExt, stream};
use leptos::prelude::*;

use crate::app::{Focus, KeyIssued, Manager, ManagerEvent, Screen, SlotChange, StrayKey};
use crate::badges;
use crate::fields::{
    ChosenItem, ExpirationField, ItemAccessPicker, PrivilegesPicker, ReferrersField, default_expiration, lines,
    read_expiration, tags,
};
use crate::reveal::{KeyReveal, confirm};
use crate::rotation::RotationPanel;
use crate::tester::KeyTester;
use crate::text::Text;
use crate::usage::UsagePanel;
use arcgis_keys::attention::{AppFacts, SlotView, badges, slot_view};
use arcgis_keys::dates::format_date;

/// A key to show once: the key, whose it is, and until when.
struct Revealed {
    key: Secret,
    what: String,
    expires: Option<String>,
}

/// The credential shown and what its operations share.
#[derive(Clone, Copy)]
pub(crate) struct Shown {
    pub manager: Manager,
    pub credential: RwSignal<Option<Credential>>,
    revealed: RwSignal<Option<Revealed>, LocalStorage>,
    pub busy: RwSignal<bool>,
    /// The control the page opened at, when an action elsewhere asked for one.
    landing: Option<Focus>,
}

impl Shown {
    /// Runs `operation` on the credential and keeps it as the operation left it, failed
    /// or not: a step that failed after another succeeded has still changed the portal.
    pub fn change<R: 'static>(
        self,
        operation: impl AsyncFnOnce(&crate::app::WebClient, &mut Credential) -> R + 'static,
        then: impl FnOnce(R) + 'static,
    ) {
        self.change_or(operation, then, |_| {});
    }

    /// [`Shown::change`], with `if_gone` for a result that arrives after the screen
    /// has gone (what the operation did must still reach the user: an issued key).
    pub fn change_or<R: 'static>(
        self,
        operation: impl AsyncFnOnce(&crate::app::WebClient, &mut Credential) -> R + 'static,
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
        operation: impl AsyncFnOnce(&crate::app::WebClient, &mut Credential) -> Result<IssuedKey, E> + 'static,
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
                    let event = KeyIssued {
                        slot: Some(number),
                        expires_ms: Some(issued.expires_ms),
                        key: Some(issued.key.clone()),
                    };
                    manager.emit(ManagerEvent::KeyRotated {
                        id,
                        title,
                        change: SlotChange::Generated(number),
                        key: Some(event),
                    });
                    manager.reveal_stray(StrayKey {
                        key: issued.key,
                        what: stray_what,
                        expires: Some(format_date(issued.expires_ms)),
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
        landing: manager.take_landing(),
    };
    let error = RwSignal::new(None::<String>);
    // Only a change of kind re-renders the screen: changes to the credential must not
    // reset the forms on it.
    let kind = Memo::new(move |_| shown.credential.with(|c| c.as_ref().map(|c| c.item.key_kind())));
    crate::app::spawn_read(async move {
        match manager.client().credential(&id).await {
            Ok(credential) => {
                shown.credential.set(Some(credential));
                if let Some(focus) = shown.landing {
                    manager.focus(focus);
                }
            }
            Err(e) => error.set(Some(manager.explain(&e))),
        }
    });
    view! {
        <div class="screen">
            {move || match shown.revealed.with(|r| r.as_ref().map(|r| (r.key.clone(), r.what.clone(), r.expires.clone()))) {
                Some((key, what, expires)) => {
                    let privileges = privileges_of(shown);
                    let legacy = kind.get_untracked().flatten() == Some(KeyKind::Legacy);
                    view! {
                        <KeyReveal key=key.clone() what=what expires=expires on_done=move |_| shown.revealed.set(None) />
                        {(!legacy).then(|| view! { <KeyTester key=key privileges=privileges /> })}
                    }.into_any()
                }
                None => view! {
                    <button type="button" class="link back" on:click=move |_| manager.screen.set(Screen::List)>{text.common.all_keys}</button>
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

fn privileges_of(shown: Shown) -> Vec<String> {
    shown.credential.with_untracked(|c| c.as_ref().map(|c| c.app.privileges.clone()).unwrap_or_default())
}

pub(crate) fn title_of(shown: Shown) -> String {
    shown.credential.with(|c| c.as_ref().map(|c| c.item.title.clone()).unwrap_or_default())
}

/// A key generated in a slot: tells the host, then shows it once as `what`.
fn reveal_issued(shown: Shown, issued: IssuedKey, what: String) {
    let number = issued.slot.number();
    let event = KeyIssued { slot: Some(number), expires_ms: Some(issued.expires_ms), key: Some(issued.key.clone()) };
    rotated(shown, SlotChange::Generated(number), Some(event));
    shown.revealed.set(Some(Revealed { key: issued.key, what, expires: Some(format_date(issued.expires_ms)) }));
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
        <RotationPanel shown=shown />
        <div class="slots">
            <SlotPanel shown=shown which=Slot::Primary />
            <SlotPanel shown=shown which=Slot::Secondary />
        </div>
        <Settings shown=shown />
        // The privileges as the page opened; the tester offers those with a service.
        <KeyTester privileges=privileges_of(shown) />
        {shown.credential.get_untracked().map(|credential| view! { <UsagePanel credential=credential /> })}
        <EditForm shown=shown />
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
        <Settings shown=shown />
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
    let problem = RwSignal::new(None::<String>);
    let replaced = shown
        .credential
        .with_untracked(|c| c.as_ref().and_then(|c| replaced_by(&c.item.type_keywords).map(str::to_owned)));
    if let Some(id) = replaced {
        crate::app::spawn_read(async move {
            // Gone already (deleted, or never readable): nothing to offer.
            if let Ok(found) = manager.client().credential(&id).await
                && found.item.key_kind() == Some(KeyKind::Legacy)
            {
                legacy.try_set(Some(found));
            }
        });
    }
    let delete = move |_| {
        let Some(mut retired) = legacy.get_untracked() else { return };
        if !confirm(&(t.delete_retired_confirm)(&retired.item.title)) {
            return;
        }
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
                    <button type="button" class="danger" on:click=delete>{(t.delete_retired)(&title)}</button>
                    <p class="error" role="alert">{move || problem.get()}</p>
                </section>
            }
        }))}
    }
}

#[component]
fn SlotPanel(shown: Shown, which: Slot) -> impl IntoView {
    // `slot` is a word the view macro reserves, hence the prop's name.
    let slot = which;
    let manager = shown.manager;
    let text = manager.text;
    let t = &text.detail;
    let now = manager.now();
    let number = slot.number();
    let heading = format!("slot-{number}");
    let heading_id = heading.clone();
    let expiration = RwSignal::new(default_expiration(now));
    let problem = RwSignal::new(None::<String>);
    let view_of = move || {
        shown.credential.with(|c| {
            c.as_ref().map_or(SlotView::Empty, |c| slot_view(&c.item, Some(&AppFacts::from(&c.app)), slot, now))
        })
    };
    let state = move || match view_of() {
        SlotView::Empty => t.no_key.to_owned(),
        SlotView::Active { expires_ms } => (t.active_until)(&format_date(expires_ms)),
        SlotView::Expired { expires_ms } => (t.expired_on)(&format_date(expires_ms)),
    };
    let generate = move |_| {
        let expires = match read_expiration(&text.fields, &expiration.get_untracked(), manager.now()) {
            Ok(expires) => expires,
            Err(why) => return problem.set(Some(why)),
        };
        problem.set(None);
        shown.issue(
            async move |client, credential| client.generate_key(credential, slot, expires).await,
            (text.common.key_n_of)(number, &title_of(shown)),
            |_| {},
            move |e| {
                problem.try_set(Some(manager.explain_as(&e.error, &e)));
            },
        );
    };
    let invalidate = move |_| {
        if !confirm(&(t.invalidate_confirm)(number)) {
            return;
        }
        problem.set(None);
        shown.change(
            async move |client, credential| client.invalidate_key(credential, slot).await,
            move |result| match result {
                Ok(_) => rotated(shown, SlotChange::Invalidated(number), None),
                Err(e) => problem.set(Some(manager.explain_as(&e.error, &e))),
            },
        );
    };
    let expiration_id = if slot == Slot::Primary { "slot-1-expiration" } else { "slot-2-expiration" };
    view! {
        <section class="slot" aria-labelledby=heading_id>
            <h2 id=heading>{(text.common.key_n)(number)}</h2>
            <p>{state}</p>
            <ExpirationField value=expiration id=expiration_id error=Signal::derive(move || problem.get()) />
            <div class="actions">
                {move || if view_of() == SlotView::Empty {
                    view! {
                        <button type="button" on:click=generate prop:disabled=move || shown.busy.get()>{text.common.generate_api_key}</button>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" on:click=generate prop:disabled=move || shown.busy.get()>{t.regenerate}</button>
                        <button type="button" class="danger" on:click=invalidate prop:disabled=move || shown.busy.get()>{t.invalidate}</button>
                    }.into_any()
                }}
            </div>
        </section>
    }
}

/// Every setting. Item access is shown by title once each item is read.
#[component]
fn Settings(shown: Shown) -> impl IntoView {
    let text: &'static Text = shown.manager.text;
    let (c, t) = (&text.common, &text.detail);
    let titles = RwSignal::new(HashMap::<String, String>::new());
    Effect::new(move |_| {
        let missing: Vec<String> = shown.credential.with(|c| {
            titles.with_untracked(|titles| {
                c.iter()
                    .flat_map(|c| c.app.privileges.iter())
                    .filter_map(|p| p.strip_prefix(ITEM_ACCESS_PREFIX))
                    .filter(|id| !titles.contains_key(*id))
                    .map(str::to_owned)
                    .collect()
            })
        });
        if missing.is_empty() {
            return;
        }
        crate::app::spawn_read(async move {
            let client = shown.manager.client();
            let read: Vec<(String, String)> = stream::iter(missing)
                .map(|id| {
                    let client = client.clone();
                    async move { client.item(&id).await.ok().map(|item| (id, item.title)) }
                })
                .buffer_unordered(6)
                .filter_map(std::future::ready)
                .collect()
                .await;
            // The screen may be gone by now.
            let _ = titles.try_update(|titles| titles.extend(read));
        });
    });
    let list = |values: Vec<String>, empty: &'static str| {
        if values.is_empty() {
            view! { <em>{empty}</em> }.into_any()
        } else {
            view! { <ul>{values.into_iter().map(|v| view! { <li>{v}</li> }).collect::<Vec<_>>()}</ul> }.into_any()
        }
    };
    move || {
        shown.credential.with(|credential| {
            credential.as_ref().map(|credential| {
                let labels = credential
                    .app
                    .privileges
                    .iter()
                    .filter(|p| !p.starts_with(ITEM_ACCESS_PREFIX))
                    .map(|id| text.privilege_label(id))
                    .collect();
                let items = credential
                    .app
                    .privileges
                    .iter()
                    .filter_map(|p| p.strip_prefix(ITEM_ACCESS_PREFIX))
                    .map(|id| titles.with(|titles| titles.get(id).cloned().unwrap_or_else(|| id.to_owned())))
                    .collect();
                view! {
                    <section aria-labelledby="settings">
                        <h2 id="settings">{t.settings}</h2>
                        <dl class="summary">
                            <dt>{t.item_id}</dt><dd><code>{credential.item.id.clone()}</code></dd>
                            <dt>{c.privileges}</dt><dd>{list(labels, c.none)}</dd>
                            <dt>{c.referrers}</dt><dd>{list(credential.app.http_referrers.clone(), t.any_site)}</dd>
                            <dt>{c.item_access}</dt><dd>{list(items, c.none)}</dd>
                            <dt>{c.tags}</dt><dd>{credential.item.tags.join(", ")}</dd>
                            <dt>{c.description}</dt><dd>{credential.item.description.clone()}</dd>
                            <dt>{t.created}</dt><dd>{format_date(credential.item.created)}</dd>
                            <dt>{t.modified}</dt><dd>{format_date(credential.item.modified)}</dd>
                        </dl>
                    </section>
                }
            })
        })
    }
}

/// Title, tags, description, referrers, privileges and item access. Whether a change
/// stops both keys is the core's call ([`CredentialUpdate::stops_keys`]); the form asks
/// for the acknowledgment when it says so, and reports what the portal's answer stopped.
#[component]
fn EditForm(shown: Shown) -> impl IntoView {
    let manager = shown.manager;
    let text = manager.text;
    let (c, t) = (&text.common, &text.detail);
    let current = shown.credential.get_untracked().expect("shown once read");
    let (services, item_ids) = split_privileges(&current.app);
    let current_items: Vec<ChosenItem> =
        item_ids.iter().map(|id| ChosenItem { id: id.clone(), title: id.clone() }).collect();
    let title = RwSignal::new(current.item.title.clone());
    let tag_text = RwSignal::new(current.item.tags.join(", "));
    let description = RwSignal::new(current.item.description.clone().unwrap_or_default());
    let referrers = RwSignal::new(current.app.http_referrers.join("\n"));
    let privileges = RwSignal::new(services);
    let items = RwSignal::new(current_items);
    let acknowledged = RwSignal::new(false);
    let open = RwSignal::new(shown.landing.is_some_and(Focus::in_edit_form));
    let problem = RwSignal::new(None::<String>);
    let saved = RwSignal::new(String::new());

    // The form's privileges and items as the update the core would send.
    let access_update = move || {
        let ids = items.with(|items| items.iter().map(|c| c.id.clone()).collect::<Vec<_>>());
        CredentialUpdate {
            privileges: Some(privileges.get()),
            item_access: ItemAccess::new(ids.iter().map(String::as_str)).ok(),
            ..CredentialUpdate::default()
        }
    };
    let stops_keys = move || {
        let update = access_update();
        shown.credential.with(|c| c.as_ref().is_some_and(|c| update.stops_keys(&c.app)))
    };

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(String::new());
        let update = (|| -> Result<CredentialUpdate, String> {
            let ids = items.get_untracked();
            CredentialUpdate {
                title: Some(Title::new(&title.get_untracked()).map_err(|e| e.rule)?),
                tags: Some(tags(&tag_text.get_untracked())),
                description: Some(description.get_untracked()),
                referrers: Some(
                    validate::referrers(lines(&referrers.get_untracked()).iter().map(String::as_str))
                        .map_err(|e| e.rule)?,
                ),
                privileges: Some(privileges.get_untracked()),
                item_access: Some(ItemAccess::new(ids.iter().map(|c| c.id.as_str())).map_err(|e| e.rule)?),
                ..CredentialUpdate::default()
            }
            .checked()
            .map_err(|e| e.rule)
        })();
        let update = match update {
            Ok(update) => update,
            Err(why) => return problem.set(Some(why)),
        };
        let stops = shown.credential.with_untracked(|c| c.as_ref().is_some_and(|c| update.stops_keys(&c.app)));
        if stops && !acknowledged.get_untracked() {
            return problem.set(Some(t.confirm_stop_first.into()));
        }
        problem.set(None);
        let acknowledgment = acknowledged.get_untracked().then_some(KeysStopWorking);
        shown.change(
            async move |client, credential| client.update_credential(credential, update, acknowledgment).await,
            move |result| match result {
                Ok(updated) => {
                    acknowledged.set(false);
                    open.set(false);
                    let stopped: Vec<u8> = updated.keys_stopped.iter().map(|s| s.number()).collect();
                    for slot in &stopped {
                        rotated(shown, SlotChange::Invalidated(*slot), None);
                    }
                    saved.set(if stopped.is_empty() { t.saved.into() } else { (t.saved_keys_stopped)(&stopped) });
                }
                Err(e) => {
                    for slot in &e.keys_stopped {
                        rotated(shown, SlotChange::Invalidated(slot.number()), None);
                    }
                    problem.set(Some(manager.explain_as(&e.error, &e)));
                }
            },
        );
    };
    view! {
        <section aria-labelledby="edit">
            <h2 id="edit">{t.edit}</h2>
            <p role="status">{move || saved.get()}</p>
            <button type="button" class="secondary" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>{t.edit_settings}</button>
            <form class="edit" class:hidden=move || !open.get() on:submit=save>
                <div class="field">
                    <label for="edit-title">{c.title}</label>
                    <input id="edit-title" required bind:value=title maxlength="250" />
                </div>
                <div class="field">
                    <label for="edit-tags">{c.tags}</label>
                    <input id="edit-tags" bind:value=tag_text />
                </div>
                <div class="field">
                    <label for="edit-description">{c.description}</label>
                    <textarea id="edit-description" rows="3" bind:value=description></textarea>
                </div>
                <ReferrersField value=referrers id="edit-referrers" />
                <PrivilegesPicker selected=privileges />
                <Show when=move || open.get()><ItemAccessPicker selected=items /></Show>
                <Show when=stops_keys>
                    <div class="warning-box" role="alert">
                        <p>{t.keys_stop_warning}</p>
                        <input type="checkbox" id="edit-acknowledge" prop:checked=move || acknowledged.get()
                            on:change=move |ev| acknowledged.set(event_target_checked(&ev)) />
                        <label for="edit-acknowledge">{t.acknowledge_stop}</label>
                    </div>
                </Show>
                <p class="error" role="alert">{move || problem.get()}</p>
                <button type="submit" prop:disabled=move || shown.busy.get()>{t.save}</button>
            </form>
        </section>
    }
}

/// Deleting needs the title typed out: it cannot be undone.
#[component]
fn DeleteForm(shown: Shown) -> impl IntoView {
    let manager = shown.manager;
    let text = manager.text;
    let typed = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let matches = move || typed.with(|t| t.trim() == title_of(shown).trim());
    let delete = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !matches() {
            return problem.set(Some(text.detail.type_exactly.into()));
        }
        let (id, title) = shown
            .credential
            .with_untracked(|c| c.as_ref().map(|c| (c.item.id.clone(), c.item.title.clone())).unwrap_or_default());
        shown.change(
            async |client, credential| client.delete_key(credential).await,
            move |result| match result {
                Ok(()) => {
                    manager.emit(ManagerEvent::KeyDeleted { id, title });
                    manager.screen.set(Screen::List)
                }
                Err(e) => problem.set(Some(manager.explain(&e))),
            },
        );
    };
    view! {
        <section aria-labelledby="delete" class="danger-zone">
            <h2 id="delete">{text.common.delete}</h2>
            <form on:submit=delete>
                <label for="delete-confirm">{move || (text.detail.type_to_confirm)(&title_of(shown))}</label>
                <input id="delete-confirm" bind:value=typed autocomplete="off" aria-describedby="delete-hint" />
                <p class="hint" id="delete-hint">{text.detail.delete_hint}</p>
                <p class="error" role="alert">{move || problem.get()}</p>
                <button type="submit" class="danger" prop:disabled=move || !matches() || shown.busy.get()>{text.common.delete}</button>
            </form>
        </section>
    }
}
