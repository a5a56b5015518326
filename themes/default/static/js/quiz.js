/* cairn quiz: runs a compiled quiz flow in place, and gets a reader out of it fast.
 *
 * Every question and outcome is also a static page whose answers are plain links, so the
 * quiz works without this script. With it:
 *
 * - An answer swaps the content in place. The address, the title and the browser's history
 *   never change: the one history entry is the page the quiz was opened on, so neither the
 *   history list nor the Back button shows which questions were seen or which outcome was
 *   reached. The answers live in this page's memory only; the in-page "Back" link steps
 *   back through them, and the outcome lists them (and prints them, on one page).
 * - "Exit this page" (on nodes the flow marks sensitive) replaces the page in the history
 *   with a neutral one, so Back does not return here; pressing Escape three times does the
 *   same. This part works even when the flow data cannot be loaded.
 *
 * No framework, no inline script, no inline style: it runs under a strict
 * Content-Security-Policy. If anything is missing (old browser, the flow data fails to
 * load), the static page is left as it is.
 */
(() => {
  "use strict";

  const root = document.querySelector("article[data-quiz]");
  if (!root) {
    return;
  }

  const nodes = new Map(); // id → { kind: "question" | "outcome", data }
  let trail = []; // answers given, in order: { id, question, answer }
  let current = root.getAttribute("data-quiz-node");
  let flow = null;

  /* ---- Exit this page ---------------------------------------------------------------- */

  const EXIT_PRESSES = 3; // Escape presses that leave the page
  const EXIT_WINDOW_MS = 5000; // …within this long of each other
  let presses = 0;
  let pressTimer = 0;

  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[data-quiz-exit]");
    if (link && root.contains(link) && !event.defaultPrevented) {
      event.preventDefault();
      leave(link.href);
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" && event.key !== "Esc") {
      return;
    }
    const link = root.querySelector("a[data-quiz-exit]");
    if (!link) {
      presses = 0;
      return;
    }
    presses += 1;
    window.clearTimeout(pressTimer);
    if (presses >= EXIT_PRESSES) {
      presses = 0;
      leave(link.href);
      return;
    }
    announce(text(presses === 1 ? "exit-twice" : "exit-once", "Press Escape again to exit this page."));
    pressTimer = window.setTimeout(() => {
      presses = 0;
    }, EXIT_WINDOW_MS);
  });

  // Hides the page at once, forgets the answers and replaces this history entry.
  function leave(url) {
    document.documentElement.classList.add("quiz-leaving");
    trail = [];
    const node = root.querySelector(".quiz-node");
    if (node) {
      node.textContent = "";
    }
    window.location.replace(url);
  }

  /* ---- The flow, in place ------------------------------------------------------------ */

  if (!window.fetch || !window.Map) {
    decorate(root.querySelector(".quiz-node"), false);
    return;
  }

  decorate(root.querySelector(".quiz-node"), false);
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
    });
    (data.outcomes || []).forEach((outcome) => {
      nodes.set(outcome.id, { kind: "outcome", data: outcome });
    });
    if (!nodes.has(current) || !nodes.has(data.start)) {
      return;
    }
    flow = data;
    root.addEventListener("click", onClick);
    decorate(root.querySelector(".quiz-node"), true);
    root.setAttribute("data-quiz-ready", "");
  }

  // An answer, Back, or Start over shows its node in place.
  function onClick(event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) {
      return; // let the browser open new tabs and windows as usual
    }
    const link = event.target.closest && event.target.closest("a[data-quiz-next]");
    if (!link || !root.contains(link)) {
      return;
    }
    let next = link.getAttribute("data-quiz-next");
    const here = nodes.get(current);
    if (link.hasAttribute("data-quiz-restart")) {
      trail = [];
    } else if (link.hasAttribute("data-quiz-back")) {
      // The previous answer when there is one; else where the static page's link leads.
      const previous = trail.pop();
      if (previous) {
        next = previous.id;
      }
    } else if (here && here.kind === "question") {
      trail.push({ id: current, question: here.data.question, answer: link.textContent.trim() });
    }
    if (!nodes.has(next)) {
      return;
    }
    event.preventDefault();
    show(next);
  }

  // Replaces the node shown, focuses its heading and announces it.
  function show(id) {
    current = id;
    const node = nodes.get(id);
    const view = node.kind === "question" ? questionView(node.data) : outcomeView(node.data);
    decorate(view, true);
    const old = root.querySelector(".quiz-node");
    if (old) {
      root.replaceChild(view, old);
    } else {
      root.appendChild(view);
    }
    root.setAttribute("data-quiz-node", id);
    const heading = view.querySelector("#quiz-heading");
    heading.focus();
    const lead = view.querySelector(".quiz-lead") || view.querySelector("#quiz-step") ||
      view.querySelector(".quiz-progress");
    announce((lead ? lead.textContent + ": " : "") + heading.textContent);
  }

  // How many questions were answered before `question`: those of the trail, counted from
  // the static step of the node it began on (a reader may have arrived on a later page).
  function answeredBefore(question) {
    if (!trail.length) {
      return question.step - 1;
    }
    const first = nodes.get(trail[0].id);
    return (first ? first.data.step - 1 : 0) + trail.length;
  }

  // A question: on the first one, the quiz's title and intro; on the others, Back and
  // progress. Then the question, its help and the answer links.
  function questionView(question) {
    const box = element("div", "quiz-node");
    exitControl(box, question.sensitive);
    const first = question.id === flow.start;
    if (first) {
      const title = element("h1", null, flow.title);
      title.id = "quiz-title";
      box.appendChild(title);
      if (flow.intro) {
        box.appendChild(trustedHtml("div", "quiz-intro", flow.intro));
      } else if (flow.description) {
        box.appendChild(element("p", "quiz-intro", flow.description));
      }
      box.appendChild(element("p", "quiz-history", ""));
    } else {
      header(box, question.back);
      const answered = answeredBefore(question);
      const progress = element("div", "quiz-progress");
      const step = element("p", null, text("progress", "Question {step}").replace("{step}", String(answered + 1)));
      step.id = "quiz-step";
      progress.appendChild(step);
      const bar = element("progress");
      bar.setAttribute("aria-labelledby", "quiz-step");
      bar.max = answered + (question.max_steps - question.step + 1);
      bar.value = answered;
      progress.appendChild(bar);
      box.appendChild(progress);
    }
    if (question.lead) {
      box.appendChild(element("p", "quiz-lead", question.lead));
    }
    box.appendChild(heading(first ? "h2" : "h1", question.question, "quiz-question"));
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

  // An outcome: its text, help links when sensitive, the answers given, what to read next,
  // and a link to start over.
  function outcomeView(outcome) {
    const box = element("div", "quiz-node");
    exitControl(box, outcome.sensitive);
    header(box, outcome.back);
    box.appendChild(element("p", "quiz-progress", text("result", "Your result")));
    box.appendChild(heading("h1", outcome.title));
    box.appendChild(trustedHtml("div", "quiz-body", outcome.body));
    if (outcome.sensitive && flow.help && flow.help.length) {
      const support = section("quiz-support", "quiz-support-heading", text("support", "Help and support"));
      const links = element("ul");
      flow.help.forEach((entry) => {
        const item = element("li");
        const link = element("a", null, entry.label);
        link.href = entry.url;
        link.rel = "noreferrer";
        item.appendChild(link);
        links.appendChild(item);
      });
      support.appendChild(links);
      box.appendChild(support);
    }
    if (trail.length) {
      const path = section("quiz-path", "quiz-path-heading", text("path", "Your answers"));
      const steps = element("ol");
      trail.forEach((step) => {
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
    const again = element("p", "quiz-restart");
    again.appendChild(restartLink(text("restart", "Start over")));
    box.appendChild(again);
    return box;
  }

  // "Exit this page", as the static page has it, when the node is sensitive.
  function exitControl(box, sensitive) {
    if (!sensitive) {
      return;
    }
    const bar = element("div", "quiz-exit");
    const link = element("a", "quiz-exit-link", text("exit", "Exit this page"));
    link.href = flow.exit;
    link.rel = "noreferrer";
    link.setAttribute("data-quiz-exit", "");
    bar.appendChild(link);
    box.appendChild(bar);
  }

  // The quiz's name (a way back to its start) and the Back link.
  function header(box, back) {
    const name = element("p", "quiz-name");
    name.appendChild(restartLink(flow.title));
    box.appendChild(name);
    const target = nodes.get(back) || nodes.get(flow.start);
    const link = element("a", null, text("back", "Back"));
    link.href = target.data.url;
    link.setAttribute("data-quiz-next", target.data.id);
    link.setAttribute("data-quiz-back", "");
    const line = element("p", "quiz-back");
    line.appendChild(link);
    box.appendChild(line);
  }

  function restartLink(words) {
    const link = element("a", null, words);
    link.href = root.getAttribute("data-quiz-start") || nodes.get(flow.start).data.url;
    link.setAttribute("data-quiz-next", flow.start);
    link.setAttribute("data-quiz-restart", "");
    return link;
  }

  /* ---- Shared ------------------------------------------------------------------------ */

  // What only a page with this script can offer: the Escape hint beside "Exit this page";
  // once the flow runs in place, the truthful history note and "Print your answers".
  function decorate(box, running) {
    if (!box) {
      return;
    }
    const exit = box.querySelector(".quiz-exit");
    if (exit && !exit.querySelector(".quiz-exit-hint")) {
      exit.appendChild(element("span", "quiz-exit-hint", text("exit-hint", "or press Esc 3 times")));
    }
    if (!running) {
      return;
    }
    const history = box.querySelector(".quiz-history");
    if (history) {
      history.textContent = text("history", "Your answers stay on this page and are not saved.");
    }
    const path = box.querySelector(".quiz-path");
    if (path && !path.querySelector(".quiz-print")) {
      const button = element("button", "button quiz-print", text("print", "Print your answers"));
      button.type = "button";
      button.addEventListener("click", () => window.print());
      path.appendChild(button);
    }
  }

  // A heading the script can focus: the node's `#quiz-heading`.
  function heading(tag, content, className) {
    const node = element(tag, className || null, content);
    node.id = "quiz-heading";
    node.tabIndex = -1;
    return node;
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
