//! `arcgis-keys-web`: the browser side of arcgis-keys.
//!
//! Will hold the fetch [`Transport`](arcgis_keys::Transport) and the wasm-bindgen JS API
//! (npm package issue). JS conversion happens here and nowhere else in the workspace.

pub use arcgis_keys as core;
