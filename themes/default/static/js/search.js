// cairn site search: reads the sharded index that `cairn build` writes to search/, ranks
// with the impacts stored there (BM25F), and shows results in an accessible combobox.
// Plain JavaScript, no dependencies; every text from the index is inserted as text.
(function () {
  "use strict";
  var root = document.querySelector("[data-search]");
  if (!root || root.cairnSearch) return;
  root.cairnSearch = true;
  var form = root.querySelector("form");
  var input = form.querySelector("input");
  var list = form.querySelector("[role=listbox]");
  var status = form.querySelector("[role=status]");
  var base = new URL(root.getAttribute("data-index"), location.href);
  var MAX_RESULTS = 8, MAX_EXPANSIONS = 12, DEBOUNCE_MS = 30, INDEX_VERSION = 2;
  var EXACT = 1, PREFIX = 0.8, TYPO = 0.6;
  // A word as excerpts show it (apostrophes and accents in it).
  var WORD = /[\p{L}\p{N}\p{M}'\u2019\u2018\u02bc]+/gu;
  var manifest, ready, shards = {}, loaded = {}, vocabularies = {}, chunks = {};
  var decoder = new TextDecoder();
  var active = -1, results = [], generation = 0, timer;

  // Fetches an index file; binary ones are gzipped (unless a host already inflated them).
  function get(name, json) {
    return fetch(new URL(name, base)).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + name);
      return json ? response.json() : response.arrayBuffer();
    }).then(function (data) {
      if (json || new Uint8Array(data, 0, 2).join() !== "31,139") return data;
      return new Response(new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
    });
  }
  // The manifest of another index format (a page cached from an older deploy) is refused
  // rather than misread; a manifest that failed to load is asked for again next query.
  function loadManifest() {
    if (!ready) {
      ready = get(base.href, true).then(function (m) {
        if (m.version !== INDEX_VERSION) throw new Error("index version " + m.version);
        m.keys = [""].concat(m.from ? m.from.split(" ") : []);
        manifest = m;
      });
      ready.catch(function () { ready = null; });
    }
    return ready;
  }

  // The same folding as the index: no accents, no apostrophes, lowercase, split at
  // anything but letters and digits; ideographs are words of their own.
  var APOSTROPHES = /['\u2019\u2018\u02bc]/g;
  function fold(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").replace(APOSTROPHES, "")
      .toLowerCase().replace(/\u03c2/g, "\u03c3");
  }
  function words(text) {
    return fold(text).replace(/([\p{sc=Han}\p{sc=Hiragana}])/gu, " $1 ").match(/[\p{L}\p{N}]+/gu) || [];
  }
  function group(word) {
    return Array.from(word).slice(0, 2).join("");
  }

  // A reader of the binary shard format described in src/search/shards.rs.
  function reader(buffer) {
    var bytes = new Uint8Array(buffer), at = 0;
    return {
      byte: function () { return bytes[at++]; },
      num: function () {
        var value = 0, scale = 1, b;
        do { b = bytes[at++]; value += (b & 127) * scale; scale *= 128; } while (b > 127);
        return value;
      },
      str: function () {
        var n = this.num(), text = decoder.decode(bytes.subarray(at, at + n));
        at += n;
        return text;
      },
      take: function (n) { at += n; return bytes.subarray(at - n, at); }
    };
  }
  function decodeShard(buffer, docCount) {
    var r = reader(buffer), pages = [], docs = [], stems = [], words = [], others = [], n, k, id = 0, previous;
    r.byte();
    for (n = r.num(); n--;) pages.push({ url: r.str(), title: r.str() });
    for (n = r.num(); n--;) {
      id += r.num();
      docs.push({ id: id, page: pages[r.num()], anchor: r.str(), heading: r.str() });
    }
    for (n = r.num(); n--;) {
      var stem = { df: r.num(), hits: [] };
      if (r.byte() === 0) {
        stem.ids = new Uint32Array(stem.df);
        stem.impacts = new Uint8Array(stem.df);
        for (k = 0, id = 0; k < stem.df; k++) {
          id += r.num();
          stem.ids[k] = id;
          stem.impacts[k] = r.byte();
        }
      } else {
        stem.fallback = r.byte();
        stem.bits = r.take(Math.ceil(docCount / 8));
      }
      for (k = r.num(); k--;) {
        stem.hits.push({ doc: docs[r.num()], impact: r.byte(), flags: r.byte(), text: r.str() });
      }
      stems.push(stem);
    }
    for (n = r.num(), previous = ""; n--;) {
      previous = previous.slice(0, r.num()) + r.str();
      k = r.num();
      if (k) words.push({ word: previous, stem: stems[k - 1] });
      else others.push({ word: previous, home: r.num(), df: r.num() });
    }
    return { words: words, others: others, vocabulary: r.num() };
  }
  function decodeVocabulary(buffer) {
    var r = reader(buffer), out = [], n, previous = "";
    r.byte();
    for (n = r.num(); n--;) {
      previous = previous.slice(0, r.num()) + r.str();
      out.push({ word: previous, home: r.num(), df: r.num() });
    }
    return out;
  }

  // Index files are named by kind, number and the index's hash (src/search/shards.rs).
  function file(kind, number) {
    return kind + number + "-" + manifest.hash + ".bin";
  }
  function shardNumber(word) {
    var keys = manifest.keys, low = 0, high = keys.length - 1;
    while (low < high) {
      var mid = (low + high + 1) >> 1;
      if (keys[mid] <= word) low = mid; else high = mid - 1;
    }
    return low;
  }
  function loadShard(number) {
    return shards[number] || (shards[number] = get(file("t", number))
      .then(function (buffer) { return (loaded[number] = decodeShard(buffer, manifest.docs)); }));
  }

  // Edit distance with transpositions, giving up beyond `limit`.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var rows = [], i, j;
    for (i = 0; i <= a.length; i++) {
      rows[i] = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        if (i === 0) { rows[0][j] = j; continue; }
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var value = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
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
  function expand(word, typing) {
    var number = shardNumber(word), key = group(word), length = Array.from(word).length;
    var limit = length >= 9 ? 2 : length >= 5 ? 1 : 0, completing = typing && length >= 2;
    return loadShard(number).then(function (shard) {
      // The group's words this shard knows: its own, and those of the rest of its group
      // when it lists them.
      var local = shard.words.map(function (entry) { return { word: entry.word, home: number, df: entry.stem.df }; })
        .concat(shard.others).filter(function (entry) { return group(entry.word) === key; });
      var exact = local.some(function (entry) { return entry.word === word; });
      var next = manifest.keys[number + 1];
      var wider = shard.vocabulary && ((!exact && limit) || (completing && next !== undefined && next < word + "\uffff"));
      var vocabulary = !wider ? local :
        vocabularies[shard.vocabulary] || (vocabularies[shard.vocabulary] = get(file("v", shard.vocabulary - 1)).then(decodeVocabulary));
      return Promise.resolve(vocabulary).then(function (entries) {
        var found = [], completions = [];
        entries.forEach(function (entry) {
          var w = entry.word, match = { word: w, home: entry.home, df: entry.df };
          if (w === word) found.push((match.weight = EXACT, match));
          else if (completing && w.indexOf(word) === 0) completions.push((match.weight = PREFIX, match));
          else if (!exact && limit && distance(word, w, limit) <= limit) found.push((match.weight = TYPO, match));
        });
        completions.sort(function (a, b) { return b.df - a.df; });
        return Promise.all(found.concat(completions.slice(0, MAX_EXPANSIONS)).map(function (match) {
          return loadShard(match.home).then(function (home) {
            home.words.some(function (entry) { return entry.word === match.word && (match.stem = entry.stem); });
            return match;
          });
        }));
      });
    });
  }

  // Scores of every section for one query word: the best of its expansions.
  function scoreWord(matches, docCount) {
    var scores = new Float32Array(docCount);
    matches.forEach(function (match) {
      var stem = match.stem, k;
      if (!stem) return;
      function add(doc, impact) {
        var score = impact * impact * match.weight;
        if (score > scores[doc]) scores[doc] = score;
      }
      if (stem.ids) {
        for (k = 0; k < stem.ids.length; k++) add(stem.ids[k], stem.impacts[k]);
      } else {
        for (k = 0; k < stem.bits.length; k++) {
          for (var bit = 0; stem.bits[k] >> bit; bit++) if (stem.bits[k] & (1 << bit)) add(k * 8 + bit, stem.fallback);
        }
        stem.hits.forEach(function (hit) { add(hit.doc.id, hit.impact); });
      }
    });
    return scores;
  }

  function search(query) {
    var terms = words(query);
    if (!terms.length) return Promise.resolve({ total: 0, items: [], terms: terms });
    var typing = !/[\s\p{P}]$/u.test(query);
    return loadManifest().then(function () {
      return Promise.all(terms.map(function (term, i) { return expand(term, typing && i === terms.length - 1); }));
    }).then(function (expansions) {
      var docCount = manifest.docs, per = expansions.map(function (m) { return scoreWord(m, docCount); });
      var top = [], total = 0, limit = Math.min(MAX_RESULTS, manifest.hits || MAX_RESULTS);
      for (var doc = 0; doc < docCount; doc++) {
        var sum = 0;
        for (var w = 0; w < per.length; w++) {
          if (!per[w][doc]) { sum = 0; break; }
          sum += per[w][doc];
        }
        if (!sum) continue;
        total++;
        if (top.length < limit || sum > top[top.length - 1].score) {
          top.push({ id: doc, score: sum });
          top.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
          if (top.length > limit) top.pop();
        }
      }
      // Every word of the matched stems that the loaded shards know is marked, and while
      // typing every word the last one starts.
      var matched = {}, last = typing && terms[terms.length - 1];
      expansions.forEach(function (list) {
        list.forEach(function (m) {
          matched[m.word] = 1;
          loaded[m.home].words.forEach(function (entry) { if (entry.stem === m.stem) matched[entry.word] = 1; });
        });
      });
      function marks(text) {
        var pieces = words(text).join("");
        return matched[pieces] || (last && pieces.indexOf(last) === 0);
      }
      return Promise.all(top.map(function (item) { return describe(item, expansions, marks); })).then(function (items) {
        return { total: total, items: items, marks: marks };
      });
    });
  }

  // Title, heading, URL and text window of a result: from a hit the loaded shards carry,
  // else from the section's document chunk, cut around the first matched word.
  function describe(item, expansions, marks) {
    var best;
    expansions.forEach(function (list) {
      list.forEach(function (match) {
        (match.stem ? match.stem.hits : []).forEach(function (hit) {
          if (hit.doc.id === item.id && !best) best = hit;
        });
      });
    });
    if (best) return Promise.resolve({ doc: best.doc, text: best.text, flags: best.flags });
    var number = Math.floor(item.id / manifest.chunk_docs);
    return (chunks[number] || (chunks[number] = get(file("d", number)).then(decodeChunk))).then(function (docs) {
      var doc = docs[item.id % manifest.chunk_docs], text = doc.text, size = manifest.window, found, at = 0;
      while ((found = WORD.exec(text))) if (marks(found[0])) { at = found.index; break; }
      WORD.lastIndex = 0;
      // A quarter of the window before the word, from a word start; the end at a space.
      var start = Math.max(0, at - (size >> 2)), end, space;
      if (start) start = text.indexOf(" ", start) + 1 || at;
      if (start > at) start = at;
      end = Math.min(start + size, text.length);
      space = text.lastIndexOf(" ", end);
      if (end < text.length && space > start) end = space;
      return { doc: doc, text: text.slice(start, end), flags: (start ? 1 : 0) | (end < text.length ? 2 : doc.flags) };
    });
  }
  function decodeChunk(buffer) {
    var r = reader(buffer), pages = [], docs = [], n;
    r.byte();
    for (n = r.num(); n--;) pages.push({ url: r.str(), title: r.str() });
    for (n = r.num(); n--;) docs.push({ page: pages[r.num()], anchor: r.str(), heading: r.str(), flags: r.byte(), text: r.str() });
    return docs;
  }

  // Appends `text` to `parent`, wrapping the query's words in <mark>.
  function appendMarked(parent, text, marks) {
    var at = 0, found;
    while ((found = WORD.exec(text))) {
      if (!marks(found[0])) continue;
      parent.appendChild(document.createTextNode(text.slice(at, found.index)));
      var mark = document.createElement("mark");
      mark.textContent = found[0];
      parent.appendChild(mark);
      at = found.index + found[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(at)));
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function render(found, query, started) {
    results = found.items;
    list.textContent = "";
    results.forEach(function (result, i) {
      var doc = result.doc, option = element("li", "search-result");
      option.id = "cairn-search-option-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      result.href = doc.page.url + (doc.anchor ? "#" + encodeURIComponent(doc.anchor) : "");
      option.setAttribute("data-href", result.href);
      option.appendChild(element("span", "search-result-title", doc.page.title));
      if (doc.heading && doc.heading !== doc.page.title) {
        option.appendChild(element("span", "search-result-heading", doc.heading));
      }
      var excerpt = element("span", "search-result-excerpt");
      var text = (result.flags & 1 ? "\u2026 " : "") + result.text + (result.flags & 2 ? " \u2026" : "");
      appendMarked(excerpt, text, found.marks);
      option.appendChild(excerpt);
      option.addEventListener("mousedown", function (event) { event.preventDefault(); });
      option.addEventListener("click", function () { open(i); });
      list.appendChild(option);
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    show(query.trim() !== "");
    announce(found.total === 0 ? "No results" : found.total === 1 ? "1 result" :
      found.total + " results" + (found.total > results.length ? ", showing the first " + results.length : ""));
    list.setAttribute("data-took", Math.round(performance.now() - started));
    list.setAttribute("data-query", query);
  }

  function announce(text) {
    status.textContent = text;
  }
  function show(visible) {
    if (!visible && active >= 0) {
      list.children[active].setAttribute("aria-selected", "false");
      active = -1;
      input.removeAttribute("aria-activedescendant");
    }
    list.hidden = !visible;
    input.setAttribute("aria-expanded", visible && results.length ? "true" : "false");
    root.classList.toggle("search-open", visible);
  }
  function move(to) {
    var options = list.children;
    if (!options.length) return;
    if (active >= 0) options[active].setAttribute("aria-selected", "false");
    active = (to + options.length) % options.length;
    options[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }
  function open(i) {
    if (!results[i]) return;
    show(false);
    location.href = results[i].href;
  }

  function run() {
    var query = input.value, mine = ++generation, started = performance.now();
    if (!query.trim()) {
      results = [];
      list.textContent = "";
      show(false);
      announce("");
      return;
    }
    search(query).then(function (found) {
      if (mine === generation) render(found, query, started);
    }, function () {
      if (mine === generation) announce("Search is not available right now");
    });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  });
  input.addEventListener("keydown", function (event) {
    var key = event.key;
    if (key === "ArrowDown" || key === "ArrowUp") {
      event.preventDefault();
      if (list.hidden && input.value.trim()) show(true);
      move(key === "ArrowDown" ? active + 1 : active < 0 ? -1 : active - 1);
    } else if (key === "Enter") {
      event.preventDefault();
      open(active < 0 ? 0 : active);
    } else if (key === "Escape") {
      // The first Escape closes the list (and must not clear the field, as search
      // fields do); the next one clears the field.
      if (!list.hidden) {
        event.preventDefault();
        show(false);
      } else if (input.value) {
        input.value = "";
        run();
      }
    }
  });
  input.addEventListener("focus", function () { if (results.length) show(true); });
  input.addEventListener("blur", function () { show(false); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  if (input.value.trim()) run();
})();
