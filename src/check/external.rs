//! External links: each URL asked once, by HEAD (then GET when HEAD is refused), with a
//! timeout, at most a few requests at a time and a pause between requests to one host.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Limits for checking external links.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// How long one request may take, connection included.
    pub timeout: Duration,
    /// Requests in flight at once, across hosts.
    pub concurrency: usize,
    /// Pause between two requests to the same host.
    pub host_delay: Duration,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            timeout: Duration::from_secs(10),
            concurrency: 8,
            host_delay: Duration::from_millis(500),
        }
    }
}

/// Why an external URL failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The URL.
    pub url: String,
    /// What went wrong, e.g. `answered 404 Not Found`.
    pub reason: String,
}

/// Checks every URL; returns the failures, in the order of `urls`.
pub fn check_all(urls: &[String], options: &ExternalOptions) -> Vec<Failure> {
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
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!("cairn-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let workers = options.concurrency.max(1);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let queue = queue.clone();
            let results = results.clone();
            let agent = agent.clone();
            scope.spawn(move || {
                loop {
                    let next = queue.lock().unwrap_or_else(PoisonError::into_inner).pop();
                    let Some(host_urls) = next else { break };
                    for (position, (index, url)) in host_urls.into_iter().enumerate() {
                        if position > 0 {
                            std::thread::sleep(options.host_delay);
                        }
                        if let Some(reason) = check_one(&agent, &url) {
                            results
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .push((index, Failure { url, reason }));
                        }
                    }
                }
            });
        }
    });
    let mut failures = std::mem::take(&mut *results.lock().unwrap_or_else(PoisonError::into_inner));
    failures.sort_by_key(|(index, _)| *index);
    failures.into_iter().map(|(_, failure)| failure).collect()
}

/// `None` when the URL answers with a success; else why not.
fn check_one(agent: &ureq::Agent, url: &str) -> Option<String> {
    let status = match agent.head(url).call() {
        Ok(response) => response.status().as_u16(),
        Err(error) => return Some(describe(&error)),
    };
    // Some servers refuse HEAD (405, 501) or answer it differently: ask with GET then.
    let status = if status >= 400 {
        match agent.get(url).call() {
            Ok(response) => response.status().as_u16(),
            Err(error) => return Some(describe(&error)),
        }
    } else {
        status
    };
    (status >= 400).then(|| {
        let reason = axum::http::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("");
        format!("answered {status} {reason}").trim_end().to_string()
    })
}

fn describe(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => "did not answer in time".to_string(),
        other => format!("cannot be reached: {other}"),
    }
}

fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default()
}
