/* Steady's web chat client: plain JavaScript, no build step, no framework.
 *
 * Talks to the Rasa server's socket.io channel (bot/channels/webchat.py) with
 * socket.io-client 4, which the server serves from web/node_modules.
 *
 * - The server decides the session id: the client asks for the one it holds (localStorage,
 *   so a reload or a new tab keeps the conversation and the drafts), and uses whatever the
 *   server confirms.
 * - The transcript is kept in sessionStorage only (this tab, until it is closed), and
 *   "Clear this chat" or "delete all my data" wipe it, the session id and the screen.
 * - Everything the bot or the person wrote is put on screen as text (textContent), never
 *   as HTML.
 *
 * Mount: <div data-steady-chat data-server="https://…" data-help-url="https://…"></div>
 * (data-server defaults to this page's origin), or SteadyChat.mount(element, options).
 */
(function () {
  "use strict";

  var KEY_SESSION = "steady.session";        // localStorage: the id the server issued
  var KEY_TRANSCRIPT = "steady.transcript";  // sessionStorage: this tab's copy of the chat
  var KEY_OPEN = "steady.open";              // sessionStorage: the panel was open
  var LEGACY_KEYS = ["chat_session"];        // rasa-webchat kept the whole transcript here
  var MAX_KEPT = 300;                        // messages kept in the tab's transcript
  var TYPING_LIMIT_MS = 15000;
  var SESSION_ID = /^[0-9a-f]{32}$/;
  var DELETED_SIGNAL = "data_deleted";

  var STATUS_LABELS = { draft: "not sent yet", sent: "sent", archived: "archived" };
  var uid = 0;

  // ------------------------------------------------------------------ small DOM helpers

  function el(tag, attrs) {
    var node = document.createElement(tag);
    var name;
    for (name in attrs || {}) {
      if (!Object.prototype.hasOwnProperty.call(attrs, name)) continue;
      var value = attrs[name];
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function hidden(text) {  // for screen readers only
    return el("span", { className: "sc-vh", text: text });
  }

  function icon(path) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    svg.appendChild(p);
    return svg;
  }

  function store(kind) {  // storage may be missing or refused (private modes, embeds)
    try {
      var s = window[kind];
      s.getItem("x");
      return s;
    } catch (e) {
      return null;
    }
  }

  function readJSON(storage, key, fallback) {
    try {
      var raw = storage && storage.getItem(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) {
      return fallback;
    }
  }

  function writeJSON(storage, key, value) {
    try {
      if (storage) storage.setItem(key, JSON.stringify(value));
    } catch (e) { /* full or refused: the screen still has it */ }
  }

  function clock(ms) {
    var d = new Date(ms);
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  // ------------------------------------------------------------------ the client

  function mount(root, options) {
    options = options || {};
    var server = options.server || root.getAttribute("data-server") || window.location.origin;
    var helpUrl = options.helpUrl || root.getAttribute("data-help-url") || "https://findahelpline.com";
    if (!/^https?:\/\//.test(helpUrl)) helpUrl = "https://findahelpline.com";
    var local = store("localStorage");
    var tab = store("sessionStorage");
    var n = ++uid;
    var ids = {
      panel: "sc-panel-" + n, title: "sc-title-" + n, input: "sc-input-" + n,
      chatTab: "sc-tab-chat-" + n, draftsTab: "sc-tab-drafts-" + n,
      chat: "sc-chat-" + n, drafts: "sc-drafts-" + n, status: "sc-status-filter-" + n,
      trigger: "sc-trigger-filter-" + n, clearTitle: "sc-clear-title-" + n,
      clearText: "sc-clear-text-" + n,
    };

    // The person's old rasa-webchat transcript: keep its session (their drafts), drop the rest.
    LEGACY_KEYS.forEach(function (key) {
      var old = readJSON(local, key, null);
      if (old && typeof old.session_id === "string" && SESSION_ID.test(old.session_id) &&
          local && !local.getItem(KEY_SESSION)) {
        local.setItem(KEY_SESSION, old.session_id);
      }
      try { if (local) local.removeItem(key); } catch (e) { /* nothing to remove */ }
      try { if (tab) tab.removeItem(key); } catch (e) { /* nothing to remove */ }
    });

    var state = {
      socket: null, ready: false, session: null, fresh: false, pending: [], unread: 0, greeted: false,
      transcript: readJSON(tab, KEY_TRANSCRIPT, []), typingTimer: null, drafts: [],
    };
    if (!Array.isArray(state.transcript)) state.transcript = [];

    // ---------------------------------------------------------------- markup

    var badge = el("span", { className: "sc-badge", "aria-hidden": "true", hidden: true });
    var unreadText = hidden("");
    var launcher = el("button", {
      type: "button", className: "sc-launcher", "aria-expanded": "false",
      "aria-controls": ids.panel,
    }, icon("M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"),
      el("span", { className: "sc-launcher-text", text: "Chat with Steady" }), unreadText, badge);

    var closeButton = el("button", {
      type: "button", className: "sc-icon-button sc-close", "aria-label": "Close chat",
      title: "Close chat (Esc)",
    }, icon("M6 6l12 12M18 6L6 18"));
    var helpLink = el("a", {
      className: "sc-help", href: helpUrl, target: "_blank", rel: "noopener noreferrer",
    }, "Get help now", hidden(" (crisis lines, opens in a new tab)"));
    var clearButton = el("button", { type: "button", className: "sc-clear", text: "Clear this chat" });

    var chatTabNew = hidden("");
    var chatTab = el("button", {
      type: "button", role: "tab", id: ids.chatTab, "aria-selected": "true",
      "aria-controls": ids.chat, className: "sc-tab",
    }, "Chat", chatTabNew);
    var draftsTab = el("button", {
      type: "button", role: "tab", id: ids.draftsTab, "aria-selected": "false",
      "aria-controls": ids.drafts, className: "sc-tab", tabindex: "-1", text: "My drafts",
    });

    var log = el("div", {
      className: "sc-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-label": "Conversation with Steady", tabindex: "0",
    });
    var typing = el("div", { className: "sc-typing", "aria-hidden": "true", hidden: true },
      el("span", { className: "sc-dots" }, el("span"), el("span"), el("span")),
      " Steady is typing…");
    var input = el("textarea", {
      id: ids.input, className: "sc-input", rows: "1", autocomplete: "off",
      placeholder: "Tell me what happened…", "aria-describedby": ids.input + "-hint",
    });
    var sendButton = el("button", { type: "submit", className: "sc-send" },
      icon("M3 20l18-8L3 4v6l12 2-12 2z"), el("span", { className: "sc-vh", text: "Send" }));
    var form = el("form", { className: "sc-form" },
      el("label", { className: "sc-vh", "for": ids.input, text: "Message to Steady" }),
      el("span", { className: "sc-vh", id: ids.input + "-hint",
                   text: "Enter sends, Shift+Enter starts a new line." }),
      input, sendButton);
    var connection = el("p", { className: "sc-connection", role: "status" });

    var clearBox = el("div", {
      className: "sc-confirm", role: "group", "aria-labelledby": ids.clearTitle,
      "aria-describedby": ids.clearText, hidden: true, tabindex: "-1",
    },
      el("h3", { id: ids.clearTitle, text: "Clear this chat?" }),
      el("p", { id: ids.clearText, text:
        "This removes the conversation from this screen and from this device, and starts a " +
        "new chat. Drafts you saved stay saved, but this browser won't open them any more " +
        "(export them first if you want a copy). To delete everything, drafts included, " +
        "choose \"Delete all my data\"." }),
      el("div", { className: "sc-row" },
        el("button", { type: "button", className: "sc-primary", text: "Clear this chat",
                       "data-act": "clear" }),
        el("button", { type: "button", text: "Delete all my data", "data-act": "delete-all" }),
        el("button", { type: "button", text: "Cancel", "data-act": "cancel" })));

    var chatPanel = el("div", {
      id: ids.chat, role: "tabpanel", "aria-labelledby": ids.chatTab,
      className: "sc-tabpanel sc-chatpanel",
    }, clearBox, log, typing, connection, form);

    // Drafts view
    var statusFilter = el("select", { id: ids.status },
      el("option", { value: "", text: "All" }),
      el("option", { value: "draft", text: "Not sent yet" }),
      el("option", { value: "sent", text: "Sent" }),
      el("option", { value: "archived", text: "Archived" }));
    var triggerFilter = el("select", { id: ids.trigger },
      el("option", { value: "", text: "Anything" }));
    var exportButton = el("button", { type: "button", className: "sc-export",
                                      text: "Export as Markdown" });
    var patterns = el("p", { className: "sc-patterns" });
    var draftsStatus = el("p", { className: "sc-drafts-status", role: "status" });
    var draftList = el("ul", { className: "sc-draft-list", "aria-label": "Saved drafts" });
    var draftsPanel = el("div", {
      id: ids.drafts, role: "tabpanel", "aria-labelledby": ids.draftsTab,
      className: "sc-tabpanel sc-draftspanel", hidden: true, tabindex: "0",
    },
      el("div", { className: "sc-filters" },
        el("div", { className: "sc-field" },
          el("label", { "for": ids.status, text: "Status" }), statusFilter),
        el("div", { className: "sc-field" },
          el("label", { "for": ids.trigger, text: "About" }), triggerFilter),
        exportButton),
      el("section", { className: "sc-pattern-box", "aria-label": "Your pattern" },
        el("h3", { text: "What sets you off most" }), patterns),
      draftsStatus, draftList);

    var panel = el("section", {
      id: ids.panel, className: "sc-panel", role: "dialog", "aria-modal": "false",
      "aria-labelledby": ids.title, hidden: true,
    },
      el("header", { className: "sc-header" },
        el("h2", { id: ids.title, text: "Steady" }),
        helpLink, closeButton),
      el("div", { className: "sc-toolbar" },
        el("div", { role: "tablist", "aria-label": "Chat or drafts", className: "sc-tabs" },
          chatTab, draftsTab),
        clearButton),
      chatPanel, draftsPanel);

    root.classList.add("sc");
    root.appendChild(launcher);
    root.appendChild(panel);

    // ---------------------------------------------------------------- the log

    function scrollDown() {
      log.scrollTo({ top: log.scrollHeight, behavior: reducedMotion() ? "auto" : "smooth" });
    }

    function removeReplies() {
      var groups = log.querySelectorAll(".sc-replies");
      for (var i = 0; i < groups.length; i++) groups[i].remove();
      state.transcript.forEach(function (m) { delete m.replies; });
    }

    function bubble(message) {
      var mine = message.who === "me", note = message.who === "note";
      var node = el("div", { className: "sc-msg " + (mine ? "sc-me" : note ? "sc-note" : "sc-bot") },
        hidden(mine ? "You said: " : note ? "" : "Steady said: "),
        el("p", { className: "sc-text", text: message.text }),
        el("time", { className: "sc-time", datetime: new Date(message.at).toISOString(),
                     text: clock(message.at) }));
      log.appendChild(node);
      if (message.replies && message.replies.length) {
        var group = el("div", {
          className: "sc-replies", role: "group", "aria-label": "Answers you can pick",
        });
        message.replies.forEach(function (reply) {
          group.appendChild(el("button", {
            type: "button", className: "sc-reply", text: reply.title,
            onclick: function () { send(reply.payload, reply.title); },
          }));
        });
        log.appendChild(group);
      }
      return node;
    }

    function remember(message) {
      if (message.who === "note") return;
      state.transcript.push(message);
      var extra = state.transcript.length - MAX_KEPT;
      if (extra > 0) state.transcript.splice(0, extra);
      writeJSON(tab, KEY_TRANSCRIPT, state.transcript);
    }

    function show(message) {
      bubble(message);
      remember(message);
      scrollDown();
    }

    function setTyping(on) {
      clearTimeout(state.typingTimer);
      typing.hidden = !on;
      if (on) state.typingTimer = setTimeout(function () { typing.hidden = true; }, TYPING_LIMIT_MS);
    }

    function setUnread(count) {
      state.unread = count;
      chatTab.classList.toggle("sc-has-new", count > 0);
      chatTabNew.textContent = count ? ", new messages" : "";
      badge.hidden = count === 0;
      badge.textContent = count > 9 ? "9+" : String(count || "");
      unreadText.textContent =
        count ? ", " + count + " new message" + (count === 1 ? "" : "s") : "";
    }

    // ---------------------------------------------------------------- the socket

    function connect() {
      if (state.socket) return;
      if (typeof window.io !== "function") {
        connection.textContent = "The chat could not load. Reload the page to try again.";
        return;
      }
      var socket = window.io(server, { path: "/socket.io/" });
      state.socket = socket;
      socket.on("connect", function () {
        state.ready = false;
        var held = local && local.getItem(KEY_SESSION);
        socket.emit("session_request", { session_id: held && SESSION_ID.test(held) ? held : null });
      });
      socket.on("session_confirm", function (id) {
        var sessionId = typeof id === "string" ? id : id && id.session_id;
        if (!sessionId) return;
        var held = local && local.getItem(KEY_SESSION);
        if (held && held !== sessionId) forget(false);  // the server started a new conversation
        try { if (local) local.setItem(KEY_SESSION, sessionId); } catch (e) { /* kept in memory */ }
        state.fresh = held !== sessionId;
        state.session = sessionId;
        state.ready = true;
        connection.textContent = "";
        var queued = state.pending.splice(0);
        queued.forEach(function (text) { socket.emit("user_uttered", { message: text }); });
        greet();
      });
      socket.on("bot_uttered", received);
      socket.on("disconnect", function () {
        state.ready = false;
        connection.textContent = "Connection lost. Reconnecting…";
      });
      socket.on("connect_error", function () {
        connection.textContent = "Can't reach Steady right now. Trying again…";
      });
    }

    // A new conversation is greeted by the bot. One that goes on in a tab with no copy of
    // it (a new tab, or this one was closed) gets a word from the client instead: asking
    // the bot to greet again could interrupt whatever step the person is at.
    function greet() {
      if (state.greeted || state.transcript.length || panel.hidden || !state.ready) return;
      state.greeted = true;
      if (state.fresh) {
        emit("/greet");
      } else {
        bubble({ who: "note", at: Date.now(), text:
          "Welcome back. Our conversation goes on where you left it; its earlier messages " +
          "are not kept on this device once their tab is closed. Your saved drafts are " +
          "under \"My drafts\"." });
      }
    }

    function emit(text) {
      if (state.ready) state.socket.emit("user_uttered", { message: text });
      else state.pending.push(text);
    }

    // A check-in the server shows at a visit carries its number and asks for an
    // acknowledgement (only then is it counted as delivered); one this tab has shown
    // already (the acknowledgement was lost) is acknowledged again, not shown twice.
    function received(data, ack) {
      if (typeof ack === "function") ack(true);
      if (!data || typeof data !== "object") return;
      if (data.checkin !== undefined && state.transcript.some(function (m) {
        return m.checkin === data.checkin;
      })) return;
      if (data.signal === DELETED_SIGNAL) {
        wipe("Everything is deleted: your drafts, our conversation, and this chat's copy on this " +
             "device. This is a new, empty chat.");
        return;
      }
      if (typeof data.text !== "string" || !data.text) return;
      setTyping(false);
      var replies = Array.isArray(data.quick_replies) ? data.quick_replies.filter(function (r) {
        return r && typeof r.title === "string" && typeof r.payload === "string";
      }).map(function (r) { return { title: r.title, payload: r.payload }; }) : [];
      if (replies.length) removeReplies();
      var message = { who: "bot", text: data.text, at: Date.now(), replies: replies };
      if (typeof data.checkin === "number") message.checkin = data.checkin;
      show(message);
      if (panel.hidden || chatPanel.hidden) setUnread(state.unread + 1);
    }

    function send(text, shown) {
      text = (text || "").trim();
      if (!text) return;
      removeReplies();
      show({ who: "me", text: shown || text, at: Date.now() });
      setTyping(true);
      emit(text);
      input.focus();
    }

    // Clear the screen, this tab's and this device's copies, and start a new session.
    function forget(startAgain) {
      state.transcript = [];
      state.greeted = false;
      state.drafts = [];
      try { if (local) local.removeItem(KEY_SESSION); } catch (e) { /* gone already */ }
      try { if (tab) { tab.removeItem(KEY_TRANSCRIPT); } } catch (e) { /* gone already */ }
      LEGACY_KEYS.forEach(function (key) {
        try { if (local) local.removeItem(key); } catch (e) { /* gone already */ }
      });
      while (log.firstChild) log.removeChild(log.firstChild);
      while (draftList.firstChild) draftList.removeChild(draftList.firstChild);
      patterns.textContent = "";
      draftsStatus.textContent = "";
      setTyping(false);
      setUnread(0);
      if (startAgain && state.socket) {
        state.ready = false;
        state.session = null;
        state.pending = [];
        // A new socket, and no id to ask for: the server issues a new session.
        state.socket.disconnect();
        state.socket.connect();
      }
    }

    function wipe(note) {
      forget(true);
      hideClear(false);
      showTab("chat", false);
      if (note) bubble({ who: "note", text: note, at: Date.now() });
    }

    // ---------------------------------------------------------------- panel, tabs, clear

    function open() {
      panel.hidden = false;
      launcher.setAttribute("aria-expanded", "true");
      root.classList.add("sc-open");
      try { if (tab) tab.setItem(KEY_OPEN, "1"); } catch (e) { /* fine */ }
      if (!chatPanel.hidden) setUnread(0);
      connect();
      greet();
      scrollDown();
      if (!chatPanel.hidden) input.focus(); else draftsTab.focus();
    }

    function close() {
      panel.hidden = true;
      launcher.setAttribute("aria-expanded", "false");
      root.classList.remove("sc-open");
      try { if (tab) tab.removeItem(KEY_OPEN); } catch (e) { /* fine */ }
      launcher.focus();
    }

    function showTab(which, focus) {
      var chat = which === "chat";
      chatTab.setAttribute("aria-selected", String(chat));
      draftsTab.setAttribute("aria-selected", String(!chat));
      chatTab.tabIndex = chat ? 0 : -1;
      draftsTab.tabIndex = chat ? -1 : 0;
      chatPanel.hidden = !chat;
      draftsPanel.hidden = chat;
      if (chat) {
        setUnread(0);
        scrollDown();
      } else {
        loadDrafts();
      }
      if (focus) (chat ? chatTab : draftsTab).focus();
    }

    function showClear() {
      clearBox.hidden = false;
      clearBox.querySelector("button").focus();
    }

    function hideClear(focus) {
      clearBox.hidden = true;
      if (focus) clearButton.focus();
    }

    launcher.addEventListener("click", function () { if (panel.hidden) open(); else close(); });
    closeButton.addEventListener("click", close);
    panel.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      event.preventDefault();
      if (!clearBox.hidden) hideClear(true);
      else if (draftList.querySelector(".sc-asking")) cancelAsk();
      else close();
    });
    chatTab.addEventListener("click", function () { showTab("chat", true); });
    draftsTab.addEventListener("click", function () { showTab("drafts", true); });
    [chatTab, draftsTab].forEach(function (t) {
      t.addEventListener("keydown", function (event) {
        if (["ArrowLeft", "ArrowRight", "Home", "End"].indexOf(event.key) < 0) return;
        event.preventDefault();
        var toChat = event.key === "Home" || (event.key !== "End" && t === draftsTab);
        showTab(toChat ? "chat" : "drafts", true);
      });
    });
    clearButton.addEventListener("click", function () {
      showTab("chat", false);
      showClear();
    });
    clearBox.addEventListener("click", function (event) {
      var act = event.target.closest && event.target.closest("button") &&
        event.target.closest("button").getAttribute("data-act");
      if (act === "cancel") hideClear(true);
      if (act === "clear") {
        wipe("This chat is cleared from this screen and this device. This is a new chat.");
        input.focus();
      }
      if (act === "delete-all") {
        hideClear(false);
        send("delete all my data");
      }
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value;
      if (!text.trim()) return;
      input.value = "";
      send(text);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
      }
    });

    // ---------------------------------------------------------------- drafts view

    var TROUBLE = {
      storage: "I can't reach your saved drafts right now. They're safe; try again in a moment.",
      failed: "Something went wrong on my side. Your drafts are safe; try again in a moment.",
      slow_down: "That was a lot at once: wait a few seconds, then try again.",
      no_session: "Still connecting. Try again in a moment.",
      timeout: "I can't reach your saved drafts right now. Try again in a moment.",
    };

    // One request of the drafts view over the chat's socket; the answer is for the session
    // this socket holds (the server never takes a session id from the request).
    function ask(op, data, done) {
      connect();
      var message = Object.assign({ op: op }, data || {});
      var attempt = function () {
        state.socket.timeout(15000).emit("drafts", message, function (error, reply) {
          var trouble = error || !reply ? "timeout" : reply.error;
          if (TROUBLE[trouble]) {
            draftsStatus.textContent = TROUBLE[trouble];
            return;
          }
          done(reply);
        });
      };
      if (state.ready) attempt();
      else state.socket.once("session_confirm", function () { setTimeout(attempt, 0); });
    }

    function loadDrafts(announce) {
      var filters = { status: statusFilter.value || null, trigger: triggerFilter.value || null };
      ask("list", filters, function (reply) {
        if (Array.isArray(reply.triggers) && triggerFilter.options.length === 1) {
          reply.triggers.forEach(function (t) {
            triggerFilter.appendChild(el("option", { value: t.value, text: t.label }));
          });
        }
        patterns.textContent = reply.patterns || "";
        renderDrafts(reply.drafts || []);
        if (announce) draftsStatus.textContent = announce;
        else draftsStatus.textContent = reply.drafts && reply.drafts.length
          ? (reply.drafts.length === 1 ? "1 draft shown." : reply.drafts.length + " drafts shown.")
          : (statusFilter.value || triggerFilter.value
            ? "No saved drafts match these filters."
            : "No saved drafts yet. When you save one in the chat, it appears here.");
      });
    }

    function renderDrafts(drafts) {
      state.drafts = drafts;
      while (draftList.firstChild) draftList.removeChild(draftList.firstChild);
      drafts.forEach(function (d) {
        var headingId = "sc-draft-" + n + "-" + d.number;
        var label = " draft #" + d.number;
        var meta = [d.date, d.trigger_label, STATUS_LABELS[d.status] || d.status]
          .concat(d.feeling ? ["feeling " + d.feeling] : []).join(" · ");
        var action = function (act, name, className) {
          return el("button", { type: "button", "data-act": act, className: className },
            name, hidden(label));
        };
        var actions = el("div", { className: "sc-row sc-draft-actions" },
          action("copy", "Copy"),
          action("edit", "Edit"),
          d.status !== "sent" ? action("sent", "Mark as sent") : null,
          d.status !== "archived" ? action("archive", "Archive") : null,
          action("delete", "Delete", "sc-danger"));
        draftList.appendChild(el("li", { className: "sc-draft", "data-number": d.number },
          el("article", { "aria-labelledby": headingId },
            el("h3", { id: headingId, text: "Draft #" + d.number }),
            el("p", { className: "sc-meta", text: meta }),
            el("p", { className: "sc-draft-text", text: d.text }),
            actions)));
      });
    }

    function draftOf(node) {
      var item = node.closest(".sc-draft");
      var number = item && Number(item.getAttribute("data-number"));
      return state.drafts.filter(function (d) { return d.number === number; })[0];
    }

    function copyText(text, done) {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text, done); });
      } else {
        fallbackCopy(text, done);
      }
    }

    function fallbackCopy(text, done) {
      var area = el("textarea", { className: "sc-offscreen", "aria-hidden": "true", tabindex: "-1" });
      area.value = text;
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy"); done(); } catch (e) {
        draftsStatus.textContent = "Copying didn't work here: select the text and copy it yourself.";
      }
      area.remove();
    }

    function cancelAsk() {
      var asking = draftList.querySelector(".sc-asking");
      if (!asking) return;
      var item = asking.closest(".sc-draft");
      asking.remove();
      item.querySelector(".sc-draft-actions").hidden = false;
      item.querySelector("[data-act=delete]").focus();
    }

    draftList.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button");
      if (!button) return;
      var draft = draftOf(button);
      if (!draft) return;
      var act = button.getAttribute("data-act");
      if (act === "copy") {
        copyText(draft.text, function () {
          draftsStatus.textContent = "Copied draft #" + draft.number + ".";
        });
      } else if (act === "edit") {
        showTab("chat", false);
        send("edit draft " + draft.number);
      } else if (act === "sent" || act === "archive") {
        var status = act === "sent" ? "sent" : "archived";
        ask("set_status", { number: draft.number, status: status }, function (reply) {
          loadDrafts(reply.ok ? (act === "sent" ? "Marked draft #" + draft.number + " as sent."
                                                : "Archived draft #" + draft.number + ".")
                              : "Draft #" + draft.number + " is no longer there.");
          draftsTab.focus();
        });
      } else if (act === "delete") {
        var item = button.closest(".sc-draft");
        item.querySelector(".sc-draft-actions").hidden = true;
        var questionId = "sc-ask-" + n + "-" + draft.number;
        var box = el("div", {
          className: "sc-row sc-asking", role: "group", "aria-labelledby": questionId,
        },
          el("p", { id: questionId,
                    text: "Delete draft #" + draft.number + " for good? This can't be undone." }),
          el("button", { type: "button", className: "sc-danger", "data-act": "confirm-delete",
                         text: "Yes, delete it" }),
          el("button", { type: "button", "data-act": "keep", text: "No, keep it" }));
        item.querySelector("article").appendChild(box);
        box.querySelector("[data-act=keep]").focus();
      } else if (act === "keep") {
        cancelAsk();
      } else if (act === "confirm-delete") {
        ask("delete", { number: draft.number }, function (reply) {
          loadDrafts(reply.ok ? "Deleted draft #" + draft.number + ". It's gone for good."
                              : "Draft #" + draft.number + " was already gone.");
          draftsTab.focus();
        });
      }
    });
    statusFilter.addEventListener("change", function () { loadDrafts(); });
    triggerFilter.addEventListener("change", function () { loadDrafts(); });
    exportButton.addEventListener("click", function () {
      ask("export", {}, function (reply) {
        if (typeof reply.markdown !== "string") return;
        var blob = new Blob([reply.markdown], { type: "text/markdown;charset=utf-8" });
        var url = URL.createObjectURL(blob);
        var link = el("a", { href: url, download: reply.filename || "steady-drafts.md",
                             className: "sc-offscreen" });
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
        draftsStatus.textContent =
          "Exported your drafts as " + (reply.filename || "a Markdown file") + ".";
      });
    });

    // ---------------------------------------------------------------- start

    state.transcript.forEach(function (message) { bubble(message); });
    if (readJSON(tab, KEY_OPEN, null)) open();

    return { open: open, close: close, clear: function () { wipe(""); } };
  }

  window.SteadyChat = { mount: mount };
  var roots = document.querySelectorAll("[data-steady-chat]");
  for (var i = 0; i < roots.length; i++) mount(roots[i]);
})();
