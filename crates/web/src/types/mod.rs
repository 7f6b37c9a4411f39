//! The shapes that cross to JavaScript: options in, plain objects out. Each derives
//! `Tsify` for its TypeScript declaration; values go out through serde-wasm-bindgen
//! ([`to_js`]) and come in through [`crate::js_value`] ([`from_js`]).
//!
//! Conventions, the same everywhere: names are camelCase; every date is a `number` of
//! milliseconds since the Unix epoch (what the portal uses; `new Date(ms)` reads it);
//! an absent value in an answer is `null`; options may leave optional fields out.

use arcgis_keys::model::Slot as CoreSlot;
use arcgis_keys::{Field, InputError};
use serde::Serialize;
use wasm_bindgen::JsValue;

mod credential;
#[cfg(feature = "doctor")]
mod doctor;
mod edits;
mod keys;
mod listing;
mod sign_in;
mod usage;

pub use credential::*;
#[cfg(feature = "doctor")]
pub use doctor::*;
pub use edits::*;
pub use keys::*;
pub use listing::*;
pub use sign_in::*;
pub use usage::*;

/// Answers are plain objects with `null` for absent values.
pub(crate) fn to_js<T: Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .expect("answers hold only strings, booleans, safe integers and arrays")
}

/// Reads an options object; a wrong shape is an input error naming the field that does
/// not fit, or `what` when the whole argument does not.
pub(crate) fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &'static str) -> Result<T, InputError> {
    let value = if value.is_undefined() { JsValue::from(js_sys::Object::new()) } else { value };
    crate::js_value::from_value(value)
        .map_err(|error| InputError::new(Field::Option(error.field.unwrap_or(what)), error.to_string()))
}

/// An item id from JavaScript: a string of 32 hexadecimal characters and nothing else.
/// Checked before anything is sent; a number or an object never reaches the wasm as a
/// string (wasm-bindgen would read it as one and trap).
pub(crate) fn item_id(value: &JsValue) -> Result<String, InputError> {
    let text =
        value.as_string().ok_or_else(|| InputError::new(Field::Id, "Give the credential's item id as a string."))?;
    let id = text.trim().to_ascii_lowercase();
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(InputError::new(Field::Id, "This is not an item id: an item id is 32 hexadecimal characters."));
    }
    Ok(id)
}

/// A key slot as JavaScript numbers it.
pub(crate) fn slot(number: u8) -> Result<CoreSlot, InputError> {
    CoreSlot::from_number(number).ok_or_else(slot_rule)
}

/// A slot given as a bare JS value: exactly the number 1 or 2 (not 257, not 1.5, not "1").
pub(crate) fn slot_of(value: &JsValue) -> Result<CoreSlot, InputError> {
    match value.as_f64() {
        Some(1.0) => Ok(CoreSlot::Primary),
        Some(2.0) => Ok(CoreSlot::Secondary),
        _ => Err(slot_rule()),
    }
}

fn slot_rule() -> InputError {
    InputError::new(Field::Slot, "A credential has two key slots: use 1 or 2.")
}

// ---- Options -------------------------------------------------------------------------
