// Shows the search box (it stays hidden without JavaScript, where the "All pages" link
// remains) and loads search.js the first time the box is used. "/" focuses the box.
(function () {
  var root = document.querySelector("[data-search]");
  if (!root) return;
  var form = root.querySelector("form");
  var input = form.querySelector("input");
  var loading = false;
  form.hidden = false;
  function load() {
    if (loading) return;
    loading = true;
    var script = document.createElement("script");
    script.src = root.getAttribute("data-script");
    if (root.hasAttribute("data-integrity")) script.integrity = root.getAttribute("data-integrity");
    document.head.appendChild(script);
  }
  input.addEventListener("focus", load);
  input.addEventListener("pointerdown", load);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    event.preventDefault();
    input.focus();
  });
})();
