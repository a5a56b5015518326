// cairn serve: reloads the page after a rebuild, swaps stylesheets when only CSS changed,
// and shows build errors over the page until they are fixed. Served only by `cairn serve`,
// never part of a built site.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.EventSource) {
    return;
  }
  var events = script.getAttribute("data-events");
  var build = script.getAttribute("data-build");
  var stylesheet = script.getAttribute("data-overlay-css");
  var host = null;

  function showErrors(html) {
    if (!host) {
      host = document.createElement("div");
      host.className = "cairn-overlay-host";
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = stylesheet;
      document.head.appendChild(link);
      document.body.appendChild(host);
    }
    // The server escapes everything that comes from the site.
    host.innerHTML = html;
    var close = host.querySelector(".cairn-overlay-close");
    if (close) {
      close.addEventListener("click", function () {
        host.hidden = true;
      });
    }
    host.hidden = false;
  }

  function clearErrors() {
    if (host) {
      host.remove();
      host = null;
    }
  }

  function swapStylesheets(paths) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, window.location.href);
      if (url.origin !== window.location.origin || paths.indexOf(url.pathname) === -1) {
        return;
      }
      url.searchParams.set("cairn-reload", String(Date.now()));
      var fresh = link.cloneNode(false);
      fresh.href = url.pathname + url.search;
      var done = function () {
        link.remove();
      };
      fresh.addEventListener("load", done);
      fresh.addEventListener("error", done);
      link.after(fresh);
    });
  }

  var source = new EventSource(events + "?build=" + encodeURIComponent(build));
  // Lets tests (and the curious) see that the page listens for rebuilds.
  source.addEventListener("open", function () {
    document.documentElement.setAttribute("data-cairn-live", "");
  });
  source.addEventListener("reload", function () {
    window.location.reload();
  });
  source.addEventListener("css", function (event) {
    swapStylesheets(JSON.parse(event.data));
  });
  source.addEventListener("build-error", function (event) {
    showErrors(JSON.parse(event.data).html);
  });
  source.addEventListener("clear", clearErrors);
})();
