//! API keys and tenants. Keys are configured as the secret `API_KEYS`: a JSON object
//! mapping the SHA-256 (hex) of each key to its tenant, so no key is stored in clear.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};
use worker::{Env, Request};

use edgetune_api::failure::Failure;

/// A tenant name: 1 to 64 letters, digits, `_` or `-`.
pub fn valid_tenant(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The key-hash → tenant table, from the `API_KEYS` secret (or var).
pub fn key_table(env: &Env) -> Result<BTreeMap<String, String>, String> {
    let text = env
        .secret("API_KEYS")
        .map(|s| s.to_string())
        .or_else(|_| env.var("API_KEYS").map(|v| v.to_string()))
        .map_err(|_| "API_KEYS is not configured".to_string())?;
    let table: BTreeMap<String, String> = serde_json::from_str(&text)
        .map_err(|e| format!("API_KEYS must be a JSON object of sha256-hex to tenant: {e}"))?;
    for (hash, tenant) in &table {
        if hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(format!("API_KEYS: {hash:?} is not a sha256 hex digest"));
        }
        if !valid_tenant(tenant) {
            return Err(format!("API_KEYS: {tenant:?} is not a valid tenant name"));
        }
    }
    Ok(table)
}

/// The SHA-256 hex digest of a key.
pub fn hash_key(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The tenant of the request's `Authorization: Bearer <key>`, or a 401.
pub fn tenant(req: &Request, env: &Env) -> Result<String, Failure> {
    let unauthorized = |message: &str| Failure {
        status: 401,
        code: "unauthorized".into(),
        message: message.to_string(),
        field: Some("authorization".into()),
    };
    let header = req
        .headers()
        .get("authorization")
        .ok()
        .flatten()
        .ok_or_else(|| unauthorized("send Authorization: Bearer <api key>"))?;
    let key = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| unauthorized("the Authorization header must be Bearer <api key>"))?;
    tenant_of_key(key, env)
}

/// The tenant of an API key (from a bearer header or an `/ax/{key}/` path), or a 401.
/// The key's hash is compared with every configured hash in constant time, so the
/// time of an answer says nothing about how close a wrong key came.
pub fn tenant_of_key(key: &str, env: &Env) -> Result<String, Failure> {
    let table = key_table(env).map_err(Failure::internal)?;
    let hash = hash_key(key);
    let mut found = None;
    for (known, tenant) in &table {
        if same_bytes(known.as_bytes(), hash.as_bytes()) {
            found = Some(tenant);
        }
    }
    found.cloned().ok_or_else(|| Failure {
        status: 401,
        code: "unauthorized".into(),
        message: "unknown API key".into(),
        field: Some("api_key".into()),
    })
}

/// Whether `a` and `b` are equal, in a time that depends only on their lengths: every
/// byte is compared, with no exit at the first difference.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}
