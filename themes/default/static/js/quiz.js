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
(() => {
  "use strict";

  const root = document.querySelector("article[data-quiz]");
  if (!root || !window.fetch || !window.Map || !window.history || !history.pushState) {
    return;
  }

  const nodes = new Map(); // id → { kind: "question" | "outcome", data }
  const byPath = new Map(); // URL path → id, for history entries without state
  let trail = []; // answers given, in order: { question, answer }
  let depth = 0; // how many entries of `trail` lead to the node shown
  let current = root.getAttribute("data-quiz-node");
  let flow = null;

  fetch(root.getAttribute("data-quiz"), { credentials: "same-origin" })
    .then((response) => {
      if (!response.ok) {
        throw new Error(`quiz data: HTTP ${response.status}`);
      }
      return response.json();
    })
    .then(start)
    .catch(() => {
      /* The static page keeps working on its own. */
    });

  // Indexes the flow and takes over the page, if it knows the node shown and its start.
  function start(data) {
    (data.questions || []).forEach((question) => {
      nodes.set(question.id, { kind: "question", data: question });
      byPath.set(question.url, question.id);
    });
    (data.outcomes || []).forEach((outcome) => {
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

  // An answer (or "Start over") shows its node in place and pushes its URL.
  function onClick(event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) {
      return; // let the browser open new tabs and windows as usual
    }
    const link = event.target.closest && event.target.closest("a[data-quiz-next]");
    if (!link || !root.contains(link)) {
      return;
    }
    const next = link.getAttribute("data-quiz-next");
    if (!nodes.has(next)) {
      return;
    }
    event.preventDefault();
    const here = nodes.get(current);
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

  // Back and Forward show the node of the history entry, with the answers that led there.
  function onPopState(event) {
    const state = event.state;
    const id = state && state.quizNode ? state.quizNode : byPath.get(location.pathname);
    if (!id || !nodes.has(id)) {
      return;
    }
    const wanted = state && typeof state.quizDepth === "number" ? state.quizDepth : 0;
    depth = Math.max(0, Math.min(wanted, trail.length));
    show(id);
  }

  // Replaces the node shown, names it in the title, focuses its heading and announces it.
  function show(id) {
    current = id;
    const node = nodes.get(id);
    const view = node.kind === "question" ? questionView(node.data) : outcomeView(node.data);
    const old = root.querySelector(".quiz-node");
    if (old) {
      root.replaceChild(view, old);
    } else {
      root.appendChild(view);
    }
    root.setAttribute("data-quiz-node", id);
    const heading = view.querySelector("h1");
    document.title = heading.textContent + (root.getAttribute("data-title-suffix") || "");
    heading.focus();
    const lead = view.querySelector(".quiz-progress");
    announce((lead ? lead.textContent + ": " : "") + heading.textContent);
  }

  // A question: the intro on the first one, progress, heading, help and answer links.
  function questionView(question) {
    const box = element("div", "quiz-node");
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
    const list = element("ul", "quiz-answers");
    question.answers.forEach((answer) => {
      const target = nodes.get(answer.next);
      if (!target) {
        return;
      }
      const link = element("a", "quiz-answer", answer.label);
      link.href = target.data.url;
      link.setAttribute("data-quiz-next", answer.next);
      const item = element("li");
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  // An outcome: its text, the answers given, what to read next, and a link to start over.
  function outcomeView(outcome) {
    const box = element("div", "quiz-node");
    box.appendChild(element("p", "quiz-progress", text("result", "Your result")));
    box.appendChild(heading(outcome.title));
    box.appendChild(trustedHtml("div", "quiz-body", outcome.body));
    if (depth > 0) {
      const path = section("quiz-path", "quiz-path-heading", text("path", "Your answers"));
      const steps = element("ol");
      trail.slice(0, depth).forEach((step) => {
        const item = element("li");
        item.appendChild(element("span", "quiz-path-question", step.question));
        item.appendChild(document.createTextNode(" "));
        item.appendChild(element("span", "quiz-path-answer", step.answer));
        steps.appendChild(item);
      });
      path.appendChild(steps);
      box.appendChild(path);
    }
    if (outcome.read && outcome.read.length) {
      const read = section("quiz-read", "quiz-read-heading", text("read", "Read next"));
      const links = element("ul");
      outcome.read.forEach((entry) => {
        const item = element("li");
        const link = element("a", null, entry.title);
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
    const restart = element("a", null, text("restart", "Start over"));
    restart.href = root.getAttribute("data-quiz-start") || nodes.get(flow.start).data.url;
    restart.setAttribute("data-quiz-next", flow.start);
    restart.setAttribute("data-quiz-restart", "");
    const again = element("p", "quiz-restart");
    again.appendChild(restart);
    box.appendChild(again);
    return box;
  }

  // The node's heading, focusable from script only.
  function heading(content) {
    const h1 = element("h1", null, content);
    h1.id = "quiz-heading";
    h1.tabIndex = -1;
    return h1;
  }

  // A section labelled by its own h2.
  function section(className, headingId, title) {
    const box = element("section", className);
    box.setAttribute("aria-labelledby", headingId);
    const h2 = element("h2", null, title);
    h2.id = headingId;
    box.appendChild(h2);
    return box;
  }

  /* HTML the site generator rendered from Markdown and sanitized at build time. */
  function trustedHtml(tag, className, html) {
    const box = element(tag, className);
    box.innerHTML = html;
    return box;
  }

  // A new element with an optional class and text.
  function element(tag, className, content) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (content !== undefined) {
      node.textContent = content;
    }
    return node;
  }

  // A wording the page sets in a data-text-* attribute, else the English one.
  function text(name, fallback) {
    return root.getAttribute("data-text-" + name) || fallback;
  }

  // Says `message` through the page's polite live region.
  function announce(message) {
    const status = root.querySelector(".quiz-status");
    if (!status) {
      return;
    }
    // Emptied first, so the same words are announced again when they come back.
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = message;
    }, 100);
  }
})();
