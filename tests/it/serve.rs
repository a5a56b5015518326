//! `cairn serve` end to end: the real binary on an ephemeral loopback port, plain HTTP over
//! TCP (so traversal attempts reach the server as written), every wait bounded.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::TestSite;
use cairn::serve::guard::Limits;

const WAIT: Duration = Duration::from_secs(20);

/// A running `cairn serve`, killed when dropped.
struct Served {
    child: Child,
    address: SocketAddr,
}

impl Served {
    fn start(site: &TestSite) -> Served {
        Served::start_with(site, &[])
    }

    fn start_with(site: &TestSite, extra: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cairn"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site.root())
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start cairn serve");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let Ok(line) = receiver.recv_timeout(WAIT) else {
            let _ = child.kill();
            panic!("cairn serve printed no address in time");
        };
        let address = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Served { child, address }
    }

    /// Sends a raw request and returns the parsed response.
    fn raw(&self, request: &str) -> Response {
        raw_at(self.address, request)
    }

    fn get(&self, path: &str) -> Response {
        self.request("GET", path, "")
    }

    /// Polls `path` until `check` holds. An edit can reach the watcher as two bursts, and so
    /// two reload events, so what a reload event shows is checked this way, not at once.
    fn eventually(&self, path: &str, check: impl Fn(&Response) -> bool) -> Response {
        let deadline = Instant::now() + WAIT;
        loop {
            let response = self.get(path);
            if check(&response) {
                return response;
            }
            assert!(
                Instant::now() < deadline,
                "{path} never got there: {} {}",
                response.status,
                response.text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn request(&self, method: &str, path: &str, headers: &str) -> Response {
        self.raw(&format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n"
        ))
    }

    /// Opens the reload event stream, as the page of build `build` would.
    fn events(&self, build: &str) -> Events {
        Events::open(self.address, build)
    }
}

/// Sends a raw request to `address` and returns the parsed response.
fn raw_at(address: SocketAddr, request: &str) -> Response {
    let mut stream = TcpStream::connect_timeout(&address, WAIT).expect("connect");
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    Response::parse(&bytes)
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn parse(bytes: &[u8]) -> Response {
        let split = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(bytes)));
        let head = String::from_utf8_lossy(&bytes[..split]).to_string();
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Response {
            status,
            head,
            body: bytes[split + 4..].to_vec(),
        }
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The build name in the page's reload script.
    fn build(&self) -> String {
        let text = self.text();
        let start = text.find("data-build=\"").expect("a reload script") + 12;
        text[start..][..text[start..].find('"').unwrap()].to_string()
    }
}

/// The reload event stream of one page.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    /// Opens the reload event stream at `address`, as the page of build `build` would.
    fn open(address: SocketAddr, build: &str) -> Events {
        let mut stream = TcpStream::connect_timeout(&address, WAIT).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        stream
            .write_all(
                format!(
                    "GET /__cairn/events?build={build} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
                )
                .as_bytes(),
            )
            .unwrap();
        Events {
            stream,
            seen: String::new(),
        }
    }

    /// Waits for the next event named `name`; returns its data. Earlier events are skipped.
    /// The data of the next `name` event that contains `needle`, skipping others of that
    /// name: a save the watcher sees in two steps (truncated, then written) can give a
    /// first rebuild an empty file to report.
    fn wait_for_containing(&mut self, name: &str, needle: &str) -> String {
        loop {
            let data = self.wait_for(name);
            if data.contains(needle) {
                return data;
            }
        }
    }

    fn wait_for(&mut self, name: &str) -> String {
        let marker = format!("event: {name}\n");
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(at) = self.seen.find(&marker) {
                let rest = &self.seen[at + marker.len()..];
                if let Some(end) = rest.find("\n\n") {
                    let data = rest[..end].trim_start_matches("data: ").to_string();
                    self.seen = rest[end..].to_string();
                    return data;
                }
            }
            assert!(
                Instant::now() < deadline,
                "no `{name}` event in time; saw {:?}",
                self.seen
            );
            let mut buffer = [0u8; 8192];
            match self.stream.read(&mut buffer) {
                Ok(0) => panic!("the event stream closed; saw {:?}", self.seen),
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buffer[..n])),
                Err(_) => {} // read timeout: look again until the deadline
            }
        }
    }
}

/// The served HTML without the reload script, to compare with a build.
fn without_script(html: &str) -> String {
    match html.find("<script src=\"/__cairn/livereload.js\"") {
        Some(start) => {
            let end = start + html[start..].find("</script>\n").unwrap() + "</script>\n".len();
            format!("{}{}", &html[..start], &html[end..])
        }
        None => html.to_string(),
    }
}

#[test]
fn serves_pages_with_types_status_etags_and_the_base_path() {
    let site = TestSite::fixture("basic");
    let served = Served::start(&site);

    let home = served.get("/guide/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type").unwrap(),
        "text/html; charset=utf-8"
    );
    assert_eq!(home.header("cache-control").unwrap(), "no-store");
    assert!(
        home.text()
            .contains("<script src=\"/__cairn/livereload.js\"")
    );
    assert!(
        home.header("content-security-policy")
            .unwrap()
            .contains("script-src 'self'")
    );

    assert_eq!(served.get("/").status, 302);
    assert_eq!(served.get("/").header("location").unwrap(), "/guide/");
    let folder = served.get("/guide/about");
    assert_eq!(
        (folder.status, folder.header("location").unwrap()),
        (302, "/guide/about/".into())
    );

    let missing = served.get("/guide/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains("Page not found"),
        "{}",
        missing.text()
    );
    assert_eq!(served.get("/elsewhere/").status, 404);

    let css = served.get("/guide/css/site.css");
    assert_eq!(css.status, 200);
    assert_eq!(
        css.header("content-type").unwrap(),
        "text/css; charset=utf-8"
    );
    assert_eq!(css.header("cache-control").unwrap(), "no-cache");
    let etag = css.header("etag").unwrap();
    let again = served.request(
        "GET",
        "/guide/css/site.css",
        &format!("If-None-Match: {etag}\r\n"),
    );
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let other = served.request("GET", "/guide/css/site.css", "If-None-Match: \"x\"\r\n");
    assert_eq!(other.status, 200);

    assert!(
        served
            .get("/guide/atom.xml")
            .header("content-type")
            .unwrap()
            .contains("xml")
    );
    assert_eq!(
        served.get("/guide/img/logo.txt").text(),
        std::fs::read_to_string(site.root().join("static/img/logo.txt")).unwrap()
    );
    let head = served.request("HEAD", "/guide/", "");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        served
            .request("POST", "/guide/", "Content-Length: 0\r\n")
            .status,
        405
    );

    let script = served.get("/__cairn/livereload.js");
    assert_eq!(script.status, 200);
    assert!(
        script
            .header("content-type")
            .unwrap()
            .contains("javascript")
    );
}

#[test]
fn traversal_and_malformed_requests_get_400_and_never_leave_the_output() {
    let site = TestSite::fixture("basic");
    site.write("secret.txt", "TOP SECRET");
    let served = Served::start(&site);
    for path in [
        "/../secret.txt",
        "/guide/../secret.txt",
        "/guide/../../../../etc/passwd",
        "/guide/%2e%2e/secret.txt",
        "/guide/%2E%2E/%2e%2e/secret.txt",
        "/guide/..%2fsecret.txt",
        "/guide/..%5csecret.txt",
        "/guide/..\\secret.txt",
        "/guide/%2fetc/passwd",
        "//etc/passwd",
        "/guide/C:/Windows/win.ini",
        "/guide/%zz",
        "/guide/%ff%fe",
        "/guide/a%00b",
    ] {
        let response = served.get(path);
        assert_eq!(response.status, 400, "{path}: {}", response.head);
        assert!(!response.text().contains("TOP SECRET"), "{path}");
    }
    for request in [
        "NONSENSE\r\n\r\n",
        "GET /guide/ HTTP/9.9\r\n\r\n",
        "GET /guide/ HTTP/1.1\r\nHost: localhost\r\nBad Header Line\r\n\r\n",
        "GET http://[::1 HTTP/1.1\r\n\r\n",
    ] {
        let mut stream = TcpStream::connect_timeout(&served.address, WAIT).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.is_empty() || text.starts_with("HTTP/1.1 400"),
            "{request:?} got {text:?}"
        );
    }
    // Still serving after all that.
    assert_eq!(served.get("/guide/").status, 200);
}

#[test]
fn a_hundred_concurrent_requests_are_served() {
    let site = TestSite::fixture("basic");
    let served = Served::start(&site);
    let address = served.address;
    let handles: Vec<_> = (0..100)
        .map(|i| {
            std::thread::spawn(move || {
                let path = if i % 2 == 0 {
                    "/guide/"
                } else {
                    "/guide/blog/first/"
                };
                let mut stream = TcpStream::connect_timeout(&address, WAIT).unwrap();
                stream.set_read_timeout(Some(WAIT)).unwrap();
                stream
                    .write_all(
                        format!(
                            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        )
                        .as_bytes(),
                    )
                    .unwrap();
                let mut bytes = Vec::new();
                let _ = stream.read_to_end(&mut bytes);
                Response::parse(&bytes).status
            })
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
}

#[test]
fn edits_reload_the_page_and_errors_show_until_fixed() {
    let site = TestSite::fixture("basic");
    // As `cairn build` publishes it: the fixture's draft would shift the blog's pagers.
    let served = Served::start_with(&site, &["--no-drafts"]);
    let first = served.get("/guide/blog/first/");
    let mut events = served.events(&first.build());

    // Edit a page.
    let source = std::fs::read_to_string(site.root().join("content/blog/first.md")).unwrap();
    site.write(
        "content/blog/first.md",
        &source.replace("Details here.", "Freshly edited details."),
    );
    events.wait_for("reload");
    served.eventually("/guide/blog/first/", |r| {
        r.text().contains("Freshly edited details.")
    });

    // Add a page.
    site.write(
        "content/blog/added.md",
        "---\ntitle: Added later\n---\nNew page.\n",
    );
    events.wait_for("reload");
    served.eventually("/guide/blog/added/", |r| r.text().contains("Added later"));
    assert!(
        served.get("/guide/blog/").text().contains("Added later")
            || served
                .get("/guide/blog/page/2/")
                .text()
                .contains("Added later")
    );

    // Rename it.
    std::fs::rename(
        site.root().join("content/blog/added.md"),
        site.root().join("content/blog/moved.md"),
    )
    .unwrap();
    events.wait_for("reload");
    served.eventually("/guide/blog/moved/", |r| r.status == 200);
    assert_eq!(served.get("/guide/blog/added/").status, 404);

    // Delete it.
    std::fs::remove_file(site.root().join("content/blog/moved.md")).unwrap();
    events.wait_for("reload");
    served.eventually("/guide/blog/moved/", |r| r.status == 404);

    // A stylesheet change swaps stylesheets only.
    site.write("static/css/site.css", "body { color: rebeccapurple; }\n");
    let css = events.wait_for("css");
    assert_eq!(css, "[\"/guide/css/site.css\"]");
    served.eventually("/guide/css/site.css", |r| {
        r.text().contains("rebeccapurple")
    });

    // Break a page: the overlay names file, line and column, the last good page stays.
    site.write(
        "content/blog/first.md",
        &source.replace("[the second](second.md)", "[the second](secnd.md)"),
    );
    let overlay = events.wait_for_containing("build-error", "content/blog/first.md:6:34");
    assert!(overlay.contains("did you mean `second.md`?"), "{overlay}");
    assert!(overlay.contains("the link `secnd.md`"), "{overlay}");
    let stale = served.get("/guide/blog/first/");
    assert_eq!(stale.status, 200);
    assert!(stale.text().contains("Freshly edited details."));
    // A page opened now gets the errors at once.
    let mut late = served.events(&stale.build());
    late.wait_for("build-error");

    // Fix it: the overlay goes by itself.
    site.write("content/blog/first.md", &source);
    events.wait_for("reload");
    late.wait_for("reload");
    served.eventually("/guide/blog/first/", |r| r.text().contains("Details here."));
}

#[test]
fn after_a_series_of_edits_the_served_site_equals_a_fresh_build() {
    let site = TestSite::fixture("basic");
    // Compared with `cairn build`, which leaves drafts out.
    let served = Served::start_with(&site, &["--no-drafts"]);
    let mut events = served.events(&served.get("/guide/").build());
    let edits: Vec<Box<dyn Fn()>> = vec![
        Box::new(|| {
            site.write("content/blog/new.md", "---\ntitle: Newest\ndate: 2025-01-01\ntags: [rust, fresh]\n---\nLinks to [first](first.md#the-details).\n");
        }),
        Box::new(|| {
            site.write(
                "content/about.md",
                "---\ntitle: About us now\ndescription: Changed.\n---\nAbout text, changed.\n",
            );
        }),
        Box::new(|| {
            std::fs::rename(
                site.root().join("content/blog/second.md"),
                site.root().join("content/blog/second-renamed.md"),
            )
            .unwrap();
        }),
        Box::new(|| {
            let first = std::fs::read_to_string(site.root().join("content/blog/first.md")).unwrap();
            site.write(
                "content/blog/first.md",
                &first.replace("second.md", "second-renamed.md"),
            );
        }),
        Box::new(|| {
            site.write("templates/special.html", "{% extends \"default/page.html\" %}\n{% block content %}<p class=\"special\">Edited template</p>{{ super() }}{% endblock content %}\n");
        }),
        Box::new(|| {
            std::fs::remove_file(site.root().join("content/blog/new.md")).unwrap();
        }),
    ];
    for (step, edit) in edits.iter().enumerate() {
        edit();
        // Renaming a linked page breaks the link until the next edit fixes it.
        events.wait_for(if step == 2 { "build-error" } else { "reload" });
    }
    // The last edit deleted a page: once that shows, every earlier edit does too.
    served.eventually("/guide/blog/new/", |r| r.status == 404);
    let fresh = tempfile::tempdir().unwrap();
    let mut options = site.options();
    options.output = Some(fresh.path().join("out"));
    // Serve leaves asset fingerprinting off, so stylesheets can be swapped in place.
    options.fingerprint = false;
    cairn::build(&options).expect("a fresh build");
    let files = crate::common::snapshot(&fresh.path().join("out"));
    assert!(files.len() > 20);
    // The search index is made again after the reload; wait for its manifest too.
    let manifest = files
        .iter()
        .find(|(path, _)| path == "search/index.json")
        .map(|(_, bytes)| bytes.clone())
        .expect("a search manifest");
    served.eventually("/guide/search/index.json", |r| r.body == manifest);
    for (path, bytes) in files {
        if path == ".cairn-build" {
            continue;
        }
        let url = format!("/guide/{}", path.trim_end_matches("index.html"));
        let response = served.get(&url);
        assert_eq!(response.status, 200, "{url}");
        if path.ends_with(".html") {
            assert_eq!(
                without_script(&response.text()),
                String::from_utf8(bytes).unwrap(),
                "{url}"
            );
        } else {
            assert!(response.body == bytes, "{url} differs");
        }
    }
    assert_eq!(served.get("/guide/blog/second/").status, 404);
}

#[test]
fn built_output_never_contains_the_reload_script() {
    let site = TestSite::fixture("basic");
    site.build();
    for (path, bytes) in crate::common::snapshot(&site.public()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__cairn"),
            "{path} mentions the serve-only files"
        );
    }
}

#[test]
fn polling_sees_changes_too() {
    let site = TestSite::fixture("basic");
    let served = Served::start_with(&site, &["--poll"]);
    let mut events = served.events(&served.get("/guide/about/").build());
    site.write(
        "content/about.md",
        "---\ntitle: About, polled\n---\nSeen by polling.\n",
    );
    events.wait_for("reload");
    served.eventually("/guide/about/", |r| r.text().contains("Seen by polling."));
}

#[test]
fn a_first_build_that_fails_shows_its_errors_until_fixed() {
    let site = TestSite::fixture("basic");
    let about = std::fs::read_to_string(site.root().join("content/about.md")).unwrap();
    site.write("content/about.md", "---\ntitel: Typo\n---\nText.\n");
    let served = Served::start(&site);
    let page = served.get("/guide/about/");
    assert_eq!(page.status, 500);
    let text = page.text();
    assert!(text.contains("content/about.md:2:1"), "{text}");
    assert!(
        text.contains("<script src=\"/__cairn/livereload.js\""),
        "{text}"
    );
    let mut events = served.events(&page.build());
    site.write("content/about.md", &about);
    events.wait_for("reload");
    served.eventually("/guide/about/", |r| r.status == 200);
}

/// `cairn serve` in this process, with limits a test can wait out.
fn serve_in_process(site: &TestSite, limits: Limits) -> cairn::serve::Server {
    cairn::serve::Server::start(cairn::serve::ServeOptions {
        build: site.options(),
        address: "127.0.0.1:0".parse().unwrap(),
        poll: false,
        debounce: cairn::serve::DEFAULT_DEBOUNCE,
        color: false,
        limits,
    })
    .unwrap_or_else(|problems| panic!("{}", problems.render(false)))
}

fn get_with_host(host: &str, path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
}

/// Whether the server has closed `stream`: the read ends (or is reset) instead of timing out.
fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut bytes = Vec::new();
    match stream.read_to_end(&mut bytes) {
        Ok(_) => true,
        Err(error) => !matches!(
            error.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

// DNS rebinding: a page of another site that made its name resolve to 127.0.0.1 still sends
// its own name as Host, and gets nothing but 421 from any route.
#[test]
fn only_requests_for_this_machine_are_answered() {
    let site = TestSite::fixture("basic");
    let served = Served::start(&site);
    let port = served.address.port();
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("docs.localhost:{port}"),
    ] {
        let response = served.raw(&get_with_host(&host, "/guide/"));
        assert_eq!(response.status, 200, "{host}: {}", response.head);
        let script = served.raw(&get_with_host(&host, "/__cairn/livereload.js"));
        assert_eq!(script.status, 200, "{host}: {}", script.head);
    }
    // HTTP/1.0 has no Host.
    assert_eq!(served.raw("GET /guide/ HTTP/1.0\r\n\r\n").status, 200);

    for host in [
        "attacker.example".to_string(),
        format!("attacker.example:{port}"),
        format!("localhost.attacker.example:{port}"),
        format!("198.51.100.7:{port}"),
    ] {
        for path in [
            "/guide/",
            "/__cairn/events",
            "/__cairn/livereload.js",
            "/__cairn/overlay.css",
            "/nowhere",
        ] {
            let response = served.raw(&get_with_host(&host, path));
            assert_eq!(response.status, 421, "{host}{path}: {}", response.head);
            let text = response.text();
            assert!(
                text.contains(&format!("Open http://127.0.0.1:{port}/ instead")),
                "{text}"
            );
            assert!(!text.contains("<"), "{text}");
        }
    }
    // The name in an absolute request target counts too, and so does any second Host.
    for request in [
        "GET http://attacker.example/guide/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        "GET /guide/ HTTP/1.1\r\nHost: localhost\r\nHost: attacker.example\r\nConnection: close\r\n\r\n",
    ] {
        assert_eq!(served.raw(request).status, 421, "{request:?}");
    }
}

/// An address of this machine other than loopback, if it has one (the one it would use to
/// reach the documentation network; a UDP connect sends nothing).
fn non_loopback_ip() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("198.51.100.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

// DNS rebinding with --bind 0.0.0.0: the machine's own IP literal is answered, names are not.
#[test]
fn bound_to_every_address_the_machine_s_ip_is_answered_but_no_name() {
    let site = TestSite::fixture("basic");
    let served = Served::start_with(&site, &["--bind", "0.0.0.0"]);
    let port = served.address.port();
    // The URL printed on start, http://0.0.0.0:PORT/, reaches loopback and is answered.
    let loopback = SocketAddr::from(([127, 0, 0, 1], port));
    let printed = raw_at(
        loopback,
        &get_with_host(&served.address.to_string(), "/guide/"),
    );
    assert_eq!(printed.status, 200, "{}", printed.head);
    let Some(ip) = non_loopback_ip() else {
        eprintln!("this machine has no address but loopback; nothing more to check here");
        return;
    };
    let address = SocketAddr::new(ip, port);
    for host in [
        format!("{ip}:{port}"),
        ip.to_string(),
        format!("localhost:{port}"),
    ] {
        let response = raw_at(address, &get_with_host(&host, "/guide/"));
        assert_eq!(response.status, 200, "{host}: {}", response.head);
    }
    for host in [
        format!("mybox.example:{port}"),
        format!("198.51.100.7:{port}"),
    ] {
        let response = raw_at(address, &get_with_host(&host, "/guide/"));
        assert_eq!(response.status, 421, "{host}: {}", response.head);
        assert!(
            response
                .text()
                .contains(&format!("Open http://{ip}:{port}/ instead")),
            "{}",
            response.text()
        );
    }
}

// Slowloris: connections that send half a request, or nothing, are closed once the header
// timeout passes (the old server kept them open for good).
#[test]
fn half_sent_requests_are_closed_after_the_header_timeout() {
    let site = TestSite::fixture("basic");
    let server = serve_in_process(
        &site,
        Limits {
            header_read_timeout: Duration::from_secs(1),
            ..Limits::default()
        },
    );
    let mut streams: Vec<TcpStream> = ["GET /guide/ HTTP/1.1\r\nHost: local", "GET /gu", ""]
        .iter()
        .map(|sent| {
            let mut stream = TcpStream::connect_timeout(&server.address, WAIT).unwrap();
            stream.set_read_timeout(Some(WAIT)).unwrap();
            stream.write_all(sent.as_bytes()).unwrap();
            stream
        })
        .collect();
    for (i, stream) in streams.iter_mut().enumerate() {
        assert!(closed_by_server(stream), "connection {i} is still open");
    }
    let response = raw_at(server.address, &get_with_host("localhost", "/guide/"));
    assert_eq!(response.status, 200);
}

// Slowloris: the header timeout does not cut the event stream, which is long-lived by design.
#[test]
fn the_event_stream_outlives_the_header_timeout() {
    let site = TestSite::fixture("basic");
    let server = serve_in_process(
        &site,
        Limits {
            header_read_timeout: Duration::from_secs(1),
            ..Limits::default()
        },
    );
    let page = raw_at(
        server.address,
        &get_with_host("localhost", "/guide/blog/first/"),
    );
    let mut events = Events::open(server.address, &page.build());
    std::thread::sleep(Duration::from_secs(3));
    let source = std::fs::read_to_string(site.root().join("content/blog/first.md")).unwrap();
    site.write(
        "content/blog/first.md",
        &source.replace("Details here.", "Edited after the timeout."),
    );
    events.wait_for("reload");
}

// Slowloris: past the connection cap, a connection waits (it is not served, and holds no
// file descriptor of the server) until another closes; then it is served.
#[test]
fn connections_beyond_the_cap_wait_until_one_closes() {
    let site = TestSite::fixture("basic");
    let server = serve_in_process(
        &site,
        Limits {
            header_read_timeout: Duration::from_secs(60),
            max_connections: 2,
        },
    );
    let mut idle: Vec<TcpStream> = (0..2)
        .map(|_| TcpStream::connect_timeout(&server.address, WAIT).unwrap())
        .collect();
    let mut waiting = TcpStream::connect_timeout(&server.address, WAIT).unwrap();
    waiting
        .write_all(get_with_host("localhost", "/guide/").as_bytes())
        .unwrap();
    waiting
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut byte = [0u8; 1];
    match waiting.read(&mut byte) {
        Err(error)
            if matches!(
                error.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) => {}
        other => panic!("a connection past the cap was answered: {other:?}"),
    }

    drop(idle.pop());
    waiting.set_read_timeout(Some(WAIT)).unwrap();
    let mut bytes = Vec::new();
    let _ = waiting.read_to_end(&mut bytes);
    assert_eq!(Response::parse(&bytes).status, 200);

    drop(idle);
    let response = raw_at(server.address, &get_with_host("localhost", "/guide/"));
    assert_eq!(response.status, 200);
}

#[test]
fn drafts_are_served_marked_unless_left_out() {
    let site = TestSite::fixture("basic");
    let served = Served::start(&site);
    let draft = served.get("/guide/blog/draft/");
    assert_eq!(draft.status, 200);
    let text = draft.text();
    assert!(text.contains("class=\"draft-note\""), "{text}");
    assert!(text.contains(">Draft</strong>"), "{text}");
    // Lists mark it too; published pages carry no marker.
    assert!(
        served
            .get("/guide/blog/")
            .text()
            .contains(">Draft</strong>")
    );
    assert!(!served.get("/guide/about/").text().contains("draft-note"));
    drop(served);
    let served = Served::start_with(&site, &["--no-drafts"]);
    assert_eq!(served.get("/guide/blog/draft/").status, 404);
}

#[test]
fn the_overlay_shows_a_yaml_mistake_where_it_is_in_plain_words() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/about.md",
        "---\ntitle: About\ndescription: x\ndate: 2024-01-01\ntags: [a]\nweight: 1\n\tdraft: false\n---\nText.\n",
    );
    let served = Served::start(&site);
    let page = served.get("/guide/about/");
    assert_eq!(page.status, 500);
    let text = page.text();
    assert!(text.contains("Build failed: 1 error</h2>"), "{text}");
    assert!(text.contains("this line is indented with a tab"), "{text}");
    assert!(text.contains("content/about.md:7:1"), "{text}");
    assert!(text.contains("indent with spaces"), "{text}");
}
