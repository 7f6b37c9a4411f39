//! Reading JS values into Rust types with serde: the portal's answers (after the
//! engine's `JSON.parse`) and the options objects callers pass.
//!
//! Written for this crate rather than taken from serde-wasm-bindgen, for size: it reads
//! only what JSON holds, and its errors name what was expected, never the value found.
//! Formatting the value found would link float formatting into the wasm (about 18 KB)
//! and could put a secret into a message. Serializing answers stays with
//! serde-wasm-bindgen's serializer.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen(module = "/js/answers.js")]
extern "C" {
    /// `[[a, b], …]` of numbers or decimal text, flattened; `undefined` for any other shape.
    #[wasm_bindgen(js_name = numberPairs)]
    fn number_pairs(value: &JsValue) -> Option<js_sys::Float64Array>;
}

/// Why a value does not fit: what was expected, and the innermost struct field it was
/// read for (`slot` in `{ keys: [{ slot: "x" }] }`), so the caller's error names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
    pub field: Option<&'static str>,
}

impl Error {
    fn new(message: String) -> Self {
        Error { message, field: None }
    }

    /// The error as met inside `field`, unless an inner field is already named.
    fn within(mut self, field: &'static str) -> Self {
        self.field.get_or_insert(field);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error::new(message.to_string())
    }

    fn invalid_type(_found: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Error::new(format!("invalid type: expected {expected}"))
    }

    fn invalid_value(_found: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Error::new(format!("invalid value: expected {expected}"))
    }

    fn missing_field(field: &'static str) -> Self {
        Error { message: "a value is required".into(), field: Some(field) }
    }
}

/// Reads `value` as `T`.
pub fn from_value<T: de::DeserializeOwned>(value: JsValue) -> Result<T, Error> {
    T::deserialize(Deserializer(value))
}

/// The largest integer a JS number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// `number` as an integer, if it is one that a JS number holds exactly.
fn integer(number: f64) -> Option<i64> {
    (number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER).then_some(number as i64)
}

fn expected(what: &str) -> Error {
    Error::new(format!("invalid type: expected {what}"))
}

struct Deserializer(JsValue);

impl<'de> de::Deserializer<'de> for Deserializer {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let value = self.0;
        if value.is_null() || value.is_undefined() {
            visitor.visit_unit()
        } else if let Some(flag) = value.as_bool() {
            visitor.visit_bool(flag)
        } else if let Some(number) = value.as_f64() {
            match integer(number) {
                Some(integer) => visitor.visit_i64(integer),
                None => visitor.visit_f64(number),
            }
        } else if let Some(text) = value.as_string() {
            visitor.visit_string(text)
        } else if Array::is_array(&value) {
            Deserializer(value).deserialize_seq(visitor)
        } else {
            Deserializer(value).deserialize_map(visitor)
        }
    }

    // Each typed entry point calls only the one visitor method its type accepts, so no
    // visitor has its other methods (and their errors) compiled in.

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_bool(self.0.as_bool().ok_or_else(|| expected("true or false"))?)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_i64(self.0.as_f64().and_then(integer).ok_or_else(|| expected("an integer"))?)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_f64(self.0.as_f64().ok_or_else(|| expected("a number"))?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_string(self.0.as_string().ok_or_else(|| expected("a string"))?)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if !Array::is_array(&self.0) {
            return Err(expected("an array"));
        }
        let array: Array = self.0.unchecked_into();
        let mut elements = Elements { length: array.length(), array, next: 0 };
        let value = visitor.visit_seq(&mut elements)?;
        // A tuple reads only its own length; more elements are a different shape.
        if elements.next != elements.length {
            return Err(Error::new(format!("invalid length: expected {} elements", elements.next)));
        }
        Ok(value)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if !self.0.is_object() || Array::is_array(&self.0) {
            return Err(expected("an object"));
        }
        let keys = Object::keys(self.0.unchecked_ref::<Object>());
        visitor.visit_map(Entries { keys, object: self.0, next: 0, current: None })
    }

    /// Reads only the struct's own fields, so the rest of a large answer is never copied.
    /// Field names go to JS once per struct type (see [`field_names`]) and never come
    /// back: the visitor gets the static name.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if !self.0.is_object() || Array::is_array(&self.0) {
            return Err(expected("an object"));
        }
        let names = field_names(fields);
        visitor.visit_map(Fields { object: self.0, fields, names, next: 0, current: None })
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_null() || self.0.is_undefined() { visitor.visit_none() } else { visitor.visit_some(self) }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // Only unit variants, named by strings (`"created"`, `"day"`).
        let name = self.0.as_string().ok_or_else(|| expected("a string"))?;
        visitor.visit_enum(name.into_deserializer())
    }

    /// A list of number pairs (a usage series) crosses from JS in one call when it has
    /// that shape; otherwise it is read value by value, with the errors that gives.
    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Error> {
        if name == arcgis_keys::NUMBER_PAIRS
            && let Some(flat) = number_pairs(&self.0)
        {
            return visitor.visit_newtype_struct(Pairs { flat: flat.to_vec(), next: 0 });
        }
        visitor.visit_newtype_struct(self)
    }

    /// Skipped values are not converted at all.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i128 u128 f32 char bytes byte_buf unit unit_struct
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _length: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _length: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }
}

/// Pairs of numbers already read from JS, `[a0, b0, a1, b1, …]`: a sequence of 2-tuples.
struct Pairs {
    flat: Vec<f64>,
    next: usize,
}

impl<'de> de::Deserializer<'de> for Pairs {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_seq(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de> de::SeqAccess<'de> for Pairs {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some(pair) = self.flat.get(self.next..self.next + 2) else { return Ok(None) };
        self.next += 2;
        seed.deserialize(de::value::SeqDeserializer::new(pair.iter().copied())).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.flat.len() - self.next) / 2)
    }
}

struct Elements {
    array: Array,
    length: u32,
    next: u32,
}

impl<'de> de::SeqAccess<'de> for Elements {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        if self.next == self.length {
            return Ok(None);
        }
        let element = self.array.get(self.next);
        self.next += 1;
        seed.deserialize(Deserializer(element)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.length - self.next) as usize)
    }
}

struct Entries {
    object: JsValue,
    keys: Array,
    next: u32,
    current: Option<JsValue>,
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        if self.next == self.keys.length() {
            return Ok(None);
        }
        let key = self.keys.get(self.next);
        self.next += 1;
        self.current = Some(key.clone());
        seed.deserialize(Deserializer(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let key = self.current.take().ok_or_else(|| de::Error::custom("a value without its key"))?;
        let value = Reflect::get(&self.object, &key).map_err(|_| de::Error::custom("an unreadable property"))?;
        seed.deserialize(Deserializer(value))
    }
}

thread_local! {
    /// Each struct's field names as JS strings, by the address of its `fields` list.
    static FIELD_NAMES: RefCell<Vec<(usize, Rc<[JsValue]>)>> = const { RefCell::new(Vec::new()) };
}

/// `fields` as JS strings, made on first use: converting names on every object was a
/// third of the time spent reading a page of 100 items.
fn field_names(fields: &'static [&'static str]) -> Rc<[JsValue]> {
    let address = fields.as_ptr() as usize;
    FIELD_NAMES.with_borrow_mut(|cache| {
        if let Some((_, names)) = cache.iter().find(|(a, _)| *a == address) {
            return names.clone();
        }
        let names: Rc<[JsValue]> = fields.iter().map(|f| JsValue::from_str(f)).collect();
        cache.push((address, names.clone()));
        names
    })
}

/// A struct's fields that are present, keyed by their static names, read one by one.
struct Fields {
    object: JsValue,
    fields: &'static [&'static str],
    names: Rc<[JsValue]>,
    next: usize,
    current: Option<(JsValue, &'static str)>,
}

impl<'de> de::MapAccess<'de> for Fields {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        while let Some(name) = self.names.get(self.next) {
            let field = self.fields[self.next];
            self.next += 1;
            let value = Reflect::get(&self.object, name).map_err(|_| de::Error::custom("an unreadable property"))?;
            if !value.is_undefined() {
                self.current = Some((value, field));
                return seed.deserialize(de::value::BorrowedStrDeserializer::new(field)).map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let (value, field) = self.current.take().ok_or_else(|| de::Error::custom("a value without its key"))?;
        seed.deserialize(Deserializer(value)).map_err(|error| error.within(field))
    }
}
