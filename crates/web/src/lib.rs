//! `arcgis-keys-web`: the npm package's Rust side. A [`Transport`](arcgis_keys::Transport)
//! over the global `fetch` ([`fetch`]), and the JavaScript API over the core: sign-in
//! ([`auth`]), a [`Session`](session::Session) with every key operation, the shapes that
//! cross ([`types`]) and the error classes ([`errors`]).
//!
//! Architecture invariant: JS conversion happens here and nowhere else in the workspace;
//! the core stays plain Rust.

pub mod auth;
mod errors;
pub mod fetch;
mod js_value;
pub mod session;
pub mod types;

pub use arcgis_keys as core;

use wasm_bindgen::prelude::*;

/// Every privilege a credential can hold, in the order the portal's picker shows them.
#[wasm_bindgen(unchecked_return_type = "Privilege[]")]
pub fn privileges() -> JsValue {
    let catalog: Vec<types::Privilege> = arcgis_keys::privileges::CATALOG
        .iter()
        .map(|p| types::Privilege {
            id: p.id.to_owned(),
            category: p.category.label().to_owned(),
            label: p.label.to_owned(),
            description: p.description.to_owned(),
            personal: arcgis_keys::privileges::is_personal(p.id),
            testable: arcgis_keys::ops::test_key::testable(p.id),
        })
        .collect();
    types::to_js(&catalog)
}
