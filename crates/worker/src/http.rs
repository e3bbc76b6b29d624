//! JSON responses, errors as HTTP, and body parsing that names the bad field.

use edgetune_api::failure::Failure;
use edgetune_api::views::{ErrorBody, ErrorDetail};
use serde::de::DeserializeOwned;
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

/// Reads and parses a JSON body. `None` when the body is empty and `optional`.
/// Errors name the JSON path of the bad field.
pub async fn read_json<T: DeserializeOwned>(
    req: &mut Request,
    optional: bool,
) -> ApiResult<Option<T>> {
    let bytes = req
        .bytes()
        .await
        .map_err(|e| Failure::invalid("body", format!("could not be read: {e}")))?;
    if bytes.len() > MAX_BODY_BYTES {
        return Err(Failure::too_large(MAX_BODY_BYTES));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return if optional {
            Ok(None)
        } else {
            Err(Failure::invalid("body", "a JSON body is required"))
        };
    }
    // Every body of this API is a JSON object; a struct would also accept an array
    // positionally, so refuse anything else outright.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(Failure::invalid("body", "must be a JSON object"));
    }
    parse_json(&bytes).map(Some)
}

/// Parses JSON bytes; errors name the JSON path of the bad field (for a missing field,
/// the field itself; for malformed JSON, `body`).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            // Inside a field (a number out of range, say), name the field.
            let field = if path == "." || path.starts_with('?') {
                "body".to_string()
            } else {
                path
            };
            return Failure::invalid(field, format!("malformed JSON: {inner}"));
        }
        let message = inner.to_string();
        let field = edgetune_api::failure::field_of(&path, &message, "body");
        Failure::invalid(field, message)
    })?;
    de.end()
        .map_err(|e| Failure::invalid("body", format!("malformed JSON: {e}")))?;
    Ok(value)
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

/// Parses the query string of `req` into `T` (every field a string the handler checks).
pub fn query<T: DeserializeOwned + Default>(req: &Request) -> ApiResult<T> {
    req.query()
        .map_err(|e| Failure::invalid("query", e.to_string()))
}

/// Parses a non-negative count from a query string, with a default and a maximum.
pub fn parse_count(
    value: Option<&str>,
    field: &str,
    default: usize,
    max: usize,
) -> ApiResult<usize> {
    match value {
        None | Some("") => Ok(default),
        Some(text) => match text.parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(Failure::invalid(
                field,
                format!("must be a whole number from 0 to {max}, got {text:?}"),
            )),
        },
    }
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
