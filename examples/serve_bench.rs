//! Benchmark: the time from writing a one-page edit to the reload event reaching the
//! browser, debounce included, with `cairn serve`'s incremental rebuilds.
//!
//! ```sh
//! cargo run --release --example synth_site -- --pages 1000 --out /tmp/synth-1k
//! cargo run --release --example serve_bench -- /tmp/synth-1k [EDITS]
//! ```
//!
//! The site can be any cairn site; the synthetic one is deterministic. It is copied to a temporary folder first, so the benchmark never edits it. One
//! page is edited EDITS times (default 30); each time the benchmark waits for the `reload`
//! event on the server-sent-events stream, as a browser would, and prints the median and
//! spread; then the stages of one such rebuild (`--timings` of a cached build), to show
//! where its time goes. Not run by CI: timings depend on the machine.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(site) = args.next().map(PathBuf::from) else {
        eprintln!("usage: serve_bench SITE_DIR [EDITS]");
        std::process::exit(2);
    };
    let edits: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(30);
    let work = tempfile::tempdir().expect("a temporary folder");
    copy_site(&site, work.path());
    let page = pick_page(&work.path().join("content")).expect("a Markdown page under content/");
    let pages = count_pages(&work.path().join("content"));

    let options = cairn::serve::ServeOptions {
        build: cairn::BuildOptions::new(work.path()),
        address: "127.0.0.1:0".parse().expect("an address"),
        poll: false,
        debounce: cairn::serve::DEFAULT_DEBOUNCE,
        color: false,
        limits: cairn::serve::guard::Limits::default(),
    };
    let started = Instant::now();
    let server = match cairn::serve::Server::start(options) {
        Ok(server) => server,
        Err(problems) => {
            eprint!("{}", problems.render(false));
            std::process::exit(1);
        }
    };
    if let Err(problems) = &server.first_build.result {
        eprint!("{}", problems.render(false));
        std::process::exit(1);
    }
    println!(
        "{pages} Markdown files; first build and server start: {} ms",
        started.elapsed().as_millis()
    );
    let mut events = EventStream::connect(&server);
    let original = std::fs::read_to_string(&page).expect("the page");
    let mut latencies = Vec::with_capacity(edits);
    for n in 0..edits {
        // Let the previous rebuild settle, as between two saves.
        std::thread::sleep(Duration::from_millis(150));
        let text = format!("{original}\nEdit number {n} of the benchmark.\n");
        let written = Instant::now();
        std::fs::write(&page, text).expect("write the page");
        events.wait_for_reload(Duration::from_secs(30));
        latencies.push(written.elapsed());
    }
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "one-page edit → reload event, {edits} edits of {}: median {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms",
        page.strip_prefix(work.path()).unwrap_or(&page).display(),
        ms(latencies[latencies.len() / 2]),
        ms(latencies[latencies.len() * 9 / 10]),
        ms(latencies[0]),
        ms(latencies[latencies.len() - 1]),
    );
    drop(server);
    // Let the server's last search index finish, so it does not share the machine.
    std::thread::sleep(Duration::from_secs(3));
    print_rebuild_stages(work.path(), &page, &original);
}

/// The stage table of a rebuild after a one-page edit, through a cache warmed by a full
/// build and two edits.
fn print_rebuild_stages(site: &Path, page: &Path, original: &str) {
    let mut options = cairn::BuildOptions::new(site);
    options.fingerprint = false; // as serve builds
    let cache = cairn::incremental::BuildCache::new();
    let mut last = None;
    for n in 0..4 {
        std::fs::write(page, format!("{original}\nStage edit {n}.\n")).expect("write the page");
        let emitter = cairn::output::Emitter::in_memory();
        let rendered = match cairn::generate(&options, &cache, &emitter) {
            Ok(rendered) => rendered,
            Err(problems) => {
                eprint!("{}", problems.render(false));
                std::process::exit(1);
            }
        };
        cache.finish_build(true);
        last = Some(rendered.timings.render());
        cache.release((rendered, emitter.finish().ok()));
    }
    if let Some(table) = last {
        println!("\nstages of one rebuild (search index deferred, as in serve):\n{table}");
    }
}

/// The reload events, read from the server as a browser's EventSource would.
struct EventStream {
    stream: TcpStream,
    seen: String,
}

impl EventStream {
    fn connect(server: &cairn::serve::Server) -> EventStream {
        let mut stream = TcpStream::connect(server.address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_millis(100)))
            .expect("a read timeout");
        // A current build name, so the server sends nothing on connect.
        let mut page = TcpStream::connect(server.address).expect("connect");
        write!(
            page,
            "GET {} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            server.base_path
        )
        .expect("request");
        let mut html = String::new();
        let _ = page.read_to_string(&mut html);
        let build = html
            .split("data-build=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or("")
            .to_string();
        write!(
            stream,
            "GET /__cairn/events?build={build} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("request");
        EventStream {
            stream,
            seen: String::new(),
        }
    }

    fn wait_for_reload(&mut self, limit: Duration) {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(at) = self.seen.find("event: reload") {
                self.seen.drain(..at + "event: reload".len());
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no reload event within {limit:?}"
            );
            let mut buffer = [0u8; 4096];
            match self.stream.read(&mut buffer) {
                Ok(0) => panic!("the event stream closed"),
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buffer[..n])),
                Err(_) => {}
            }
        }
    }
}

fn copy_site(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let Ok(rel) = entry.path().strip_prefix(from) else {
            continue;
        };
        if rel.starts_with("public") || rel.starts_with("target") || rel.starts_with(".git") {
            continue;
        }
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create a folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// A page in the middle of the site (not a section index), so neighbours exist.
fn pick_page(content: &Path) -> Option<PathBuf> {
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| e.path().to_path_buf())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .collect();
    if pages.is_empty() {
        return None;
    }
    Some(pages.swap_remove(pages.len() / 2))
}

fn count_pages(content: &Path) -> usize {
    walkdir::WalkDir::new(content)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count()
}
