//! `arcgis-keys-web`: the npm package's Rust side. A [`Transport`](arcgis_keys::Transport)
//! over the global `fetch` ([`fetch`]), and the JavaScript API over the core: a
//! [`Session`](session::Session) with every key operation and the functions that sign one
//! in, by API area ([`session`]), the shapes that cross ([`types`]) and the error classes ([`errors`]). The API is the default feature
//! `api`; without it the crate is the transport alone, for the widget.
//!
//! Architecture invariant: JS conversion happens here and nowhere else in the workspace;
//! the core stays plain Rust.

#[cfg(feature = "api")]
mod errors;
pub mod fetch;
mod js_value;
pub mod oauth;
#[cfg(feature = "api")]
pub mod session;
#[cfg(feature = "api")]
mod steps;
pub mod tab_session;
#[cfg(feature = "api")]
pub mod types;

pub use arcgis_keys as core;

#[cfg(feature = "api")]
use wasm_bindgen::prelude::*;

/// Every privilege a credential can hold, in the order the portal's picker shows them.
#[cfg(feature = "api")]
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

/// How legacy API key scopes become current privileges when a legacy key is replaced:
/// the scopes listed here have an equivalent; any other legacy scope must be chosen by
/// the user (`replaceLegacyKey` names it in `unmapped`).
#[cfg(feature = "api")]
#[wasm_bindgen(js_name = legacyPrivilegeMap, unchecked_return_type = "LegacyScope[]")]
pub fn legacy_privilege_map() -> JsValue {
    let map: Vec<types::LegacyScope> = arcgis_keys::ops::legacy::LEGACY_PRIVILEGE_MAP
        .iter()
        .map(|(legacy, current)| types::LegacyScope {
            legacy: (*legacy).to_owned(),
            privileges: current.iter().map(|p| p.to_string()).collect(),
        })
        .collect();
    types::to_js(&map)
}

/// An expiry as the command line's `--expires` takes it: a number of days (`90d`) or a
/// date (`2027-03-31`), each meaning the end of that day, UTC, at most a year ahead. The
/// same instant the manager's date field and `generateKey`'s `expires` store. Throws an
/// `InputError` (`field: "expires"`) saying what to write instead.
#[cfg(feature = "api")]
#[wasm_bindgen(js_name = parseExpiry, unchecked_return_type = "number")]
pub fn parse_expiry(#[wasm_bindgen(unchecked_param_type = "string")] text: JsValue) -> Result<JsValue, JsValue> {
    let now = js_sys::Date::now() as i64;
    let text = text.as_string().unwrap_or_default();
    match arcgis_keys::validate::Expiration::parse(&text, now) {
        Ok(at) => Ok(JsValue::from(at.epoch_ms() as f64)),
        Err(error) => Err(errors::Failure::from(error).into()),
    }
}

/// A number of days written `30d`, as the command line's flags take them; `null` for
/// anything else.
#[cfg(feature = "api")]
#[wasm_bindgen(js_name = parseDays, unchecked_return_type = "number | null")]
pub fn parse_days(#[wasm_bindgen(unchecked_param_type = "string")] text: JsValue) -> JsValue {
    match text.as_string().and_then(|t| arcgis_keys::dates::parse_days(&t)) {
        Some(days) => JsValue::from(days as f64),
        None => JsValue::NULL,
    }
}

/// The slot a key was issued for, read from the key itself; `null` for a legacy key or
/// text that is no credential key. (The command line's `scan` and `rotate` use it.)
#[cfg(feature = "api")]
#[wasm_bindgen(js_name = slotOfKey, unchecked_return_type = "1 | 2 | null")]
pub fn slot_of_key(#[wasm_bindgen(unchecked_param_type = "string")] key: JsValue) -> JsValue {
    match key.as_string().and_then(|k| arcgis_keys::model::Slot::of_key(&k)) {
        Some(slot) => JsValue::from(slot.number()),
        None => JsValue::NULL,
    }
}
