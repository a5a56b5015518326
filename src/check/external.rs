//! External links: each URL asked once, by HEAD (then GET when HEAD is refused), with a
//! timeout, at most a few requests at a time and a pause between requests to one host.
//!
//! A site's links are written by whoever wrote the site, but `cairn check --external` runs
//! on the deployer's machine, inside the deployer's network. So that links cannot be used to
//! map that network (which internal hosts and ports answer), cairn does not probe private or
//! local addresses unless asked with `--allow-private`:
//!
//! - every host is resolved by cairn's own resolver, every address it resolves to is
//!   checked, and the connection goes only to those checked addresses, so a DNS answer
//!   cannot change between the check and the connection;
//! - redirects are followed here, hop by hop, each hop checked again (http and https only);
//! - proxies from the environment are not used: through a proxy cairn could not know which
//!   address it reaches;
//! - GET retries always go through the check, so even with `--allow-private` a private
//!   address only ever receives HEAD requests.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::{Arc, Mutex};

use crate::sync::lock;
use std::time::Duration;

use ureq::http::{StatusCode, Uri};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};
use url::Url;

/// Redirects followed for one URL before giving up.
const MAX_REDIRECTS: usize = 10;

/// Limits for checking external links.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// How long one request may take, connection included.
    pub timeout: Duration,
    /// Requests in flight at once, across hosts.
    pub concurrency: usize,
    /// Pause between two requests to the same host.
    pub host_delay: Duration,
    /// Probe private and local addresses too (with HEAD only); off by default so that a
    /// site's links cannot map the network cairn runs in.
    pub allow_private: bool,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            timeout: Duration::from_secs(10),
            concurrency: 8,
            host_delay: Duration::from_millis(500),
            allow_private: false,
        }
    }
}

/// Why an external URL was not found working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Failure {
    /// The URL.
    pub url: String,
    /// What went wrong, e.g. `answered 404 Not Found`.
    pub reason: String,
    /// What kind of problem it is.
    pub kind: FailureKind,
}

/// Broken, or not asked at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FailureKind {
    /// The URL fails, does not answer, or cannot be read.
    Broken,
    /// The URL (or a redirect from it) leads to a private or local address, which cairn
    /// does not probe without `--allow-private`.
    Private,
}

/// Checks every URL; returns the failures, in the order of `urls`.
pub(super) fn check_all(urls: &[String], options: &ExternalOptions) -> Vec<Failure> {
    let checker = &Checker::new(options, Guard::default());
    let mut by_host: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
    for (index, url) in urls.iter().enumerate() {
        by_host
            .entry(host_of(url))
            .or_default()
            .push((index, url.clone()));
    }
    // Each worker takes a whole host at a time, so requests to one host never overlap and
    // the pause between them is easy to keep.
    let queue = Arc::new(Mutex::new(by_host.into_values().collect::<Vec<_>>()));
    let results = Arc::new(Mutex::new(Vec::new()));
    let workers = options.concurrency.max(1);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let queue = queue.clone();
            let results = results.clone();
            scope.spawn(move || {
                loop {
                    let next = lock(&queue).pop();
                    let Some(host_urls) = next else { break };
                    for (position, (index, url)) in host_urls.into_iter().enumerate() {
                        if position > 0 {
                            std::thread::sleep(options.host_delay);
                        }
                        if let Some(problem) = checker.check(&url) {
                            let (kind, reason) = match problem {
                                Problem::Broken(reason) => (FailureKind::Broken, reason),
                                Problem::Private(reason) => (FailureKind::Private, reason),
                            };
                            lock(&results).push((index, Failure { url, reason, kind }));
                        }
                    }
                }
            });
        }
    });
    let mut failures = std::mem::take(&mut *lock(&results));
    failures.sort_by_key(|(index, _)| *index);
    failures.into_iter().map(|(_, failure)| failure).collect()
}

/// What is wrong with one URL, in words that follow "the external link `…`".
#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    Broken(String),
    Private(String),
}

/// The two HTTP clients: one for HEAD, one for the GET retries.
struct Checker {
    /// Sends the HEAD requests: guarded, unless private addresses are allowed.
    head: ureq::Agent,
    /// Sends the GET retries: always guarded, so GET never reaches a private address.
    get: ureq::Agent,
    allow_private: bool,
}

impl Checker {
    fn new(options: &ExternalOptions, guard: Guard) -> Checker {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(options.timeout))
            .http_status_as_error(false)
            // Redirects are followed by `follow`, which checks every hop.
            .max_redirects(0)
            // Through a proxy the guard could not see which address is reached.
            .proxy(None)
            .user_agent(concat!("cairn-check/", env!("CARGO_PKG_VERSION")))
            .build();
        let get = ureq::Agent::with_parts(config.clone(), DefaultConnector::new(), guard);
        let head = if options.allow_private {
            ureq::Agent::with_parts(config, DefaultConnector::new(), DefaultResolver::default())
        } else {
            get.clone()
        };
        Checker {
            head,
            get,
            allow_private: options.allow_private,
        }
    }

    /// `None` when the URL answers with a success; else what is wrong.
    fn check(&self, url: &str) -> Option<Problem> {
        // Parsing normalises the host the way browsers do: `127.1`, `2130706433` and
        // `0x7f.1` all become `127.0.0.1` before anything is resolved.
        let Ok(start) = Url::parse(url) else {
            return Some(Problem::Broken(
                "cannot be read as a web address".to_string(),
            ));
        };
        let head = match follow(&self.head, Method::Head, &start) {
            Ok(status) => status,
            Err(problem) => return Some(problem),
        };
        if head < 400 {
            return None;
        }
        // Some servers refuse HEAD (405, 501) or answer it differently: ask with GET then.
        match follow(&self.get, Method::Get, &start) {
            Ok(status) => status_problem(status),
            // Allowed private addresses get HEAD only: its answer stands.
            Err(Problem::Private(_)) if self.allow_private => status_problem(head),
            Err(problem) => Some(problem),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Method {
    Head,
    Get,
}

/// Asks `start`, following redirects one hop at a time; the final status, or what stopped.
fn follow(agent: &ureq::Agent, method: Method, start: &Url) -> Result<u16, Problem> {
    let mut current = start.clone();
    for hop in 0..=MAX_REDIRECTS {
        let answer = match method {
            Method::Head => agent.head(current.as_str()).call(),
            Method::Get => agent.get(current.as_str()).call(),
        };
        let response = match answer {
            Ok(response) => response,
            Err(error) => return Err(describe(&error, (hop > 0).then_some(&current))),
        };
        let status = response.status();
        if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
            return Ok(status.as_u16());
        }
        let next = response
            .headers()
            .get(ureq::http::header::LOCATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|location| current.join(location).ok());
        let Some(next) = next else {
            return Err(Problem::Broken(format!(
                "answered {} without a usable address to go to",
                status_words(status.as_u16())
            )));
        };
        if !matches!(next.scheme(), "http" | "https") {
            return Err(Problem::Broken(format!(
                "redirects to `{next}`, which is not an http or https address"
            )));
        }
        current = next;
    }
    Err(Problem::Broken(format!(
        "redirects more than {MAX_REDIRECTS} times"
    )))
}

fn status_problem(status: u16) -> Option<Problem> {
    (status >= 400).then(|| Problem::Broken(format!("answered {}", status_words(status))))
}

/// `404 Not Found`.
fn status_words(status: u16) -> String {
    let reason = StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    format!("{status} {reason}").trim_end().to_string()
}

/// The problem behind a failed request; `hop` is the redirect target being asked, if any.
fn describe(error: &ureq::Error, hop: Option<&Url>) -> Problem {
    if let ureq::Error::Io(io) = error
        && let Some(refused) = io.get_ref().and_then(|e| e.downcast_ref::<Refused>())
    {
        let said = format!(
            "points at a private or local address ({}); cairn does not probe those",
            refused.0
        );
        return Problem::Private(match hop {
            Some(url) => format!("redirects to `{url}`, which {said}"),
            None => said,
        });
    }
    Problem::Broken(match error {
        ureq::Error::Timeout(_) => "did not answer in time".to_string(),
        other => format!("cannot be reached: {other}"),
    })
}

/// A host refused by the [`Guard`]: the address (or name) shown to the user.
#[derive(Debug)]
struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is a private or local address", self.0)
    }
}

impl std::error::Error for Refused {}

/// The resolver of guarded requests: resolves the host, and refuses it unless every address
/// is public. The addresses it returns are the only ones the connection may use.
#[derive(Debug, Default, Clone)]
struct Guard {
    /// Test only: host names that resolve to a fixed address and count as public, so a
    /// server on the loopback address can play a public site.
    #[cfg(test)]
    stand_ins: Vec<(String, std::net::SocketAddr)>,
}

impl Resolver for Guard {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or_default();
        #[cfg(test)]
        if let Some((_, address)) = self.stand_ins.iter().find(|(name, _)| name == host) {
            let mut addresses = self.empty();
            addresses.push(*address);
            return Ok(addresses);
        }
        // `localhost` and its subdomains are loopback whatever DNS says (RFC 6761).
        let name = host.trim_end_matches('.').to_ascii_lowercase();
        if name == "localhost" || name.ends_with(".localhost") {
            return Err(refused(host.to_string()));
        }
        let addresses = DefaultResolver::default().resolve(uri, config, timeout)?;
        if let Some(address) = addresses.iter().find(|a| !is_public(a.ip())) {
            return Err(refused(address.ip().to_string()));
        }
        Ok(addresses)
    }
}

fn refused(shown: String) -> ureq::Error {
    ureq::Error::Io(std::io::Error::other(Refused(shown)))
}

/// Whether `ip` is an ordinary internet address: not loopback, private, link-local (cloud
/// metadata included), unspecified, carrier-grade NAT, multicast, broadcast or reserved,
/// nor an IPv6 form carrying such an IPv4 address.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => is_public_v4(ip),
        IpAddr::V6(ip) => is_public_v6(ip),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, _, _] = ip.octets();
    !(a == 0 // "this network", 0.0.0.0 included
        || a == 10 // private
        || a == 127 // loopback
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT, 100.64.0.0/10
        || (a == 169 && b == 254) // link-local, cloud metadata at 169.254.169.254
        || (a == 172 && (16..32).contains(&b)) // private
        || (a == 192 && b == 168) // private
        || a >= 224) // multicast 224/4, reserved 240/4, broadcast
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = embedded_v4(ip) {
        return is_public_v4(v4);
    }
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_unique_local() // fc00::/7
        || ip.is_unicast_link_local() // fe80::/10
        || first & 0xffc0 == 0xfec0 // site-local, fec0::/10
        || ip.is_multicast())
}

/// The IPv4 address inside the IPv6 forms that carry one: mapped (`::ffff:a.b.c.d`),
/// translated (`::ffff:0:a.b.c.d`), compatible (`::a.b.c.d`, `::` and `::1` included) and
/// NAT64 (`64:ff9b::a.b.c.d`), and 6to4 (`2002:aabb:ccdd::`).
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let tail = || Ipv4Addr::from((u32::from(s[6]) << 16) | u32::from(s[7]));
    match s {
        [0, 0, 0, 0, 0, 0xffff | 0, _, _]
        | [0, 0, 0, 0, 0xffff, 0, _, _]
        | [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(tail()),
        [0x2002, high, low, ..] => Some(Ipv4Addr::from((u32::from(high) << 16) | u32::from(low))),
        _ => None,
    }
}

fn host_of(url: &str) -> String {
    Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Write};
    use std::net::{SocketAddr, TcpListener};

    /// The host a URL's spelling comes to once parsed, as an address.
    fn parsed(url: &str) -> IpAddr {
        match Url::parse(url).unwrap().host() {
            Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
            other => panic!("{url}: {other:?}"),
        }
    }

    #[test]
    fn odd_spellings_of_loopback_parse_to_loopback_and_are_refused() {
        for url in [
            "http://127.0.0.1/",
            "http://127.1/",
            "http://2130706433/",
            "http://0x7f000001/",
            "http://0x7f.1/",
            "http://0177.0.0.1/",
            "https://127.000.000.001/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:7f00:1]/",
            "http://[::1]/",
            "http://0.0.0.0/",
            "http://0/",
            "http://[::]/",
        ] {
            assert!(!is_public(parsed(url)), "{url}");
        }
        assert_eq!(parsed("http://2130706433/").to_string(), "127.0.0.1");
        assert_eq!(parsed("http://0x7f.1/").to_string(), "127.0.0.1");
    }

    #[test]
    fn private_and_special_ipv4_ranges_are_refused() {
        for ip in [
            "10.0.0.1",
            "10.255.255.255",
            "172.16.0.1",
            "172.31.255.254",
            "192.168.1.1",
            "169.254.169.254",
            "169.254.0.1",
            "100.64.0.1",
            "100.127.255.255",
            "127.255.255.254",
            "0.1.2.3",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn private_and_special_ipv6_ranges_are_refused() {
        for ip in [
            "::",
            "::1",
            "fc00::1",
            "fd12:3456:789a::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "ff02::1",
            // IPv4 inside IPv6: mapped, translated, compatible, NAT64, 6to4.
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:192.168.0.1",
            "::ffff:0:127.0.0.1",
            "::127.0.0.1",
            "::10.1.2.3",
            "64:ff9b::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::",
            "2002:c0a8:101::1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn public_addresses_are_allowed() {
        for ip in [
            "93.184.215.14",
            "8.8.8.8",
            "1.1.1.1",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.255.255",
            "172.32.0.1",
            "169.253.1.1",
            "192.167.1.1",
            "223.255.255.254",
            "11.0.0.1",
            "2606:4700:4700::1111",
            "2001:4860:4860::8888",
            "::ffff:93.184.215.14",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    /// A web server on 127.0.0.1 answering every request with `answer(port, method, path)`,
    /// and the request lines it received (`HEAD /`).
    fn serve(
        answer: impl Fn(u16, &str, &str) -> String + Send + 'static,
    ) -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut first = String::new();
                let _ = reader.read_line(&mut first);
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let mut parts = first.split_whitespace();
                let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
                log.lock().unwrap().push(format!("{method} {path}"));
                let _ = stream.write_all(answer(address.port(), method, path).as_bytes());
            }
        });
        (address, seen)
    }

    fn reply(status: &str, headers: &str) -> String {
        format!("HTTP/1.1 {status}\r\n{headers}Content-Length: 0\r\nConnection: close\r\n\r\n")
    }

    /// A guarded checker for which `public.test` is the local server, counted as public.
    fn checker_with_public_test(address: SocketAddr) -> Checker {
        let options = ExternalOptions {
            timeout: Duration::from_secs(5),
            concurrency: 1,
            host_delay: Duration::ZERO,
            allow_private: false,
        };
        let guard = Guard {
            stand_ins: vec![("public.test".to_string(), address)],
        };
        Checker::new(&options, guard)
    }

    #[test]
    fn a_redirect_from_a_public_host_to_a_private_one_is_refused_at_the_hop() {
        // `2130706433` is 127.0.0.1 spelled as one number: this very server, so a request
        // that got through would show in `seen`.
        let (address, seen) = serve(|port, _, path| match path {
            "/" => reply(
                "302 Found",
                &format!("Location: http://2130706433:{port}/inside\r\n"),
            ),
            _ => reply("200 OK", ""),
        });
        let checker = checker_with_public_test(address);
        let port = address.port();
        assert_eq!(
            checker.check(&format!("http://public.test:{port}/")),
            Some(Problem::Private(format!(
                "redirects to `http://127.0.0.1:{port}/inside`, which points at a private or \
                 local address (127.0.0.1); cairn does not probe those"
            )))
        );
        assert_eq!(*seen.lock().unwrap(), ["HEAD /"]);
    }

    #[test]
    fn public_hosts_get_a_get_when_head_is_refused() {
        let (address, seen) = serve(|_, method, _| match method {
            "HEAD" => reply("405 Method Not Allowed", ""),
            _ => reply("200 OK", ""),
        });
        let checker = checker_with_public_test(address);
        let url = format!("http://public.test:{}/", address.port());
        assert_eq!(checker.check(&url), None);
        assert_eq!(*seen.lock().unwrap(), ["HEAD /", "GET /"]);
    }

    #[test]
    fn redirects_are_followed_to_a_limit_and_only_to_web_addresses() {
        let (address, _) = serve(|_, _, path| match path {
            "/ftp" => reply(
                "301 Moved Permanently",
                "Location: ftp://public.test/file\r\n",
            ),
            "/nowhere" => reply("302 Found", ""),
            "/loop" => reply("302 Found", "Location: /loop\r\n"),
            "/hop" => reply("307 Temporary Redirect", "Location: /end\r\n"),
            _ => reply("200 OK", ""),
        });
        let checker = checker_with_public_test(address);
        let url = |path: &str| format!("http://public.test:{}{path}", address.port());
        assert_eq!(checker.check(&url("/hop")), None);
        assert_eq!(
            checker.check(&url("/ftp")),
            Some(Problem::Broken(
                "redirects to `ftp://public.test/file`, which is not an http or https address"
                    .to_string()
            ))
        );
        assert_eq!(
            checker.check(&url("/nowhere")),
            Some(Problem::Broken(
                "answered 302 Found without a usable address to go to".to_string()
            ))
        );
        assert_eq!(
            checker.check(&url("/loop")),
            Some(Problem::Broken("redirects more than 10 times".to_string()))
        );
    }

    #[test]
    fn localhost_by_name_is_refused_without_asking_dns() {
        let checker = checker_with_public_test("127.0.0.1:9".parse().unwrap());
        for url in [
            "http://localhost/",
            "http://LOCALHOST./",
            "http://app.localhost:8080/",
        ] {
            assert!(
                matches!(checker.check(url), Some(Problem::Private(_))),
                "{url}"
            );
        }
    }
}
