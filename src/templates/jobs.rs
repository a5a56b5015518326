//! The template stage's jobs: one per HTML file, for every page, section (and its
//! pagers), tag page and the 404 page. Other stages add theirs (the search listing, quiz
//! pages), and all are rendered together by [`super::render`].

use tera::{Context, Value};

use super::Templates;
use super::values::{PageValues, SiteValues};
use crate::content::{Site, TAGS_PATH};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{Kind, Origin};
use crate::paths::RelPath;
use crate::yaml;

/// One HTML file to render: which template, where to, and with what.
pub struct Job {
    /// The template's name.
    pub template: String,
    /// Path below the output root.
    pub output: RelPath,
    /// Who the page is for, for the output registry.
    pub origin: Origin,
    /// The context's variables, kept as a list so a cache can fingerprint them.
    pub values: Vec<(&'static str, Value)>,
    /// The page this job renders, as `page`: its value is made only when the job is
    /// rendered (see [`PageValues`]).
    pub page: Option<(PageValues, usize)>,
}

impl Job {
    /// The tera context of this job.
    pub fn context(&self) -> Context {
        let mut context = Context::new();
        for (name, value) in self.variables() {
            context.insert_value(name, value);
        }
        context
    }

    /// Every variable of the context, `page` included.
    pub fn variables(&self) -> impl Iterator<Item = (&'static str, Value)> + '_ {
        let page = self
            .page
            .as_ref()
            .and_then(|(pages, index)| pages.get(*index));
        self.values
            .iter()
            .map(|(name, value)| (*name, value.clone()))
            .chain(page.map(|value| ("page", value)))
    }

    /// Sets a context variable, replacing one of the same name.
    pub(crate) fn insert(&mut self, name: &'static str, value: Value) {
        match self.values.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.values.push((name, value)),
        }
    }
}

/// Checks that every template named in front matter exists, pointing at the name if not.
pub fn check_template_names(site: &Site, templates: &Templates, problems: &mut Diagnostics) {
    let mut check =
        |name: &yaml::Spanned<String>, source: &crate::diagnostics::SourceFile, base: usize| {
            if !templates.contains(&name.value) {
                let help = match crate::suggest::closest(&name.value, templates.names()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "add the template to templates/ in the site or the theme".to_string(),
                };
                problems.push(
                    Diagnostic::error(format!("there is no template `{}`", name.value))
                        .at(source, yaml::range_of(name, base))
                        .help(help),
                );
            }
        };
    for page in &site.pages {
        if let Some(name) = &page.front.template {
            check(name, &page.source, page.front_start);
        }
    }
    for section in &site.sections {
        if let Some(source) = &section.source {
            for name in [&section.front.template, &section.front.page_template]
                .into_iter()
                .flatten()
            {
                check(name, source, section.front_start);
            }
        }
    }
}

/// A job with the values every template gets: `site`, `current_path`, `current_url`, and
/// `series` on the pages that are part of one (whatever stage makes their job: a quiz's
/// first question can be a part too).
pub(crate) fn job(
    template: String,
    (output, origin): (RelPath, Origin),
    values: &SiteValues,
    site: &Site,
    site_path: &str,
) -> Job {
    let mut job = Job {
        template,
        output,
        origin,
        values: vec![
            ("site", values.site.clone()),
            (
                "current_path",
                Value::from(site.config.base_url.link(site_path)),
            ),
            (
                "current_url",
                Value::from(site.config.base_url.permalink(site_path)),
            ),
        ],
        page: None,
    };
    if let Some(series) = values.series.get(site_path) {
        job.insert("series", series.clone());
    }
    job
}

/// The output file of a page at `site_path`, `<site_path>index.html`, checked.
pub(crate) fn index_path(
    site_path: &str,
    origin: &Origin,
) -> Result<(RelPath, Origin), Diagnostic> {
    RelPath::new(&format!("{site_path}index.html"))
        .map(|path| (path, origin.clone()))
        .map_err(|error| {
            let diagnostic =
                Diagnostic::error(format!("cannot publish /{site_path}: {}", error.message()))
                    .help(error.help());
            match origin.kind {
                Kind::Generated => diagnostic,
                _ => diagnostic.in_file(origin.name.to_string()),
            }
        })
}

/// The jobs of every page, section (with its pagers), tag page and the 404 page; paths
/// that cannot be published are reported.
pub fn site_jobs(site: &Site, values: &SiteValues, problems: &mut Diagnostics) -> Vec<Job> {
    let mut jobs = Vec::new();
    let mut checked = |site_path: &str, origin: &Origin| match index_path(site_path, origin) {
        Ok(path) => Some(path),
        Err(problem) => {
            problems.push(problem);
            None
        }
    };
    for (index, page) in site.pages.iter().enumerate() {
        let section = &site.sections[page.section];
        let template = page
            .front
            .template
            .as_ref()
            .or(section.front.page_template.as_ref())
            .map_or_else(|| "page.html".to_string(), |t| t.value.clone());
        let origin = Origin::file(Kind::Page, &*page.source.name);
        let Some(output) = checked(&page.site_path, &origin) else {
            continue;
        };
        let mut job = job(template, output, values, site, &page.site_path);
        job.page = Some((values.pages.clone(), index));
        jobs.push(job);
    }
    for (index, section) in site.published_sections() {
        let template = section.front.template.as_ref().map_or_else(
            || {
                if index == 0 {
                    "index.html"
                } else {
                    "section.html"
                }
                .to_string()
            },
            |t| t.value.clone(),
        );
        let per_page = section.front.paginate_by.as_ref().map(|p| p.value);
        let list: Vec<Value> = section
            .pages
            .iter()
            .map(|i| values.page_summaries[*i].clone())
            .collect();
        let origin = Origin::file(
            Kind::Section,
            crate::content::section_name(section.source.as_ref(), &section.dir),
        );
        for (site_path, paginator) in paginate(site, &section.site_path, &list, per_page) {
            let Some(output) = checked(&site_path, &origin) else {
                continue;
            };
            let mut job = job(template.clone(), output, values, site, &site_path);
            job.insert("section", values.sections[index].clone());
            job.insert("paginator", paginator);
            jobs.push(job);
        }
    }
    let tag_pages = Origin::generated("the tag pages");
    if !site.tags.is_empty()
        && let Some(output) = checked(TAGS_PATH, &tag_pages)
    {
        let mut list_job = job("taxonomy_list.html".into(), output, values, site, TAGS_PATH);
        list_job.insert("taxonomy", values.tags.clone());
        jobs.push(list_job);
        for (index, term) in site.tags.iter().enumerate() {
            let list: Vec<Value> = term
                .pages
                .iter()
                .map(|i| values.page_summaries[*i].clone())
                .collect();
            for (site_path, paginator) in
                paginate(site, &term.site_path, &list, site.config.tags_paginate_by)
            {
                let Some(output) = checked(&site_path, &tag_pages) else {
                    continue;
                };
                let mut job = job(
                    "taxonomy_single.html".into(),
                    output,
                    values,
                    site,
                    &site_path,
                );
                job.insert("taxonomy", values.tags.clone());
                job.insert("term", values.terms[index].clone());
                job.insert("paginator", paginator);
                jobs.push(job);
            }
        }
    }
    jobs.push(job(
        "404.html".into(),
        (
            RelPath::fixed("404.html"),
            Origin::generated("the 404 page"),
        ),
        values,
        site,
        "404.html",
    ));
    jobs
}

/// Splits a list into pagers: `(site path, paginator value)` for each; one pager without
/// `per_page`. The first pager lives at the list's own path, the others at `page/<n>/`.
fn paginate(
    site: &Site,
    site_path: &str,
    list: &[Value],
    per_page: Option<usize>,
) -> Vec<(String, Value)> {
    let per_page = per_page.filter(|n| *n > 0).unwrap_or(list.len().max(1));
    let count = list.len().div_ceil(per_page).max(1);
    let pager_path = |n: usize| {
        if n == 1 {
            site_path.to_string()
        } else {
            format!("{site_path}page/{n}/")
        }
    };
    let url = |n: usize| Value::from(site.config.base_url.link(&pager_path(n)));
    (1..=count)
        .map(|n| {
            let start = (n - 1) * per_page;
            let end = (start + per_page).min(list.len());
            let mut map = tera::Map::new();
            map.insert("current_index".into(), n.into());
            map.insert("number_pagers".into(), count.into());
            map.insert("per_page".into(), per_page.into());
            map.insert("total_pages".into(), list.len().into());
            map.insert("pages".into(), list[start.min(end)..end].to_vec().into());
            map.insert("first".into(), url(1));
            map.insert("last".into(), url(count));
            map.insert(
                "previous".into(),
                if n > 1 { url(n - 1) } else { Value::none() },
            );
            map.insert(
                "next".into(),
                if n < count { url(n + 1) } else { Value::none() },
            );
            (pager_path(n), Value::from(map))
        })
        .collect()
}
