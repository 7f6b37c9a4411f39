//! `arcgis-keys-widget`: the key manager UI.
//!
//! Will hold the Leptos components and the `<arcgis-api-key-manager>` custom element
//! (manager UI issue). It uses the core types directly; only the custom-element shim
//! converts to and from JS.

pub use arcgis_keys as core;
