// Shows the search box (it stays hidden without JavaScript, where the "All pages" link
// remains) and loads search.js the first time the box is used, or at once on a page
// reached from a result (?q=…: its words are highlighted) and on the results page.
// "/" and Ctrl+K (⌘K) focus the box.
(() => {
  const root = document.querySelector("[data-search]");
  if (!root) return;
  const form = root.querySelector("form");
  const input = form.querySelector("input");
  let loading = false;
  form.hidden = false;
  // Adds search.js to the page, once (with its integrity hash when the site has them).
  function load() {
    if (loading) return;
    loading = true;
    const script = document.createElement("script");
    script.src = root.getAttribute("data-script");
    if (root.hasAttribute("data-integrity")) script.integrity = root.getAttribute("data-integrity");
    document.head.appendChild(script);
  }
  input.addEventListener("focus", load);
  input.addEventListener("pointerdown", load);
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
    const slash = event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey;
    const k = (event.key === "k" || event.key === "K") && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey;
    if (!slash && !k) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
  const state = history.state;
  if (/[?&]q=/.test(location.search) || (state && typeof state === "object" && state.cairnQuery)) load();
})();
