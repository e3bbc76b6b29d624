//! # edgetune-api
//!
//! The HTTP API of edgetune as data, sans-IO: what clients send ([`requests`]), what
//! the service answers ([`views`], [`ax`]), and the route table ([`routes`]) that binds
//! them to methods and paths. The Worker routes by the table and serializes these
//! types; with the `schema` feature, [`openapi::document`] generates the OpenAPI 3.1
//! document from the same table and the types' JSON Schema, so every shape is written
//! once, in Rust.
//!
//! ## Adding a route
//! 1. Write its body, query and answer types in [`requests`] and [`views`] (derive
//!    through `shape!`, deny unknown fields).
//! 2. Add one row to the table in [`routes`]: method, path, auth, tag, summary, and the
//!    types. The OpenAPI document now has it.
//! 3. Add its arm to the Worker's router (`crates/worker/src/router.rs`): the `match`
//!    on [`routes::RouteId`] is exhaustive, so the build fails until the route is
//!    handled. Its end-to-end test validates the answer against the document.
#![warn(missing_docs)]

pub mod automations;
pub mod ax;
#[cfg(feature = "schema")]
pub mod descriptions;
pub mod entropy;
pub mod exec;
pub mod failure;
pub mod heartbeat;
pub mod mcp;
pub mod observations;
#[cfg(feature = "schema")]
pub mod openapi;
pub mod parse;
pub mod requests;
pub mod routes;
pub mod specs;
pub mod study_op;
pub mod time;
pub mod views;
