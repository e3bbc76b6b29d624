//! Inputs the fuzz targets (fuzz/, `make fuzz`) found, kept so they stay fixed.

use edgetune_api::failure::field_of;
use edgetune_api::requests::Report;

/// Decodes `bytes` as the Worker does and returns the field its error names.
fn field(bytes: &[u8]) -> String {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let e = serde_path_to_error::deserialize::<_, Report>(&mut de).unwrap_err();
    field_of(&e.path().to_string(), &e.inner().to_string(), "body")
}

#[test]
fn a_syntax_error_after_an_empty_key_names_the_body() {
    // http_bodies crash-458b63a2: `{""value":1,...` stopped at the key "", which named
    // an empty field.
    let crash = b"{\"\"value\":1,\"inter\xfa\xfa\x1f\0\0\0";
    assert_eq!(field(crash), "body");
}
