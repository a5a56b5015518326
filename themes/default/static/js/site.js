// The default theme's behaviour: the header's folding search box and menu, the theme
// toggle, FAQ expanders, printing, and Listen (reading a guide aloud, part after part).
// Everything here is progressive: without JavaScript the site reads, navigates and prints.
// One init function per feature, each doing nothing where its markup is absent; those that
// work on a page's content take the <main> to work on, so Listen can swap in the next part.
(() => {
  'use strict';
  const root = document.documentElement;
  const darkQuery = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  const reducedMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  // Header: on phones the search box and the menu fold behind buttons. A button opens its
  // panel; Escape closes it and returns to the button; "/" opens the search box first.
  function initHeader() {
    const buttons = document.querySelectorAll('[data-header-toggle]');
    const panelOf = (button) => document.getElementById(button.getAttribute('aria-controls'));
    const setOpen = (button, open) => {
      const panel = panelOf(button);
      if (!panel) return;
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
      panel.classList.toggle('is-open', open);
    };
    buttons.forEach((button) => {
      button.addEventListener('click', () => {
        const open = button.getAttribute('aria-expanded') !== 'true';
        setOpen(button, open);
        const input = open && panelOf(button).querySelector('input:not([hidden])');
        if (input) input.focus();
      });
    });
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        buttons.forEach((button) => {
          const panel = panelOf(button);
          if (button.getAttribute('aria-expanded') === 'true' && panel && panel.contains(document.activeElement)
            && !(document.activeElement.value)) {
            setOpen(button, false);
            button.focus();
          }
        });
        return;
      }
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target;
      if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      // Runs before the search box's own "/" handler (capture phase), so the box is shown
      // by the time it is focused.
      const search = document.querySelector('[data-header-toggle="search"]');
      if (search) setOpen(search, true);
    }, true);
  }

  // Theme toggle: one button that goes system → light → dark → system. Its label says the
  // current choice; it shows pressed while a choice overrides the system's.
  function initThemeToggle() {
    const toggle = document.querySelector('.theme-toggle');
    if (!toggle) return;
    const label = toggle.querySelector('.theme-toggle-label');
    const names = { system: 'system', light: 'light', dark: 'dark' };
    const order = ['system', 'light', 'dark'];
    const chosen = () => {
      const theme = root.getAttribute('data-theme');
      return theme === 'light' || theme === 'dark' ? theme : 'system';
    };
    const sync = () => {
      const choice = chosen();
      const shown = choice === 'system' ? (darkQuery && darkQuery.matches ? 'dark' : 'light') : choice;
      toggle.setAttribute('data-theme-choice', choice);
      toggle.setAttribute('aria-pressed', choice === 'system' ? 'false' : 'true');
      label.textContent = `Theme: ${names[choice]}`;
      toggle.title = choice === 'system' ? `Following the system (${shown}); click for light` : `Click for ${order[(order.indexOf(choice) + 1) % 3]}`;
    };
    const apply = (choice) => {
      if (choice === 'system') root.removeAttribute('data-theme');
      else root.setAttribute('data-theme', choice);
      sync();
    };
    toggle.addEventListener('click', () => {
      const next = order[(order.indexOf(chosen()) + 1) % order.length];
      apply(next);
      try {
        if (next === 'system') localStorage.removeItem('cairn-theme');
        else localStorage.setItem('cairn-theme', next);
      } catch (error) {
        // Storage can be unavailable (private mode, blocked cookies): not remembered.
      }
    });
    // Another tab changed it: follow.
    window.addEventListener('storage', (event) => {
      if (event.key === 'cairn-theme') apply(event.newValue === 'light' || event.newValue === 'dark' ? event.newValue : 'system');
    });
    if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener('change', sync);
    sync();
    toggle.hidden = false;
  }

  // FAQ: "Expand all" (and back), and the answer a link points at opens, now and whenever
  // the address changes.
  function initFaq(main) {
    const items = Array.from(main.querySelectorAll('details.faq-item'));
    const button = main.querySelector('[data-faq-toggle]');
    if (button && items.length) {
      const sync = () => {
        button.textContent = items.every((d) => d.open) ? 'Collapse all' : 'Expand all';
      };
      button.addEventListener('click', () => {
        const open = !items.every((d) => d.open);
        items.forEach((d) => { d.open = open; });
        sync();
      });
      items.forEach((d) => d.addEventListener('toggle', sync));
      sync();
      const tools = button.closest('[hidden]');
      if (tools) tools.removeAttribute('hidden');
    }
  }

  function openTarget() {
    if (!location.hash) return;
    let id = location.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (error) {
      // A malformed escape: look the id up as written.
    }
    const target = document.getElementById(id);
    if (!target) return;
    const details = target.tagName === 'DETAILS' ? target : target.closest('details');
    if (details && !details.open) {
      details.open = true;
      target.scrollIntoView();
    }
  }

  // Printing: every closed answer opens for the printout, and closes again after it.
  function initPrintExpanders() {
    let reopen = [];
    window.addEventListener('beforeprint', () => {
      reopen = [];
      document.querySelectorAll('details:not([open])').forEach((d) => {
        if (d.closest('[data-listen="skip"]')) return;
        d.open = true;
        reopen.push(d);
      });
    });
    window.addEventListener('afterprint', () => {
      reopen.forEach((d) => { d.open = false; });
    });
  }

  // Printed links: each link in the text gets its whole address (from the page's canonical
  // URL, so a printout names the published site), with a break point after each slash.
  function initPrintAddresses(main) {
    const canonical = document.querySelector('link[rel="canonical"]');
    const base = canonical ? canonical.href : location.href;
    main.querySelectorAll('.prose a[href]').forEach((link) => {
      const href = link.getAttribute('href');
      if (href.startsWith('#')) return;
      let url;
      try {
        url = new URL(href, base);
      } catch (error) {
        return;
      }
      const shown = url.href.replace(/^https?:\/\//, '');
      link.setAttribute('data-print-href', shown.replace(/([/#?&=])/g, '$1\u200b'));
    });
  }

  // Print buttons: `data-print` opens the browser's print dialog.
  function initPrintButtons(main) {
    main.querySelectorAll('[data-print]').forEach((button) => {
      button.addEventListener('click', () => window.print());
    });
  }

  // Listen: reads the page's title and text ([data-listen-text]) aloud with the Web Speech
  // API, one sentence per utterance (engines cut long ones off) with the sentence being read
  // highlighted. Controls, labels and anything marked data-listen="skip" are not read. At
  // the end of a part of a series it offers the next part and, unless stopped, swaps it in
  // and reads on: a new page would need a new tap before the browser lets it speak.
  function initListen() {
    const synth = window.speechSynthesis;
    const player = document.querySelector('[data-listen-player]');
    if (!player || !synth || typeof window.SpeechSynthesisUtterance !== 'function') return null;
    const pause = player.querySelector('[data-listen="pause"]');
    const pauseLabel = pause.querySelector('.listen-pause-label');
    const stop = player.querySelector('[data-listen="stop"]');
    const rateSelect = player.querySelector('[data-listen="rate"]');
    const status = player.querySelector('.listen-status');
    const nextBox = player.querySelector('.listen-next');
    const nextText = player.querySelector('.listen-next-text');
    const continueButton = player.querySelector('[data-listen="continue"]');
    const highlights = window.CSS && CSS.highlights && typeof window.Highlight === 'function' ? CSS.highlights : null;
    const AUTO_CONTINUE_MS = 5000;
    let sentences = [];
    let index = 0;
    let state = 'idle';
    let generation = 0;
    let autoTimer = 0;
    let swapped = false;
    let rate = 1;
    try {
      rate = Number(localStorage.getItem('cairn-listen-rate')) || 1;
    } catch (error) {
      // No storage: the default speed.
    }
    if (!Array.from(rateSelect.options).some((o) => Number(o.value) === rate)) rate = 1;
    rateSelect.value = String(rate);

    const SKIP = '[data-listen="skip"], button, select, script, style, template, sup, .heading-anchor, .callout-title, [aria-hidden="true"], .visually-hidden';
    const BLOCK = 'h1, h2, h3, h4, h5, h6, p, li, dt, dd, td, th, figcaption, blockquote, pre, summary';

    // The sentences of the page in `main`: each with the text to speak, the range it spans
    // in the page, and the block it is in.
    function collect(main) {
      const out = [];
      const title = main.querySelector('h1');
      const source = main.querySelector('[data-listen-text]');
      const groups = [];
      for (const container of [title, source]) {
        if (!container) continue;
        const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
        let group = null;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const parent = node.parentElement;
          if (!parent || parent.closest(SKIP) || !node.data.trim() && !group) continue;
          const block = parent.closest(BLOCK) || container;
          if (!group || group.block !== block) {
            group = { block, text: '', nodes: [] };
            groups.push(group);
          }
          group.nodes.push({ node, start: group.text.length });
          group.text += node.data;
        }
      }
      const segmenter = typeof Intl !== 'undefined' && Intl.Segmenter
        ? new Intl.Segmenter(root.lang || 'en', { granularity: 'sentence' }) : null;
      for (const group of groups) {
        const pieces = segmenter
          ? Array.from(segmenter.segment(group.text), (s) => [s.index, s.index + s.segment.length])
          : splitSentences(group.text);
        const quote = group.block.closest('blockquote');
        const inGroup = [];
        for (const [start, end] of pieces) {
          const spoken = group.text.slice(start, end).replace(/\s+/g, ' ').trim();
          if (!spoken || !/[\p{L}\p{N}]/u.test(spoken)) continue;
          inGroup.push({ spoken, range: rangeOf(group, start, end), block: group.block, quote });
        }
        out.push(...inGroup);
      }
      // A quotation is announced as one, so it is not heard as the site's own words.
      for (let i = 0; i < out.length; i++) {
        const quote = out[i].quote;
        if (!quote) continue;
        if (i === 0 || out[i - 1].quote !== quote) out[i].spoken = `Quote: ${out[i].spoken}`;
        if (i === out.length - 1 || out[i + 1].quote !== quote) out[i].spoken = `${out[i].spoken} End of quote.`;
      }
      return out;
    }

    function splitSentences(text) {
      const pieces = [];
      const pattern = /[^.!?…]+(?:[.!?…]+["”’)]*|$)\s*/g;
      let match;
      while ((match = pattern.exec(text)) && match[0]) pieces.push([match.index, match.index + match[0].length]);
      return pieces;
    }

    // The DOM range of characters start..end of a group's text.
    function rangeOf(group, start, end) {
      const at = (offset, isEnd) => {
        let found = group.nodes[0];
        for (const entry of group.nodes) {
          if (entry.start < offset || (!isEnd && entry.start === offset)) found = entry;
        }
        return [found.node, Math.min(Math.max(offset - found.start, 0), found.node.data.length)];
      };
      const range = document.createRange();
      try {
        range.setStart(...at(start, false));
        range.setEnd(...at(end, true));
      } catch (error) {
        range.selectNodeContents(group.block);
      }
      return range;
    }

    function show(sentence) {
      const details = sentence.block.closest('details');
      if (details && !details.open) details.open = true;
      if (highlights) highlights.set('listen-sentence', new window.Highlight(sentence.range));
      const box = sentence.range.getBoundingClientRect();
      const bottom = window.innerHeight - player.offsetHeight;
      if (box.height && (box.top < 0 || box.bottom > bottom)) {
        sentence.block.scrollIntoView({ block: 'center', behavior: reducedMotion ? 'auto' : 'smooth' });
      }
    }

    function unshow() {
      if (highlights) highlights.delete('listen-sentence');
    }

    function render() {
      player.hidden = state === 'idle';
      pause.hidden = state === 'ended' || state === 'failed';
      pause.setAttribute('aria-pressed', state === 'paused' ? 'true' : 'false');
      pauseLabel.textContent = state === 'paused' ? 'Resume' : 'Pause';
      if (state !== 'ended') nextBox.hidden = true;
    }

    function setStatus(text) {
      status.textContent = text;
    }

    function speakCurrent() {
      const mine = ++generation;
      const sentence = sentences[index];
      if (!sentence) {
        finish();
        return;
      }
      show(sentence);
      const utterance = new window.SpeechSynthesisUtterance(sentence.spoken);
      utterance.lang = root.lang || 'en';
      utterance.rate = rate;
      utterance.onend = () => {
        if (mine !== generation || state !== 'playing') return;
        index += 1;
        speakCurrent();
      };
      utterance.onerror = (event) => {
        if (mine !== generation || state !== 'playing') return;
        const error = event && event.error;
        if (error === 'interrupted' || error === 'canceled') return;
        if (error === 'text-too-long') {
          index += 1;
          speakCurrent();
          return;
        }
        // Anything else (no voice, no audio, not allowed) would fail for every sentence:
        // stop rather than run through the guide in silence.
        stopReading(error === 'not-allowed'
          ? 'Your browser did not let the page speak. Press Listen to start again.'
          : 'Your browser could not read this aloud.', true);
      };
      synth.speak(utterance);
    }

    function nextLink() {
      return document.querySelector('main a[rel="next"]');
    }

    function finish() {
      unshow();
      state = 'ended';
      render();
      const next = nextLink();
      if (!next) {
        setStatus('Finished reading.');
        return;
      }
      const title = next.querySelector('.title') ? next.querySelector('.title').textContent : next.textContent;
      nextText.textContent = `Up next: ${title.trim()}.`;
      nextBox.hidden = false;
      setStatus(`Finished this part. The next part starts in ${AUTO_CONTINUE_MS / 1000} seconds; press Stop to stay here.`);
      window.clearTimeout(autoTimer);
      autoTimer = window.setTimeout(goOn, AUTO_CONTINUE_MS);
    }

    function start(main) {
      window.clearTimeout(autoTimer);
      synth.cancel();
      sentences = collect(main);
      index = 0;
      state = 'playing';
      render();
      const title = main.querySelector('h1');
      setStatus(`Reading aloud${title ? `: ${title.textContent.trim()}` : ''}.`);
      speakCurrent();
    }

    // Stops reading; a failure keeps the player up to say what went wrong.
    function stopReading(message, failed) {
      window.clearTimeout(autoTimer);
      generation += 1;
      synth.cancel();
      unshow();
      state = failed ? 'failed' : 'idle';
      render();
      setStatus(message || '');
      const play = document.querySelector('main [data-listen="play"]');
      if (play && player.contains(document.activeElement)) play.focus();
    }

    // Goes on to the next part: fetches it and swaps its <main> in when it needs nothing
    // this page has not loaded (else it simply opens it, and reading stops there).
    async function goOn() {
      window.clearTimeout(autoTimer);
      const next = nextLink();
      if (!next) return;
      const url = next.href;
      let doc;
      try {
        const response = await fetch(url, { credentials: 'same-origin' });
        if (!response.ok) throw new Error(String(response.status));
        doc = new DOMParser().parseFromString(await response.text(), 'text/html');
      } catch (error) {
        location.assign(url);
        return;
      }
      if (state !== 'ended') return;
      const resources = (d) => Array.from(d.querySelectorAll('link[rel="stylesheet"], script[src]'), (e) => e.getAttribute('href') || e.getAttribute('src')).sort().join(' ');
      const incoming = doc.querySelector('main');
      if (!incoming || resources(doc) !== resources(document) || !incoming.querySelector('[data-listen-text]')) {
        location.assign(url);
        return;
      }
      swapIn(doc, url);
      start(document.querySelector('main'));
      pause.focus();
    }

    function swapIn(doc, url) {
      const main = document.adoptNode(doc.querySelector('main'));
      document.querySelector('main').replaceWith(main);
      document.title = doc.title;
      document.body.className = doc.body.className;
      const menu = doc.getElementById('site-menu');
      const current = document.getElementById('site-menu');
      if (menu && current) current.replaceWith(document.adoptNode(menu));
      for (const selector of ['link[rel="canonical"]', 'meta[name="description"]']) {
        const mine = document.querySelector(selector);
        const theirs = doc.querySelector(selector);
        if (mine && theirs) mine.replaceWith(document.adoptNode(theirs));
      }
      if (!swapped) {
        swapped = true;
        // The swapped-in parts have addresses of their own: Back loads the real page.
        window.addEventListener('popstate', () => location.reload());
      }
      history.pushState({ cairnListen: true }, '', url);
      window.scrollTo(0, 0);
      initContent(main);
    }

    pause.addEventListener('click', () => {
      if (state === 'playing') {
        state = 'paused';
        generation += 1;
        synth.cancel();
        setStatus('Paused.');
      } else if (state === 'paused') {
        state = 'playing';
        setStatus('Reading aloud.');
        speakCurrent();
      }
      render();
    });
    stop.addEventListener('click', () => stopReading('Stopped.'));
    continueButton.addEventListener('click', goOn);
    rateSelect.addEventListener('change', () => {
      rate = Number(rateSelect.value) || 1;
      try {
        localStorage.setItem('cairn-listen-rate', String(rate));
      } catch (error) {
        // Not remembered.
      }
      if (state === 'playing') speakCurrent();
    });
    window.addEventListener('pagehide', () => synth.cancel());

    // The Listen buttons of the content in `main`.
    return (main) => {
      const listen = main.querySelector('.listen');
      const play = listen && listen.querySelector('[data-listen="play"]');
      if (!play || !main.querySelector('[data-listen-text]')) return;
      play.addEventListener('click', () => {
        start(main);
        pause.focus();
      });
      listen.hidden = false;
    };
  }

  let initListenButtons = null;

  // Everything that works on a page's content.
  function initContent(main) {
    initFaq(main);
    initPrintAddresses(main);
    initPrintButtons(main);
    if (initListenButtons) initListenButtons(main);
  }

  initHeader();
  initThemeToggle();
  initPrintExpanders();
  initListenButtons = initListen();
  const main = document.querySelector('main');
  if (main) initContent(main);
  openTarget();
  window.addEventListener('hashchange', openTarget);
})();
