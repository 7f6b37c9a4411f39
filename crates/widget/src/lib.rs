//! `arcgis-keys-widget`: the key manager UI, Leptos components over the core.
//!
//! [`KeyManager`] is the whole manager; [`mount`] puts it into any element (the
//! standalone site's entry). Screens: [`sign_in`], [`list`], [`create`], [`detail`];
//! shared form fields in [`fields`]; showing a new key once in [`reveal`]. Dates and
//! badges are pure functions ([`dates`], [`attention`]), tested natively.
//!
//! Components use the core types directly; this crate converts nothing to JS beyond
//! [`mount`]'s arguments.

pub mod app;
pub mod attention;
mod create;
pub mod dates;
mod detail;
mod fields;
mod list;
mod reveal;
mod sign_in;

pub use app::{KeyManager, KeyManagerOptions};
pub use arcgis_keys as core;

use wasm_bindgen::prelude::*;

/// Mounts the manager into `target`. The sign-in screen offers `portal` first (ArcGIS
/// Online when absent) and `client_id` for "Sign in with ArcGIS". The manager stays for
/// the life of the page.
#[wasm_bindgen]
pub fn mount(target: web_sys::HtmlElement, portal: Option<String>, client_id: Option<String>) {
    use leptos::prelude::*;
    let options = KeyManagerOptions { portal, client_id };
    leptos::mount::mount_to(target, move || view! { <KeyManager options=options /> }).forget();
}
