//! One key slot of a credential as a card: its key's state and real expiry, and only the
//! actions that apply. An empty or expired slot generates in place; replacing or stopping
//! a live key asks first, in a dialog that names the key, says when the credential was
//! last used, and (to regenerate) holds the new key's expiry.

use arcgis_keys::model::{Credential, Slot};
use leptos::prelude::*;

use super::{Shown, last_use_words, owner_words, rotated, title_of};

use crate::confirm::ConfirmDialog;
use crate::fields::{ExpirationField, read_expiration};
use crate::icon::{Icon, icon};
use crate::manager::{Focus, SlotChange};
use arcgis_keys::attention::{AppFacts, SlotView, slot_view};
use arcgis_keys::dates::format_date;
use arcgis_keys::ops::keys::default_expiration;
use arcgis_keys::validate::Expiration;

#[component]
pub(super) fn SlotPanel(shown: Shown, which: Slot) -> impl IntoView {
    // `slot` is a word the view macro reserves, hence the prop's name.
    let slot = which;
    let manager = shown.manager;
    let text = manager.text;
    let t = &text.detail;
    let now = manager.now();
    let number = slot.number();
    let heading = format!("slot-{number}");
    let heading_id = heading.clone();
    let view_in = move |c: &Option<Credential>| match c {
        Some(c) => slot_view(&c.item, Some(&AppFacts::from(&c.app)), slot, now),
        None => SlotView::Empty,
    };
    let view_of = Memo::new(move |_| shown.credential.with(view_in));
    // The date a new key in this slot gets unless the user picks another: a live key it
    // replaces keeps at least its life.
    let default_date = move || {
        let expiration = shown.credential.with_untracked(|c| match c {
            Some(c) => default_expiration(c, slot, manager.now()),
            None => Expiration::default_from(manager.now()),
        });
        format_date(expiration.epoch_ms())
    };
    let expiration = RwSignal::new(default_date());
    // What went wrong, at the card; and the dialog's own, at its date field.
    let problem = manager.problem();
    let dialog_problem = manager.problem();
    // A date refused in the dialog stops being wrong once the user picks another.
    Effect::new(move |_| {
        expiration.track();
        dialog_problem.set(None);
    });
    let asking_regenerate = RwSignal::new(false);
    let asking_invalidate = RwSignal::new(false);
    let state = move || match view_of.get() {
        SlotView::Empty => t.no_key.to_owned(),
        SlotView::Active { expires_ms } => (t.active_until)(&format_date(expires_ms)),
        SlotView::Expired { expires_ms } => (t.expired_on)(&format_date(expires_ms)),
    };
    // The portal keeps no key's birth; arcgis-keys' record on the credential does.
    let made = move || {
        let live = matches!(view_of.get(), SlotView::Active { .. });
        let made = shown.credential.with(|c| c.as_ref().and_then(|c| c.keys_record().made(slot)));
        made.filter(|_| live).map(format_date)
    };
    let pill = move || match view_of.get() {
        SlotView::Empty => ("pill", None, t.pill_empty),
        SlotView::Active { .. } => ("pill ok", Some(Icon::Check), t.pill_active),
        SlotView::Expired { .. } => ("pill alarm", Some(Icon::Warning), t.pill_expired),
    };
    // Generates with the date in the field; `false`, and why at `field_problem`, when the
    // date is wrong. The portal's refusal is said at the card.
    let generate = move |field_problem: RwSignal<Option<String>>| -> bool {
        let expires = match read_expiration(&text.fields, &expiration.get_untracked(), manager.now()) {
            Ok(expires) => expires,
            Err(why) => {
                field_problem.set(Some(why));
                return false;
            }
        };
        field_problem.set(None);
        problem.set(None);
        shown.issue(
            async move |client, credential| client.generate_key(credential, slot, expires).await,
            (text.common.key_n_of)(number, &title_of(shown)),
            |_| {},
            move |e| {
                problem.try_set(Some(manager.explain_as(&e.error, &e)));
            },
        );
        true
    };
    let invalidate = move || {
        problem.set(None);
        shown.change(
            async move |client, credential| client.invalidate_key(credential, slot).await,
            move |result| match result {
                Ok(_) => {
                    rotated(shown, SlotChange::Invalidated(number), None);
                    manager.announce((t.invalidated)(number, &title_of(shown)));
                    // The Invalidate button is gone: the card's Generate takes the focus.
                    manager.focus(Focus::Slot(slot));
                }
                Err(e) => problem.set(Some(manager.explain_as(&e.error, &e))),
            },
        );
    };
    let ask_regenerate = move |_| {
        expiration.set(default_date());
        dialog_problem.set(None);
        asking_regenerate.set(true);
    };
    let (expiration_id, regenerate_id, dialog_expiration_id) = match slot {
        Slot::Primary => ("slot-1-expiration", "slot-1-regenerate", "regenerate-1-expiration"),
        Slot::Secondary => ("slot-2-expiration", "slot-2-regenerate", "regenerate-2-expiration"),
    };
    let (regenerate_dialog, invalidate_dialog) = match slot {
        Slot::Primary => ("regenerate-1", "invalidate-1"),
        Slot::Secondary => ("regenerate-2", "invalidate-2"),
    };
    let busy = move || shown.busy.get();
    view! {
        <section class="slot card" aria-labelledby=heading_id>
            <div class="card-heading">
                <h3 id=heading>{(text.common.key_n)(number)}</h3>
                {move || { let (class, symbol, word) = pill(); view! { <span class=class>{symbol.map(icon)}{word}</span> } }}
            </div>
            <p class="state">{state}</p>
            {move || made().map(|date| view! { <p class="hint">{(t.made_on)(&date)}</p> })}
            {move || match view_of.get() {
                // Nothing live to stop: choose the date here and generate.
                SlotView::Empty | SlotView::Expired { .. } => view! {
                    <ExpirationField value=expiration id=expiration_id error=Signal::derive(move || problem.get()) />
                    <div class="actions">
                        <button type="button" on:click=move |_| { generate(problem); } prop:disabled=busy>
                            {if view_of.get_untracked() == SlotView::Empty { (icon(Icon::Key), text.common.generate_api_key) } else { (icon(Icon::Refresh), t.regenerate) }}
                        </button>
                        {(view_of.get_untracked() != SlotView::Empty).then(|| view! {
                            <button type="button" class="secondary" on:click=move |_| invalidate() prop:disabled=busy>{icon(Icon::Invalidate)}{t.invalidate}</button>
                        })}
                    </div>
                }.into_any(),
                SlotView::Active { .. } => view! {
                    <div class="actions">
                        <button type="button" id=regenerate_id on:click=ask_regenerate prop:disabled=busy>{icon(Icon::Refresh)}{t.regenerate}</button>
                        <button type="button" class="danger" on:click=move |_| asking_invalidate.set(true) prop:disabled=busy>{icon(Icon::Invalidate)}{t.invalidate}</button>
                    </div>
                    <p class="error" role="alert">{move || problem.get()}</p>
                }.into_any(),
            }}
            <ConfirmDialog open=asking_regenerate id=regenerate_dialog danger=true
                heading=Signal::derive(move || (t.regenerate_heading)(number))
                action=Signal::derive(move || (t.regenerate_action)(number))
                on_confirm=move |()| generate(dialog_problem)>
                <p>{move || (t.regenerate_stops)(number, &title_of(shown))}</p>
                <p>{move || owner_words(shown)}</p>
                <p>{move || last_use_words(shown)}</p>
                <ExpirationField value=expiration id=dialog_expiration_id label=t.new_key_expiration
                    error=Signal::derive(move || dialog_problem.get()) />
            </ConfirmDialog>
            <ConfirmDialog open=asking_invalidate id=invalidate_dialog danger=true
                heading=Signal::derive(move || (t.invalidate_heading)(number))
                action=Signal::derive(move || (t.invalidate_action)(number))
                on_confirm=move |()| { invalidate(); true }>
                <p>{move || (t.invalidate_stops)(number, &title_of(shown))}</p>
                <p>{move || owner_words(shown)}</p>
                <p>{move || last_use_words(shown)}</p>
            </ConfirmDialog>
        </section>
    }
}
