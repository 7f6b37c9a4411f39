//! Showing a new key, once. The key is in the page only while this shows; "Done"
//! forgets it, and its bytes in wasm memory are zeroed. Leaving before copying asks
//! first (in a dialog), and so does closing the tab (the browser's own question).

use arcgis_keys::Secret;
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::confirm::ConfirmDialog;
use crate::icon::{Icon, icon};
use crate::manager::Manager;

/// The new key of `what` ("Key 1 of Maps app"), a Copy button, and Done.
#[component]
pub fn KeyReveal(
    key: Secret,
    what: String,
    /// The key's expiry date; legacy keys have none.
    expires: Option<String>,
    #[prop(into)] on_done: Callback<()>,
    /// Ids start with this, so several reveals can share a screen.
    #[prop(default = "new-key".into(), into)]
    id: String,
) -> impl IntoView {
    let t = &expect_context::<Manager>().text.reveal;
    let heading_id = format!("{id}-heading");
    let labelled_by = heading_id.clone();
    let input_id = id.clone();
    let key = StoredValue::new(Some(key));
    let copied = RwSignal::new(false);
    let copy_note = RwSignal::new(String::new());
    let unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if !copied.get_untracked() {
            ev.prevent_default();
        }
    });
    on_cleanup(move || unload.remove());

    // The key goes to the DOM and the clipboard straight from the `Secret`, never through
    // a `String` of its own, so dropping the `Secret` (Done) zeroes its only copy in wasm.
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move || {
        if let Some(input) = input.get() {
            key.with_value(|k| input.set_value(k.as_ref().map_or("", Secret::expose)));
        }
    });
    let copy = move |_| {
        let Some(writing) =
            key.with_value(|k| k.as_ref().map(|k| window().navigator().clipboard().write_text(k.expose())))
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            let written = JsFuture::from(writing).await;
            match written {
                Ok(_) => {
                    copied.set(true);
                    copy_note.set(t.copied.into());
                }
                Err(_) => copy_note.set(t.copy_refused.into()),
            }
        });
    };
    let forget = move || {
        key.set_value(None);
        on_done.run(());
    };
    let asking = RwSignal::new(false);
    let done = move |_| {
        if copied.get_untracked() {
            forget();
        } else {
            asking.set(true);
        }
    };
    let leave_id = format!("{id}-leave");
    // The key appears where the action was: the focus goes to it, so it is heard first.
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move || {
        if let Some(heading) = heading.get() {
            request_animation_frame(move || {
                let _ = heading.focus();
            });
        }
    });
    view! {
        <section class="reveal" aria-labelledby=labelled_by>
            <h2 id=heading_id tabindex="-1" node_ref=heading>{t.heading}</h2>
            <p>{(t.which)(&what, expires.as_deref())} <strong>{t.copy_now}</strong></p>
            <label for=id>{t.key}</label>
            <input id=input_id class="key" readonly spellcheck="false" autocomplete="off" node_ref=input />
            <div class="actions">
                <button type="button" on:click=copy>
                    {move || if copied.get() { (icon(Icon::Check), t.copied_button) } else { (icon(Icon::Copy), t.copy) }}
                </button>
                <button type="button" class="secondary" on:click=done>{t.done}</button>
            </div>
            <p role="status">{move || copy_note.get()}</p>
            <ConfirmDialog open=asking id=leave_id danger=true heading=t.leave_heading.to_owned()
                action=t.leave_action.to_owned() on_confirm=move |()| { forget(); true }>
                <p>{t.leave_uncopied}</p>
            </ConfirmDialog>
        </section>
    }
}
