//! What a credential holds: its privileges (by label), its items (by title), referrers.

use std::collections::HashMap;

use futures_util::{StreamExt, stream};
use leptos::prelude::*;

use super::Shown;

use crate::text::Text;
use arcgis_keys::dates::format_date;

/// Every setting. Item access is shown by title once each item is read.
#[component]
pub(super) fn Settings(shown: Shown) -> impl IntoView {
    let text: &'static Text = shown.manager.text;
    let (c, t) = (&text.common, &text.detail);
    let titles = RwSignal::new(HashMap::<String, String>::new());
    Effect::new(move |_| {
        let missing: Vec<String> = shown.credential.with(|c| {
            titles.with_untracked(|titles| {
                c.iter()
                    .flat_map(|c| arcgis_keys::privileges::split(&c.app.privileges).1)
                    .filter(|id| !titles.contains_key(id))
                    .collect()
            })
        });
        if missing.is_empty() {
            return;
        }
        crate::manager::spawn_read(async move {
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
                let (services, item_ids) = arcgis_keys::privileges::split(&credential.app.privileges);
                let labels = services.iter().map(|id| text.privilege_label(id)).collect();
                let items = item_ids
                    .into_iter()
                    .map(|id| titles.with(|titles| titles.get(&id).cloned().unwrap_or(id)))
                    .collect();
                view! {
                    <section aria-labelledby="settings">
                        <h2 id="settings">{t.settings}</h2>
                        <dl class="summary">
                            <dt>{t.item_id}</dt><dd><code>{credential.item.id.clone()}</code></dd>
                            <dt>{t.client_id}</dt><dd><code>{credential.app.client_id.clone()}</code></dd>
                            <dt>{t.owner}</dt><dd>{credential.item.owner.clone()}</dd>
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
