//! What `cairn init --host` writes for each host: `netlify.toml`, GitHub Actions workflows
//! for GitHub Pages and Cloudflare Pages, an nginx server block.
//!
//! The headers in these files come from [`super::header_rules`], the one definition the
//! build's `_headers` comes from too. `netlify.toml` carries none: Netlify reads `_headers`
//! from the published folder, and a header in `netlify.toml` would override it there, so a
//! later `csp:` in site.yaml would not reach the site.

use std::fmt::Write;

use super::{HeaderRule, REVALIDATE, header_rules};

/// Where a site is published, as `cairn init --host` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// No host configuration: `public/` for any static host.
    None,
    /// Netlify builds the site with cairn (`netlify.toml`).
    Netlify,
    /// GitHub Pages, deployed by a GitHub Actions workflow.
    GitHub,
    /// Cloudflare Pages, built and deployed by a GitHub Actions workflow with wrangler.
    Cloudflare,
    /// An nginx server block.
    Nginx,
}

impl Host {
    /// Every host, in the order `cairn init` offers them.
    pub const ALL: [Host; 5] = [
        Host::None,
        Host::Netlify,
        Host::GitHub,
        Host::Cloudflare,
        Host::Nginx,
    ];

    /// The name `--host` takes.
    pub fn name(self) -> &'static str {
        match self {
            Host::None => "none",
            Host::Netlify => "netlify",
            Host::GitHub => "github",
            Host::Cloudflare => "cloudflare",
            Host::Nginx => "nginx",
        }
    }

    /// The host named `name`, as `--host` takes it.
    pub fn from_name(name: &str) -> Option<Host> {
        Host::ALL.into_iter().find(|host| host.name() == name)
    }

    /// What the host is, for the interactive question.
    pub fn describe(self) -> &'static str {
        match self {
            Host::None => "no host files: publish public/ anywhere",
            Host::Netlify => "Netlify: netlify.toml",
            Host::GitHub => "GitHub Pages: a GitHub Actions workflow",
            Host::Cloudflare => "Cloudflare Pages: a GitHub Actions workflow with wrangler",
            Host::Nginx => "nginx: a server block",
        }
    }

    /// The `base_url` a new site starts with: the host's own address for the site when
    /// the host gives one by name, else a placeholder.
    pub fn base_url(self, slug: &str) -> String {
        match self {
            Host::Netlify => format!("https://{slug}.netlify.app/"),
            Host::Cloudflare => format!("https://{slug}.pages.dev/"),
            Host::None | Host::GitHub | Host::Nginx => "https://example.org/".to_string(),
        }
    }

    /// A line of `site.yaml` comment above `base_url`, saying where it comes from.
    pub fn base_url_comment(self) -> &'static str {
        match self {
            Host::Netlify => {
                "# The address the site is published at: the name Netlify gives it, or your own domain."
            }
            Host::Cloudflare => {
                "# The address the site is published at: the Cloudflare Pages project's, or your own domain."
            }
            Host::GitHub => {
                "# The address for local builds: the Pages workflow builds with the one GitHub Pages gives the site."
            }
            Host::None | Host::Nginx => {
                "# The address the site is published at (a sub-path like https://example.org/docs/ works)."
            }
        }
    }

    /// What to do once to publish the site there, printed by `cairn init`.
    pub fn next_steps(self) -> &'static str {
        match self {
            Host::None => {
                "cairn build, then publish public/ on any static host (see \"Deploy\" in the cairn guide)"
            }
            Host::Netlify => {
                "push the site to a git repository and import it in Netlify: netlify.toml builds it"
            }
            Host::GitHub => {
                "push the site to a GitHub repository, then set Settings > Pages > Source to \"GitHub Actions\""
            }
            Host::Cloudflare => {
                "create the Pages project and add the two secrets named in .github/workflows/cloudflare-pages.yml, then push to GitHub"
            }
            Host::Nginx => {
                "cairn build, upload public/ to the root named in nginx.conf, and install nginx.conf (see its first lines)"
            }
        }
    }

    /// What `cairn init` must add when this host's build machine installs cairn from a
    /// repository this cairn does not know (see [`source_repository`]): where to name it.
    pub fn repository_to_set(self) -> Option<String> {
        if source_repository().is_some() {
            return None;
        }
        let (file, _) = self
            .files("site")
            .into_iter()
            .find(|(_, text)| text.contains(REPOSITORY_PLACEHOLDER))?;
        Some(format!(
            "set CAIRN_REPOSITORY in {file} to the git address of the cairn you build with (this cairn was built without one)"
        ))
    }

    /// The files `cairn init` writes for this host, as (path in the site, text). `slug` names
    /// the site (its folder's slug).
    pub fn files(self, slug: &str) -> Vec<(&'static str, String)> {
        match self {
            Host::None => Vec::new(),
            Host::Netlify => vec![("netlify.toml", netlify_toml())],
            Host::GitHub => vec![(".github/workflows/pages.yml", github_pages_workflow())],
            Host::Cloudflare => vec![(
                ".github/workflows/cloudflare-pages.yml",
                cloudflare_pages_workflow(slug),
            )],
            Host::Nginx => vec![(
                "nginx.conf",
                nginx_server(
                    "example.org",
                    &format!("/var/www/{slug}"),
                    crate::config::DEFAULT_CSP,
                ),
            )],
        }
    }
}

/// The git repository build machines install cairn from: `CAIRN_REPOSITORY` when cairn was
/// compiled, else `repository` in its Cargo.toml; `None` when neither was set.
///
/// Never crates.io by name: the crate called `cairn` there is an unrelated project, so
/// `cargo install cairn` would build and run someone else's code on the deployer's machine.
pub fn source_repository() -> Option<&'static str> {
    option_env!("CAIRN_REPOSITORY")
        .or(Some(env!("CARGO_PKG_REPOSITORY")))
        .filter(|repository| !repository.is_empty())
}

/// What the host files name as cairn's repository when [`source_repository`] is unknown:
/// an address that cannot resolve (`.invalid`), so a build fails at once, naming it.
pub const REPOSITORY_PLACEHOLDER: &str = "https://set-the-cairn-repository.invalid/cairn.git";

/// The repository the host files install cairn from.
fn repository() -> &'static str {
    source_repository().unwrap_or(REPOSITORY_PLACEHOLDER)
}

/// The command that installs this version of cairn on a build machine, from the
/// `CAIRN_REPOSITORY` and `CAIRN_VERSION` the host files set (its release tag, `v0.1.0`).
pub fn install_command() -> String {
    r#"cargo install --locked --git "$CAIRN_REPOSITORY" --tag "v$CAIRN_VERSION" cairn"#.to_string()
}

/// `netlify.toml`: Netlify's build image has rustup, so Netlify installs Rust and cairn, and
/// builds.
pub fn netlify_toml() -> String {
    format!(
        r#"# Netlify: written by `cairn init --host netlify`. Netlify installs cairn (its build
# image has rustup but no toolchain chosen: the command picks stable; compiling cairn takes a
# few minutes), builds the site and publishes public/.
#
# Headers and redirects are not set here: every build writes public/_headers (the security
# policy from site.yaml, and caching) and public/_redirects (the pages' aliases), and Netlify
# reads both. A header set here would override _headers. Netlify serves public/404.html for
# missing pages by itself.

[build]
  publish = "public"
  command = 'rustup default stable && {install} && cairn build'

# The cairn this site is built with: its git repository and release.
[build.environment]
  CAIRN_REPOSITORY = "{repository}"
  CAIRN_VERSION = "{version}"
"#,
        install = install_command(),
        repository = repository(),
        version = env!("CARGO_PKG_VERSION"),
    )
}

/// The steps that install cairn on a GitHub Actions runner, cached by version, so a push
/// compiles cairn only when its version changes. Indented for a job's `steps:`.
fn install_steps() -> String {
    format!(
        r#"      # cairn, compiled once per version and then restored from the cache.
      - name: Restore cairn
        id: cairn-cache
        uses: actions/cache@v4
        with:
          path: ~/.cargo/bin/cairn
          key: cairn-${{{{ runner.os }}}}-${{{{ env.CAIRN_VERSION }}}}
      - name: Install cairn
        if: steps.cairn-cache.outputs.cache-hit != 'true'
        run: {install}
"#,
        install = install_command()
    )
}

/// The GitHub Pages workflow: build with the address GitHub Pages gives the site (a project
/// site's sub-path, a user site's root, or a custom domain), then deploy.
pub fn github_pages_workflow() -> String {
    format!(
        r#"# GitHub Pages: written by `cairn init --host github`. Builds the site with cairn and
# publishes it on every push to main. Once, in the repository's Settings > Pages, set
# Source to "GitHub Actions".
#
# The base URL comes from GitHub Pages (configure-pages): https://<owner>.github.io/<repository>/
# for a project site, https://<owner>.github.io/ for a user site, or your custom domain, so
# links carry the right sub-path. GitHub Pages cannot send headers: the security policy
# reaches the pages through their <meta> tag, and GitHub sets the caching itself.
name: Deploy to GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

# One deploy at a time; a newer push waits instead of cancelling one under way.
concurrency:
  group: pages
  cancel-in-progress: false

env:
  CAIRN_REPOSITORY: "{repository}"
  CAIRN_VERSION: "{version}"

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Configure GitHub Pages
        id: pages
        uses: actions/configure-pages@v5
{install}      - name: Build
        env:
          BASE_URL: ${{{{ steps.pages.outputs.base_url }}}}
        run: cairn build --base-url "$BASE_URL/"
      # Version 3 keeps files whose names start with a dot (.well-known/); version 4 drops them.
      - uses: actions/upload-pages-artifact@v3
        with:
          path: public

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v4
"#,
        version = env!("CARGO_PKG_VERSION"),
        repository = repository(),
        install = install_steps()
    )
}

/// The Cloudflare Pages workflow: Cloudflare's build image has no Rust, so GitHub Actions
/// builds the site and `wrangler pages deploy` uploads `public/` (with `_headers` and
/// `_redirects`, which Cloudflare Pages reads).
pub fn cloudflare_pages_workflow(project: &str) -> String {
    format!(
        r#"# Cloudflare Pages: written by `cairn init --host cloudflare`. Cloudflare's build image has
# no Rust, so GitHub Actions builds the site with cairn and wrangler uploads public/ on every
# push to main (other branches get preview deploys when the workflow runs on them).
#
# Once:
#   1. create the Pages project: `npx wrangler pages project create {project}` (or in the
#      dashboard, as a Direct Upload project), and set PROJECT below if you named it otherwise;
#   2. add two repository secrets (Settings > Secrets and variables > Actions):
#      CLOUDFLARE_API_TOKEN, a token allowed to edit Cloudflare Pages, and
#      CLOUDFLARE_ACCOUNT_ID.
# Cloudflare Pages reads public/_headers (security policy, caching) and public/_redirects
# (the pages' aliases), which every build writes.
name: Deploy to Cloudflare Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read

# One deploy of a branch at a time; a newer push waits instead of cancelling one under way.
concurrency:
  group: cloudflare-pages-${{{{ github.ref }}}}
  cancel-in-progress: false

env:
  CAIRN_REPOSITORY: "{repository}"
  CAIRN_VERSION: "{version}"
  PROJECT: "{project}"

jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
{install}      - name: Build
        run: cairn build
      - name: Deploy to Cloudflare Pages
        env:
          CLOUDFLARE_API_TOKEN: ${{{{ secrets.CLOUDFLARE_API_TOKEN }}}}
          CLOUDFLARE_ACCOUNT_ID: ${{{{ secrets.CLOUDFLARE_ACCOUNT_ID }}}}
        run: npx --yes wrangler@4 pages deploy public --project-name="$PROJECT" --branch="$GITHUB_REF_NAME"
"#,
        version = env!("CARGO_PKG_VERSION"),
        repository = repository(),
        install = install_steps()
    )
}

/// An nginx `location` for a rule's pattern: a prefix location for `/dir/*`, else a regular
/// expression (`*` matching any run of characters, as in `_headers`).
fn nginx_location(pattern: &str) -> String {
    match pattern.strip_suffix('*') {
        Some(prefix) if !prefix.contains('*') => format!("^~ {prefix}"),
        _ => {
            let mut regex = String::from("~ ^");
            for (i, part) in pattern.split('*').enumerate() {
                if i > 0 {
                    regex.push_str(".*");
                }
                for c in part.chars() {
                    if !c.is_ascii_alphanumeric() && !matches!(c, '/' | '-' | '_') {
                        regex.push('\\');
                    }
                    regex.push(c);
                }
            }
            regex.push('$');
            regex
        }
    }
}

/// A double-quoted nginx string.
fn nginx_quote(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

fn nginx_headers(text: &mut String, headers: &[(&str, String)]) {
    for (name, value) in headers {
        let _ = writeln!(
            text,
            "        add_header {name} {} always;",
            nginx_quote(value)
        );
    }
}

/// An nginx server block serving the published folder at `root` with [`header_rules`]:
/// the headers of the catch-all rule in every location (in nginx, an `add_header` inside a
/// location replaces the server's), a location per caching rule, and revalidation for the
/// rest.
pub fn nginx_server(server_name: &str, root: &str, csp: &str) -> String {
    let rules = header_rules(csp);
    let (everywhere, specific): (Vec<HeaderRule>, Vec<HeaderRule>) =
        rules.into_iter().partition(|rule| rule.pattern == "/*");
    let common: Vec<(&str, String)> = everywhere.into_iter().flat_map(|r| r.headers).collect();
    let mut text = String::from(
        "# nginx: written by `cairn init --host nginx`, from the rules cairn's _headers file comes\n\
         # from. Upload the built site (what is in public/) to the root folder below, put this\n\
         # file in /etc/nginx/conf.d/, set server_name, add your TLS settings, then run\n\
         # `nginx -t && nginx -s reload`. For a site under a sub-path, see \"nginx\" in the\n\
         # cairn guide. Each location repeats the headers: in nginx, an add_header inside a\n\
         # location replaces those of the server.\n",
    );
    let types = "text/css text/plain text/xml application/javascript application/json application/atom+xml image/svg+xml";
    let _ = write!(
        text,
        "server {{\n    listen 80;\n    server_name {server_name};\n    root {root};\n    index index.html;\n    error_page 404 /404.html;\n    charset utf-8;\n    charset_types {types};\n    gzip on;\n    gzip_types {types};\n\n"
    );
    text.push_str("    # Pages, feeds and every other file: revalidated on every visit.\n");
    text.push_str("    location / {\n        try_files $uri $uri/ =404;\n");
    let mut revalidated = vec![("Cache-Control", REVALIDATE.to_string())];
    revalidated.extend(common.iter().cloned());
    nginx_headers(&mut text, &revalidated);
    text.push_str("    }\n");
    for rule in specific {
        let _ = writeln!(text, "\n    # {}", rule.comment);
        let _ = writeln!(text, "    location {} {{", nginx_location(&rule.pattern));
        let mut headers = rule.headers.clone();
        headers.extend(common.iter().cloned());
        nginx_headers(&mut text, &headers);
        text.push_str("    }\n");
    }
    text.push_str("}\n");
    text
}

/// The nginx `location` that serves a site under the sub-path `prefix` (`/guide/`) of
/// another server, by proxying to the site's own server block listening at `upstream`
/// (`http://127.0.0.1:8080/`). The trailing `/` of `upstream` strips the prefix, so the site's
/// block serves its folder as at the root; the upstream's redirects are rewritten back under
/// the prefix by nginx's default `proxy_redirect`, and its headers pass through.
pub fn nginx_proxy_location(prefix: &str, upstream: &str) -> String {
    format!("location {prefix} {{\n    proxy_pass {upstream};\n}}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_named_as_the_command_line_names_them() {
        for host in Host::ALL {
            assert_eq!(Host::from_name(host.name()), Some(host));
        }
        assert_eq!(Host::from_name("vercel"), None);
    }

    #[test]
    fn nginx_locations_follow_the_patterns() {
        assert_eq!(nginx_location("/assets/*"), "^~ /assets/");
        assert_eq!(nginx_location("/search/*.bin"), "~ ^/search/.*\\.bin$");
    }

    #[test]
    fn nginx_strings_are_quoted() {
        assert_eq!(nginx_quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
    }

    #[test]
    fn workflows_install_this_version_of_cairn() {
        for text in [github_pages_workflow(), cloudflare_pages_workflow("x")] {
            assert!(text.contains(&format!("CAIRN_VERSION: \"{}\"", env!("CARGO_PKG_VERSION"))));
            assert!(text.contains(&install_command()));
            assert!(text.contains(&format!("CAIRN_REPOSITORY: \"{}\"", repository())));
        }
        let netlify = netlify_toml();
        assert!(netlify.contains(&install_command()));
        assert!(netlify.contains(&format!("CAIRN_REPOSITORY = \"{}\"", repository())));
        assert!(
            !install_command().contains("install --locked cairn"),
            "never the crates.io crate of that name"
        );
        for host in Host::ALL {
            let installs = !host.files("site").is_empty() && host != Host::Nginx;
            assert_eq!(
                host.repository_to_set().is_some(),
                installs && source_repository().is_none(),
                "{host:?}"
            );
        }
    }
}
