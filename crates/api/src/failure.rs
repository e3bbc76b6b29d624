//! Why an operation failed, as the HTTP API answers it: a status, a code, a message
//! and the field at fault. It is the one error of the service's surfaces: the Worker
//! turns it into a response, the MCP tools into an error result, the npm package into
//! an `EdgetuneError`. Any other error converts into it with `?`: the engine's by its
//! kind (400, 404, 409), the platform's (storage, a Durable Object call) as a 500.

use edgetune_core as core;

/// Why an operation failed.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// The HTTP status it stands for (400 bad input, 404 unknown, 409 conflict).
    pub status: u16,
    /// A machine-readable code, such as `invalid_argument`.
    pub code: String,
    /// What is wrong, naming the field.
    pub message: String,
    /// The field at fault.
    pub field: Option<String>,
}

impl Failure {
    /// A 400 naming `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        let field = field.into();
        Failure {
            status: 400,
            code: "invalid_argument".into(),
            message: format!("{field}: {}", message.into()),
            field: Some(field),
        }
    }

    /// A 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Failure::plain(404, "not_found", message)
    }

    /// A 409.
    pub fn conflict(message: impl Into<String>) -> Self {
        Failure::plain(409, "conflict", message)
    }

    /// A 500: a fault of the platform, not of the request.
    pub fn internal(message: impl Into<String>) -> Self {
        Failure::plain(500, "internal", message)
    }

    /// A 405.
    pub fn method_not_allowed(method: &str) -> Self {
        Failure::plain(
            405,
            "method_not_allowed",
            format!("{method} is not allowed on this route"),
        )
    }

    /// A 413 naming the limit.
    pub fn too_large(limit: usize) -> Self {
        Failure {
            field: Some("body".into()),
            ..Failure::plain(
                413,
                "payload_too_large",
                format!(
                    "the body is larger than this route's limit of {limit} bytes ({} MiB)",
                    limit >> 20
                ),
            )
        }
    }

    /// A failure without a field.
    pub fn plain(status: u16, code: &str, message: impl Into<String>) -> Self {
        Failure {
            status,
            code: code.into(),
            message: message.into(),
            field: None,
        }
    }
}

/// The field a serde error is about, as a JSON path: the path where it stopped, with a
/// missing field's name appended; `root` when the error is about the whole value.
///
/// ```
/// use edgetune_api::failure::field_of;
/// assert_eq!(field_of(".", "missing field `step`", "body"), "step");
/// assert_eq!(field_of("trials[0]", "missing field `params`", "body"), "trials[0].params");
/// assert_eq!(field_of("value", "invalid type: string", "body"), "value");
/// assert_eq!(field_of(".", "invalid type: integer", "arguments"), "arguments");
/// // An error at an empty key (`{"": ...}`) is about the whole body.
/// assert_eq!(field_of("", "expected `:`", "body"), "body");
/// ```
pub fn field_of(path: &str, message: &str, root: &str) -> String {
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    match (path, missing) {
        ("." | "", Some(name)) => name.to_string(),
        (_, Some(name)) => format!("{path}.{name}"),
        ("." | "", None) => root.to_string(),
        (_, None) => path.to_string(),
    }
}

/// Any error becomes a failure with `?`, as with `anyhow` (which is why `Failure` itself
/// is not a `std::error::Error`): the engine's errors by their kind, anything else (the
/// platform's storage or calls) as a 500 with its message.
impl<E: std::error::Error + 'static> From<E> for Failure {
    fn from(e: E) -> Self {
        match (&e as &dyn std::any::Any).downcast_ref::<core::Error>() {
            Some(e) => Failure::of_core(e),
            None => Failure::internal(e.to_string()),
        }
    }
}

impl Failure {
    fn of_core(e: &core::Error) -> Failure {
        let (status, code) = match e {
            core::Error::InvalidArgument { .. } => (400, "invalid_argument"),
            core::Error::InvalidConfig { .. } => (400, "invalid_config"),
            core::Error::TrialNotFound { .. } => (404, "not_found"),
            core::Error::TrialNotRunning { .. } => (409, "conflict"),
            core::Error::NotAvailable(_) => (409, "not_available"),
            core::Error::BudgetExhausted { .. } => (409, "budget_exhausted"),
            _ => (500, "internal"),
        };
        Failure {
            status,
            code: code.into(),
            field: e.field().map(str::to_string),
            message: e.to_string(),
        }
    }
}
