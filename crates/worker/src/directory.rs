//! The directory of tenants that have automations: one Durable Object for the whole
//! deployment. The cron's `scheduled` handler only tells it to tick; its alarm then
//! wakes each tenant's [`Automations`](crate::automations::Automations) object, a page
//! of tenants at a time (each page its own alarm, so its own subrequest budget), all of
//! a page at once.

// `#[durable_object]` generates undocumented glue.
#![allow(missing_docs)]

use std::cell::Cell;

use futures_util::future::join_all;
use serde::Deserialize;
use serde_json::json;
use worker::{durable_object, DurableObject, Env, Request, Response, State};

use crate::http::{self, ok, ApiResult};
use crate::object_ops::DirectoryOp;
use crate::object_ops::{AutomationOp, AutomationRequest};
use crate::stubs::automations_call;
use edgetune_api::failure::Failure;

/// Tenants woken by one alarm.
const PAGE: usize = 200;

/// The tenants with automations.
#[durable_object]
pub struct Directory {
    state: State,
    env: Env,
    /// Whether this instance has made its tables (once, not on every statement).
    schema: Cell<bool>,
}

#[derive(Deserialize)]
struct TenantRow {
    tenant: String,
}

impl DurableObject for Directory {
    fn new(state: State, env: Env) -> Self {
        Directory {
            state,
            env,
            schema: Cell::new(false),
        }
    }

    /// Wakes the next page of tenants; arms again while tenants remain.
    async fn alarm(&self) -> worker::Result<Response> {
        if let Err(e) = self.wake_page().await {
            worker::console_error!("directory alarm: {}", e.message);
        }
        Response::ok("ok")
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let result = match req.json::<DirectoryOp>().await {
            Ok(op) => self.handle(op).await,
            Err(e) => Err(Failure::internal(format!(
                "unreadable directory request: {e}"
            ))),
        };
        Ok(result.unwrap_or_else(|e| crate::http::error_response(&e)))
    }
}

impl Directory {
    fn sql(&self) -> ApiResult<worker::SqlStorage> {
        http::sql_with_schema(
            &self.state.storage(),
            &self.schema,
            &[
                "CREATE TABLE IF NOT EXISTS tenants (tenant TEXT PRIMARY KEY)",
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            ],
        )
    }

    async fn handle(&self, op: DirectoryOp) -> ApiResult {
        let sql = self.sql()?;
        match op {
            DirectoryOp::Add { tenant } => {
                sql.exec(
                    "INSERT OR IGNORE INTO tenants (tenant) VALUES (?)",
                    vec![tenant.into()],
                )?;
                ok(&json!({"added": true}))
            }
            DirectoryOp::Remove { tenant } => {
                sql.exec("DELETE FROM tenants WHERE tenant = ?", vec![tenant.into()])?;
                ok(&json!({"removed": true}))
            }
            DirectoryOp::Tick => {
                // A tick during a fan-out starts it over: every tenant is woken again,
                // which is harmless (a tenant runs only what is due).
                sql.exec(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('cursor', '')",
                    None,
                )?;
                http::set_alarm_at(&self.state.storage(), http::now_ms()).await?;
                ok(&json!({"ticked": true}))
            }
        }
    }

    /// Wakes up to [`PAGE`] tenants after the cursor, all at once.
    async fn wake_page(&self) -> ApiResult<()> {
        let sql = self.sql()?;
        #[derive(Deserialize)]
        struct Cursor {
            value: String,
        }
        let cursor: Vec<Cursor> = sql
            .exec("SELECT value FROM meta WHERE key = 'cursor'", None)?
            .to_array()?;
        let Some(cursor) = cursor.into_iter().next().map(|c| c.value) else {
            return Ok(());
        };
        let tenants: Vec<TenantRow> = sql
            .exec(
                "SELECT tenant FROM tenants WHERE tenant > ? ORDER BY tenant LIMIT ?",
                vec![cursor.into(), (PAGE as i64).into()],
            )?
            .to_array()?;
        match tenants.last() {
            Some(last) if tenants.len() == PAGE => {
                sql.exec(
                    "UPDATE meta SET value = ? WHERE key = 'cursor'",
                    vec![last.tenant.clone().into()],
                )?;
                http::set_alarm_at(&self.state.storage(), http::now_ms()).await?;
            }
            _ => {
                sql.exec("DELETE FROM meta WHERE key = 'cursor'", None)?;
            }
        }
        let ticks = tenants.iter().map(|t| async move {
            let req = AutomationRequest {
                tenant: t.tenant.clone(),
                op: AutomationOp::Tick,
            };
            if let Err(e) = automations_call(&self.env, &t.tenant, &req).await {
                worker::console_error!("tick of tenant {}: {}", t.tenant, e.message);
            }
        });
        join_all(ticks).await;
        Ok(())
    }
}
