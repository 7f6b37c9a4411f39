//! Asking before an action that stops a live key or loses something: an in-page modal
//! `<dialog>`. The browser traps focus in it, Escape cancels, and focus goes back to the
//! control that opened it. The words name what stops; a caller may put fields inside
//! (a regenerated key's expiry is chosen there).

use leptos::prelude::*;

use crate::manager::Manager;

/// A modal dialog with `children` as its body, an action button and Cancel. Shown while
/// `open` holds; Cancel, Escape and a confirmed action close it. The body exists only
/// while it shows, so a closed dialog leaves nothing in the page (no duplicate ids or
/// words), and its fields start from what the screen holds at opening.
#[component]
pub fn ConfirmDialog(
    open: RwSignal<bool>,
    /// The dialog's id; its heading's is `{id}-heading`.
    #[prop(into)]
    id: String,
    #[prop(into)] heading: Signal<String>,
    /// The action button's words: what it does ("Invalidate key 1").
    #[prop(into)]
    action: Signal<String>,
    /// Whether the action cannot be undone: Cancel then has the first focus.
    #[prop(optional)]
    danger: bool,
    /// Runs on the action; the dialog stays open when it returns `false` (a field in it
    /// is wrong, and says so).
    #[prop(into)]
    on_confirm: Callback<(), bool>,
    children: ChildrenFn,
) -> impl IntoView {
    let t = &expect_context::<Manager>().text.common;
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move || {
        let (Some(dialog), wanted) = (dialog.get(), open.get()) else { return };
        if wanted && !dialog.open() {
            // Fails only if the dialog is not in the document, when there is nothing to show.
            let _ = dialog.show_modal();
        } else if !wanted && dialog.open() {
            dialog.close();
        }
    });
    let heading_id = format!("{id}-heading");
    let labelled_by = heading_id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if on_confirm.run(()) {
            open.set(false);
        }
    };
    view! {
        <dialog id=id node_ref=dialog class="confirm" aria-labelledby=labelled_by on:close=move |_| open.set(false)>
            // The manager checks fields itself and says why at the field: no browser bubble.
            <form on:submit=submit novalidate>
                <h2 id=heading_id>{heading}</h2>
                <Show when=move || open.get()>{children()}</Show>
                <div class="actions">
                    <button type="submit" class:danger=danger>{action}</button>
                    <button type="button" class="secondary" autofocus=danger on:click=move |_| open.set(false)>{t.cancel}</button>
                </div>
            </form>
        </dialog>
    }
}
