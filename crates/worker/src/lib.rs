//! # edgetune-worker
//!
//! The edgetune HTTP service on Cloudflare Workers. This crate only routes and
//! stores: `router` dispatches by the route table of `edgetune-api` (which also
//! generates `/openapi.json`), `ops` turns a checked request into one operation on a
//! study, [`StudyObject`] (one Durable Object per study, SQLite journal) and
//! [`Registry`] (one per tenant, the study list) own their storage, [`Automations`]
//! (one per tenant) runs the tenant's automations on its alarm when the cron's
//! [`Directory`] wakes it, and every decision about trials is the core's.
#![warn(missing_docs)]

mod auth;
mod automations;
mod ax;
mod directory;
mod docs;
mod http;
mod lifecycle;
mod mcp;
mod object_ops;
mod registry;
mod router;
mod schedule;
mod settings;
mod stubs;
mod study_object;

pub use automations::Automations;
pub use directory::Directory;
pub use registry::Registry;
pub use study_object::StudyObject;

use worker::{event, Context, Env, Request, Response};

/// The Worker's entry point: CORS, then the routes.
#[event(fetch)]
pub async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let origin = req.headers().get("origin").ok().flatten();
    let allowed = origin.filter(|o| settings::cors_allows(&env, o));
    if req.method() == worker::Method::Options {
        let mut response = Response::empty()?.with_status(204);
        if let Some(origin) = &allowed {
            let h = response.headers_mut();
            h.set("access-control-allow-origin", origin)?;
            h.set(
                "access-control-allow-methods",
                "GET, POST, PUT, DELETE, OPTIONS",
            )?;
            h.set(
                "access-control-allow-headers",
                "authorization, content-type, if-none-match, mcp-protocol-version, mcp-session-id, mcp-method, mcp-name, last-event-id",
            )?;
            h.set("access-control-max-age", "86400")?;
            h.set("vary", "origin")?;
        }
        return Ok(response);
    }
    let mut response = router::handle(req, env)
        .await
        .unwrap_or_else(|e| crate::http::error_response(&e));
    if response.status_code() == 401 {
        response
            .headers_mut()
            .set("www-authenticate", "Bearer realm=\"edgetune\"")?;
    }
    if let Some(origin) = &allowed {
        let h = response.headers_mut();
        h.set("access-control-allow-origin", origin)?;
        h.set("vary", "origin")?;
    }
    Ok(response)
}
