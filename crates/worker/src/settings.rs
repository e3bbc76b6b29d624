//! The deployment's settings (wrangler vars) and what the service derives from them:
//! defaults for new studies, limits, and fresh random seeds and ids.

use edgetune_core::{StudyConfig, StudySpec};
use serde_json::Value;
use worker::Env;

use edgetune_api::failure::Failure;

/// The JSON value of var `name` (a bare string when it is not JSON), or `default`.
pub fn env_value(env: &Env, name: &str, default: &str) -> Value {
    let text = env.var(name).map(|v| v.to_string()).unwrap_or_default();
    let text = if text.is_empty() {
        default.to_string()
    } else {
        text
    };
    serde_json::from_str(&text).unwrap_or(Value::String(text))
}

/// Var `name` as a whole number, or `default`.
pub fn env_u64(env: &Env, name: &str, default: u64) -> u64 {
    env_value(env, name, &default.to_string())
        .as_u64()
        .unwrap_or(default)
}

/// Validates `spec` into a study config, with a fresh random seed for studies that
/// name none and the deployment's `DEFAULT_SAMPLER` / `DEFAULT_PRUNER`.
pub fn config_from_spec(env: &Env, spec: StudySpec) -> Result<StudyConfig, Failure> {
    spec.into_config(
        edgetune_api::entropy::fresh_seed()?,
        &env_value(env, "DEFAULT_SAMPLER", "tpe"),
        &env_value(env, "DEFAULT_PRUNER", "none"),
    )
    .map_err(|e| rename_field(e.into()))
}

/// Core errors say `name`; the HTTP body calls it `study_name`.
pub fn rename_field(mut e: Failure) -> Failure {
    if e.field.as_deref() == Some("name") {
        e.field = Some("study_name".into());
        e.message = e.message.replacen("name:", "study_name:", 1);
    }
    e
}

pub use edgetune_api::entropy::random_u64;

/// Whether `CORS_ORIGINS` (a comma-separated list, or `*`) allows `origin`.
pub fn cors_allows(env: &Env, origin: &str) -> bool {
    let list = env
        .var("CORS_ORIGINS")
        .map(|v| v.to_string())
        .unwrap_or_default();
    list.split(',')
        .map(str::trim)
        .any(|allowed| allowed == "*" || allowed.eq_ignore_ascii_case(origin))
}
