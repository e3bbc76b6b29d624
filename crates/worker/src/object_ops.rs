//! The internal requests the Worker sends to its automation objects: a tenant's
//! [`Automations`](crate::automations::Automations) and the
//! [`Directory`](crate::directory::Directory). A leaf, so that the objects and the
//! stubs that reach them need not import each other.

use edgetune_api::automations::AutomationConfig;
use serde::{Deserialize, Serialize};

/// One request to a tenant's automations object.
#[derive(Debug, Serialize, Deserialize)]
pub struct AutomationRequest {
    /// The tenant, kept for the alarm's calls to the studies.
    pub tenant: String,
    /// What to do.
    pub op: AutomationOp,
}

/// What the router (or the directory's tick) asks of a tenant's automations.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum AutomationOp {
    /// Create or replace, with a checked configuration.
    Put {
        name: String,
        config: AutomationConfig,
    },
    /// Every automation.
    List,
    /// One automation.
    Get { name: String },
    /// Delete one, and its history; answers how many are left.
    Delete { name: String },
    /// Run now.
    Run { name: String, force: bool },
    /// The audit trail.
    Runs { name: String, limit: usize },
    /// The cron's tick: wake the alarm if anything is due.
    Tick,
}

/// What the router and the scheduled handler ask of the directory.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum DirectoryOp {
    /// The tenant has automations.
    Add { tenant: String },
    /// The tenant has none left.
    Remove { tenant: String },
    /// The cron fired: wake every tenant.
    Tick,
}
