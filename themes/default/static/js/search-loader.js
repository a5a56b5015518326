// Shows the search box (it stays hidden without JavaScript, where the "All pages" link
// remains) and loads search.js the first time the box is used. "/" focuses the box.
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
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    event.preventDefault();
    input.focus();
  });
})();
