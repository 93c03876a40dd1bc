/* Meldcode-assistent: the intranet web widget. Plain JavaScript, no build step.
 *
 * Embed: <script src="https://assistent.intern/webhooks/webchat/widget.js" defer></script>
 * Optional attributes on that tag:
 *   data-open="true"        open the chat when the page loads
 *   data-container="ID"     show the chat inside the element with this id (no launcher)
 * The server is the origin of this script; messages go to its REST channel.
 * The server puts the texts (bot/content/webwidget.yml) in front of this file
 * as window.MeldcodeWidgetTeksten.
 *
 * Safety: every text from the user or the server is set with textContent,
 * never as HTML. Privacy: the browser keeps the conversation in sessionStorage,
 * so it survives a reload but is gone when the tab closes ("Nieuw gesprek"
 * clears it); the server keeps a redacted copy for RETENTION_DAYS days. The
 * conversation id (`sender`) comes from the server (POST ../rest/session).
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.MeldcodeWidget) {
    return;
  }
  var T = window.MeldcodeWidgetTeksten || {};
  var base = new URL(".", script.src);
  var REST_URL = new URL("../rest/webhook", base).href;
  // The server issues and signs the conversation id (bot/channels/sessions.py).
  var SESSION_URL = new URL("../rest/session", base).href;
  var HEALTH_URL = new URL("../rest/", base).href;
  var STORE_KEY = "meldcode-widget:" + base.origin;
  var MAX_ITEMS = 200;
  var REQUEST_TIMEOUT_MS = 30000; // the server answers within REPLY_TIMEOUT_SECONDS
  var HEALTH_INTERVAL_MS = 5000;
  // A tab left open on a shared PC: an hour after the last message, start afresh.
  var MAX_IDLE_MS = 60 * 60 * 1000;

  var state = loadState();
  var busy = false;
  var pending = null; // {message, shown, typed}: the message that did not get through
  var healthTimer = null;
  var ui = {};

  // ---- storage -----------------------------------------------------------

  function loadState() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "null");
      var fresh = saved && typeof saved.saved === "number" && Date.now() - saved.saved < MAX_IDLE_MS;
      var sender = saved && (saved.sender === null || typeof saved.sender === "string");
      if (fresh && sender && Array.isArray(saved.items)) {
        return saved;
      }
    } catch (error) {
      // Storage off or damaged: start a fresh conversation.
    }
    return { sender: null, items: [], open: null, saved: 0 };
  }

  function saveState() {
    state.items = state.items.slice(-MAX_ITEMS);
    state.saved = Date.now();
    try {
      window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (error) {
      // Without storage the chat works, only not across a reload.
    }
  }

  // ---- building elements (text only through textContent) -----------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function textOf(value) {
    return typeof value === "string" ? value : "";
  }

  function cleanButtons(buttons) {
    if (!Array.isArray(buttons)) {
      return [];
    }
    return buttons.filter(function (b) {
      return b && typeof b.title === "string" && typeof b.payload === "string";
    }).map(function (b) {
      return { title: b.title, payload: b.payload };
    });
  }

  // REST replies -> items to show and keep. An answer with steps comes as its
  // readable text followed by the payload; the checklist shows the payload's
  // own titel and afsluiting, and the text just before it is dropped, so that
  // the steps are not shown twice.
  function toItems(messages) {
    var items = [];
    messages.forEach(function (m) {
      if (!m || typeof m !== "object") {
        return;
      }
      var custom = m.custom;
      if (custom && custom.type === "vervolgstappen" && Array.isArray(custom.stappen)) {
        var steps = custom.stappen.map(function (s) {
          return { id: textOf(s && s.id), tekst: textOf(s && s.tekst), bron: textOf(s && s.bron) };
        });
        var card = { who: "bot", kind: "stappen", titel: textOf(custom.titel),
          afsluiting: textOf(custom.afsluiting), stappen: steps,
          regio: textOf(custom.regio_tekst),
          klaar: steps.map(function () { return false; }) };
        var before = items[items.length - 1];
        // Rasa sends an answer's text just before its payload; the title proves it is that text.
        if (before && before.kind === "text" && before.buttons.length === 0 && card.titel &&
            before.text.indexOf(card.titel) === 0) {
          items.pop();
        }
        items.push(card);
      } else if (custom && custom.type === "herinnering" && typeof custom.ics === "string" &&
          /^\d{4}-\d{2}-\d{2}$/.test(textOf(custom.datum)) &&
          custom.ics.indexOf("BEGIN:VCALENDAR") === 0) {
        // A reminder as a calendar file: the user keeps it in their own calendar.
        items.push({ who: "bot", kind: "agenda", datum: custom.datum, ics: custom.ics });
      } else if (custom && custom.type === "verslag" && typeof custom.tekst === "string") {
        var previous = items[items.length - 1];
        // The note's readable text comes just before its payload: show it once.
        if (previous && previous.kind === "text" && previous.text === custom.tekst) {
          items.pop();
        }
        items.push({ who: "bot", kind: "verslag", tekst: custom.tekst });
      } else if (typeof m.text === "string" || Array.isArray(m.buttons)) {
        var buttons = cleanButtons(m.buttons);
        var titles = buttons.map(function (b) { return b.title; });
        // Options written out for channels without buttons ("1. ...") are shown once, as buttons.
        var text = textOf(m.text).split("\n").filter(function (line) {
          return titles.indexOf(line) < 0;
        }).join("\n");
        items.push({ who: "bot", kind: "text", text: text, buttons: buttons });
      }
      // Other payloads (images, exercise data) carry their content in a text too.
    });
    return items;
  }

  function renderItem(item, index) {
    var box = el("div", "mcw-msg mcw-" + (item.who === "user" ? "user" : "bot"));
    var who = item.who === "user" ? T.afzender_u : T.afzender_assistent;
    box.appendChild(el("span", "mcw-sr", who + ": "));
    if (item.kind === "stappen") {
      box.classList.add("mcw-card");
      renderSteps(box, item, index);
      return box;
    }
    if (item.kind === "agenda") {
      // A data: URL, not a blob: it still works after a reload from sessionStorage.
      var link = el("a", "mcw-choice mcw-download", T.agenda_download);
      link.href = "data:text/calendar;charset=utf-8," + encodeURIComponent(item.ics);
      link.setAttribute("download", "herinnering-" + item.datum + ".ics");
      box.appendChild(link);
      return box;
    }
    if (item.kind === "verslag") {
      box.classList.add("mcw-card");
      renderNote(box, item, index);
      return box;
    }
    if (item.text) {
      box.appendChild(el("p", "mcw-text", item.text));
    }
    if (item.buttons && item.buttons.length) {
      var group = el("div", "mcw-choices");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", item.text ? item.text.split("\n")[0] : T.gesprek_label);
      item.buttons.forEach(function (b) {
        var button = el("button", "mcw-choice", b.title);
        button.type = "button";
        button.addEventListener("click", function () {
          send(b.payload, b.title, false);
        });
        group.appendChild(button);
      });
      box.appendChild(group);
    }
    return box;
  }

  function renderSteps(box, item, index) {
    var headingId = "mcw-stappen-" + index;
    var heading = el("h3", "mcw-card-title", item.titel || T.stappen_label);
    heading.id = headingId;
    box.appendChild(heading);
    box.appendChild(el("p", "mcw-hint", T.stappen_uitleg));
    var list = el("ol", "mcw-checklist");
    list.setAttribute("aria-labelledby", headingId);
    item.stappen.forEach(function (step, n) {
      var li = el("li", "mcw-step");
      li.setAttribute("data-stap", step.id);
      var id = "mcw-stap-" + index + "-" + n;
      var check = el("input", "mcw-check");
      check.type = "checkbox";
      check.id = id;
      check.checked = Boolean(item.klaar && item.klaar[n]);
      check.addEventListener("change", function () {
        item.klaar[n] = check.checked;
        saveState();
      });
      var label = el("label", "mcw-step-text", step.tekst);
      label.htmlFor = id;
      var source = el("p", "mcw-source");
      source.appendChild(el("span", "mcw-source-label", T.bron + ": "));
      source.appendChild(document.createTextNode(step.bron));
      var body = el("div", "mcw-step-body");
      body.appendChild(label);
      body.appendChild(source);
      li.appendChild(check);
      li.appendChild(body);
      list.appendChild(li);
    });
    box.appendChild(list);
    if (item.regio) {
      // The Veilig Thuis-regio of a move (CBS), with its own heading.
      var region = el("div", "mcw-regio");
      region.appendChild(el("h4", "mcw-regio-title", T.vt_regio_kop));
      region.appendChild(el("p", "mcw-text", item.regio));
      box.appendChild(region);
    }
    if (item.afsluiting) {
      box.appendChild(el("p", "mcw-text mcw-closing", item.afsluiting));
    }
  }

  // The note for the dossier: preformatted text and a copy button.
  function renderNote(box, item, index) {
    var headingId = "mcw-verslag-" + index;
    var heading = el("h3", "mcw-card-title", T.verslag_kop);
    heading.id = headingId;
    box.appendChild(heading);
    var note = el("pre", "mcw-verslag", item.tekst);
    note.setAttribute("aria-labelledby", headingId);
    note.tabIndex = 0;
    box.appendChild(note);
    var copy = el("button", "mcw-choice mcw-copy", T.kopieer);
    copy.type = "button";
    var done = el("p", "mcw-hint");
    done.setAttribute("role", "status");
    copy.addEventListener("click", function () {
      copyText(item.tekst, note).then(function () {
        done.textContent = T.gekopieerd;
      }, function () {
        done.textContent = T.kopieer_mislukt;
      });
    });
    box.appendChild(copy);
    box.appendChild(done);
  }

  function copyText(text, node) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Intranet pages over http: select the note so that Ctrl+C copies it.
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (e) {
      copied = false;
    }
    return copied ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  function addItem(item) {
    state.items.push(item);
    ui.log.appendChild(renderItem(item, state.items.length - 1));
  }

  function renderLog() {
    ui.log.textContent = "";
    var welcome = el("div", "mcw-msg mcw-bot");
    welcome.appendChild(el("span", "mcw-sr", T.afzender_assistent + ": "));
    welcome.appendChild(el("p", "mcw-text", T.welkom));
    ui.log.appendChild(welcome);
    state.items.forEach(function (item, index) {
      ui.log.appendChild(renderItem(item, index));
    });
    scrollDown();
  }

  function scrollDown() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  // ---- talking to the server ---------------------------------------------

  function request(url, options) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    options.signal = controller.signal;
    options.credentials = "omit";
    options.cache = "no-store";
    return fetch(url, options).finally(function () { clearTimeout(timer); });
  }

  function session() {
    if (state.sender) {
      return Promise.resolve(state.sender);
    }
    return request(SESSION_URL, { method: "POST" }).then(function (reply) {
      if (!reply.ok) {
        throw new Error("server " + reply.status);
      }
      return reply.json();
    }).then(function (body) {
      if (!body || typeof body.sender !== "string") {
        throw new Error("no session");
      }
      state.sender = body.sender;
      return state.sender;
    });
  }

  function post(message, retried) {
    return session().then(function (sender) {
      return request(REST_URL, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sender, message: message }),
      });
    }).then(function (reply) {
      if ((reply.status === 401 || reply.status === 403) && !retried) {
        // The session expired (or the server has a new secret): one new session.
        state.sender = null;
        return post(message, true);
      }
      if (reply.status === 429) {
        return reply.json().then(function (body) {
          if (Array.isArray(body)) {
            return body; // the Dutch "too many messages" answer
          }
          var limited = new Error("rate limited");
          limited.refused = true;
          throw limited;
        });
      }
      if (reply.status >= 400 && reply.status < 500) {
        var refused = new Error("refused");
        refused.refused = true;
        throw refused;
      }
      if (!reply.ok) {
        throw new Error("server " + reply.status); // proxy or server down
      }
      return reply.json();
    }).then(function (messages) {
      if (!Array.isArray(messages)) {
        throw new Error("no list");
      }
      return messages;
    });
  }

  // `message` goes to the server, `shown` is what the user sees (a button's title).
  function send(message, shown, typed) {
    if (busy || !message.trim()) {
      return;
    }
    busy = true;
    ui.log.setAttribute("aria-busy", "true");
    setStatus(T.bezig);
    addItem({ who: "user", kind: "text", text: shown, buttons: [] });
    scrollDown();
    if (typed) {
      ui.input.value = "";
    }
    post(message).then(function (messages) {
      pending = null;
      stopWatching();
      hideAlert();
      toItems(messages).forEach(addItem);
      setStatus("");
    }).catch(function (error) {
      // The message did not get through: take it out of the conversation.
      state.items.pop();
      ui.log.removeChild(ui.log.lastChild);
      pending = { message: message, shown: shown, typed: typed };
      if (typed && !ui.input.value) {
        ui.input.value = message;
      }
      setStatus("");
      if (error && error.refused) {
        showAlert(T.fout, false);
      } else {
        showAlert(T.offline, true);
        watchHealth();
      }
    }).finally(function () {
      busy = false;
      ui.log.removeAttribute("aria-busy");
      saveState();
      scrollDown();
    });
  }

  // While the server is away, ask every few seconds whether it is back.
  function watchHealth() {
    if (healthTimer) {
      return;
    }
    healthTimer = setInterval(function () {
      request(HEALTH_URL, { method: "GET" }).then(function (reply) {
        if (reply.ok && healthTimer) {
          stopWatching();
          showAlert(T.weer_online, Boolean(pending));
          ui.alert.classList.add("mcw-alert-ok");
        }
      }).catch(function () { /* still away */ });
    }, HEALTH_INTERVAL_MS);
  }

  function stopWatching() {
    if (healthTimer) {
      clearInterval(healthTimer);
      healthTimer = null;
    }
  }

  function retry() {
    if (!pending) {
      return;
    }
    var again = pending;
    if (again.typed) {
      ui.input.value = "";
    }
    send(again.message, again.shown, again.typed);
    ui.input.focus();
  }

  // ---- status and alerts --------------------------------------------------

  function setStatus(text) {
    ui.status.textContent = text;
  }

  function showAlert(text, canRetry) {
    ui.alert.classList.remove("mcw-alert-ok");
    ui.alertText.textContent = text;
    ui.retry.hidden = !canRetry;
    ui.alert.hidden = false;
  }

  function hideAlert() {
    ui.alert.hidden = true;
    ui.alertText.textContent = "";
  }

  // ---- the panel ----------------------------------------------------------

  function setOpen(open, focus) {
    state.open = open;
    ui.panel.hidden = !open;
    if (ui.launcher) {
      ui.launcher.hidden = open;
      ui.launcher.setAttribute("aria-expanded", String(open));
    }
    saveState();
    if (open) {
      scrollDown();
      if (focus) {
        ui.input.focus();
      }
    } else if (focus && ui.launcher) {
      ui.launcher.focus();
    }
  }

  function newConversation() {
    if (busy) {
      return; // the reply would land in the new conversation
    }
    state = { sender: null, items: [], open: true, saved: 0 };
    pending = null;
    hideAlert();
    saveState();
    renderLog();
    setStatus(T.nieuw_gesprek_gestart);
    ui.input.value = "";
    ui.input.focus();
  }

  function build() {
    var container = script.getAttribute("data-container");
    var host = container ? document.getElementById(container) : null;
    var root = el("div", "mcw" + (host ? " mcw-inline" : ""));
    root.lang = "nl"; // Dutch voice in screen readers, also on an English page

    if (!host) {
      ui.launcher = el("button", "mcw-launcher", T.open_knop);
      ui.launcher.type = "button";
      ui.launcher.setAttribute("aria-controls", "mcw-panel");
      ui.launcher.setAttribute("aria-expanded", "false");
      ui.launcher.addEventListener("click", function () { setOpen(true, true); });
      root.appendChild(ui.launcher);
    }

    var panel = el("section", "mcw-panel");
    panel.id = "mcw-panel";
    panel.setAttribute("aria-label", T.regio_label);
    ui.panel = panel;

    var header = el("div", "mcw-header");
    header.appendChild(el("h2", "mcw-title", T.titel));
    var tools = el("div", "mcw-tools");
    var fresh = el("button", "mcw-tool mcw-new", T.nieuw_gesprek);
    fresh.type = "button";
    fresh.addEventListener("click", newConversation);
    tools.appendChild(fresh);
    if (!host) {
      var close = el("button", "mcw-tool mcw-close", T.sluiten);
      close.type = "button";
      close.addEventListener("click", function () { setOpen(false, true); });
      tools.appendChild(close);
      panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") {
          setOpen(false, true);
        }
      });
    }
    header.appendChild(tools);
    panel.appendChild(header);
    panel.appendChild(el("p", "mcw-privacy", T.privacy));

    ui.log = el("div", "mcw-log");
    ui.log.setAttribute("role", "log");
    ui.log.setAttribute("aria-live", "polite");
    ui.log.setAttribute("aria-label", T.gesprek_label);
    ui.log.tabIndex = 0; // keyboard users can scroll the conversation
    panel.appendChild(ui.log);

    ui.status = el("p", "mcw-status");
    ui.status.setAttribute("role", "status");
    panel.appendChild(ui.status);

    ui.alert = el("div", "mcw-alert");
    ui.alert.setAttribute("role", "alert");
    ui.alert.hidden = true;
    ui.alertText = el("p", "mcw-alert-text");
    ui.alert.appendChild(ui.alertText);
    ui.retry = el("button", "mcw-choice mcw-retry", T.opnieuw_versturen);
    ui.retry.type = "button";
    ui.retry.addEventListener("click", retry);
    ui.alert.appendChild(ui.retry);
    panel.appendChild(ui.alert);

    var form = el("form", "mcw-form");
    form.noValidate = true;
    var label = el("label", "mcw-label", T.invoer_label);
    label.htmlFor = "mcw-input";
    ui.input = el("input", "mcw-input");
    ui.input.id = "mcw-input";
    ui.input.type = "text";
    ui.input.autocomplete = "off";
    ui.input.maxLength = 2000;
    ui.input.placeholder = T.invoer_hint;
    var submit = el("button", "mcw-send", T.verstuur);
    submit.type = "submit";
    form.appendChild(label);
    var row = el("div", "mcw-row");
    row.appendChild(ui.input);
    row.appendChild(submit);
    form.appendChild(row);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(ui.input.value, ui.input.value.trim(), true);
    });
    panel.appendChild(form);

    root.appendChild(panel);
    (host || document.body).appendChild(root);
    renderLog();
    var open = host ? true : (state.open === null ? script.getAttribute("data-open") === "true" : state.open);
    setOpen(open, false);
  }

  function addStyles() {
    var href = new URL("widget.css", base).href;
    var links = document.querySelectorAll("link[rel=stylesheet]");
    for (var i = 0; i < links.length; i += 1) {
      if (links[i].href === href) {
        return;
      }
    }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
  }

  window.MeldcodeWidget = { version: 1 };
  addStyles();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", build);
  } else {
    build();
  }
})();
