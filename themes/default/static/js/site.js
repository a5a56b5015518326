// The default theme's behaviour: theme toggle, FAQ expanders, print, and the Listen button.
// Everything here is progressive: without JavaScript the site reads, navigates and prints.
// One init function per feature, each doing nothing where its markup is absent.
(() => {
  'use strict';
  const root = document.documentElement;
  const darkQuery = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

  // The theme shown: the reader's choice, else the system's.
  function currentTheme() {
    const chosen = root.getAttribute('data-theme');
    if (chosen === 'light' || chosen === 'dark') return chosen;
    return darkQuery && darkQuery.matches ? 'dark' : 'light';
  }

  // On narrow screens the menu scrolls sideways: show the current page's entry.
  function initMenuScroll() {
    const current = document.querySelector('.site-nav a[aria-current]');
    if (!current) return;
    const menu = current.closest('ul');
    if (menu && menu.scrollWidth > menu.clientWidth) {
      menu.scrollLeft = current.offsetLeft - menu.offsetLeft - (menu.clientWidth - current.offsetWidth) / 2;
    }
  }

  // Theme toggle: a button that switches light/dark and remembers the choice.
  function initThemeToggle() {
    const toggle = document.querySelector('.theme-toggle');
    if (!toggle) return;
    const label = toggle.querySelector('.theme-toggle-label');
    const sync = () => {
      const dark = currentTheme() === 'dark';
      toggle.setAttribute('aria-pressed', dark ? 'true' : 'false');
      label.textContent = 'Dark theme';
    };
    toggle.addEventListener('click', () => {
      const next = currentTheme() === 'dark' ? 'light' : 'dark';
      root.setAttribute('data-theme', next);
      try {
        localStorage.setItem('cairn-theme', next);
      } catch (error) {
        // Storage can be unavailable (private mode, blocked cookies): not remembered.
      }
      sync();
    });
    if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener('change', sync);
    sync();
    toggle.hidden = false;
  }

  // FAQ: open the question named in the address, now and whenever it changes.
  function initFaqTarget() {
    const openTarget = () => {
      if (!location.hash) return;
      let target;
      try { target = document.getElementById(decodeURIComponent(location.hash.slice(1))); } catch (error) { return; }
      if (target && target.tagName === 'DETAILS') target.open = true;
    };
    openTarget();
    window.addEventListener('hashchange', openTarget);
  }

  // Printing: every closed answer opens for the printout, and closes again after it.
  function initPrintExpanders() {
    let reopen = [];
    window.addEventListener('beforeprint', () => {
      reopen = [];
      document.querySelectorAll('details:not([open])').forEach((d) => {
        d.open = true;
        reopen.push(d);
      });
    });
    window.addEventListener('afterprint', () => {
      reopen.forEach((d) => { d.open = false; });
    });
  }

  // Print buttons: `data-print` opens the browser's print dialog.
  function initPrintButtons() {
    document.querySelectorAll('[data-print]').forEach((button) => {
      button.addEventListener('click', () => window.print());
    });
  }

  // Listen: read the article aloud with the Web Speech API, where the browser has it.
  function initListen() {
    const listen = document.querySelector('.listen');
    const synth = window.speechSynthesis;
    if (!listen || !synth || typeof window.SpeechSynthesisUtterance !== 'function') return;
    const source = document.querySelector('[data-listen-text]');
    if (!source) return;
    const play = listen.querySelector('[data-listen="play"]');
    const pause = listen.querySelector('[data-listen="pause"]');
    const stop = listen.querySelector('[data-listen="stop"]');
    const status = listen.querySelector('.listen-status');
    let state = 'idle';

    // The texts to read: the title, then one per block (long utterances are cut off by
    // some engines), without heading anchors and footnote marks.
    const chunks = () => {
      const blocks = source.querySelectorAll('h2, h3, h4, p, li, blockquote > p, summary, td, th');
      const texts = [];
      blocks.forEach((block) => {
        const copy = block.cloneNode(true);
        copy.querySelectorAll('.heading-anchor, sup').forEach((n) => n.remove());
        const text = copy.textContent.replace(/\s+/g, ' ').trim();
        if (text) texts.push(text);
      });
      const title = document.querySelector('h1');
      if (title) texts.unshift(title.textContent.trim());
      return texts;
    };

    // Shows the buttons and the status that fit the state.
    const render = () => {
      play.hidden = state !== 'idle';
      pause.hidden = state === 'idle';
      stop.hidden = state === 'idle';
      pause.lastChild.textContent = state === 'paused' ? ' Resume' : ' Pause';
      status.textContent = state === 'playing' ? 'Reading aloud' : state === 'paused' ? 'Paused' : '';
    };

    play.addEventListener('click', () => {
      synth.cancel();
      const texts = chunks();
      texts.forEach((text, index) => {
        const utterance = new window.SpeechSynthesisUtterance(text);
        utterance.lang = root.lang || 'en';
        if (index === texts.length - 1) {
          utterance.onend = () => {
            state = 'idle';
            render();
          };
        }
        synth.speak(utterance);
      });
      state = 'playing';
      render();
      pause.focus();
    });
    pause.addEventListener('click', () => {
      if (state === 'playing') {
        synth.pause();
        state = 'paused';
      } else if (state === 'paused') {
        synth.resume();
        state = 'playing';
      }
      render();
    });
    stop.addEventListener('click', () => {
      synth.cancel();
      state = 'idle';
      render();
      play.focus();
    });
    window.addEventListener('pagehide', () => synth.cancel());
    render();
    listen.hidden = false;
  }

  initMenuScroll();
  initThemeToggle();
  initFaqTarget();
  initPrintExpanders();
  initPrintButtons();
  initListen();
})();
