//! The HTTP side of `cairn serve`: axum routes for the site, the reload events and the
//! files of the reload script.

use std::convert::Infallible;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;

use super::paths::{PathError, output_path};
use super::served::ServedFile;
use super::{BrowserEvent, Shared};

/// Where the serve-only files live; outside any site path a slug can produce.
pub const INTERNAL_PREFIX: &str = "/__cairn/";
const SCRIPT: &str = include_str!("livereload.js");
const OVERLAY_CSS: &str = include_str!("overlay.css");

/// The policy for pages served before any build succeeded (the site's own policy is sent
/// with the site's files, so a violation shows up while writing, not after deploying).
const FALLBACK_CSP: &str = crate::config::DEFAULT_CSP;

/// The router: serve-only files first, then the site; every request, whatever its route,
/// passes the Host check first.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/__cairn/events", get(events))
        .route("/__cairn/livereload.js", get(script))
        .route("/__cairn/overlay.css", get(overlay_css))
        .fallback(site_file)
        .layer(axum::middleware::from_fn(super::guard::check_host))
        .with_state(shared)
}

/// The `<script>` tag added to served HTML pages.
pub fn script_tag(build: &str) -> String {
    format!(
        "<script src=\"{INTERNAL_PREFIX}livereload.js\" data-events=\"{INTERNAL_PREFIX}events\" data-overlay-css=\"{INTERNAL_PREFIX}overlay.css\" data-build=\"{}\" defer></script>",
        crate::escape::html(build)
    )
}

/// Adds the reload script before `</body>`, or at the end when there is none.
pub fn inject_script(html: &[u8], build: &str) -> Vec<u8> {
    let tag = script_tag(build);
    let position = find_last_ignore_case(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len() + 1);
    out.extend_from_slice(&html[..position]);
    out.extend_from_slice(tag.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(&html[position..]);
    out
}

fn find_last_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if haystack.len() < needle.len() {
        return None;
    }
    (0..=haystack.len() - needle.len())
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

async fn script() -> Response {
    static_text(SCRIPT, "text/javascript; charset=utf-8")
}

async fn overlay_css() -> Response {
    static_text(OVERLAY_CSS, "text/css; charset=utf-8")
}

fn static_text(text: &'static str, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        text,
    )
        .into_response()
}

#[derive(serde::Deserialize)]
struct EventsQuery {
    build: Option<String>,
}

/// Server-sent events: what the page must do after each rebuild.
async fn events(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<EventsQuery>,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let receiver = shared.events.subscribe();
    let state = shared.snapshot();
    // A page served by an older build (or an older server) reloads at once; a page opened
    // while the build is failing shows the errors at once.
    let mut first = Vec::new();
    if query.build.as_deref() != Some(state.build.as_str()) && state.site.is_some() {
        first.push(BrowserEvent::Reload);
    } else if let Some(errors) = &state.errors {
        first.push(BrowserEvent::Errors(errors.clone()));
    }
    let stream = futures_util::stream::unfold(
        (first.into_iter(), receiver),
        |(mut first, mut receiver)| async move {
            let event = match first.next() {
                Some(event) => event,
                None => match receiver.recv().await {
                    Ok(event) => event,
                    // Missed events: a reload shows the newest build whatever they were.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        BrowserEvent::Reload
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                },
            };
            Some((Ok(sse_event(&event)), (first, receiver)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

fn sse_event(event: &BrowserEvent) -> SseEvent {
    match event {
        BrowserEvent::Reload => SseEvent::default().event("reload").data("{}"),
        BrowserEvent::Stylesheets(paths) => SseEvent::default()
            .event("css")
            .data(serde_json::to_string(paths).unwrap_or_else(|_| "[]".into())),
        BrowserEvent::Errors(html) => SseEvent::default()
            .event("build-error")
            .data(serde_json::json!({ "html": html.as_str() }).to_string()),
        BrowserEvent::Clear => SseEvent::default().event("clear").data("{}"),
    }
}

/// Any other request: a file of the site.
async fn site_file(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are served\n",
        );
    }
    let state = shared.snapshot();
    let Some(site) = &state.site else {
        // No build has succeeded yet: every page shows the errors.
        let errors = state.errors.clone().unwrap_or_default();
        let page = super::overlay::error_page(&errors, &script_tag(&state.build));
        return respond(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/html; charset=utf-8",
            page.into_bytes(),
            (&headers, &method),
            FALLBACK_CSP,
        );
    };
    let path = uri.path();
    let rel = match output_path(path, &site.base_path) {
        Ok(rel) => rel,
        Err(PathError::Bad(why)) => {
            return plain(StatusCode::BAD_REQUEST, &format!("bad request: {why}\n"));
        }
        Err(PathError::OutsideBase) => {
            let base = site.base_path.trim_end_matches('/');
            if path == "/" || path == base {
                return redirect(&site.base_path);
            }
            return not_found(&state, site, &headers, &method).await;
        }
    };
    match site.get(&rel) {
        Some(file) => match read(file).await {
            Some(bytes) => serve_bytes(&state.build, &rel, bytes, (&headers, &method), &site.csp),
            None => not_found(&state, site, &headers, &method).await,
        },
        None => {
            // `/page` for `/page/`: send the browser to the folder URL, as static hosts do.
            let folder_index = format!("{rel}/index.html");
            if !rel.ends_with("index.html") && site.get(&folder_index).is_some() {
                return redirect(&format!("{path}/"));
            }
            not_found(&state, site, &headers, &method).await
        }
    }
}

async fn read(file: &ServedFile) -> Option<Vec<u8>> {
    match file {
        ServedFile::Generated(bytes) => Some(bytes.to_vec()),
        ServedFile::Copied { source, .. } => tokio::fs::read(source).await.ok(),
    }
}

/// The site's `404.html` with status 404 (and the reload script, like every page).
async fn not_found(
    state: &super::ServeState,
    site: &super::served::ServedSite,
    headers: &HeaderMap,
    method: &Method,
) -> Response {
    match site.get("404.html") {
        Some(file) => match read(file).await {
            Some(bytes) => {
                let html = inject_script(&bytes, &state.build);
                respond(
                    StatusCode::NOT_FOUND,
                    "text/html; charset=utf-8",
                    html,
                    (headers, method),
                    &site.csp,
                )
            }
            None => plain(StatusCode::NOT_FOUND, "not found\n"),
        },
        None => plain(StatusCode::NOT_FOUND, "not found\n"),
    }
}

fn serve_bytes(
    build: &str,
    rel: &str,
    bytes: Vec<u8>,
    request: (&HeaderMap, &Method),
    csp: &str,
) -> Response {
    let content_type = content_type(rel);
    let body = if content_type.starts_with("text/html") {
        inject_script(&bytes, build)
    } else {
        bytes
    };
    respond(StatusCode::OK, &content_type, body, request, csp)
}

/// The content type of an output path, by its extension.
pub fn content_type(rel: &str) -> String {
    let guess = mime_guess::from_path(rel).first_or_octet_stream();
    let textual = guess.type_() == mime_guess::mime::TEXT
        || matches!(guess.subtype().as_str(), "javascript" | "json" | "xml")
        || guess
            .suffix()
            .is_some_and(|s| matches!(s.as_str(), "json" | "xml"));
    if textual {
        format!("{guess}; charset=utf-8")
    } else {
        guess.to_string()
    }
}

/// A response with an ETag; `If-None-Match` with the same tag gets 304. HTML is never cached.
fn respond(
    status: StatusCode,
    content_type: &str,
    body: Vec<u8>,
    request: (&HeaderMap, &Method),
    csp: &str,
) -> Response {
    let (headers, method) = request;
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    let etag = format!("\"{:016x}\"", hasher.finish());
    let cache = if content_type.starts_with("text/html") {
        "no-store"
    } else {
        "no-cache"
    };
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| {
            tags.split(',')
                .any(|t| t.trim() == "*" || t.trim().trim_start_matches("W/") == etag)
        });
    let status = if matches && status == StatusCode::OK {
        StatusCode::NOT_MODIFIED
    } else {
        status
    };
    let length = body.len();
    let body = if status == StatusCode::NOT_MODIFIED || method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(body)
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let h = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, value);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(value) = HeaderValue::from_str(csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    for (name, value) in crate::deploy::SECURITY_HEADERS {
        h.insert(*name, HeaderValue::from_static(value));
    }
    if method == Method::HEAD && status != StatusCode::NOT_MODIFIED {
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    response
}

fn plain(status: StatusCode, text: &str) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text.to_string(),
    )
        .into_response()
}

fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::FOUND;
            response.headers_mut().insert(header::LOCATION, value);
            response
        }
        Err(_) => plain(StatusCode::BAD_REQUEST, "bad request\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end_tag() {
        let html = b"<html><body><p>a</p></BODY></html>";
        let out = String::from_utf8(inject_script(html, "7")).unwrap();
        assert!(
            out.starts_with("<html><body><p>a</p><script src=\"/__cairn/livereload.js\""),
            "{out}"
        );
        assert!(out.ends_with("defer></script>\n</BODY></html>"), "{out}");
        let bare = String::from_utf8(inject_script(b"<p>x</p>", "7")).unwrap();
        assert!(bare.starts_with("<p>x</p><script"), "{bare}");
    }

    #[test]
    fn content_types_carry_a_charset_for_text() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("css/site.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "text/xml; charset=utf-8");
        assert_eq!(content_type("img/a.png"), "image/png");
        assert_eq!(content_type("a.unknownext"), "application/octet-stream");
    }
}
