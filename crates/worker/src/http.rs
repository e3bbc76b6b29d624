//! JSON responses, errors as HTTP, and body parsing that names the bad field.

use edgetune_api::failure::Failure;
use edgetune_api::views::{ErrorBody, ErrorDetail};
use serde::Serialize;
use worker::{Request, Response};

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// Bytes of an imported journal (`POST /api/v1/studies/{name}/journal`).
pub const MAX_JOURNAL_BYTES: usize = 16 << 20;

/// Result of a handler: an error is a [`Failure`], answered as
/// `{"error": {"code", "message", "field"?}}` with its status ([`error_response`]).
pub type ApiResult<T = Response> = Result<T, Failure>;

/// The response of a failure.
pub fn error_response(failure: &Failure) -> Response {
    let body = ErrorBody {
        error: ErrorDetail {
            code: failure.code.clone(),
            message: failure.message.clone(),
            field: failure.field.clone(),
        },
    };
    json_response(failure.status, &body)
}

/// A JSON response. Serializing our own views cannot fail; if it did, the client
/// gets a 500 rather than a panic.
pub fn json_response<T: Serialize>(status: u16, body: &T) -> Response {
    let text = serde_json::to_string(body)
        .unwrap_or_else(|e| format!(r#"{{"error":{{"code":"internal","message":"{e}"}}}}"#));
    let mut response = Response::ok(text)
        .unwrap_or_else(|_| Response::empty().expect("an empty response is always valid"))
        .with_status(status);
    let _ = response
        .headers_mut()
        .set("content-type", "application/json; charset=utf-8");
    response
}

/// A 200 JSON response.
pub fn ok<T: Serialize>(body: &T) -> ApiResult {
    Ok(json_response(200, body))
}

/// Refuses a request whose declared `Content-Length` passes `limit`, before anything
/// reads it (a body sent without a length is measured by whatever reads it).
pub fn check_declared_length(req: &Request, limit: usize) -> ApiResult<()> {
    let declared = req.headers().get("content-length").ok().flatten();
    match declared.map(|v| v.trim().parse::<u64>()) {
        Some(Ok(n)) if n > limit as u64 => Err(Failure::too_large(limit)),
        Some(Err(_)) => Err(Failure::invalid(
            "content-length",
            "must be a whole number of bytes",
        )),
        _ => Ok(()),
    }
}

/// Reads a request's body, up to [`MAX_BODY_BYTES`]; the route's parser reads the JSON.
pub async fn read_body(req: &mut Request) -> ApiResult<Vec<u8>> {
    let bytes = req
        .bytes()
        .await
        .map_err(|e| Failure::invalid("body", format!("could not be read: {e}")))?;
    if bytes.len() > MAX_BODY_BYTES {
        return Err(Failure::too_large(MAX_BODY_BYTES));
    }
    Ok(bytes)
}

/// ms since the epoch as an ISO-8601 string.
pub fn iso(ms: f64) -> String {
    edgetune_api::time::iso8601(ms)
}

/// Now, in ms since the epoch.
pub fn now_ms() -> f64 {
    worker::js_sys::Date::now()
}

/// Sets `storage`'s alarm for the wall-clock time `at_ms` (now if it has passed).
/// `Storage::set_alarm` takes an `i64` as an offset from now, not as a time.
pub async fn set_alarm_at(storage: &worker::Storage, at_ms: f64) -> worker::Result<()> {
    let offset = (at_ms - now_ms()).max(0.0).ceil() as i64;
    storage.set_alarm(offset).await
}

/// An object's SQL storage, after running `schema` (its `CREATE ... IF NOT EXISTS`
/// statements) the first time this instance asks; `made` remembers that it did.
pub fn sql_with_schema(
    storage: &worker::Storage,
    made: &std::cell::Cell<bool>,
    schema: &[&str],
) -> ApiResult<worker::SqlStorage> {
    let sql = storage.sql();
    if !made.get() {
        for statement in schema {
            sql.exec(statement, None)?;
        }
        made.set(true);
    }
    Ok(sql)
}
