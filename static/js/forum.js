// Progressive enhancement of the forum's pages. Everything here is optional:
// without JavaScript every feature still works through plain links and forms
// (folding is <details>, replying, quoting, previewing and editing are pages of
// their own). Work on a page of thousands of comments is done in small idle
// chunks or when a reader reaches a comment, never all at once.
(function () {
  "use strict";

  var store = {
    get: function (key) { try { return localStorage.getItem(key); } catch (e) { return null; } },
    set: function (key, value) { try { localStorage.setItem(key, value); } catch (e) { /* full or private */ } },
  };

  function typing(target) {
    var tag = (target.tagName || "").toLowerCase();
    return tag === "textarea" || tag === "input" || tag === "select" || target.isContentEditable;
  }

  function plainKey(event) {
    return !(event.ctrlKey || event.metaKey || event.altKey) && !typing(event.target);
  }

  // Work through a long list a chunk at a time, when the browser is idle.
  function inChunks(items, each, size) {
    var next = window.requestIdleCallback || function (fn) { return setTimeout(fn, 1); };
    var index = 0;
    function run() {
      var end = Math.min(index + (size || 200), items.length);
      for (; index < end; index++) each(items[index]);
      if (index < items.length) next(run);
    }
    run();
  }

  // Colour mode: the toggle in the navigation bar, remembered per browser.
  function setUpThemeToggle() {
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    var root = document.documentElement;
    function show() {
      var dark = root.getAttribute("data-bs-theme") === "dark";
      button.setAttribute("aria-pressed", dark ? "true" : "false");
      button.textContent = dark ? "Light mode" : "Dark mode";
    }
    show();
    button.addEventListener("click", function () {
      var next = root.getAttribute("data-bs-theme") === "dark" ? "light" : "dark";
      root.setAttribute("data-bs-theme", next);
      store.set("forum-theme", next);
      show();
    });
  }

  // Times: relative ("3 hours ago"), the exact time in the reader's own zone on hover,
  // and beside it on a comment the reader tapped or moved to (touch screens have no hover).
  var UNITS = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400],
               ["hour", 3600], ["minute", 60]];
  var relativeFormat = new Intl.RelativeTimeFormat(document.documentElement.lang || "en", { numeric: "auto" });
  var exactFormat = new Intl.DateTimeFormat(undefined, {
    weekday: "long", year: "numeric", month: "long", day: "numeric",
    hour: "2-digit", minute: "2-digit", timeZoneName: "short",
  });
  function relative(date, now) {
    var seconds = Math.round((date - now) / 1000);
    if (Math.abs(seconds) < 45) return "just now";
    for (var i = 0; i < UNITS.length; i++) {
      if (Math.abs(seconds) >= UNITS[i][1] || UNITS[i][0] === "minute") {
        return relativeFormat.format(Math.round(seconds / UNITS[i][1]), UNITS[i][0]);
      }
    }
    return "";
  }
  function setUpTime(time, now) {
    if ((time.getAttribute("datetime") || "").length === 7 || time.hasAttribute("data-absolute") || time.title) return;
    var date = new Date(time.getAttribute("datetime"));
    if (isNaN(date)) return;
    time.title = exactFormat.format(date);
    time.textContent = relative(date, now);
  }
  function setUpTimes(root) {
    var now = Date.now();
    inChunks(Array.prototype.slice.call(root.querySelectorAll("time[datetime]")),
             function (time) { setUpTime(time, now); }, 300);
  }
  function showExactTime(article) {
    var time = article.querySelector(":scope > header time[datetime]");
    if (!time || article.querySelector(":scope > header .exact-time")) return;
    var date = new Date(time.getAttribute("datetime"));
    if (isNaN(date) || (time.getAttribute("datetime") || "").length === 7) return;
    var exact = document.createElement("span");
    exact.className = "exact-time";
    exact.textContent = exactFormat.format(date);
    time.parentElement.after(exact);
  }

  // The parts of a comment element.
  function cardOf(item) {
    return item.querySelector(":scope > details > article, :scope > article");
  }
  function authorOf(item) {
    var card = cardOf(item);
    var author = card && card.querySelector(":scope > header .comment-author");
    return author ? author.textContent : "";
  }
  function openFoldsAround(item) {
    var fold = item.parentElement && item.parentElement.closest("li.comment > details:not([open])");
    while (fold) {
      fold.open = true;
      fold = fold.parentElement.closest("li.comment > details:not([open])");
    }
  }

  // The comment a reader is on (j/k, n, a tap): its card outlined, its exact time shown.
  var focused = null;
  function focusComment(item, options) {
    if (focused) focused.classList.remove("is-focused");
    focused = item;
    item.classList.add("is-focused");
    var card = cardOf(item);
    if (card) showExactTime(card);
    openFoldsAround(item);
    if (options && options.scroll) item.scrollIntoView({ block: "start", behavior: "instant" });
    var link = item.querySelector(":scope > details > article a:has(> time), :scope > article a:has(> time)");
    if (link && options && options.focus) link.focus({ preventScroll: true });
  }

  // What is new since the reader last looked: marked, counted, walked in order, and
  // counted in the summary of every fold that holds some.
  function setUpNewComments(section) {
    var since = section.getAttribute("data-since");
    if (!since) return;
    var sinceDate = new Date(since);
    var me = section.getAttribute("data-viewer") || "";
    var fresh = [];
    var perFold = new Map();
    section.querySelectorAll("li.comment:not(.comment-tombstone)").forEach(function (item) {
      var card = cardOf(item);
      var time = card && card.querySelector(":scope > header time[datetime]");
      if (!time || authorOf(item) === me) return;
      if (new Date(time.getAttribute("datetime")) <= sinceDate) return;
      item.classList.add("is-new");
      var badge = document.createElement("span");
      badge.className = "new-badge";
      badge.textContent = "new";
      card.querySelector(":scope > header").appendChild(badge);
      fresh.push(item);
      var fold = item.parentElement.closest("li.comment > details");
      while (fold) {
        perFold.set(fold, (perFold.get(fold) || 0) + 1);
        fold = fold.parentElement.closest("li.comment > details");
      }
    });
    perFold.forEach(function (count, fold) {
      var note = document.createElement("span");
      note.className = "fold-new";
      note.textContent = " · " + count + " new";
      fold.querySelector(":scope > summary").appendChild(note);
    });
    var bar = document.getElementById("new-comments");
    if (!bar || !fresh.length) return;
    var position = -1;
    function go(step) {
      position = (position + step + fresh.length) % fresh.length;
      var target = fresh[position];
      focusComment(target, { scroll: true, focus: true });
      history.replaceState(null, "", "#" + target.id);
    }
    nextNew = function () { go(1); };
    // The server counted the new comments on every page of the thread; these are
    // the ones on this page.
    var total = parseInt(bar.getAttribute("data-new") || "0", 10);
    var count = document.createElement("a");
    count.href = "#" + fresh[0].id;
    count.className = "new-count";
    count.textContent = fresh.length + " new comment" + (fresh.length === 1 ? "" : "s")
      + (total > fresh.length ? " on this page (" + total + " in all)" : "");
    count.addEventListener("click", function (event) { event.preventDefault(); position = -1; go(1); });
    var next = document.createElement("button");
    next.type = "button";
    next.className = "btn btn-sm btn-outline-primary";
    next.textContent = "Next new comment (n)";
    next.addEventListener("click", function () { go(1); });
    bar.textContent = "";
    bar.append(count, " ", next);
    bar.hidden = false;
  }
  var nextNew = null;

  // Folds: a folded comment's line gets its age; which are folded is remembered per
  // article in this browser.
  function noteFoldAge(fold) {
    var summary = fold.querySelector(":scope > summary");
    if (fold.open || summary.querySelector(".fold-age")) return;
    var time = fold.querySelector(":scope > article > header time[datetime]");
    if (!time) return;
    var age = document.createElement("span");
    age.className = "fold-age";
    age.textContent = " · " + ((time.getAttribute("datetime") || "").length === 7 ? time.textContent
      : relative(new Date(time.getAttribute("datetime")), Date.now()));
    summary.querySelector(":scope > .fold-new") ? summary.insertBefore(age, summary.querySelector(".fold-new")) : summary.appendChild(age);
  }
  function setUpFolds(section) {
    var key = "forum-folded:" + location.pathname;
    var folded = (store.get(key) || "").split(" ").filter(Boolean);
    folded.forEach(function (id) {
      var item = document.getElementById(id);
      var fold = item && item.querySelector(":scope > details");
      if (fold) { fold.open = false; noteFoldAge(fold); }
    });
    section.addEventListener("toggle", function (event) {
      var fold = event.target;
      if (!fold.matches || !fold.matches("li.comment > details")) return;
      noteFoldAge(fold);
      var id = fold.parentElement.id;
      var rest = folded.filter(function (each) { return each !== id; });
      if (!fold.open) rest.push(id);
      folded = rest.slice(-500);
      store.set(key, folded.join(" "));
    }, true);
  }

  // Keys: j and k move through every comment in page order (folded replies skipped),
  // n to the next new one, ? opens the list of keys.
  function setUpKeys(section) {
    var help = document.getElementById("keyboard-help");
    document.addEventListener("keydown", function (event) {
      if (!plainKey(event)) return;
      var key = event.key;
      if (key === "?" && help) {
        help.open = !help.open;
        if (help.open) help.querySelector("summary").focus();
        return;
      }
      if (key === "n" && nextNew) { nextNew(); return; }
      if (key === "a" && nextAttention) { event.preventDefault(); nextAttention(); return; }
      var selected = key === "q" ? selectedQuote() : null;
      if (selected) {
        event.preventDefault();  // not typed into the form it opens
        replyTo(selected.item, quoteOf(selected.item, selected.text));
        return;
      }
      if ((key === "r" || key === "q" || key === "o") && focused) {
        var card = cardOf(focused);
        if (key === "o") {
          var fold = focused.querySelector(":scope > details");
          if (fold) fold.open = !fold.open;
        } else if (card) {
          event.preventDefault();
          replyTo(focused, key === "q" ? quoteOf(focused, card.querySelector(".comment-body").innerText) : "");
        }
        return;
      }
      if (key !== "j" && key !== "k") return;
      var items = Array.prototype.filter.call(section.querySelectorAll("li.comment"), function (item) {
        return !(item.parentElement && item.parentElement.closest("li.comment > details:not([open])"));
      });
      if (!items.length) return;
      var index = items.indexOf(focused);
      if (index < 0) {
        // From where the reader is: the first comment below the top of the screen.
        index = items.findIndex(function (item) { return item.getBoundingClientRect().top >= 0; });
        if (index < 0) index = items.length - 1;
        else if (key === "k") index = Math.max(index - 1, 0);
      } else {
        index = key === "j" ? Math.min(index + 1, items.length - 1) : Math.max(index - 1, 0);
      }
      event.preventDefault();
      focusComment(items[index], { scroll: true, focus: true });
    });
    // A tap (or click) on a comment, not on one of its links or buttons, is on it too.
    section.addEventListener("click", function (event) {
      if (event.target.closest("a, button, summary, input, textarea, select, label, form")) return;
      var item = event.target.closest("li.comment");
      if (item && !item.classList.contains("comment-tombstone")) focusComment(item, {});
    });
  }

  // Forms posted from the page: a preview, or what is wrong, shown in the form itself;
  // once stored, the page of the new (or edited) comment, which says so.
  function say(form, messages, level) {
    var box = form.querySelector(":scope > .form-answer");
    if (!box) {
      box = document.createElement("div");
      box.className = "form-answer";
      box.setAttribute("role", "alert");
      box.tabIndex = -1;  // focusable, to take the focus from the disabled submit button
      form.prepend(box);
    }
    box.className = "form-answer alert alert-" + level + " py-2";
    box.textContent = "";
    messages.forEach(function (text) {
      var line = document.createElement("p");
      line.className = "mb-0";
      line.textContent = text;
      box.appendChild(line);
    });
    box.hidden = !messages.length;
  }
  function showPreview(form, html) {
    var box = form.querySelector(":scope > .comment-preview");
    if (!html) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("section");
      box.className = "comment-preview mb-3";
      box.setAttribute("aria-label", "Preview");
      var heading = document.createElement("p");
      heading.className = "small text-body-secondary mb-1";
      heading.textContent = "Preview: this is how your comment will look";
      var body = document.createElement("div");
      body.className = "comment-body";
      box.append(heading, body);
      var textarea = form.querySelector("textarea");
      (textarea ? textarea.closest(".mb-3") || textarea : form.firstChild).before(box);
    }
    // Safe: the server rendered it with the same sanitiser as every comment.
    box.querySelector(".comment-body").innerHTML = html;
  }
  function goTo(url) {
    var target = new URL(url, location.href);
    if (target.pathname === location.pathname && target.search === location.search) {
      history.replaceState(null, "", target.href);
      location.reload();
    } else {
      location.assign(target.href);
    }
  }
  // What a reader typed into a new comment or a reply and has not posted is kept in
  // this tab, by the form's address: closing the form, or reloading, loses nothing.
  var drafts = {
    key: function (form) { return "forum-draft:" + form.getAttribute("action"); },
    keep: function (form, text) {
      try {
        if (text.trim()) sessionStorage.setItem(drafts.key(form), text);
        else sessionStorage.removeItem(drafts.key(form));
      } catch (e) { /* full or private */ }
    },
    take: function (form) {
      try { return sessionStorage.getItem(drafts.key(form)) || ""; } catch (e) { return ""; }
    },
  };
  function keepDrafts(form) {
    var textarea = form.querySelector("textarea");
    if (!textarea || textarea.defaultValue.trim()) return;  // an edit: the text is the comment's
    var draft = drafts.take(form);
    if (draft && !textarea.value.trim()) textarea.value = draft;
    textarea.addEventListener("input", function () { drafts.keep(form, textarea.value); });
  }
  function enhanceForm(form) {
    if (form.dataset.enhanced) return;
    form.dataset.enhanced = "1";
    keepDrafts(form);
    var preview = false;
    form.addEventListener("click", function (event) {
      var button = event.target.closest("[type=submit]");
      if (button) preview = button.name === "preview";
    });
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.FormData) return;
      event.preventDefault();
      var data = new FormData(form);
      if (preview) data.set("preview", "1"); else data.delete("preview");
      var buttons = form.querySelectorAll("[type=submit]");
      buttons.forEach(function (button) { button.disabled = true; });
      fetch(form.action, {
        method: "POST", credentials: "same-origin", body: data,
        headers: { "Accept": "application/json" },
      }).then(function (response) {
        return response.json().then(function (answer) { return answer; });
      }).then(function (answer) {
        buttons.forEach(function (button) { button.disabled = false; });
        if (answer.location) { drafts.keep(form, ""); goTo(answer.location); return; }
        showPreview(form, answer.preview);
        say(form, answer.errors || [], "danger");
        (answer.errors && answer.errors.length ? form.querySelector(".form-answer") : form.querySelector("textarea")).focus({ preventScroll: false });
      }).catch(function () {
        // No answer we understand: send the form the plain way, its text with it.
        buttons.forEach(function (button) { button.disabled = false; });
        if (preview) { var field = document.createElement("input"); field.type = "hidden"; field.name = "preview"; field.value = "1"; form.appendChild(field); }
        form.submit();
      });
    });
  }

  // Reply and edit in place: the form opens under the comment, which stays in view;
  // Cancel and Escape close it and return the reader where they were.
  function suffixIds(form, suffix) {
    form.querySelectorAll("[id]").forEach(function (element) { element.id += suffix; });
    form.querySelectorAll("label[for]").forEach(function (label) { label.htmlFor += suffix; });
    form.querySelectorAll("[aria-describedby]").forEach(function (element) {
      element.setAttribute("aria-describedby", element.getAttribute("aria-describedby").split(" ").map(function (id) { return id + suffix; }).join(" "));
    });
  }
  var open = null;
  function closeOpen() {
    if (!open) return;
    var was = open;
    open = null;
    was.box.remove();
    window.scrollTo({ top: was.scroll, behavior: "instant" });
    if (was.returnTo) was.returnTo.focus({ preventScroll: true });
  }
  function keepInView(card, box) {
    var top = card.getBoundingClientRect().top;
    var overflow = box.getBoundingClientRect().bottom - window.innerHeight;
    if (top < 0) window.scrollBy({ top: top - 8, behavior: "instant" });
    else if (overflow > 0) window.scrollBy({ top: Math.min(overflow + 8, top - 8), behavior: "instant" });
  }
  function openBox(item, box, returnTo) {
    var scroll = window.scrollY;
    closeOpen();
    var card = cardOf(item);
    card.after(box);
    open = { item: item, box: box, returnTo: returnTo, scroll: scroll };
    box.addEventListener("keydown", function (event) { if (event.key === "Escape") closeOpen(); });
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "btn btn-outline-secondary";
    cancel.textContent = "Cancel";
    cancel.addEventListener("click", closeOpen);
    var submit = box.querySelector("[type=submit]");
    (submit ? submit.parentElement : box).appendChild(cancel);
    var field = box.querySelector("textarea") || box.querySelector("input:not([type=hidden]), select");
    if (field) field.focus({ preventScroll: true });
    keepInView(card, box);
  }
  function replyForm(item, link) {
    var template = document.getElementById("comment-form");
    if (!template) return null;
    var form = template.cloneNode(true);
    form.id = "comment-form-reply-" + item.id;
    form.classList.add("comment-form-inline");
    form.action = link.getAttribute("href");
    delete form.dataset.enhanced;
    suffixIds(form, "-reply-" + item.id);
    form.querySelectorAll(".invalid-feedback, .alert, .comment-preview, .form-answer").forEach(function (element) { element.remove(); });
    var textarea = form.querySelector("textarea");
    textarea.defaultValue = "";
    textarea.value = "";
    var label = form.querySelector("label[for='" + textarea.id + "']");
    if (label) label.textContent = "Your reply to " + (authorOf(item) || "this comment");
    var submit = form.querySelector("[type=submit]:not([name=preview])");
    if (submit) submit.value = "Post reply";
    enhanceForm(form);
    return form;
  }
  function replyTo(item, quote) {
    var link = cardOf(item).querySelector(":scope > footer a[href$='/reply/']");
    if (!link) return false;
    var form = open && open.item === item && open.box.classList.contains("comment-form-inline") ? open.box : null;
    if (!form) {
      form = replyForm(item, link);
      if (!form) return false;
      openBox(item, form, link);
    }
    var textarea = form.querySelector("textarea");
    if (quote) {
      var before = textarea.value && !/\n\n$/.test(textarea.value) ? "\n\n" : "";
      textarea.value += before + quote;
      textarea.selectionStart = textarea.selectionEnd = textarea.value.length;
      textarea.dispatchEvent(new Event("input"));  // kept as a draft
    }
    textarea.focus({ preventScroll: true });
    return true;
  }
  function quoteOf(item, text) {
    var lines = text.replace(/\s+$/, "").split(/\n/).map(function (line) { return line.trim() ? "> " + line : ">"; });
    var name = authorOf(item).replace(/([\\`*_\[\]<>#|~])/g, "\\$1");
    return "> **" + name + "** wrote:\n" + lines.join("\n") + "\n\n";
  }
  function setUpReplies(section) {
    section.addEventListener("click", function (event) {
      var link = event.target.closest("li.comment footer a[href$='/reply/']");
      if (!link || !document.getElementById("comment-form")) return;  // no form: the page
      event.preventDefault();
      replyTo(link.closest("li.comment"), "");
    });
  }
  function setUpEdits(section) {
    section.addEventListener("click", function (event) {
      var link = event.target.closest("li.comment footer a[href$='/edit/']");
      if (!link || !window.fetch) return;
      event.preventDefault();
      var item = link.closest("li.comment");
      fetch(link.href, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      }).then(function (html) {
        var found = new DOMParser().parseFromString(html, "text/html");
        var form = found.getElementById("comment-form");
        if (!form) { location.href = link.href; return; }
        form = document.importNode(form, true);
        form.id = "comment-form-edit-" + item.id;
        form.classList.add("comment-form-inline");
        suffixIds(form, "-edit-" + item.id);
        var note = found.querySelector(".edit-deadline");
        if (note) {
          var deadline = new Date(note.getAttribute("data-deadline"));
          var left = document.createElement("p");
          left.className = "edit-deadline small text-body-secondary";
          var tick = function () {
            var minutes = Math.ceil((deadline - Date.now()) / 60000);
            left.textContent = minutes > 0
              ? "You can edit this for " + minutes + " more minute" + (minutes === 1 ? "" : "s") + "."
              : "The time for editing this comment has passed.";
          };
          tick();
          var timer = setInterval(function () { if (!left.isConnected) clearInterval(timer); else tick(); }, 30000);
          form.prepend(left);
        }
        enhanceForm(form);
        openBox(item, form, link);
      }).catch(function () { location.href = link.href; });
    });
  }

  // Quote, and share or copy a comment's link: offered on the comment the reader is on
  // (pointed at, tapped, tabbed into), so a page of thousands carries none until then.
  // The comment's lasting address, which opens it in its thread on the right page
  // (the page names the route, with a stand-in number, in data-share).
  function shareUrl(item) {
    var route = document.getElementById("comments").getAttribute("data-share");
    return new URL(route.replace("2147483647", item.id.replace("comment-", "")), location.href).href;
  }
  function addTools(item) {
    var card = cardOf(item);
    var footer = card && card.querySelector(":scope > footer");
    if (!footer || footer.querySelector(".comment-tool")) return;
    var name = authorOf(item);
    var tools = [];
    if (footer.querySelector("a[href$='/reply/']") && document.getElementById("comment-form")) {
      var quote = document.createElement("button");
      quote.type = "button";
      quote.className = "comment-tool";
      quote.textContent = "Quote";
      quote.setAttribute("aria-label", "Quote " + name + " in a reply");
      quote.addEventListener("click", function () {
        replyTo(item, quoteOf(item, card.querySelector(".comment-body").innerText));
      });
      tools.push(quote);
    }
    var share = document.createElement("button");
    share.type = "button";
    share.className = "comment-tool";
    share.textContent = navigator.share ? "Share" : "Copy link";
    share.setAttribute("aria-label", (navigator.share ? "Share" : "Copy the link to") + " the comment by " + name);
    share.addEventListener("click", function () {
      var url = shareUrl(item);
      if (navigator.share) {
        navigator.share({ title: document.title, url: url }).catch(function () { /* dismissed */ });
        return;
      }
      var done = function () {
        share.textContent = "Link copied";
        setTimeout(function () { share.textContent = "Copy link"; }, 2000);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(done, function () { window.prompt("The comment's link:", url); });
      } else {
        window.prompt("The comment's link:", url);
      }
    });
    tools.push(share);
    tools.forEach(function (tool) { footer.appendChild(tool); });
  }
  // Text selected inside one comment's body that may be quoted in a reply to it: the
  // comment, the text and its range; else null.
  function selectedQuote() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    var node = range.commonAncestorContainer;
    var body = (node.nodeType === 1 ? node : node.parentElement);
    body = body && body.closest(".comment-body");
    var item = body && body.closest("#comments li.comment");
    if (!item || !cardOf(item).querySelector(":scope > footer a[href$='/reply/']")
        || !document.getElementById("comment-form")) return null;
    return { item: item, text: selection.toString(), range: range };
  }
  function setUpTools(section) {
    function reach(event) {
      var item = event.target.closest && event.target.closest("li.comment");
      if (item && !item.classList.contains("comment-tombstone")) addTools(item);
    }
    section.addEventListener("pointerover", reach);
    section.addEventListener("focusin", reach);
    section.addEventListener("pointerdown", reach);
    // Select-to-quote: a small "Quote" beside text selected in one comment.
    var button = document.createElement("button");
    button.type = "button";
    button.className = "quote-selection btn btn-sm btn-primary";
    button.textContent = "Quote";
    button.hidden = true;
    document.body.appendChild(button);
    var chosen = null;
    function check() {
      chosen = selectedQuote();
      if (!chosen) { button.hidden = true; return; }
      var box = chosen.range.getBoundingClientRect();
      // Above the selection (below it at the top of the screen), clear of the
      // comment's actions underneath.
      var above = box.top > 48;
      button.style.top = (window.scrollY + (above ? box.top - 40 : box.bottom + 6)) + "px";
      button.style.left = (window.scrollX + Math.max(8, Math.min(box.left, window.innerWidth - 90))) + "px";
      button.hidden = false;
    }
    var pending = null;
    document.addEventListener("selectionchange", function () {
      clearTimeout(pending);
      pending = setTimeout(check, 150);
    });
    button.addEventListener("pointerdown", function (event) { event.preventDefault(); });
    button.addEventListener("click", function () {
      if (!chosen) return;
      button.hidden = true;
      replyTo(chosen.item, quoteOf(chosen.item, chosen.text));
      window.getSelection().removeAllRanges();
    });
  }

  // Moderators act in place: the action's confirmation form (fetched from its own
  // page, which works without JavaScript too) opens under the comment; posting it
  // answers with the comment's card as it now is, which replaces the old one.
  // Approving asks nothing: its button posts at once, and the answer offers Undo
  // (a form of its own, posted in place too) until the server's deadline passes.
  function setUpModeration(section) {
    function note(item, text, level, undo) {
      var old = item.querySelector(":scope > details > .moderation-note, :scope > .moderation-note");
      if (old) old.remove();
      var line = document.createElement("div");
      line.className = "moderation-note alert alert-" + level + " mt-2 mb-0 py-2";
      line.setAttribute("role", "status");
      line.textContent = text;
      if (undo) {
        var form = new DOMParser().parseFromString(undo, "text/html").querySelector("form.undo-approval");
        if (form) line.append(" ", document.importNode(form, true));
      }
      cardOf(item).after(line);
      expireUndo(line);
      return line;
    }
    // What a post answered: the comment's new card in place of the old, and a note.
    function show(item, answer) {
      var fresh = new DOMParser().parseFromString("<ol>" + answer.card + "</ol>", "text/html");
      var newItem = fresh.querySelector("li.comment");
      var card = cardOf(newItem);
      item.className = newItem.className;
      cardOf(item).replaceWith(card);
      setUpTimes(card);
      var line = note(item, answer.message, answer.level, answer.undo);
      var first = line.querySelector("button") || card.querySelector("footer a, footer button");
      if (first) first.focus();
    }
    function post(form) {
      return fetch(form.action, {
        method: "POST", credentials: "same-origin",
        headers: { "Accept": "application/json" }, body: new FormData(form),
      }).then(function (response) { return response.json(); });
    }
    section.addEventListener("click", function (event) {
      var link = event.target.closest("footer a[data-moderate]");
      if (!link || !window.fetch) return;
      event.preventDefault();
      var item = link.closest("li.comment");
      fetch(link.href, { credentials: "same-origin" }).then(function (response) {
        return response.text();
      }).then(function (html) {
        var found = new DOMParser().parseFromString(html, "text/html");
        var form = found.querySelector("form.moderation-form");
        if (!form) { location.href = link.href; return; }
        var box = document.createElement("div");
        box.className = "moderation-inline";
        var heading = found.querySelector("main h1");
        if (heading) {
          var title = document.createElement("p");
          title.className = "fw-semibold mb-2";
          title.textContent = heading.textContent;
          box.appendChild(title);
        }
        var history = found.querySelector(".author-history");  // before a ban
        if (history) box.appendChild(document.importNode(history, true));
        form = document.importNode(form, true);
        suffixIds(form, "-moderate-" + item.id);
        box.appendChild(form);
        form.addEventListener("submit", function (submitEvent) {
          submitEvent.preventDefault();
          var submit = form.querySelector("[type=submit]");
          if (submit) submit.disabled = true;
          post(form).then(function (answer) {
            if (!answer.card) {
              if (submit) submit.disabled = false;
              var error = box.querySelector(".alert") || document.createElement("div");
              error.className = "alert alert-" + (answer.level || "danger") + " mt-2 mb-0 py-2";
              error.setAttribute("role", "alert");
              error.textContent = answer.message;
              box.appendChild(error);
              return;
            }
            open = null;
            box.remove();
            show(item, answer);
          }).catch(function () { form.submit(); });
        });
        openBox(item, box, link);
      }).catch(function () { location.href = link.href; });
    });
    // Approve (a button in the comment's footer) and Undo (in the note that follows,
    // or in the page's message after a plain post) post in place.
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("li.comment footer form.comment-act, form.undo-approval")) return;
      var item = form.closest("li.comment") || document.getElementById("comment-" + form.getAttribute("data-comment"));
      if (!item || !section.contains(item) || !window.fetch || !window.FormData) return;
      event.preventDefault();
      var submit = form.querySelector("[type=submit]");
      if (submit) submit.disabled = true;
      var undoing = form.classList.contains("undo-approval");
      post(form).then(function (answer) {
        if (undoing) form.remove();  // done, or refused: either way not to be offered again
        if (answer.card) { show(item, answer); return; }
        if (submit) submit.disabled = false;
        var line = note(item, answer.message, answer.level || "danger");
        if (undoing) { line.tabIndex = -1; line.focus(); }
      }).catch(function () { form.submit(); });
    });
    // An Undo is offered only until the server stops allowing it.
    function expireUndo(root) {
      root.querySelectorAll("form.undo-approval[data-until]").forEach(function (form) {
        var left = new Date(form.getAttribute("data-until")) - Date.now();
        if (isNaN(left)) return;
        setTimeout(function () { form.remove(); }, Math.max(0, Math.min(left, 2147483647)));
      });
    }
    var messages = document.getElementById("messages");
    if (messages) expireUndo(messages);
  }

  // Moderators go from one comment that needs them (held, or reported) to the next:
  // with the key "a", the link above the thread, and the link on each of them. The
  // comments are found when asked, so what was approved in place is skipped.
  function setUpAttention(section) {
    var nav = document.getElementById("attention-nav");
    if (!nav) return;
    var help = document.querySelector("#keyboard-help dl");
    if (help) {
      var term = document.createElement("dt");
      term.appendChild(document.createElement("kbd")).textContent = "a";
      var meaning = document.createElement("dd");
      meaning.textContent = "Next comment that needs a moderator (held or reported)";
      help.insertBefore(meaning, help.querySelector("dt:last-of-type"));
      help.insertBefore(term, meaning);
    }
    function waiting() {
      return Array.prototype.slice.call(
        section.querySelectorAll("li.comment-held, li.comment-reported"));
    }
    // The next one after the comment `after` (replies come after their comment), or,
    // from nowhere, the first below the top of the screen; past the last, the first.
    function go(after) {
      var items = waiting();
      if (!items.length) return false;
      var next = items.find(after ? function (item) {
        return after.compareDocumentPosition(item) & Node.DOCUMENT_POSITION_FOLLOWING;
      } : function (item) { return item.getBoundingClientRect().top > 1; }) || items[0];
      focusComment(next, { scroll: true, focus: true });
      history.replaceState(null, "", "#" + next.id);
      return true;
    }
    nextAttention = function () { go(focused); };
    section.addEventListener("click", function (event) {
      var link = event.target.closest("a.comment-next-attention, #attention-nav > a");
      if (!link) return;
      var from = link.closest("li.comment");
      if (go(from)) event.preventDefault();
    });
  }
  var nextAttention = null;

  // A comment this reader reported says so instead of offering Report again; it
  // still links to the report page, where they see their report and may withdraw it.
  // Votes: the page lists the points newer than its cached HTML and the reader's own
  // votes (the section's data-votes); a vote button posts in place and shows what it changed.
  function showPoints(item, up, down) {
    var card = cardOf(item);
    var header = card && card.querySelector(":scope > header");
    if (!header) return;
    var shown = header.querySelector(":scope > .points");
    if (!up && !down) { if (shown) shown.remove(); return; }
    if (!shown) {
      shown = document.createElement("span");
      shown.className = "points";
      header.querySelector("a:has(> time)").after(" ", shown);
    }
    var points = up - down;
    shown.textContent = points + " point" + (Math.abs(points) === 1 ? "" : "s");
  }
  function showMine(item, mine) {
    var card = cardOf(item);
    if (!card) return;
    card.querySelectorAll(":scope > footer button[form=votes]").forEach(function (button) {
      var pressed = (button.name === "up" && mine > 0) || (button.name === "down" && mine < 0);
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
    });
  }
  function setUpVotes(section) {
    var votes = { points: {}, mine: {} };
    try { votes = Object.assign(votes, JSON.parse(section.getAttribute("data-votes") || "{}")); } catch (e) { /* none */ }
    Object.keys(votes.points).forEach(function (pk) {
      var item = document.getElementById("comment-" + pk);
      if (item) showPoints(item, votes.points[pk][0], votes.points[pk][1]);
    });
    Object.keys(votes.mine).forEach(function (pk) {
      var item = document.getElementById("comment-" + pk);
      if (item) showMine(item, votes.mine[pk]);
    });
    // aria-pressed says it now, and follows each vote: the no-JavaScript styling goes.
    var pressed = document.getElementById("own-votes");
    if (pressed) pressed.remove();
    var form = document.getElementById("votes");
    if (!form || !window.fetch) return;
    section.addEventListener("click", function (event) {
      var button = event.target.closest("button[form=votes]");
      if (!button) return;
      event.preventDefault();
      var item = button.closest("li.comment");
      var data = new FormData(form);
      data.append(button.name, button.value);
      button.disabled = true;
      fetch(form.action, {
        method: "POST", credentials: "same-origin", body: data,
        headers: { "Accept": "application/json" },
      }).then(function (response) {
        return response.json();
      }).then(function (answer) {
        button.disabled = false;
        var old = item.querySelector(":scope > .vote-refused");
        if (old) old.remove();
        if (answer.error) {
          var line = document.createElement("p");
          line.className = "vote-refused alert alert-warning mt-2 mb-0 py-2";
          line.setAttribute("role", "alert");
          line.textContent = answer.error;
          cardOf(item).after(line);
          return;
        }
        showPoints(item, answer.up, answer.down);
        showMine(item, answer.mine);
        button.focus();
      }).catch(function () {
        // No answer we understand: vote the plain way (the page comes back).
        button.disabled = false;
        form.appendChild(Object.assign(document.createElement("input"),
          { type: "hidden", name: button.name, value: button.value }));
        form.submit();
      });
    });
  }

  function setUpReported(section) {
    var ids = (section.getAttribute("data-reported") || "").split(" ").filter(Boolean);
    ids.forEach(function (pk) {
      var item = document.getElementById("comment-" + pk);
      var link = item && cardOf(item) && cardOf(item).querySelector(":scope > footer a[href$='/report/']");
      if (!link) return;
      link.textContent = "Reported";
      link.setAttribute("aria-label", "Reported: see or withdraw your report");
    });
  }

  // Confirmations next to the comment the reader lands on (or at the top of the
  // comments, after a deletion), not at the top of the page.
  function placeMessages() {
    var messages = document.getElementById("messages");
    if (!messages || !location.hash) return;
    var target = document.getElementById(location.hash.slice(1));
    if (!target) return;
    messages.classList.add("mt-2", "mb-0");
    if (target.matches("li.comment")) {
      openFoldsAround(target);
      var card = cardOf(target);
      if (card) card.after(messages);
    } else if (target.id === "comments") {
      target.prepend(messages);
    }
  }

  // The phone menu (a <details>, which opens without JavaScript) closes with Escape,
  // focus back on its button, and with a click anywhere else.
  function setUpMenu() {
    var menu = document.querySelector("details.site-menu");
    if (!menu) return;
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  }

  setUpThemeToggle();
  setUpMenu();
  setUpTimes(document);
  var section = document.getElementById("comments");
  if (section) {
    setUpFolds(section);
    setUpNewComments(section);
    setUpReported(section);
    setUpVotes(section);
    setUpReplies(section);
    setUpEdits(section);
    setUpTools(section);
    setUpModeration(section);
    setUpAttention(section);
    setUpKeys(section);
    if (location.hash && location.hash.indexOf("#comment-") === 0) {
      var target = document.getElementById(location.hash.slice(1));
      if (target && target.matches("li.comment")) {
        openFoldsAround(target);
        // A comment folded for its low score opens when a link points at it.
        var low = target.querySelector(":scope > details.fold-low:not([open])");
        if (low) low.open = true;
        focusComment(target, {});
      }
    }
  }
  placeMessages();
  // The article's new-comment form, and the reply and edit pages' forms.
  var form = document.getElementById("comment-form");
  if (form) enhanceForm(form);
})();
