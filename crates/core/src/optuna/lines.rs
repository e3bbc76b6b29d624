//! JSON as Python's `json` module writes it: bare `NaN`, `Infinity` and `-Infinity`
//! for non-finite numbers, which serde_json neither writes nor reads.

use serde_json::Value;

/// A number as Python's `json.dumps` writes it.
pub(super) fn number(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        // A finite f64 always serializes.
        serde_json::to_string(&v).unwrap_or_default()
    }
}

/// A JSON string literal.
pub(super) fn string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// A JSON value (attributes hold no non-finite numbers: serde_json's values cannot).
pub(super) fn value(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Parses one line, reading the bare tokens `NaN`, `Infinity` and `-Infinity` as the
/// strings `"NaN"`, `"Infinity"` and `"-Infinity"` (which [`crate::JsonF64`] reads).
pub(super) fn parse(line: &str) -> Result<Value, String> {
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else {
            let token = ["NaN", "Infinity", "-Infinity"]
                .into_iter()
                .find(|t| rest.starts_with(t));
            if let Some(t) = token {
                out.push('"');
                out.push_str(t);
                out.push('"');
                rest = &rest[t.len()..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    serde_json::from_str(&out).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_finite_tokens_round_trip() {
        let line = r#"{"a":NaN,"b":[Infinity,-Infinity,1.5],"s":"NaN \" Infinity"}"#;
        let v = parse(line).unwrap();
        assert_eq!(v["a"], "NaN");
        assert_eq!(v["b"][1], "-Infinity");
        assert_eq!(v["s"], "NaN \" Infinity");
        assert_eq!(number(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(number(0.1), "0.1");
        assert!(parse("{\"a\": 1").is_err());
    }
}
