//! `arcgis-keys-widget`: the key manager UI, Leptos components over the core.
//!
//! [`KeyManager`] is the whole manager, for Leptos apps; [`mount`] is the Rust side of
//! the `<arcgis-api-key-manager>` custom element (`js/element.js`), which is how pages
//! without Leptos embed it, the standalone site included. Screens: [`sign_in`], [`list`], [`create`], [`detail`];
//! shared form fields in [`fields`]; showing a new key once in [`reveal`]. The rules for
//! dates, badges and the export are the core's; [`badges`] is how badges look here.
//!
//! Components use the core types directly; only [`element`] converts to JS values.

pub mod app;
mod badges;
mod chart;
mod confirm;
mod create;
mod detail;
mod element;
mod fields;
mod health;
mod icon;
mod list;
pub mod manager;
mod policy_panel;
mod replace;
mod reveal;
mod sign_in;
mod tester;
pub mod text;
mod usage;

pub use app::KeyManager;
pub use arcgis_keys as core;
pub use element::{MountedManager, mount};
pub use manager::{KeyIssued, KeyManagerOptions, ManagerEvent, Screen, SlotChange};
