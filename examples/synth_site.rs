//! Writes a deterministic synthetic site for benchmarks (search, build and serve timing).
//!
//! ```sh
//! cargo run --release --example synth_site -- --pages 10000 --out /tmp/synth-10k
//! cargo run --release -- build --root /tmp/synth-10k
//! ```
//!
//! Every page has about 600 words drawn from a Zipf-like vocabulary (English function
//! words, then common content words, then a long tail of made-up words), an intro, four to
//! six headed sections, a list, a link to another page, tags and a date; one page in three
//! has a fenced code block (four lines of Rust; with `--code-heavy`, ten lines of Rust or
//! Python, as in technical articles). Pages come in sections of 100. The same arguments
//! always write the same bytes, on any machine.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Words per page, roughly.
const WORDS_PER_PAGE: usize = 600;
/// Pages per section folder.
const PAGES_PER_SECTION: usize = 100;
/// Size of the vocabulary, common words included.
const VOCABULARY: usize = 30_000;

const FUNCTION_WORDS: &str = "the of and to a in is that for it as was with be by on not he i this are or his from at which but have an they you were her she there been one all we their has would when if so what no more out up into do can will about them my than some only its other could time these two may then first any like now such our over also new most me after should well where those just made because very through how must before back much your years way many even own down each while three both here good under still between last might same another know too since against upon great being people against every work life long without part little world";
const CONTENT_WORDS: &str = "contact search design system garden river window language music history science letter market travel health energy water city house country family friend school teacher student doctor office library museum theatre kitchen bridge mountain forest ocean island winter summer autumn spring morning evening journey picture camera engine signal network server browser client screen keyboard number answer question problem solution method result reason effect change growth balance pattern process policy report record review detail feature option value simple complex careful honest patient gentle bright quiet strong rapid modern ancient public private global local digital manual central natural social mental physical emotional practical useful helpful careful famous common special general popular perfect serious certain obvious clear recent current final early late quick slow heavy light narrow broad warm cold fresh sharp smooth rough steady sudden ready happy angry anxious calm brave clever curious eager fair kind proud wise build create follow remember explain improve measure compare prepare protect provide receive recover reduce replace respond return reveal select separate suggest support survive teach travel understand visit wonder write decide develop discover discuss divide enjoy escape examine expect express gather imagine include increase invite judge listen manage notice offer organise perform persuade practise predict promise publish question realise recommend refuse relax repair repeat request research rescue resolve respect retire search share shout solve sort spend study succeed suffer";
const TAGS: &[&str] = &[
    "guide", "notes", "howto", "essay", "review", "news", "release", "design", "travel", "science",
    "history", "music", "garden", "health", "code", "tools", "people", "places", "ideas",
    "archive",
];
const SYLLABLES: &[&str] = &[
    "ka", "lo", "mer", "ti", "san", "ve", "ro", "dun", "pi", "sha", "ne", "bor", "qua", "li",
    "fen", "zu", "tor", "mi", "gal", "re", "ost", "ba", "din", "cle", "yu", "wen", "har", "po",
    "sel", "tra", "mun", "fi", "dor", "ael", "ix", "gor",
];

/// SplitMix64: a tiny, fixed PRNG, so the sites stay byte-identical across versions of any
/// random-number crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The vocabulary by rank and the cumulative Zipf weights to sample it.
struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocabulary {
    fn new() -> Vocabulary {
        let mut words: Vec<String> = FUNCTION_WORDS
            .split_whitespace()
            .chain(CONTENT_WORDS.split_whitespace())
            .map(str::to_owned)
            .collect();
        let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
        words.retain(|w| seen.remove(w)); // drop repeats, keep the first
        let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
        let mut n = 0usize;
        while words.len() < VOCABULARY {
            // Made-up words of two to four syllables, numbered in base |SYLLABLES|.
            let mut word = String::new();
            let mut k = n;
            let syllables = 2 + n % 3;
            for _ in 0..syllables {
                word.push_str(SYLLABLES[k % SYLLABLES.len()]);
                k /= SYLLABLES.len();
                k = k * 7 + 3;
            }
            n += 1;
            if seen.insert(word.clone()) {
                words.push(word);
            }
        }
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / (rank as f64).powf(1.05);
                total
            })
            .collect();
        Vocabulary { words, cumulative }
    }

    fn sample(&self, rng: &mut Rng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let target = rng.unit() * total;
        let at = self.cumulative.partition_point(|c| *c < target);
        &self.words[at.min(self.words.len() - 1)]
    }

    fn sentence(&self, rng: &mut Rng, words: usize) -> String {
        let mut out = String::new();
        for i in 0..words {
            let word = self.sample(rng);
            if i == 0 {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(chars.as_str());
                }
            } else {
                out.push(' ');
                out.push_str(word);
            }
        }
        out.push('.');
        out
    }

    fn title(&self, rng: &mut Rng, words: usize) -> String {
        (0..words)
            .map(|_| {
                let word = self.sample_content(rng);
                let mut chars = word.chars();
                chars.next().map_or(String::new(), |c| {
                    c.to_uppercase().collect::<String>() + chars.as_str()
                })
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A word past the function words, for titles and headings.
    fn sample_content(&self, rng: &mut Rng) -> &str {
        loop {
            let word = self.sample(rng);
            if !FUNCTION_WORDS.split_whitespace().any(|f| f == word) {
                return word;
            }
        }
    }
}

fn paragraph(vocabulary: &Vocabulary, rng: &mut Rng, words: usize) -> (String, usize) {
    let mut out = String::new();
    let mut written = 0;
    while written < words {
        let length = 8 + rng.below(14);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&vocabulary.sentence(rng, length));
        written += length;
    }
    (out, written)
}

fn page_path(page: usize) -> String {
    format!("s{:03}/p{page:05}.md", page / PAGES_PER_SECTION)
}

/// Which kind of site to write.
#[derive(Clone, Copy)]
enum Shape {
    /// Every third page has a four-line Rust block.
    Plain,
    /// Every third page has a ten-line Rust or Python block (technical articles).
    CodeHeavy,
}

fn page(
    vocabulary: &Vocabulary,
    rng: &mut Rng,
    number: usize,
    pages: usize,
    shape: Shape,
) -> String {
    let mut out = String::new();
    let title_words = 3 + rng.below(4);
    let title = vocabulary.title(rng, title_words);
    let day = number % 28 + 1;
    let month = number / 28 % 12 + 1;
    let year = 2015 + number / 336 % 10;
    let tags: Vec<&str> = (0..2).map(|_| TAGS[rng.below(TAGS.len())]).collect();
    let _ = writeln!(out, "---\ntitle: \"{title}\"");
    let _ = writeln!(out, "description: \"{}\"", vocabulary.sentence(rng, 12));
    let _ = writeln!(out, "date: {year}-{month:02}-{day:02}");
    let _ = writeln!(out, "tags: [{}]", tags.join(", "));
    let _ = writeln!(out, "weight: {number}\n---\n");
    let mut words = 0;
    let (intro, n) = paragraph(vocabulary, rng, 60);
    words += n;
    let _ = writeln!(out, "{intro}\n");
    let sections = 4 + rng.below(3);
    let code_section = number.is_multiple_of(3).then(|| rng.below(sections));
    let list_section = rng.below(sections);
    let link_section = rng.below(sections);
    for section in 0..sections {
        let heading_words = 2 + rng.below(3);
        let _ = writeln!(out, "## {}\n", vocabulary.title(rng, heading_words));
        let budget = (WORDS_PER_PAGE - 60) / sections;
        let paragraphs = 1 + rng.below(2);
        for _ in 0..paragraphs {
            let (text, n) = paragraph(vocabulary, rng, budget / paragraphs);
            words += n;
            let _ = writeln!(out, "{text}\n");
        }
        if section == list_section {
            for _ in 0..3 + rng.below(3) {
                let words = 4 + rng.below(5);
                let _ = writeln!(out, "- {}", vocabulary.sentence(rng, words));
            }
            out.push('\n');
        }
        if Some(section) == code_section {
            let name = vocabulary.sample_content(rng).to_owned();
            let comment = vocabulary.sentence(rng, 6);
            let factor = 2 + rng.below(98);
            let block = match (shape, number % 2) {
                (Shape::Plain, _) => format!(
                    "```rust\nfn {name}(count: usize) -> usize {{\n    // {comment}\n    count * {factor}\n}}\n```\n"
                ),
                (Shape::CodeHeavy, 0) => format!(
                    "```rust\n/// {comment}\npub fn {name}(items: &[u32], limit: usize) -> Vec<u32> {{\n    let mut out = Vec::with_capacity(limit);\n    for (index, item) in items.iter().enumerate() {{\n        if index >= limit {{ break; }}\n        if item % {factor} == 0 {{ out.push(*item * 2); }}\n    }}\n    out.sort_unstable();\n    out\n}}\n```\n"
                ),
                (Shape::CodeHeavy, _) => format!(
                    "```python\ndef {name}(items, limit={factor}):\n    \"\"\"{comment}\"\"\"\n    result = []\n    for index, item in enumerate(items):\n        if index >= limit:\n            break\n        if item % 3 == 0:\n            result.append(item * 2)\n    result.sort()\n    return result\n```\n"
                ),
            };
            let _ = writeln!(out, "{block}");
        }
        if section == link_section && pages > 1 {
            let mut other = rng.below(pages);
            if other == number {
                other = (other + 1) % pages;
            }
            let _ = writeln!(
                out,
                "See also [{}](../{}).\n",
                vocabulary.title(rng, 2),
                page_path(other)
            );
        }
    }
    let _ = words;
    out
}

fn main() {
    let mut pages = 1000usize;
    let mut out: Option<PathBuf> = None;
    let mut seed = 1u64;
    let mut shape = Shape::Plain;
    let mut images = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--code-heavy" {
            shape = Shape::CodeHeavy;
            continue;
        }
        if arg == "--images" {
            images = true;
            continue;
        }
        let value = args.next();
        match (arg.as_str(), value) {
            ("--pages", Some(v)) => pages = v.parse().unwrap_or_else(|_| usage()),
            ("--out", Some(v)) => out = Some(PathBuf::from(v)),
            ("--seed", Some(v)) => seed = v.parse().unwrap_or_else(|_| usage()),
            _ => usage(),
        }
    }
    let Some(out) = out else { usage() };
    if let Err(error) = write_site(&out, pages, seed, shape, images) {
        eprintln!(
            "error: cannot write the site into {}: {error}",
            out.display()
        );
        std::process::exit(1);
    }
    println!("wrote {pages} pages into {}", out.display());
}

fn usage() -> ! {
    eprintln!("usage: synth_site --pages N --out DIR [--seed S] [--code-heavy] [--images]");
    std::process::exit(2);
}

fn write_site(
    out: &Path,
    pages: usize,
    seed: u64,
    shape: Shape,
    images: bool,
) -> std::io::Result<()> {
    if out.join("content").exists() {
        std::fs::remove_dir_all(out.join("content"))?;
    }
    std::fs::create_dir_all(out.join("content"))?;
    std::fs::write(
        out.join("site.yaml"),
        format!(
            "title: Synthetic site of {pages} pages\nbase_url: https://synth.example/\nlanguage: en\ndescription: Generated for benchmarks.\ntheme: default\n"
        ),
    )?;
    std::fs::write(
        out.join("content/_index.md"),
        "---\ntitle: Synthetic site\n---\nA generated site for benchmarks.\n",
    )?;
    // No copy of the theme: the site uses the one built into the binary, so a site
    // generated once and kept is always measured with the theme being benchmarked.
    if out.join("themes").exists() {
        std::fs::remove_dir_all(out.join("themes"))?;
    }
    let vocabulary = Vocabulary::new();
    for section in 0..pages.div_ceil(PAGES_PER_SECTION) {
        let dir = out.join(format!("content/s{section:03}"));
        std::fs::create_dir_all(&dir)?;
        let mut rng = Rng(seed ^ (section as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
        std::fs::write(
            dir.join("_index.md"),
            format!(
                "---\ntitle: \"Section {section}: {}\"\nsort_by: weight\n---\n{}\n",
                vocabulary.title(&mut rng, 2),
                vocabulary.sentence(&mut rng, 20)
            ),
        )?;
        let end = ((section + 1) * PAGES_PER_SECTION).min(pages);
        for number in section * PAGES_PER_SECTION..end {
            let mut rng = Rng(seed.wrapping_mul(31).wrapping_add(number as u64 + 1));
            let mut text = page(&vocabulary, &mut rng, number, pages, shape);
            if images {
                let _ = write!(
                    text,
                    "\n![A generated photo, number {number}](img/p{number:05}.jpg \"Photo {number}\")\n"
                );
            }
            std::fs::write(out.join("content").join(page_path(number)), text)?;
        }
    }
    if images {
        use rayon::prelude::*;
        (0..pages).into_par_iter().try_for_each(|number| {
            let dir = out.join(format!("content/s{:03}/img", number / PAGES_PER_SECTION));
            std::fs::create_dir_all(&dir)?;
            std::fs::write(dir.join(format!("p{number:05}.jpg")), photo(number))
        })?;
    }
    Ok(())
}

/// A 1200×800 JPEG, different for every page: soft gradients and a few discs, about the
/// weight of a web photo after export.
fn photo(number: usize) -> Vec<u8> {
    let tint = (number * 37 % 256) as f32;
    let discs: Vec<(f32, f32, f32)> = (0..6)
        .map(|i| {
            let k = (number * 7 + i * 13) as f32;
            (
                (k * 97.0) % 1200.0,
                (k * 53.0) % 800.0,
                40.0 + (k * 11.0) % 120.0,
            )
        })
        .collect();
    let image = image::RgbImage::from_fn(1200, 800, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let inside = discs
            .iter()
            .any(|(cx, cy, r)| (fx - cx).powi(2) + (fy - cy).powi(2) < r * r);
        let r = (fx / 1200.0 * 255.0) as u8;
        let g = (fy / 800.0 * 255.0) as u8;
        let b = if inside { 255 - tint as u8 } else { tint as u8 };
        image::Rgb([r, g, b])
    });
    let mut out = Vec::new();
    let encoded =
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&image);
    if encoded.is_err() {
        out.clear();
    }
    out
}
