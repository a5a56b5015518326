// The default theme's behaviour: theme toggle, FAQ expanders, print, and the Listen button.
// Everything here is progressive: without JavaScript the site reads, navigates and prints.
(function () {
  'use strict';
  var root = document.documentElement;
  var darkQuery = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

  function currentTheme() {
    var chosen = root.getAttribute('data-theme');
    if (chosen === 'light' || chosen === 'dark') return chosen;
    return darkQuery && darkQuery.matches ? 'dark' : 'light';
  }

  // On narrow screens the menu scrolls sideways: show the current page's entry.
  var current = document.querySelector('.site-nav a[aria-current]');
  if (current) {
    var menu = current.closest('ul');
    if (menu && menu.scrollWidth > menu.clientWidth) {
      menu.scrollLeft = current.offsetLeft - menu.offsetLeft - (menu.clientWidth - current.offsetWidth) / 2;
    }
  }

  // Theme toggle: a button that switches light/dark and remembers the choice.
  var toggle = document.querySelector('.theme-toggle');
  if (toggle) {
    var label = toggle.querySelector('.theme-toggle-label');
    var sync = function () {
      var dark = currentTheme() === 'dark';
      toggle.setAttribute('aria-pressed', dark ? 'true' : 'false');
      label.textContent = 'Dark theme';
    };
    toggle.addEventListener('click', function () {
      var next = currentTheme() === 'dark' ? 'light' : 'dark';
      root.setAttribute('data-theme', next);
      try { localStorage.setItem('cairn-theme', next); } catch (e) { /* not remembered */ }
      sync();
    });
    if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener('change', sync);
    sync();
    toggle.hidden = false;
  }

  // FAQ: open the question named in the address, and every answer before printing.
  function openTarget() {
    if (!location.hash) return;
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.tagName === 'DETAILS') target.open = true;
  }
  openTarget();
  window.addEventListener('hashchange', openTarget);
  var reopen = [];
  window.addEventListener('beforeprint', function () {
    reopen = [];
    document.querySelectorAll('details:not([open])').forEach(function (d) { d.open = true; reopen.push(d); });
  });
  window.addEventListener('afterprint', function () {
    reopen.forEach(function (d) { d.open = false; });
  });
  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.addEventListener('click', function () { window.print(); });
  });

  // Listen: read the article aloud with the Web Speech API, where the browser has it.
  var listen = document.querySelector('.listen');
  var synth = window.speechSynthesis;
  if (!listen || !synth || typeof window.SpeechSynthesisUtterance !== 'function') return;
  var source = document.querySelector('[data-listen-text]');
  if (!source) return;
  var play = listen.querySelector('[data-listen="play"]');
  var pause = listen.querySelector('[data-listen="pause"]');
  var stop = listen.querySelector('[data-listen="stop"]');
  var status = listen.querySelector('.listen-status');
  var state = 'idle';

  function chunks() {
    // One utterance per block: long utterances are cut off by some engines.
    var blocks = source.querySelectorAll('h2, h3, h4, p, li, blockquote > p, summary, td, th');
    var texts = [];
    blocks.forEach(function (block) {
      var copy = block.cloneNode(true);
      copy.querySelectorAll('.heading-anchor, sup').forEach(function (n) { n.remove(); });
      var text = copy.textContent.replace(/\s+/g, ' ').trim();
      if (text) texts.push(text);
    });
    var title = document.querySelector('h1');
    if (title) texts.unshift(title.textContent.trim());
    return texts;
  }

  function render() {
    play.hidden = state !== 'idle';
    pause.hidden = state === 'idle';
    stop.hidden = state === 'idle';
    var pauseLabel = pause.lastChild;
    pauseLabel.textContent = state === 'paused' ? ' Resume' : ' Pause';
    status.textContent = state === 'playing' ? 'Reading aloud' : state === 'paused' ? 'Paused' : '';
  }

  play.addEventListener('click', function () {
    synth.cancel();
    var texts = chunks();
    texts.forEach(function (text, index) {
      var utterance = new window.SpeechSynthesisUtterance(text);
      utterance.lang = root.lang || 'en';
      if (index === texts.length - 1) {
        utterance.onend = function () { state = 'idle'; render(); };
      }
      synth.speak(utterance);
    });
    state = 'playing';
    render();
    pause.focus();
  });
  pause.addEventListener('click', function () {
    if (state === 'playing') { synth.pause(); state = 'paused'; }
    else if (state === 'paused') { synth.resume(); state = 'playing'; }
    render();
  });
  stop.addEventListener('click', function () {
    synth.cancel();
    state = 'idle';
    render();
    play.focus();
  });
  window.addEventListener('pagehide', function () { synth.cancel(); });
  render();
  listen.hidden = false;
})();
