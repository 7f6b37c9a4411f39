//! One key slot of a credential: its key's state, and generating, regenerating and
//! invalidating it.

use arcgis_keys::model::{Credential, Slot};
use leptos::prelude::*;

use super::{Shown, rotated, title_of};

use crate::fields::{ExpirationField, read_expiration};
use crate::manager::SlotChange;
use crate::reveal::confirm;
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
    let view_of = move || shown.credential.with(view_in);
    // Prefilled so that regenerating keeps at least the life of the key it replaces.
    let prefill = shown.credential.with_untracked(|c| match c {
        Some(c) => default_expiration(c, slot, now),
        None => Expiration::default_from(now),
    });
    let expiration = RwSignal::new(format_date(prefill.epoch_ms()));
    let problem = RwSignal::new(None::<String>);
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
        // A live key stops when its slot is regenerated: say so, and until when the new one lives.
        let live = matches!(view_of(), SlotView::Active { .. });
        if live && !confirm(&(t.regenerate_confirm)(number, &format_date(expires.epoch_ms()))) {
            return;
        }
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
