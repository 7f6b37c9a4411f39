//! A JSON value the core keeps whole without a JSON library: an item's `properties`,
//! of which arcgis-keys owns one key and must write the rest back as it found it
//! (an update replaces the object whole). Read through serde from whatever the
//! transport parsed; written as text for a form field.

use std::fmt::Write;

use crate::request::json_string;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// Any JSON value. An object keeps its keys in the order they came.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

// A value parsed from JSON holds no NaN, so equality is an equivalence here.
impl Eq for Json {}

impl Json {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// An object's member `key` set to `value` (in place if present, else last); a value
    /// that is not an object becomes one.
    pub fn set(&mut self, key: &str, value: Json) {
        if !matches!(self, Json::Object(_)) {
            *self = Json::Object(Vec::new());
        }
        if let Json::Object(members) = self {
            match members.iter_mut().find(|(k, _)| k == key) {
                Some((_, place)) => *place = value,
                None => members.push((key.to_owned(), value)),
            }
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Number(n) if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 => Some(*n as i64),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(flag) => Some(*flag),
            _ => None,
        }
    }

    /// The value as JSON text; `number` writes a number that is not an integer (the
    /// transport's [`crate::Transport::json_number`]).
    pub fn to_text(&self, number: &dyn Fn(f64) -> String) -> String {
        let mut out = String::new();
        self.write(&mut out, number);
        out
    }

    fn write(&self, out: &mut String, number: &dyn Fn(f64) -> String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
            Json::Number(n) => match self.as_i64() {
                Some(integer) => {
                    let _ = write!(out, "{integer}");
                }
                None if n.is_finite() => out.push_str(&number(*n)),
                // JSON has no NaN or infinity; nothing the transport parsed holds one.
                None => out.push_str("null"),
            },
            Json::String(text) => out.push_str(&json_string(text)),
            Json::Array(values) => {
                out.push('[');
                for (i, value) in values.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    value.write(out, number);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&json_string(key));
                    out.push(':');
                    value.write(out, number);
                }
                out.push('}');
            }
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        Json::deserialize(deserializer)
    }

    fn visit_bool<E>(self, flag: bool) -> Result<Json, E> {
        Ok(Json::Bool(flag))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Json, E> {
        Ok(Json::Number(n as f64))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Json, E> {
        Ok(Json::Number(n as f64))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Json, E> {
        Ok(Json::Number(n))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Json, E> {
        Ok(Json::String(text.to_owned()))
    }

    fn visit_string<E>(self, text: String) -> Result<Json, E> {
        Ok(Json::String(text))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut values = Vec::new();
        while let Some(value) = seq.next_element()? {
            values.push(value);
        }
        Ok(Json::Array(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Json>()? {
            members.push((key, value));
        }
        Ok(Json::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_read_is_written_back_the_same() {
        for text in [
            r#"{"hub":{"schemaVersion":2,"tags":["a","b"]},"ratio":0.25,"big":12345678901234,"flag":false,"none":null}"#,
            r#"{"quote":"say \"hi\"\\\n\t\u0001","unicode":"Zürich ✓"}"#,
            r#"[]"#,
        ] {
            let value: Json = serde_json::from_str(text).unwrap();
            let again: serde_json::Value = serde_json::from_str(&value.to_text(&|n: f64| n.to_string())).unwrap();
            assert_eq!(again, serde_json::from_str::<serde_json::Value>(text).unwrap(), "{text}");
        }
    }

    #[test]
    fn set_replaces_in_place_or_adds() {
        let mut value: Json = serde_json::from_str(r#"{"a":1,"b":2}"#).unwrap();
        value.set("a", Json::Bool(true));
        value.set("c", Json::Null);
        assert_eq!(value.to_text(&|n: f64| n.to_string()), r#"{"a":true,"b":2,"c":null}"#);
        let mut not_object = Json::Number(3.0);
        not_object.set("k", Json::String("v".into()));
        assert_eq!(not_object.to_text(&|n: f64| n.to_string()), r#"{"k":"v"}"#);
    }
}
