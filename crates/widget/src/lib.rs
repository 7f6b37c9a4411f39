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

/// Mounts the manager into `target`, offering `portal` first on the sign-in screen
/// (ArcGIS Online when absent). The manager stays for the life of the page.
#[wasm_bindgen]
pub fn mount(target: web_sys::HtmlElement, portal: Option<String>) {
    use leptos::prelude::*;
    let options = KeyManagerOptions { portal };
    leptos::mount::mount_to(target, move || view! { <KeyManager options=options /> }).forget();
}
