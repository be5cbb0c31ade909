//! What every platform's stand-in does with tiny_http alike: read a request's header, answer
//! with a JSON body.

/// The value of the request's header `name`, whatever its case.
pub fn header<'a>(request: &'a tiny_http::Request, name: &str) -> Option<&'a str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

/// Answers `status` with a JSON `body` and, if given, one more header.
pub fn respond(request: tiny_http::Request, status: u16, body: &str, extra: Option<(&str, &str)>) {
    let mut response = tiny_http::Response::from_string(body).with_status_code(status);
    response.add_header(
        tiny_http::Header::from_bytes("Content-Type", "application/json").expect("header"),
    );
    if let Some((name, value)) = extra {
        response.add_header(tiny_http::Header::from_bytes(name, value).expect("header"));
    }
    let _ = request.respond(response);
}
