//! What keeps `cairn serve` answering only requests meant for it, and answering at all.
//!
//! - **Host check.** A page on another site can make its own name resolve to 127.0.0.1
//!   (DNS rebinding) and then read the dev server as if it were that site: drafts, the
//!   event stream, everything. The browser still sends the other site's name in `Host`, so
//!   the server answers only loopback names and this machine's own IP literals (the ones a
//!   browser reaches it by when it is bound to the network) and refuses every other name
//!   with 421.
//! - **Connection limits.** A client that opens connections and sends half a request would
//!   otherwise hold each one open forever, until the process runs out of file descriptors.
//!   Request headers must arrive within a timeout (the event stream, which is long-lived
//!   by design, is a response and is not affected), and at most so many connections are
//!   served at once; more wait to be accepted.
//!
//! axum's own `serve` sets neither, so connections are driven with hyper's HTTP/1 builder
//! here, around the same router.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// How long a client may take to send a request's headers; also how long an idle
/// keep-alive connection stays open.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How many connections are served at once; a browser opens about six per site.
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;

/// Bounds on what one client can hold of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How long a client may take to send a request's headers.
    pub header_read_timeout: Duration,
    /// How many connections are served at once; more wait to be accepted.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// The address of this machine a connection came in on, put into each of its requests so
/// the Host check knows which IP literal names the server.
#[derive(Debug, Clone, Copy)]
pub struct LocalAddress(pub SocketAddr);

/// Serves `router` on `listener` until the task is dropped, within `limits`.
pub async fn serve(listener: TcpListener, router: Router, limits: Limits) -> io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    loop {
        // A permit first: past the limit, connections wait in the listen queue.
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return Ok(());
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error) => {
                accept_failed(&error).await;
                continue;
            }
        };
        let Ok(local) = stream.local_addr() else {
            continue;
        };
        let service = router.clone().map_request(move |mut request: Request<_>| {
            request.extensions_mut().insert(LocalAddress(local));
            request
        });
        let connection =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        tokio::spawn(async move {
            // A client that goes away or times out is no error of the server's.
            let _ = connection.await;
            drop(permit);
        });
    }
}

/// After a failed accept: a client's reset is nothing; anything else (out of file
/// descriptors, most likely) is given a second to go away, as hyper's and axum's servers do.
async fn accept_failed(error: &io::Error) {
    if !matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    ) {
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Middleware: answers only requests whose `Host` (and absolute request target, if any)
/// names this machine; see the module docs. A request without `Host` (HTTP/1.0) passes.
pub async fn check_host(request: Request, next: Next) -> Response {
    let local = request.extensions().get::<LocalAddress>().map(|a| a.0);
    let local_ip = local.map(|a| a.ip());
    let hosts = request.headers().get_all(header::HOST);
    let refused = hosts
        .iter()
        .map(|value| value.to_str().ok())
        .chain(request.uri().authority().map(|a| Some(a.as_str())))
        .find(|host| !host.is_some_and(|host| host_allowed(host, local_ip)));
    match refused {
        None => next.run(request).await,
        Some(host) => misdirected(host.unwrap_or("?"), local),
    }
}

/// The answer to a request for another name: what happened and the URL that works.
fn misdirected(host: &str, local: Option<SocketAddr>) -> Response {
    let url = match local {
        Some(address) => format!("http://{address}/"),
        None => "http://127.0.0.1/ (with the port cairn serve printed)".to_string(),
    };
    let text = format!(
        "cairn serve answers only requests for localhost or this machine's IP address, not for {host}:\n\
         another name could be a web page reading this site through DNS rebinding.\n\
         Open {url} instead.\n"
    );
    let mut response = (StatusCode::MISDIRECTED_REQUEST, text).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Whether `host` (a `Host` value, with or without the port) names this machine: a
/// loopback name or address, or `local`, the address the connection came in on.
pub fn host_allowed(host: &str, local: Option<IpAddr>) -> bool {
    let Some(name) = without_port(host) else {
        return false;
    };
    if let Some(literal) = name.strip_prefix('[') {
        return literal
            .strip_suffix(']')
            .and_then(|v6| v6.parse::<Ipv6Addr>().ok())
            .is_some_and(|ip| ip_allowed(IpAddr::V6(ip), local));
    }
    if let Ok(ip) = name.parse::<Ipv4Addr>() {
        return ip_allowed(IpAddr::V4(ip), local);
    }
    // `localhost` and its subdomains never leave the machine (RFC 6761); a final dot is
    // the same name.
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    name == "localhost"
        || name
            .strip_suffix(".localhost")
            .is_some_and(|sub| !sub.is_empty() && !sub.ends_with('.'))
}

/// Loopback, the connection's own address, or the unspecified address when the connection
/// came in on loopback (a browser told `http://0.0.0.0:1111/` connects there). No literal
/// can be rebound to another machine; only this machine's are answered all the same.
fn ip_allowed(ip: IpAddr, local: Option<IpAddr>) -> bool {
    let ip = ip.to_canonical();
    let local = local.map(|local| local.to_canonical());
    ip.is_loopback()
        || local == Some(ip)
        || (ip.is_unspecified() && local.is_some_and(|local| local.is_loopback()))
}

/// `host` without `:port`; `None` when what follows the name is not a port.
fn without_port(host: &str) -> Option<&str> {
    let split = match host.strip_prefix('[') {
        Some(rest) => rest.find(']')? + 2,
        None => host.find(':').unwrap_or(host.len()),
    };
    let (name, port) = host.split_at(split);
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (port_ok && !name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(host: &str) -> bool {
        host_allowed(host, Some(IpAddr::V4(Ipv4Addr::LOCALHOST)))
    }

    #[test]
    fn loopback_names_and_addresses_are_answered_with_or_without_the_port() {
        for host in [
            "localhost",
            "localhost:1111",
            "LocalHost:1111",
            "localhost.:1111",
            "site.localhost:1111",
            "a.b.localhost",
            "127.0.0.1",
            "127.0.0.1:1111",
            "127.1.2.3:80",
            "[::1]",
            "[::1]:1111",
            "[::ffff:127.0.0.1]:1111",
            "0.0.0.0:1111",
            "[::]:1111",
        ] {
            assert!(allowed(host), "{host}");
        }
    }

    #[test]
    fn other_names_are_refused() {
        for host in [
            "attacker.example",
            "attacker.example:1111",
            "localhost.attacker.example",
            "127.0.0.1.attacker.example",
            "attacker.example.localhost.evil",
            ".localhost",
            "a..localhost",
            "127.1",
            "192.0.2.7:1111",
            "::1",
            "[::1",
            "[::1]x",
            "localhost:",
            "localhost:11a",
            "localhost:1:2",
            "user@localhost",
            "",
        ] {
            assert!(!allowed(host), "{host}");
        }
    }

    #[test]
    fn the_address_the_connection_came_in_on_is_answered_but_no_other() {
        let lan = Some("192.0.2.7".parse().unwrap());
        assert!(host_allowed("192.0.2.7:1111", lan));
        assert!(host_allowed("192.0.2.7", lan));
        assert!(!host_allowed("192.0.2.8:1111", lan));
        assert!(!host_allowed("mybox.lan:1111", lan));
        assert!(!host_allowed("0.0.0.0:1111", lan));
        // A dual-stack socket sees IPv4 clients as IPv4-mapped IPv6.
        let mapped = Some("::ffff:192.0.2.7".parse().unwrap());
        assert!(host_allowed("192.0.2.7:1111", mapped));
        let v6 = Some("2001:db8::7".parse().unwrap());
        assert!(host_allowed("[2001:db8::7]:1111", v6));
        assert!(!host_allowed("[2001:db8::8]:1111", v6));
        // Without the connection's address, loopback only.
        assert!(host_allowed("localhost", None));
        assert!(!host_allowed("192.0.2.7", None));
        assert!(!host_allowed("0.0.0.0", None));
    }
}
