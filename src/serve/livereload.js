// cairn serve: reloads the page after a rebuild, swaps stylesheets when only CSS changed,
// and shows build errors over the page until they are fixed. Served only by `cairn serve`,
// never part of a built site.
(() => {
  "use strict";
  const script = document.currentScript;
  if (!script || !window.EventSource) {
    return;
  }
  const events = script.getAttribute("data-events");
  const build = script.getAttribute("data-build");
  const stylesheet = script.getAttribute("data-overlay-css");
  let host = null;

  // Shows the build's errors (HTML the server escaped) over the page.
  function showErrors(html) {
    if (!host) {
      host = document.createElement("div");
      host.className = "cairn-overlay-host";
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = stylesheet;
      document.head.appendChild(link);
      document.body.appendChild(host);
    }
    // The server escapes everything that comes from the site.
    host.innerHTML = html;
    const close = host.querySelector(".cairn-overlay-close");
    if (close) {
      close.addEventListener("click", () => {
        host.hidden = true;
      });
    }
    host.hidden = false;
  }

  // Removes the errors once a build succeeds.
  function clearErrors() {
    if (host) {
      host.remove();
      host = null;
    }
  }

  // Reloads the page's stylesheets at `paths` in place, each removed once its copy loads.
  function swapStylesheets(paths) {
    document.querySelectorAll('link[rel~="stylesheet"]').forEach((link) => {
      const url = new URL(link.href, window.location.href);
      if (url.origin !== window.location.origin || paths.indexOf(url.pathname) === -1) {
        return;
      }
      url.searchParams.set("cairn-reload", String(Date.now()));
      const fresh = link.cloneNode(false);
      fresh.href = url.pathname + url.search;
      const done = () => {
        link.remove();
      };
      fresh.addEventListener("load", done);
      fresh.addEventListener("error", done);
      link.after(fresh);
    });
  }

  const source = new EventSource(`${events}?build=${encodeURIComponent(build)}`);
  // Lets tests (and the curious) see that the page listens for rebuilds.
  source.addEventListener("open", () => {
    document.documentElement.setAttribute("data-cairn-live", "");
  });
  source.addEventListener("reload", () => {
    window.location.reload();
  });
  source.addEventListener("css", (event) => {
    swapStylesheets(JSON.parse(event.data));
  });
  source.addEventListener("build-error", (event) => {
    showErrors(JSON.parse(event.data).html);
  });
  source.addEventListener("clear", clearErrors);
})();
