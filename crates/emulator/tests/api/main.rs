//! HTTP-level tests of the emulator: every endpoint with success and error cases, the
//! control surface, concurrency, persistence, and the two flows of the contract.
//! One test binary, one module per API area.

mod api_keys;
mod apps;
mod auth;
mod content;
mod control;
mod flows;
mod harness;
mod hostile;
mod open_points;
mod persistence;
mod search;
mod services;
