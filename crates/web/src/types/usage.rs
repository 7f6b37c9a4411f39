//! Usage and the key tester.

use serde::{Deserialize, Serialize};
use tsify::Tsify;

#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/answers.js")]
extern "C" {
    /// `UsagePoint` objects made in JS from three columns: a million points in one
    /// crossing, where serializing them one by one took most of a second.
    #[wasm_bindgen(js_name = usagePoints)]
    pub(crate) fn usage_points(at: &[f64], count: &[f64], credits: &[f64]) -> js_sys::Array;
}

/// The length of one point of a usage series.
#[derive(Deserialize, Tsify, Clone, Copy, Default)]
#[serde(rename_all = "camelCase")]
pub enum UsagePeriod {
    Hour,
    #[default]
    Day,
    Week,
    Month,
}

/// `usage`.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct UsageOptions {
    /// Epoch ms.
    pub start: i64,
    /// Epoch ms.
    pub end: i64,
    /// Default `"day"`.
    #[serde(default)]
    #[tsify(optional)]
    pub period: Option<UsagePeriod>,
}

/// `testKey`.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct TestKeyOptions {
    pub key: String,
    /// A location-service privilege (`testable: true` in `privileges()`).
    pub privilege: String,
    /// One host serving every service path (a proxy, or the local emulator's origin).
    /// Default: ArcGIS Location Platform's hosts.
    #[serde(default)]
    #[tsify(optional)]
    pub service_base: Option<String>,
}

// ---- Answers -------------------------------------------------------------------------

/// Built in JS from columns (`usagePoints` in `js/answers.js`): declared here for the types.
#[derive(Tsify)]
#[tsify(missing_as_null)]
pub struct UsagePoint {
    /// The period's start, epoch ms.
    pub at: i64,
    pub count: f64,
    pub credits: f64,
}

/// Uses of one service operation.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct UsageSeries {
    /// The service, e.g. `"geocode"`.
    pub service: String,
    /// The operation counted, e.g. `"geocodecnt"`.
    pub operation: String,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[tsify(type = "UsagePoint[]")]
    pub points: js_sys::Array,
}

/// What the location service said to a key.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct KeyVerdict {
    pub accepted: bool,
    /// `false` when the service refused the test request itself (a 400, a 500): that
    /// says nothing about the key.
    pub judged: bool,
    /// When refused: 498 (invalid or expired key), 499 (no key) or 403 (not permitted
    /// here); when not judged, the service's code.
    pub code: Option<u16>,
    pub message: Option<String>,
}
