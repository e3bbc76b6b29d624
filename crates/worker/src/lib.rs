//! # edgetune-worker
//!
//! The edgetune HTTP service on Cloudflare Workers. This crate only routes and
//! stores: `router` is the route table, [`StudyObject`] (one Durable Object per
//! study, SQLite journal) and [`Registry`] (one per tenant, the study list) own their
//! storage, and every decision about trials is the core's.
#![warn(missing_docs)]

mod auth;
mod ax;
mod http;
mod registry;
mod router;
mod study_object;
mod views;

pub use registry::Registry;
pub use study_object::StudyObject;

use worker::{event, Context, Env, Request, Response};

/// The Worker's entry point.
#[event(fetch)]
pub async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    Ok(router::handle(req, env)
        .await
        .unwrap_or_else(|e| e.to_response()))
}
