//! What cost-aware TPE and GP share: a cheap estimate of a trial's log cost
//! ([`model::CostModel`]), and the startup phase's cost-effective design
//! ([`start::relative`]).

pub(crate) mod model;
pub(crate) mod start;
