// cairn site search: reads the sharded index that `cairn build` writes to search/, ranks
// with the impacts stored there (BM25F), and shows results in an accessible combobox.
// Plain JavaScript (ES2018), no dependencies; every text from the index is inserted as text.
// One classic script in three parts: 1. the index files, 2. the query engine, 3. the box.
(() => {
  "use strict";
  const root = document.querySelector("[data-search]");
  if (!root || root.cairnSearch) return;
  root.cairnSearch = true;

  // ---------------------------------------------------------------------------------------
  // 1. The index files: fetched on demand, decoded as src/search/shards/format/mod.rs writes them.

  const INDEX_VERSION = 2;
  const base = new URL(root.getAttribute("data-index"), location.href);
  const decoder = new TextDecoder();
  let manifest, ready;
  // Promises of decoded files by number, and the term shards already decoded.
  const shards = new Map(), vocabularies = new Map(), chunks = new Map(), loaded = new Map();

  // Fetches an index file; binary ones are gzipped (unless a host already inflated them).
  async function get(name, json) {
    const response = await fetch(new URL(name, base));
    if (!response.ok) throw new Error(`${response.status} ${name}`);
    if (json) return response.json();
    const data = await response.arrayBuffer();
    if (new Uint8Array(data, 0, 2).join() !== "31,139") return data;
    return new Response(new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  }

  // Loads the manifest once. One of another index format (a page cached from an older
  // deploy) is refused rather than misread; one that failed is asked for again next query.
  function loadManifest() {
    if (!ready) {
      ready = (async () => {
        const m = await get(base.href, true);
        if (m.version !== INDEX_VERSION) throw new Error(`index version ${m.version}`);
        m.keys = [""].concat(m.from ? m.from.split(" ") : []);
        manifest = m;
      })();
      ready.catch(() => { ready = null; });
    }
    return ready;
  }

  // The promise `cache` holds for `key`, made by `load` the first time.
  function once(cache, key, load) {
    if (!cache.has(key)) cache.set(key, load());
    return cache.get(key);
  }

  // Index files are named by kind, number and the index's hash.
  function file(kind, number) {
    return `${kind}${number}-${manifest.hash}.bin`;
  }

  // Term shard `number`, decoded (and kept in `loaded` for synchronous use).
  function loadShard(number) {
    return once(shards, number, async () => {
      const shard = decodeShard(await get(file("t", number)), manifest.docs);
      loaded.set(number, shard);
      return shard;
    });
  }

  // The vocabulary file a shard names (1 + its number).
  function loadVocabulary(ref) {
    return once(vocabularies, ref, () => get(file("v", ref - 1)).then(decodeVocabulary));
  }

  // Document chunk `number`: the sections from `number × chunk_docs` on.
  function loadChunk(number) {
    return once(chunks, number, () => get(file("d", number)).then(decodeChunk));
  }

  // A reader of the binary format: bytes, LEB128 varints, length-prefixed UTF-8 strings.
  function reader(buffer) {
    const bytes = new Uint8Array(buffer);
    let at = 0;
    const num = () => {
      let value = 0, scale = 1, b;
      do { b = bytes[at++]; value += (b & 127) * scale; scale *= 128; } while (b > 127);
      return value;
    };
    return {
      byte: () => bytes[at++],
      num,
      str() {
        const n = num(), text = decoder.decode(bytes.subarray(at, at + n));
        at += n;
        return text;
      },
      take(n) {
        at += n;
        return bytes.subarray(at - n, at);
      },
    };
  }

  // A count, then that many items read by `item`.
  function list(r, item) {
    const items = [];
    for (let n = r.num(); n--;) items.push(item());
    return items;
  }

  // The next front-coded word: `shared` units of the previous one, then the rest.
  function nextWord(r, previous) {
    return previous.slice(0, r.num()) + r.str();
  }

  // The pages a shard or chunk refers to.
  function readPages(r) {
    return list(r, () => ({ url: r.str(), title: r.str() }));
  }

  // A term shard: its words, with their stems' postings and hits.
  function decodeShard(buffer, docCount) {
    const r = reader(buffer);
    r.byte(); // the format's version
    const pages = readPages(r);
    let id = 0;
    const docs = list(r, () => {
      id += r.num();
      return { id, page: pages[r.num()], anchor: r.str(), heading: r.str() };
    });
    const stems = list(r, () => decodeStem(r, docs, docCount));
    // Its own words (ref: 1 + local stem), then those of its group other shards hold (ref 0).
    const own = [], others = [];
    let previous = "";
    for (let n = r.num(); n--;) {
      previous = nextWord(r, previous);
      const ref = r.num();
      if (ref) own.push({ word: previous, stem: stems[ref - 1] });
      else others.push({ word: previous, home: r.num(), df: r.num() });
    }
    return { words: own, others, vocabulary: r.num() };
  }

  // A stem: postings as ids and impacts, or a bitmap with one impact; then its hits.
  function decodeStem(r, docs, docCount) {
    const stem = { df: r.num(), hits: [] };
    if (r.byte() === 0) {
      stem.ids = new Uint32Array(stem.df);
      stem.impacts = new Uint8Array(stem.df);
      for (let k = 0, id = 0; k < stem.df; k++) {
        id += r.num();
        stem.ids[k] = id;
        stem.impacts[k] = r.byte();
      }
    } else {
      stem.fallback = r.byte();
      stem.bits = r.take(Math.ceil(docCount / 8));
    }
    stem.hits = list(r, () => ({ doc: docs[r.num()], impact: r.byte(), flags: r.byte(), text: r.str() }));
    return stem;
  }

  // A vocabulary file: every word of a group, its shard and its stem's df.
  function decodeVocabulary(buffer) {
    const r = reader(buffer);
    r.byte(); // the format's version
    let previous = "";
    return list(r, () => {
      previous = nextWord(r, previous);
      return { word: previous, home: r.num(), df: r.num() };
    });
  }

  // A document chunk: each section's page, anchor, heading, flags and text.
  function decodeChunk(buffer) {
    const r = reader(buffer);
    r.byte(); // the format's version
    const pages = readPages(r);
    return list(r, () => ({ page: pages[r.num()], anchor: r.str(), heading: r.str(), flags: r.byte(), text: r.str() }));
  }

  // ---------------------------------------------------------------------------------------
  // 2. The query engine: the same words as the index, expanded, ranked and described.

  const MAX_RESULTS = 8, MAX_EXPANSIONS = 12;
  // Weights of a word that is the query's, one it starts, one a typo or two away.
  const EXACT = 1, PREFIX = 0.8, TYPO = 0.6;
  // A word as excerpts show it (apostrophes and accents in it).
  const WORD = /[\p{L}\p{N}\p{M}'\u2019\u2018\u02bc]+/gu;
  const APOSTROPHES = /['\u2019\u2018\u02bc]/g;

  // The same folding as the index: no accents, no apostrophes, lowercase.
  function fold(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").replace(APOSTROPHES, "")
      .toLowerCase().replace(/\u03c2/g, "\u03c3");
  }

  // Folded words: split at anything but letters and digits; ideographs are words of their own.
  function words(text) {
    return fold(text).replace(/([\p{sc=Han}\p{sc=Hiragana}])/gu, " $1 ").match(/[\p{L}\p{N}]+/gu) || [];
  }

  // A word's two-letter group, which decides its shard.
  function group(word) {
    return Array.from(word).slice(0, 2).join("");
  }

  // The term shard holding `word`: the last whose first word is not after it.
  function shardNumber(word) {
    const keys = manifest.keys;
    let low = 0, high = keys.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (keys[mid] <= word) low = mid; else high = mid - 1;
    }
    return low;
  }

  // Edit distance with transpositions, giving up beyond `limit`.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    const rows = [];
    for (let i = 0; i <= a.length; i++) {
      rows[i] = [i];
      let best = i;
      for (let j = 1; j <= b.length; j++) {
        if (i === 0) { rows[0][j] = j; continue; }
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let value = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          value = Math.min(value, rows[i - 2][j - 2] + 1);
        }
        rows[i][j] = value;
        best = Math.min(best, value);
      }
      if (i > 0 && best > limit) return limit + 1;
    }
    return rows[a.length][b.length];
  }

  // The index words a query word stands for: itself; completions when it is being typed;
  // when it is not in the index, words one or two edits away (never in the first two
  // letters, so they are all in its shard or its group's vocabulary).
  async function expand(word, typing) {
    const number = shardNumber(word), key = group(word), length = Array.from(word).length;
    const limit = length >= 9 ? 2 : length >= 5 ? 1 : 0, completing = typing && length >= 2;
    const shard = await loadShard(number);
    // The group's words this shard knows: its own, and those of the rest of its group
    // when it lists them.
    const local = shard.words.map((entry) => ({ word: entry.word, home: number, df: entry.stem.df }))
      .concat(shard.others).filter((entry) => group(entry.word) === key);
    const exact = local.some((entry) => entry.word === word);
    const next = manifest.keys[number + 1];
    const wider = shard.vocabulary && ((!exact && limit) || (completing && next !== undefined && next < word + "\uffff"));
    const entries = wider ? await loadVocabulary(shard.vocabulary) : local;
    const found = [], completions = [];
    const match = (entry, weight) => ({ word: entry.word, home: entry.home, df: entry.df, weight });
    for (const entry of entries) {
      const w = entry.word;
      if (w === word) found.push(match(entry, EXACT));
      else if (completing && w.startsWith(word)) completions.push(match(entry, PREFIX));
      else if (!exact && limit && distance(word, w, limit) <= limit) found.push(match(entry, TYPO));
    }
    completions.sort((a, b) => b.df - a.df);
    return Promise.all(found.concat(completions.slice(0, MAX_EXPANSIONS)).map(withStem));
  }

  // A matched word with its stem, from the shard that holds it.
  async function withStem(match) {
    const home = await loadShard(match.home);
    home.words.some((entry) => entry.word === match.word && (match.stem = entry.stem));
    return match;
  }

  // Scores of every section for one query word: the best of its expansions.
  function scoreWord(matches, docCount) {
    const scores = new Float32Array(docCount);
    for (const match of matches) {
      const stem = match.stem;
      if (!stem) continue;
      const add = (doc, impact) => {
        const score = impact * impact * match.weight;
        if (score > scores[doc]) scores[doc] = score;
      };
      if (stem.ids) {
        for (let k = 0; k < stem.ids.length; k++) add(stem.ids[k], stem.impacts[k]);
      } else {
        for (let k = 0; k < stem.bits.length; k++) {
          for (let bit = 0; stem.bits[k] >> bit; bit++) if (stem.bits[k] & (1 << bit)) add(k * 8 + bit, stem.fallback);
        }
        stem.hits.forEach((hit) => add(hit.doc.id, hit.impact));
      }
    }
    return scores;
  }

  // The best sections that every word scores (ties to the lower id), and how many score.
  function rank(per, docCount) {
    const top = [], limit = Math.min(MAX_RESULTS, manifest.hits || MAX_RESULTS);
    let total = 0;
    for (let doc = 0; doc < docCount; doc++) {
      let sum = 0;
      for (const scores of per) {
        if (!scores[doc]) { sum = 0; break; }
        sum += scores[doc];
      }
      if (!sum) continue;
      total++;
      if (top.length < limit || sum > top[top.length - 1].score) {
        top.push({ id: doc, score: sum });
        top.sort((a, b) => b.score - a.score || a.id - b.id);
        if (top.length > limit) top.pop();
      }
    }
    return { top, total };
  }

  // Whether an excerpt's word is marked: every word of the matched stems that the loaded
  // shards know, and while typing every word the last one starts.
  function marker(expansions, last) {
    const matched = {};
    for (const matches of expansions) {
      for (const m of matches) {
        matched[m.word] = 1;
        loaded.get(m.home).words.forEach((entry) => { if (entry.stem === m.stem) matched[entry.word] = 1; });
      }
    }
    return (text) => {
      const pieces = words(text).join("");
      return matched[pieces] || (last && pieces.startsWith(last));
    };
  }

  // Results for a query: { total, items: [{ doc, text, flags }], marks }.
  async function search(query) {
    const terms = words(query);
    if (!terms.length) return { total: 0, items: [] };
    const typing = !/[\s\p{P}]$/u.test(query);
    await loadManifest();
    const expansions = await Promise.all(terms.map((term, i) => expand(term, typing && i === terms.length - 1)));
    const docCount = manifest.docs;
    const { top, total } = rank(expansions.map((m) => scoreWord(m, docCount)), docCount);
    const marks = marker(expansions, typing && terms[terms.length - 1]);
    const items = await Promise.all(top.map((item) => describe(item, expansions, marks)));
    return { total, items, marks };
  }

  // Title, heading, URL and text window of a result: from a hit the loaded shards carry,
  // else from the section's document chunk, cut around the first matched word.
  async function describe(item, expansions, marks) {
    const hit = carriedHit(item.id, expansions);
    if (hit) return { doc: hit.doc, text: hit.text, flags: hit.flags };
    const docs = await loadChunk(Math.floor(item.id / manifest.chunk_docs));
    const doc = docs[item.id % manifest.chunk_docs];
    return { doc, ...excerpt(doc.text, doc.flags, marks) };
  }

  // The first hit for section `id` among the matched stems' hits.
  function carriedHit(id, expansions) {
    for (const matches of expansions) {
      for (const match of matches) {
        const hit = match.stem && match.stem.hits.find((h) => h.doc.id === id);
        if (hit) return hit;
      }
    }
    return undefined;
  }

  // A window of `text` around its first marked word: a quarter of the window before the
  // word, from a word start; the end at a space. Flags as hits have them.
  function excerpt(text, flags, marks) {
    const size = manifest.window;
    let at = 0, found;
    while ((found = WORD.exec(text))) if (marks(found[0])) { at = found.index; break; }
    WORD.lastIndex = 0;
    let start = Math.max(0, at - (size >> 2));
    if (start) start = text.indexOf(" ", start) + 1 || at;
    if (start > at) start = at;
    let end = Math.min(start + size, text.length);
    const space = text.lastIndexOf(" ", end);
    if (end < text.length && space > start) end = space;
    return { text: text.slice(start, end), flags: (start ? 1 : 0) | (end < text.length ? 2 : flags) };
  }

  // ---------------------------------------------------------------------------------------
  // 3. The box: a combobox with a listbox of results, the keyboard, and a live region.

  const DEBOUNCE_MS = 30;
  const form = root.querySelector("form");
  const input = form.querySelector("input");
  const listbox = form.querySelector("[role=listbox]");
  const status = form.querySelector("[role=status]");
  let active = -1, results = [], generation = 0, timer;

  // Appends `text` to `parent`, wrapping the query's words in <mark>.
  function appendMarked(parent, text, marks) {
    let at = 0, found;
    while ((found = WORD.exec(text))) {
      if (!marks(found[0])) continue;
      parent.appendChild(document.createTextNode(text.slice(at, found.index)));
      const mark = document.createElement("mark");
      mark.textContent = found[0];
      parent.appendChild(mark);
      at = found.index + found[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(at)));
  }

  // A new element with a class and, if given, its text.
  function element(tag, className, text) {
    const node = document.createElement(tag);
    node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // The option for result `i`: title, heading (when not the title) and marked excerpt.
  function option(result, i, marks) {
    const doc = result.doc, node = element("li", "search-result");
    node.id = `cairn-search-option-${i}`;
    node.setAttribute("role", "option");
    node.setAttribute("aria-selected", "false");
    result.href = doc.page.url + (doc.anchor ? `#${encodeURIComponent(doc.anchor)}` : "");
    node.setAttribute("data-href", result.href);
    node.appendChild(element("span", "search-result-title", doc.page.title));
    if (doc.heading && doc.heading !== doc.page.title) {
      node.appendChild(element("span", "search-result-heading", doc.heading));
    }
    const snippet = element("span", "search-result-excerpt");
    const text = (result.flags & 1 ? "\u2026 " : "") + result.text + (result.flags & 2 ? " \u2026" : "");
    appendMarked(snippet, text, marks);
    node.appendChild(snippet);
    // Keeps the focus in the box, so the click lands before the list closes.
    node.addEventListener("mousedown", (event) => event.preventDefault());
    node.addEventListener("click", () => openResult(i));
    return node;
  }

  // What the live region says of `total` results, `shown` of them listed.
  function summary(total, shown) {
    if (total === 0) return "No results";
    if (total === 1) return "1 result";
    return `${total} results` + (total > shown ? `, showing the first ${shown}` : "");
  }

  // Shows a query's results, notes the query and its time on the list (for tests).
  function render(found, query, started) {
    results = found.items;
    listbox.textContent = "";
    results.forEach((result, i) => listbox.appendChild(option(result, i, found.marks)));
    active = -1;
    input.removeAttribute("aria-activedescendant");
    show(query.trim() !== "");
    announce(summary(found.total, results.length));
    listbox.setAttribute("data-took", Math.round(performance.now() - started));
    listbox.setAttribute("data-query", query);
  }

  // Says `text` through the live region.
  function announce(text) {
    status.textContent = text;
  }

  // Opens or closes the list (closing clears the active option).
  function show(visible) {
    if (!visible && active >= 0) {
      listbox.children[active].setAttribute("aria-selected", "false");
      active = -1;
      input.removeAttribute("aria-activedescendant");
    }
    listbox.hidden = !visible;
    input.setAttribute("aria-expanded", visible && results.length ? "true" : "false");
    root.classList.toggle("search-open", visible);
  }

  // Makes option `to` the active one (wrapping around at both ends).
  function move(to) {
    const options = listbox.children;
    if (!options.length) return;
    if (active >= 0) options[active].setAttribute("aria-selected", "false");
    active = (to + options.length) % options.length;
    options[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  // Goes to result `i`, if there is one.
  function openResult(i) {
    if (!results[i]) return;
    show(false);
    location.href = results[i].href;
  }

  // Searches for what the box holds; only the latest query's results are shown.
  async function run() {
    const query = input.value, mine = ++generation, started = performance.now();
    if (!query.trim()) {
      results = [];
      listbox.textContent = "";
      show(false);
      announce("");
      return;
    }
    let found;
    try {
      found = await search(query);
    } catch (error) {
      if (mine === generation) announce("Search is not available right now");
      return;
    }
    if (mine === generation) render(found, query, started);
  }

  // Arrows move through the results, Enter opens one, Escape closes the list, then clears.
  function onKeydown(event) {
    const key = event.key;
    if (key === "ArrowDown" || key === "ArrowUp") {
      event.preventDefault();
      if (listbox.hidden && input.value.trim()) show(true);
      move(key === "ArrowDown" ? active + 1 : active < 0 ? -1 : active - 1);
    } else if (key === "Enter") {
      event.preventDefault();
      openResult(active < 0 ? 0 : active);
    } else if (key === "Escape") {
      // The first Escape closes the list (and must not clear the field, as search
      // fields do); the next one clears the field.
      if (!listbox.hidden) {
        event.preventDefault();
        show(false);
      } else if (input.value) {
        input.value = "";
        run();
      }
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  });
  input.addEventListener("keydown", onKeydown);
  input.addEventListener("focus", () => { if (results.length) show(true); });
  input.addEventListener("blur", () => show(false));
  form.addEventListener("submit", (event) => event.preventDefault());
  if (input.value.trim()) run();
})();
