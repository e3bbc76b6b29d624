//! # edgetune-api
//!
//! The HTTP API of edgetune as data, sans-IO: what clients send ([`requests`]), what
//! the service answers ([`views`], [`ax`]), and the route table ([`routes`]) that binds
//! them to methods and paths, and [`parse`] turns a request of each route into an
//! operation. The Worker routes by the table, parses, and serializes these types; with
//! the `schema` feature, [`openapi::document`] generates the OpenAPI 3.1 document from
//! the same table and the types' JSON Schema, so every shape is written once, in Rust.
//!
//! ## Adding a route
//! 1. Write its body, query and answer types in [`requests`] and [`views`] (derive
//!    through `shape!`, deny unknown fields).
//! 2. Add one row to the table in [`routes`]: method, path, auth, tag, summary, and the
//!    types. The OpenAPI document now has it.
//! 3. Add its arm to [`parse::parse`], which turns the route's path, query and body
//!    into a [`parse::Operation`]: the `match` on [`routes::RouteId`] is exhaustive, so
//!    the build fails until the route is parsed. Only a new kind of operation (a new
//!    variant of [`parse::Operation`], [`study_op::StudyOp`] or [`study_op::ObjectOp`])
//!    needs an arm where it runs: the Worker's router (`crates/worker/src/router.rs`),
//!    the executor ([`exec::run`]) or the study's Durable Object. Its end-to-end test
//!    validates the answer against the document, and `tests/docs.rs` wants a row for it
//!    in docs/http.md's route table.
#![warn(missing_docs)]

pub mod automations;
pub mod ax;
#[cfg(feature = "schema")]
pub mod descriptions;
pub mod entropy;
pub mod exec;
pub mod failure;
pub mod heartbeat;
pub mod input;
pub mod mcp;
pub mod observations;
#[cfg(feature = "schema")]
pub mod openapi;
pub mod parse;
pub mod requests;
pub mod routes;
pub mod specs;
pub mod study_op;
pub use edgetune_core::time;
pub mod views;
