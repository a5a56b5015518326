//! `cairn serve`: build the site into memory, serve it and rebuild on every change.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

/// Arguments of `cairn serve`.
#[derive(Args)]
#[command(
    after_help = "Pages reload by themselves after each change; build errors show in the browser over the last good page.\nDrafts are shown, marked as drafts; --no-drafts shows the site as `cairn build` publishes it.\nThe server listens on loopback only unless --bind names another address."
)]
pub(crate) struct ServeArgs {
    /// The site folder (default: this folder or the nearest one above it with site.yaml).
    #[arg(long)]
    root: Option<PathBuf>,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Address to listen on. Anything but loopback makes the site reachable from the network.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,
    /// Leave out pages marked `draft: true` (shown by default, marked as drafts).
    #[arg(long)]
    no_drafts: bool,
    /// Show drafts (the default; kept so older scripts still work).
    #[arg(long, hide = true, conflicts_with = "no_drafts")]
    drafts: bool,
    /// Open the site in the default browser once it is served.
    #[arg(long)]
    open: bool,
    /// Poll for changes instead of using file system events (network and container mounts).
    #[arg(long)]
    poll: bool,
}

/// Serves the site until interrupted.
pub(crate) fn run(args: ServeArgs) -> ExitCode {
    let color = super::use_color();
    let root = match super::site_root(args.root) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let options = cairn::serve::ServeOptions {
        build: cairn::BuildOptions {
            root,
            output: None,
            drafts: args.drafts || !args.no_drafts,
            base_url: None,
            fingerprint: false,
        },
        address: SocketAddr::new(args.bind, args.port),
        poll: args.poll,
        debounce: cairn::serve::DEFAULT_DEBOUNCE,
        color,
        limits: cairn::serve::guard::Limits::default(),
    };
    let server = match cairn::serve::Server::start(options) {
        Ok(server) => server,
        Err(problems) => {
            eprint!("{}", problems.render(color));
            return ExitCode::from(1);
        }
    };
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines on the network can read this site{}",
            args.bind,
            if args.no_drafts {
                ""
            } else {
                ", drafts included (--no-drafts leaves them out)"
            }
        );
    }
    let url = server.url();
    // The test harness and scripts read this line to find the port.
    println!("Serving at {url} (Ctrl-C to stop)");
    if args.open {
        open_browser(&url);
    }
    match server.run_until_interrupted() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "error: the server stopped: {}",
                cairn::diagnostics::io_reason(&error)
            );
            ExitCode::from(1)
        }
    }
}

/// Opens `url` with the platform's opener. Hand-written: it is one command per platform,
/// not worth a dependency.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else {
        std::process::Command::new("xdg-open")
    };
    if let Err(error) = command
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!(
            "warning: cannot open a browser ({}); open {url} yourself",
            cairn::diagnostics::io_reason(&error)
        );
    }
}
