// cairn site search: reads the sharded index that `cairn build` writes to search/, ranks
// with the impacts stored there (BM25F), and shows results in an accessible combobox, on
// the results page (/search/?q=…), and as highlights on the page a result leads to.
// Plain JavaScript (ES2018), no dependencies; every text from the index is inserted as text.
// One classic script in four parts: 1. the index files, 2. the query engine, 3. the box,
// 4. the results page and the landing highlights.
(() => {
  "use strict";
  const root = document.querySelector("[data-search]");
  if (!root || root.cairnSearch) return;
  // What tests may call: the stemmer (checked word for word against the index's) and the
  // reading of a file's bytes.
  root.cairnSearch = { stem: (word) => english(word), inflate: (data) => inflate(data) };

  // ---------------------------------------------------------------------------------------
  // 1. The index files: fetched on demand, decoded as src/search/shards/format/mod.rs writes them.

  const INDEX_VERSION = 3;
  const base = new URL(root.getAttribute("data-index"), location.href);
  const decoder = new TextDecoder();
  let manifest, ready;
  // Promises of decoded files by number, and the term shards already decoded.
  const shards = new Map(), vocabularies = new Map(), chunks = new Map(), loaded = new Map();

  // Fetches an index file; binary ones are gzipped (unless a host already inflated them).
  async function get(name, json) {
    const response = await fetch(new URL(name, base));
    if (!response.ok) throw new Error(`${response.status} ${name}`);
    return json ? response.json() : inflate(await response.arrayBuffer());
  }

  // A file's bytes, inflated when they are gzipped (a file of fewer bytes than gzip's
  // magic number is not).
  async function inflate(data) {
    const head = new Uint8Array(data, 0, Math.min(2, data.byteLength));
    if (head[0] !== 31 || head[1] !== 139) return data;
    return new Response(new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  }

  // The promise `cache` holds for `key`, made by `load` the first time; one that failed is
  // forgotten, so the next query asks again.
  function once(cache, key, load) {
    if (!cache.has(key)) {
      const promise = load();
      cache.set(key, promise);
      promise.catch(() => cache.delete(key));
    }
    return cache.get(key);
  }

  // Loads the manifest once: the page of every document, from its pages' section counts.
  // One of another index format (a page cached from an older deploy) is refused rather
  // than misread; one that failed is asked for again next query.
  function loadManifest() {
    if (!ready) {
      ready = (async () => {
        const m = await get(base.href, true);
        if (m.version !== INDEX_VERSION) throw new Error(`index version ${m.version}`);
        m.keys = [""].concat(m.from ? m.from.split(" ") : []);
        m.pageOf = new Uint32Array(m.docs);
        const digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
        let doc = 0, page = 0, count = 0, scale = 1;
        for (const c of m.sections) {
          const digit = digits.indexOf(c);
          count += (digit & 31) * scale;
          if (digit > 31) { scale *= 32; continue; }
          m.pageOf.fill(page++, doc, (doc += count));
          count = 0;
          scale = 1;
        }
        // The reader's words are stemmed as the index's were (English), else only folded.
        m.stem = m.stemmer === "english" ? english : null;
        manifest = m;
      })();
      ready.catch(() => { ready = null; });
    }
    return ready;
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

  // A stem: postings as ids and impacts, or a bitmap with one impact and the sections it
  // raises to their own (a title or heading match); then its hits.
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
      let id = 0;
      stem.raised = list(r, () => ({ id: (id += r.num()), impact: r.byte() }));
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
  // 2. The query engine: the same words and stems as the index, expanded, ranked by page.

  const SHOWN = 8, SECTIONS = 3, MAX_EXPANSIONS = 12, NO_EXCERPT = 4;
  // Weights of a word that is the query's (or shares its stem), one it starts, a typo.
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

  // Snowball English (Porter2), as the index's stemmer (rust-stemmers 1.2) has it: the
  // reader's words are stemmed exactly as the index stemmed the text (a browser test
  // checks both against the same words). Written out here because the whole client must
  // stay small: the generated Snowball code is several times this size.
  const STEP2 = "ization:ize,ational:ate,fulness:ful,ousness:ous,iveness:ive,tional:tion,biliti:ble,lessli:less," +
    "entli:ent,ation:ate,alism:al,aliti:al,ousli:ous,iviti:ive,fulli:ful,enci:ence,anci:ance,abli:able,izer:ize," +
    "ator:ate,alli:al,bli:ble,ogi:og,li:";
  const STEP3 = "ational:ate,tional:tion,alize:al,icate:ic,iciti:ic,ative:,ical:ic,ness:,ful:";
  const STEP4 = "ement:,ance:,ence:,able:,ible:,ment:,ant:,ent:,ism:,ate:,iti:,ous:,ive:,ize:,ion:,al:,er:,ic:";
  const [step2, step3, step4] = [STEP2, STEP3, STEP4].map((t) => t.split(",").map((pair) => pair.split(":")));
  const EXCEPTIONS = new Map(("skis:ski skies:sky dying:die lying:lie tying:tie idly:idl gently:gentl ugly:ugli " +
    "early:earli only:onli singly:singl sky news howe atlas cosmos bias andes").split(" ").map((e) => {
    const [word, stem] = e.split(":");
    return [word, stem || word];
  }));
  const stemmed = new Map();

  function english(word) {
    let w = EXCEPTIONS.get(word) || stemmed.get(word);
    if (w) return w;
    w = word;
    if (Array.from(word).length > 2) {
      const vowel = (c) => c !== undefined && "aeiouy".includes(c);
      // A y that is a consonant (first, or after a vowel) is Y.
      w = w.replace(/^y/, "Y");
      for (let i = 1; i < w.length; i++) if (w[i] === "y" && vowel(w[i - 1])) w = w.slice(0, i) + "Y" + w.slice(i + 1);
      // R1 and R2: after the first non-vowel that follows a vowel, and again after it.
      const region = (from) => {
        for (let i = from + 1; i < w.length; i++) if (!vowel(w[i]) && vowel(w[i - 1])) return i + 1;
        return w.length;
      };
      const special = /^(gener|commun|arsen)/.exec(w);
      const p1 = special ? special[0].length : region(0), p2 = region(p1);
      // Whether `s` ends in a short syllable.
      const short = (s) => {
        const n = s.length;
        return (n > 2 && !"aeiouywxY".includes(s[n - 1]) && vowel(s[n - 2]) && !vowel(s[n - 3])) ||
          (n === 2 && vowel(s[0]) && !vowel(s[1]));
      };
      const hasVowel = (s) => /[aeiouy]/.test(s);
      const longest = (table) => {
        const found = table.find(([suffix]) => w.endsWith(suffix));
        return found && [found[0], found[1], w.length - found[0].length];
      };
      let m = /(sses|ied|ies|us|ss|s)$/.exec(w);
      if (m) {
        const at = m.index, suffix = m[1];
        if (suffix === "sses") w = w.slice(0, at) + "ss";
        else if (suffix[0] === "i") w = w.slice(0, at) + (at > 1 ? "i" : "ie");
        else if (suffix === "s" && hasVowel(w.slice(0, at - 1))) w = w.slice(0, at);
      }
      if (!/^(inning|outing|canning|herring|earring|proceed|exceed|succeed)$/.test(w)) {
        m = /(eedly|ingly|edly|eed|ing|ed)$/.exec(w);
        if (m) {
          const at = m.index;
          if (m[1].startsWith("eed")) {
            if (at >= p1) w = w.slice(0, at) + "ee";
          } else if (hasVowel(w.slice(0, at))) {
            w = w.slice(0, at);
            if (/(at|bl|iz)$/.test(w)) w += "e";
            else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) w = w.slice(0, -1);
            else if (w.length === p1 && short(w)) w += "e";
          }
        }
        if (/[yY]$/.test(w) && w.length > 2 && !vowel(w[w.length - 2])) w = w.slice(0, -1) + "i";
        let s = longest(step2);
        if (s && s[2] >= p1 && (s[0] !== "ogi" || w[s[2] - 1] === "l") &&
          (s[0] !== "li" || "cdeghkmnrt".includes(w[s[2] - 1]))) w = w.slice(0, s[2]) + s[1];
        s = longest(step3);
        if (s && s[2] >= p1 && (s[0] !== "ative" || s[2] >= p2)) w = w.slice(0, s[2]) + s[1];
        s = longest(step4);
        if (s && s[2] >= p2 && (s[0] !== "ion" || "st".includes(w[s[2] - 1]))) w = w.slice(0, s[2]);
        const at = w.length - 1;
        if (w[at] === "e" && (at >= p2 || (at >= p1 && !short(w.slice(0, at))))) w = w.slice(0, at);
        else if (w[at] === "l" && at >= p2 && w[at - 1] === "l") w = w.slice(0, at);
      }
      w = w.replace(/Y/g, "y");
    }
    stemmed.set(word, w);
    return w;
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

  // The typos forgiven in a word: one edit from 5 letters, two from 9.
  function typos(word) {
    const length = Array.from(word).length;
    return length >= 9 ? 2 : length >= 5 ? 1 : 0;
  }

  // The index words a query word stands for: itself and the words of its stem; completions
  // when it is being typed; when none is in the index, words one or two edits away (never
  // in the first two letters, so they are all in its shard or its group's vocabulary).
  async function expand(word, typing) {
    const number = shardNumber(word), key = group(word), stem = manifest.stem;
    const limit = typos(word), completing = typing && word.length >= 2, target = stem && stem(word);
    const same = (w) => w === word || (stem && stem(w) === target);
    const shard = await loadShard(number);
    // The group's words this shard knows: its own, and those of the rest of its group
    // when it lists them.
    const local = shard.words.map((entry) => ({ word: entry.word, home: number, df: entry.stem.df }))
      .concat(shard.others).filter((entry) => group(entry.word) === key);
    const exact = local.some((entry) => same(entry.word));
    const next = manifest.keys[number + 1];
    const wider = shard.vocabulary && ((!exact && (limit || stem)) || (completing && next !== undefined && next < word + "\uffff"));
    const entries = wider ? await loadVocabulary(shard.vocabulary) : local;
    const found = [], completions = [];
    const match = (entry, weight) => ({ word: entry.word, home: entry.home, df: entry.df, weight });
    const matched = entries.some((entry) => same(entry.word));
    for (const entry of entries) {
      const w = entry.word;
      if (same(w)) found.push(match(entry, EXACT));
      else if (completing && w.startsWith(word)) completions.push(match(entry, PREFIX));
      else if (!matched && limit && distance(word, w, limit) <= limit) found.push(match(entry, TYPO));
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
        stem.raised.forEach((raised) => add(raised.id, raised.impact));
        stem.hits.forEach((hit) => add(hit.doc.id, hit.impact));
      }
    }
    return scores;
  }

  // Every page with a section that every word scores, best first: a page ranks by its
  // best section (ties to the page first in the site), its sections best first (ties to
  // the lower id). As the build ranks them when it decides which sections to carry.
  function rank(per, docCount) {
    const pages = new Map();
    for (let doc = 0; doc < docCount; doc++) {
      let sum = 0;
      for (const scores of per) {
        if (!scores[doc]) { sum = 0; break; }
        sum += scores[doc];
      }
      if (!sum) continue;
      const number = manifest.pageOf[doc];
      let page = pages.get(number);
      if (!page) pages.set(number, (page = { number, score: 0, sections: [] }));
      page.sections.push({ id: doc, score: sum });
      page.score = Math.max(page.score, sum);
    }
    const ranked = Array.from(pages.values()).sort((a, b) => b.score - a.score || a.number - b.number);
    ranked.forEach((page) => page.sections.sort((a, b) => b.score - a.score || a.id - b.id));
    return ranked;
  }

  // Whether an excerpt's word is marked: every word of a matched stem, and while typing
  // every word the last one starts.
  function marker(expansions, last) {
    const matched = new Set(), stem = manifest.stem;
    for (const matches of expansions) {
      for (const m of matches) {
        matched.add(stem ? stem(m.word) : m.word);
        if (!stem) loaded.get(m.home).words.forEach((entry) => { if (entry.stem === m.stem) matched.add(entry.word); });
      }
    }
    return (text) => {
      const word = words(text).join("");
      return matched.has(stem ? stem(word) : word) || (last && word.startsWith(last));
    };
  }

  // Ranked pages for a query, with what describes them: { total, pages, marks, expansions }.
  async function search(query) {
    const terms = words(query);
    if (!terms.length) return { total: 0, pages: [] };
    const typing = !/[\s\p{P}]$/u.test(query);
    await loadManifest();
    const expansions = await Promise.all(terms.map((term, i) => expand(term, typing && i === terms.length - 1)));
    const docCount = manifest.docs;
    const pages = rank(expansions.map((m) => scoreWord(m, docCount)), docCount);
    const marks = marker(expansions, typing && terms[terms.length - 1]);
    return { total: pages.length, pages, marks, expansions };
  }

  // A ranked page as results show it: its best section with an excerpt, then the headings
  // of its next best sections. From the hits the loaded shards carry; what they do not
  // carry comes from document chunks, fetched for the best section always and for the
  // others only when `all` (the results page; the box shows those it has).
  async function describe(page, found, all) {
    const [best, ...rest] = page.sections;
    const hit = carriedHit(best.id, found.expansions, true);
    let first;
    if (hit) first = { doc: hit.doc, text: hit.text, flags: hit.flags };
    else {
      const doc = await chunkDoc(best.id);
      first = { doc, ...excerpt(doc.text, doc.flags, found.marks) };
    }
    const more = await Promise.all(rest.slice(0, SECTIONS - 1).map(async (section) => {
      const carried = carriedHit(section.id, found.expansions, false);
      return carried ? carried.doc : all || chunks.has(Math.floor(section.id / manifest.chunk_docs)) ? chunkDoc(section.id) : null;
    }));
    return { page: first.doc.page, first, more: more.filter((doc) => doc && doc.heading) };
  }

  // Section `id` from its document chunk.
  async function chunkDoc(id) {
    const docs = await loadChunk(Math.floor(id / manifest.chunk_docs));
    return docs[id % manifest.chunk_docs];
  }

  // A hit for section `id` among the matched stems' hits (one with an excerpt if `text`).
  function carriedHit(id, expansions, text) {
    for (const matches of expansions) {
      for (const match of matches) {
        const hit = match.stem && match.stem.hits.find((h) => h.doc.id === id && !(text && h.flags & NO_EXCERPT));
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

  // An excerpt with an ellipsis where it was cut, but none where the text has its own.
  function ellipsis(text, flags) {
    text = text.trim();
    if (flags & 1 && !/^(\u2026|\.\.\.)/.test(text)) text = "\u2026 " + text;
    if (flags & 2 && !/(\u2026|\.\.\.)$/.test(text)) text += " \u2026";
    return text;
  }

  // Where a result leads: the section, with the query for the page to highlight.
  function link(doc, query) {
    return `${doc.page.url}?q=${encodeURIComponent(query.trim())}${doc.anchor ? `#${encodeURIComponent(doc.anchor)}` : ""}`;
  }

  // The results page's address for a query as typed (a word being typed still matches as
  // a prefix there), and a screen of its results.
  function resultsLink(query, screen) {
    const url = new URL(root.getAttribute("data-results"), location.href);
    url.searchParams.set("q", query);
    if (screen > 1) url.searchParams.set("page", screen);
    return url.pathname + url.search;
  }

  // ---------------------------------------------------------------------------------------
  // 3. The box: a combobox with a listbox of results, the keyboard, and a live region.

  const DEBOUNCE_MS = 30;
  const form = root.querySelector("form");
  const input = form.querySelector("input");
  const listbox = form.querySelector("[role=listbox]");
  const status = form.querySelector("[role=status]");
  let active = -1, generation = 0, timer;

  // Appends `text` to `parent`, wrapping the query's words in <mark>.
  function appendMarked(parent, text, marks) {
    let at = 0, found;
    while ((found = WORD.exec(text))) {
      if (!marks(found[0])) continue;
      parent.appendChild(document.createTextNode(text.slice(at, found.index)));
      element("mark", "", found[0], parent);
      at = found.index + found[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(at)));
    return parent;
  }

  // A new element with a class and, if given, its text, appended to `parent` if given.
  function element(tag, className, text, parent) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  // The options of a described page, in a group named by its title: the page with its best
  // section's heading and excerpt, then each further section by its heading.
  function pageOptions(described, query, marks, count) {
    const { page, first, more } = described;
    const group = element("div", "search-group");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", page.title);
    const option = (doc, className) => {
      const node = element("a", className, "", group);
      node.id = `cairn-search-option-${count++}`;
      node.href = link(doc, query);
      node.setAttribute("role", "option");
      node.setAttribute("aria-selected", "false");
      node.tabIndex = -1;
      return node;
    };
    const main = option(first.doc, "search-result");
    appendMarked(element("span", "search-result-title", "", main), page.title, marks);
    if (first.doc.heading && first.doc.heading !== page.title) {
      appendMarked(element("span", "search-result-heading", "", main), first.doc.heading, marks);
    }
    appendMarked(element("span", "search-result-excerpt", "", main), ellipsis(first.text, first.flags), marks);
    more.forEach((doc) => appendMarked(option(doc, "search-result search-result-section"), doc.heading, marks));
    return group;
  }

  // What the live region says of `total` results, `shown` of them listed.
  function summary(total, shown) {
    if (total === 0) return "No results";
    if (total === 1) return "1 result";
    return `${total} results` + (total > shown ? `, showing the first ${shown}` : "");
  }

  // Shows a query's results, notes the query and its time on the list (for tests).
  function render(found, described, query, started) {
    listbox.textContent = "";
    let count = 0;
    for (const page of described) {
      const group = pageOptions(page, query, found.marks, count);
      count += group.childElementCount;
      listbox.appendChild(group);
    }
    if (found.total > described.length) {
      const all = element("a", "search-result search-all-results", `Show all ${found.total} results`, listbox);
      all.id = `cairn-search-option-${count}`;
      all.href = resultsLink(query, 1);
      all.setAttribute("role", "option");
      all.setAttribute("aria-selected", "false");
      all.tabIndex = -1;
    }
    active = -1;
    input.removeAttribute("aria-activedescendant");
    show(query.trim() !== "");
    announce(summary(found.total, described.length));
    listbox.setAttribute("data-took", Math.round(performance.now() - started));
    listbox.setAttribute("data-query", query);
  }

  // Says `text` through the live region.
  function announce(text) {
    status.textContent = text;
  }

  // The options, in order.
  function options() {
    return listbox.querySelectorAll("[role=option]");
  }

  // Opens or closes the list (closing clears the active option).
  function show(visible) {
    if (!visible && active >= 0) {
      options()[active].setAttribute("aria-selected", "false");
      active = -1;
      input.removeAttribute("aria-activedescendant");
    }
    listbox.hidden = !visible;
    input.setAttribute("aria-expanded", visible && options().length ? "true" : "false");
    root.classList.toggle("search-open", visible);
  }

  // Makes option `to` the active one (wrapping around at both ends).
  function move(to) {
    const all = options();
    if (!all.length) return;
    if (active >= 0) all[active].setAttribute("aria-selected", "false");
    active = (to + all.length) % all.length;
    all[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", all[active].id);
    all[active].scrollIntoView({ block: "nearest" });
  }

  // Goes where option `i` leads, if there is one.
  function openResult(i) {
    const target = options()[i];
    if (!target) return;
    show(false);
    location.href = target.href;
  }

  // Searches for what the box holds; only the latest query's results are shown.
  async function run() {
    const query = input.value, mine = ++generation, started = performance.now();
    if (!query.trim()) {
      listbox.textContent = "";
      show(false);
      announce("");
      return;
    }
    let found, described;
    try {
      found = await search(query);
      described = await Promise.all(found.pages.slice(0, SHOWN).map((page) => describe(page, found, false)));
    } catch (error) {
      if (mine === generation) announce("Search is not available right now");
      return;
    }
    if (mine === generation) render(found, described, query, started);
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
  input.addEventListener("focus", () => { if (options().length) show(true); });
  input.addEventListener("blur", () => show(false));
  // A press on a result keeps the focus in the box, so the click lands before the list
  // closes; the click itself is the link's.
  listbox.addEventListener("mousedown", (event) => event.preventDefault());
  form.addEventListener("submit", (event) => event.preventDefault());
  if (input.value.trim()) run();

  // ---------------------------------------------------------------------------------------
  // 4. The results page (/search/?q=…, a screen of results at a time) and the highlights
  // on the page a result leads to (?q=…), which stay until the reader dismisses them.

  const PER_SCREEN = 10;
  const params = new URLSearchParams(location.search);
  const results = document.querySelector("[data-search-results]");

  // Lists every result of `query`, `PER_SCREEN` pages a screen, with links between screens.
  async function resultsPage(query) {
    const screen = Math.max(1, parseInt(params.get("page"), 10) || 1);
    const heading = document.querySelector("[data-search-heading]") || element("h1");
    const list = results.querySelector("ol"), nav = results.querySelector("nav");
    const note = results.querySelector("[data-search-note]");
    heading.textContent = `Results for \u201c${query.trim()}\u201d`;
    document.title = `${heading.textContent} \u00b7 ${document.title.split(" \u00b7 ").pop()}`;
    results.hidden = false;
    // The box holds the query, for the reader to refine it.
    if (!input.value) input.value = query;
    document.querySelectorAll("[data-search-listing]").forEach((node) => { node.hidden = true; });
    let found, described;
    try {
      found = await search(query);
      const from = (screen - 1) * PER_SCREEN;
      described = await Promise.all(found.pages.slice(from, from + PER_SCREEN).map((page) => describe(page, found, true)));
      list.start = from + 1;
    } catch (error) {
      note.textContent = "Search is not available right now. Every page is listed below.";
      document.querySelectorAll("[data-search-listing]").forEach((node) => { node.hidden = false; });
      return;
    }
    const screens = Math.ceil(found.total / PER_SCREEN);
    note.textContent = found.total === 0 ? "No results."
      : `${summary(found.total, found.total)}${screens > 1 ? `, page ${screen} of ${screens}` : ""}.`;
    for (const { page, first, more } of described) {
      const item = element("li", "search-page-result", "", list);
      const title = element("a", "search-page-title", "", element("h2", "", "", item));
      title.href = link(first.doc, query);
      appendMarked(title, page.title, found.marks);
      const excerptLine = element("p", "search-page-excerpt", "", item);
      if (first.doc.heading && first.doc.heading !== page.title) {
        appendMarked(element("span", "search-result-heading", "", excerptLine), first.doc.heading, found.marks);
      }
      appendMarked(excerptLine, ellipsis(first.text, first.flags), found.marks);
      if (more.length) {
        const sections = element("ul", "search-page-sections", "", item);
        for (const doc of more) {
          const section = element("a", "", "", element("li", "", "", sections));
          section.href = link(doc, query);
          appendMarked(section, doc.heading, found.marks);
        }
      }
    }
    const pager = (label, to, rel) => {
      const a = element("a", "search-pager-link", label, nav);
      a.href = resultsLink(query, to);
      a.rel = rel;
    };
    if (screen > 1) pager("Previous results", screen - 1, "prev");
    if (screen < screens) pager("More results", screen + 1, "next");
    nav.hidden = screens < 2;
    results.setAttribute("data-query", query);
  }

  // Marks the words of `query` in the section the address names (or the whole page),
  // opens the FAQ answer it is in, and offers to clear the marks. The query leaves the
  // address at once (kept in the history entry's state, for a reload): it is the reader's.
  function land(query) {
    const main = document.querySelector("main");
    if (!main || !query) return;
    let target = null;
    try {
      target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    } catch (error) {
      // A malformed fragment names no section: the whole page is searched.
    }
    const state = history.state && typeof history.state === "object" ? history.state : {};
    if (params.has("q")) {
      const clean = new URL(location.href);
      clean.searchParams.delete("q");
      history.replaceState({ ...state, cairnQuery: query }, "", clean.pathname + clean.search + clean.hash);
    }
    // The section: a heading to the next one of its level or higher, or a FAQ answer.
    const level = target && /^H[2-6]$/.test(target.tagName) ? +target.tagName[1] : 0;
    let end = null;
    if (level) {
      const after = Array.from(main.querySelectorAll("h1, h2, h3, h4, h5, h6"));
      end = after.slice(after.indexOf(target) + 1).find((h) => +h.tagName[1] <= level) || null;
    }
    const scope = target && !level ? target : main;
    const inside = (node) => (!level || (target.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING &&
      !(end && end.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING)));
    const terms = words(query), typing = !/[\s\p{P}]$/u.test(query);
    const stem = /^en\b/i.test(document.documentElement.lang) ? english : (word) => word;
    const last = typing && terms[terms.length - 1];
    const texts = [];
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (!node.parentElement.closest("script, style, .heading-anchor, [data-search]") && inside(node)) texts.push(node);
    }
    // Each term matches its words and their stem's; a word being typed, the words it starts;
    // a term with no such word in the section, its typos.
    const all = texts.map((node) => node.data.match(WORD) || []).flat().map((w) => words(w).join(""));
    const plain = terms.map((t) => all.some((w) => w === t || stem(w) === stem(t) || (t === last && w.startsWith(t))));
    const marks = (text) => {
      const w = words(text).join("");
      return terms.some((t, i) => w === t || stem(w) === stem(t) || (t === last && w.startsWith(t)) ||
        (!plain[i] && typos(t) && group(w) === group(t) && distance(t, w, typos(t)) <= typos(t)));
    };
    const marked = [];
    for (const node of texts) {
      if (!(node.data.match(WORD) || []).some(marks)) continue;
      const parts = appendMarked(document.createDocumentFragment(), node.data, marks);
      marked.push(...parts.querySelectorAll("mark"));
      node.replaceWith(parts);
    }
    if (!marked.length) return;
    marked.forEach((mark) => { mark.className = "search-landing-mark"; });
    for (const node of [target, marked[0]]) {
      for (let open = node && node.closest("details"); open; open = open.parentElement.closest("details")) open.open = true;
    }
    (target || marked[0]).scrollIntoView({ block: "start" });
    const bar = element("div", "search-landing", "", document.body);
    bar.setAttribute("role", "region");
    bar.setAttribute("aria-label", "Search highlights");
    element("span", "", `Highlighted: \u201c${query.trim()}\u201d`, bar);
    const clear = element("button", "button", "Clear highlights", bar);
    clear.type = "button";
    const dismiss = () => {
      marked.forEach((mark) => {
        const parent = mark.parentNode;
        if (!parent) return;
        mark.replaceWith(mark.textContent);
        parent.normalize();
      });
      bar.remove();
      document.removeEventListener("keydown", onEscape);
      const now = history.state && typeof history.state === "object" ? { ...history.state } : {};
      delete now.cairnQuery;
      history.replaceState(now, "", location.href);
    };
    const onEscape = (event) => {
      if (event.key === "Escape" && !event.target.closest("[data-search]")) dismiss();
    };
    clear.addEventListener("click", dismiss);
    document.addEventListener("keydown", onEscape);
  }

  const query = params.get("q");
  if (results && query && query.trim()) resultsPage(query);
  else if (!results) land(query || (history.state && history.state.cairnQuery));
})();
