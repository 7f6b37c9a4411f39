//! Editing a credential in place (asking first when an edit stops the keys) and
//! deleting it (the title typed out, and the words naming the keys that stop).

use arcgis_keys::ops::update::{CredentialUpdate, KeysStopWorking};
use arcgis_keys::validate::{self, ItemAccess, Title};
use leptos::prelude::*;

use super::{Shown, last_use_words, live_keys, owner_words, rotated, title_of};

use crate::confirm::ConfirmDialog;

use crate::fields::{ChosenItem, ItemAccessPicker, PrivilegesPicker, ReferrersField, lines, tags};
use crate::icon::{Icon, icon};
use crate::manager::{Focus, ManagerEvent, SlotChange};

/// Title, tags, description, referrers, privileges and item access. Whether a change
/// stops both keys is the core's call ([`CredentialUpdate::stops_keys`]); the form warns
/// as soon as it does, asks in a dialog before saving, and reports what the portal's
/// answer stopped.
#[component]
pub(super) fn EditForm(shown: Shown) -> impl IntoView {
    let manager = shown.manager;
    let text = manager.text;
    let (c, t) = (&text.common, &text.detail);
    let current = shown.credential.get_untracked().expect("shown once read");
    let (services, item_ids) = arcgis_keys::privileges::split(&current.app.privileges);
    let current_items: Vec<ChosenItem> =
        item_ids.iter().map(|id| ChosenItem { id: id.clone(), title: id.clone() }).collect();
    let title = RwSignal::new(current.item.title.clone());
    let tag_text = RwSignal::new(current.item.tags.join(", "));
    let description = RwSignal::new(current.item.description.clone().unwrap_or_default());
    let referrers = RwSignal::new(current.app.http_referrers.join("\n"));
    let privileges = RwSignal::new(services);
    let items = RwSignal::new(current_items);
    let asking = RwSignal::new(false);
    // The checked update that waits for the dialog's answer.
    let waiting = StoredValue::new(None::<CredentialUpdate>);
    let open = RwSignal::new(shown.landing.is_some_and(Focus::in_edit_form));
    let problem = manager.problem();
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

    let send = move |update: CredentialUpdate, acknowledgment: Option<KeysStopWorking>| {
        shown.change(
            async move |client, credential| client.update_credential(credential, update, acknowledgment).await,
            move |result| match result {
                Ok(updated) => {
                    open.set(false);
                    let stopped: Vec<u8> = updated.keys_stopped.iter().map(|s| s.number()).collect();
                    for slot in &stopped {
                        rotated(shown, SlotChange::Invalidated(*slot), None);
                    }
                    saved.set(if stopped.is_empty() { t.saved.into() } else { (t.saved_keys_stopped)(&stopped) });
                    // The form closed under the focus: its button takes it.
                    manager.focus(Focus::EditSettings);
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
        problem.set(None);
        let stops = shown.credential.with_untracked(|c| c.as_ref().is_some_and(|c| update.stops_keys(&c.app)));
        if stops {
            waiting.set_value(Some(update));
            asking.set(true);
        } else {
            send(update, None);
        }
    };
    let confirm_stop = move |()| {
        if let Some(update) = waiting.try_update_value(Option::take).flatten() {
            send(update, Some(KeysStopWorking));
        }
        true
    };
    view! {
        <div class="edit-in-place">
            <p role="status">{move || saved.get()}</p>
            <button type="button" class="secondary" id="edit-settings" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>{icon(Icon::Edit)}{t.edit_settings}</button>
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
                    <p class="warning-box" role="status">{t.keys_stop_warning}</p>
                </Show>
                <p class="error" role="alert">{move || problem.get()}</p>
                <button type="submit" prop:disabled=move || shown.busy.get()>{t.save}</button>
            </form>
            <ConfirmDialog open=asking id="edit-stops" danger=true heading=t.edit_stops_heading.to_owned()
                action=t.edit_stops_action.to_owned() on_confirm=confirm_stop>
                <p>{move || (t.edit_stops)(&live_keys(shown), &title_of(shown))}</p>
                <p>{move || owner_words(shown)}</p>
                <p>{move || last_use_words(shown)}</p>
            </ConfirmDialog>
        </div>
    }
}

/// Deleting needs the title typed out, under words that say which keys stop: it cannot
/// be undone.
#[component]
pub(super) fn DeleteForm(shown: Shown) -> impl IntoView {
    let manager = shown.manager;
    let text = manager.text;
    let typed = RwSignal::new(String::new());
    let problem = manager.problem();
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
                    manager.announce((text.detail.deleted)(&title));
                    manager.emit(ManagerEvent::KeyDeleted { id, title });
                    manager.screen.set(manager.scope().list())
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
                <p class="hint" id="delete-hint">
                    {move || (text.detail.delete_stops)(&live_keys(shown))} " " {move || owner_words(shown)} " " {move || last_use_words(shown)}
                </p>
                <p class="error" role="alert">{move || problem.get()}</p>
                <button type="submit" class="danger" prop:disabled=move || !matches() || shown.busy.get()>{icon(Icon::Delete)}{text.common.delete}</button>
            </form>
        </section>
    }
}
