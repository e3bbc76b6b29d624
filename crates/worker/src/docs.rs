//! The API's own description: `/openapi.json`, generated at build time from the route
//! table (`build.rs`), and `/docs`, Swagger UI over it (its script and style are
//! static assets under `/swagger/`, copied from `swagger-ui-dist`; nothing comes from
//! a CDN).

use crate::http::ApiResult;

/// The OpenAPI 3.1 document.
const OPENAPI: &str = include_str!(concat!(env!("OUT_DIR"), "/openapi.json"));

/// The Swagger UI page.
const PAGE: &str = include_str!("docs.html");

/// `GET /openapi.json`.
pub fn openapi() -> ApiResult {
    let mut response = worker::Response::ok(OPENAPI)?;
    let _ = response
        .headers_mut()
        .set("content-type", "application/json; charset=utf-8");
    Ok(response)
}

/// `GET /docs`.
pub fn page() -> ApiResult {
    Ok(worker::Response::from_html(PAGE)?)
}
