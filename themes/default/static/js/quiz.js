/* cairn quiz: runs a compiled quiz flow in place.
 *
 * Every question and outcome is also a static page whose answers are plain links, so the
 * quiz works without this script. With it, an answer swaps the content instead of loading
 * a page, pushes the node's real URL (a reload or a bookmark lands on the same node, Back
 * goes one step back), moves focus to the new heading, announces it through a polite live
 * region, and the outcome lists the answers given. Those answers live in this page's
 * memory only: URLs and history entries carry the node, never the answers.
 *
 * No framework, no inline script, no inline style: it runs under a strict
 * Content-Security-Policy. If anything is missing (old browser, the flow data fails to
 * load), the static page is left exactly as it is.
 */
(function () {
  "use strict";

  var root = document.querySelector("article[data-quiz]");
  if (!root || !window.fetch || !window.Map || !window.history || !history.pushState) {
    return;
  }

  var nodes = new Map(); // id → { kind: "question" | "outcome", data }
  var byPath = new Map(); // URL path → id, for history entries without state
  var trail = []; // answers given, in order: { question, answer }
  var depth = 0; // how many entries of `trail` lead to the node shown
  var current = root.getAttribute("data-quiz-node");
  var flow = null;

  fetch(root.getAttribute("data-quiz"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("quiz data: HTTP " + response.status);
      }
      return response.json();
    })
    .then(start)
    .catch(function () {
      /* The static page keeps working on its own. */
    });

  function start(data) {
    (data.questions || []).forEach(function (question) {
      nodes.set(question.id, { kind: "question", data: question });
      byPath.set(question.url, question.id);
    });
    (data.outcomes || []).forEach(function (outcome) {
      nodes.set(outcome.id, { kind: "outcome", data: outcome });
      byPath.set(outcome.url, outcome.id);
    });
    if (!nodes.has(current) || !nodes.has(data.start)) {
      return;
    }
    flow = data;
    history.replaceState({ quizNode: current, quizDepth: 0 }, "", location.href);
    root.addEventListener("click", onClick);
    window.addEventListener("popstate", onPopState);
  }

  function onClick(event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) {
      return; // let the browser open new tabs and windows as usual
    }
    var link = event.target.closest && event.target.closest("a[data-quiz-next]");
    if (!link || !root.contains(link)) {
      return;
    }
    var next = link.getAttribute("data-quiz-next");
    if (!nodes.has(next)) {
      return;
    }
    event.preventDefault();
    var here = nodes.get(current);
    if (link.hasAttribute("data-quiz-restart")) {
      trail = [];
      depth = 0;
    } else if (here && here.kind === "question") {
      trail = trail.slice(0, depth);
      trail.push({ question: here.data.question, answer: link.textContent.trim() });
      depth = trail.length;
    }
    history.pushState({ quizNode: next, quizDepth: depth }, "", nodes.get(next).data.url);
    show(next);
  }

  function onPopState(event) {
    var state = event.state;
    var id = state && state.quizNode ? state.quizNode : byPath.get(location.pathname);
    if (!id || !nodes.has(id)) {
      return;
    }
    var wanted = state && typeof state.quizDepth === "number" ? state.quizDepth : 0;
    depth = Math.max(0, Math.min(wanted, trail.length));
    show(id);
  }

  function show(id) {
    current = id;
    var node = nodes.get(id);
    var view = node.kind === "question" ? questionView(node.data) : outcomeView(node.data);
    var old = root.querySelector(".quiz-node");
    if (old) {
      root.replaceChild(view, old);
    } else {
      root.appendChild(view);
    }
    root.setAttribute("data-quiz-node", id);
    var heading = view.querySelector("h1");
    document.title = heading.textContent + (root.getAttribute("data-title-suffix") || "");
    heading.focus();
    var lead = view.querySelector(".quiz-progress");
    announce((lead ? lead.textContent + ": " : "") + heading.textContent);
  }

  function questionView(question) {
    var box = element("div", "quiz-node");
    if (question.id === flow.start && flow.description) {
      box.appendChild(element("p", "quiz-intro", flow.description));
    }
    box.appendChild(element("p", "quiz-progress", text("progress", "Question {step} of at most {max}")
      .replace("{step}", String(question.step))
      .replace("{max}", String(question.max_steps))));
    box.appendChild(heading(question.question));
    if (question.help) {
      box.appendChild(trustedHtml("div", "quiz-help", question.help));
    }
    var list = element("ul", "quiz-answers");
    question.answers.forEach(function (answer) {
      var target = nodes.get(answer.next);
      if (!target) {
        return;
      }
      var link = element("a", "quiz-answer", answer.label);
      link.href = target.data.url;
      link.setAttribute("data-quiz-next", answer.next);
      var item = element("li");
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  function outcomeView(outcome) {
    var box = element("div", "quiz-node");
    box.appendChild(element("p", "quiz-progress", text("result", "Your result")));
    box.appendChild(heading(outcome.title));
    box.appendChild(trustedHtml("div", "quiz-body", outcome.body));
    if (depth > 0) {
      var path = section("quiz-path", "quiz-path-heading", text("path", "Your answers"));
      var steps = element("ol");
      trail.slice(0, depth).forEach(function (step) {
        var item = element("li");
        item.appendChild(element("span", "quiz-path-question", step.question));
        item.appendChild(document.createTextNode(" "));
        item.appendChild(element("span", "quiz-path-answer", step.answer));
        steps.appendChild(item);
      });
      path.appendChild(steps);
      box.appendChild(path);
    }
    if (outcome.read && outcome.read.length) {
      var read = section("quiz-read", "quiz-read-heading", text("read", "Read next"));
      var links = element("ul");
      outcome.read.forEach(function (entry) {
        var item = element("li");
        var link = element("a", null, entry.title);
        link.href = entry.url;
        item.appendChild(link);
        if (entry.page) {
          item.appendChild(document.createTextNode(" "));
          item.appendChild(element("span", "quiz-read-page", text("in", "in") + " " + entry.page));
        }
        links.appendChild(item);
      });
      read.appendChild(links);
      box.appendChild(read);
    }
    var restart = element("a", null, text("restart", "Start over"));
    restart.href = root.getAttribute("data-quiz-start") || nodes.get(flow.start).data.url;
    restart.setAttribute("data-quiz-next", flow.start);
    restart.setAttribute("data-quiz-restart", "");
    var again = element("p", "quiz-restart");
    again.appendChild(restart);
    box.appendChild(again);
    return box;
  }

  function heading(content) {
    var h1 = element("h1", null, content);
    h1.id = "quiz-heading";
    h1.tabIndex = -1;
    return h1;
  }

  function section(className, headingId, title) {
    var box = element("section", className);
    box.setAttribute("aria-labelledby", headingId);
    var h2 = element("h2", null, title);
    h2.id = headingId;
    box.appendChild(h2);
    return box;
  }

  /* HTML the site generator rendered from Markdown and sanitized at build time. */
  function trustedHtml(tag, className, html) {
    var box = element(tag, className);
    box.innerHTML = html;
    return box;
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (content !== undefined) {
      node.textContent = content;
    }
    return node;
  }

  function text(name, fallback) {
    return root.getAttribute("data-text-" + name) || fallback;
  }

  function announce(message) {
    var status = root.querySelector(".quiz-status");
    if (!status) {
      return;
    }
    // Emptied first, so the same words are announced again when they come back.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 100);
  }
})();
