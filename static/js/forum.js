// Progressive enhancement of the forum's pages. Everything here is optional:
// without JavaScript every feature still works through plain links and forms
// (folding is <details>, replying and previewing are pages of their own).
(function () {
  "use strict";

  var store = {
    get: function (key) { try { return localStorage.getItem(key); } catch (e) { return null; } },
    set: function (key, value) { try { localStorage.setItem(key, value); } catch (e) { /* full or private */ } },
  };

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
    button.hidden = false;
    show();
    button.addEventListener("click", function () {
      var next = root.getAttribute("data-bs-theme") === "dark" ? "light" : "dark";
      root.setAttribute("data-bs-theme", next);
      store.set("forum-theme", next);
      show();
    });
  }

  // Times: relative ("3 hours ago"), the exact time in the reader's own zone on hover.
  var UNITS = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400],
               ["hour", 3600], ["minute", 60]];
  function relative(date, now) {
    var seconds = Math.round((date - now) / 1000);
    if (Math.abs(seconds) < 45) return "just now";
    var format = new Intl.RelativeTimeFormat(document.documentElement.lang || "en", { numeric: "auto" });
    for (var i = 0; i < UNITS.length; i++) {
      if (Math.abs(seconds) >= UNITS[i][1] || UNITS[i][0] === "minute") {
        return format.format(Math.round(seconds / UNITS[i][1]), UNITS[i][0]);
      }
    }
    return "";
  }
  function setUpTimes(root) {
    var now = Date.now();
    var exact = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });
    root.querySelectorAll("time[datetime]:not([data-month])").forEach(function (time) {
      var date = new Date(time.getAttribute("datetime"));
      if (isNaN(date)) return;
      time.title = exact.format(date);
      time.textContent = relative(date, now);
    });
  }

  // What is new since the reader's last visit: marked, counted, walked in order.
  function setUpNewComments(section) {
    var since = section.getAttribute("data-since");
    if (!since) return;
    var sinceDate = new Date(since);
    var me = section.getAttribute("data-viewer") || "";
    var fresh = [];
    section.querySelectorAll("li.comment").forEach(function (item) {
      var card = item.querySelector(":scope > .comment-card");
      var time = card && card.querySelector("time[datetime]");
      var author = card && card.querySelector(".comment-author");
      if (!time || !author || author.textContent === me) return;
      if (new Date(time.getAttribute("datetime")) > sinceDate) {
        item.classList.add("is-new");
        var badge = document.createElement("span");
        badge.className = "new-badge";
        badge.textContent = "new";
        card.querySelector(".comment-meta").appendChild(badge);
        fresh.push(item);
      }
    });
    var bar = document.getElementById("new-comments");
    if (!bar || !fresh.length) return;
    var position = -1;
    function go(step) {
      position = (position + step + fresh.length) % fresh.length;
      var target = fresh[position];
      var fold = target.closest("details.comment-fold:not([open])");
      while (fold) { fold.open = true; fold = fold.parentElement.closest("details.comment-fold:not([open])"); }
      target.scrollIntoView({ block: "start" });
      var link = target.querySelector(".comment-permalink");
      if (link) link.focus({ preventScroll: true });
      history.replaceState(null, "", "#" + target.id);
    }
    var count = document.createElement("a");
    count.href = "#" + fresh[0].id;
    count.textContent = fresh.length + " new comment" + (fresh.length === 1 ? "" : "s");
    count.addEventListener("click", function (event) { event.preventDefault(); position = -1; go(1); });
    var next = document.createElement("button");
    next.type = "button";
    next.className = "btn btn-sm btn-outline-primary";
    next.textContent = "Next new comment (n)";
    next.addEventListener("click", function () { go(1); });
    bar.append(count, " ", next);
    bar.hidden = false;
    document.addEventListener("keydown", function (event) {
      if (event.key !== "n" || event.ctrlKey || event.metaKey || event.altKey) return;
      var tag = (event.target.tagName || "").toLowerCase();
      if (tag === "textarea" || tag === "input" || event.target.isContentEditable) return;
      go(1);
    });
  }

  // Folding is remembered per article in this browser.
  function setUpFolds(section) {
    var key = "forum-folded:" + location.pathname;
    var folded = (store.get(key) || "").split(" ").filter(Boolean);
    folded.forEach(function (id) {
      var item = document.getElementById(id);
      var fold = item && item.querySelector(":scope > details.comment-fold");
      if (fold) fold.open = false;
    });
    section.addEventListener("toggle", function (event) {
      var fold = event.target;
      if (!fold.classList || !fold.classList.contains("comment-fold")) return;
      var id = fold.parentElement.id;
      var rest = folded.filter(function (each) { return each !== id; });
      if (!fold.open) rest.push(id);
      folded = rest.slice(-500);
      store.set(key, folded.join(" "));
    }, true);
  }

  // Reply in place: the new-comment form, cloned under the comment.
  function setUpInlineReplies(section) {
    var template = document.getElementById("comment-form");
    if (!template) return;  // signed out, banned or closed: Reply stays a link
    var open = null;
    function close() {
      if (!open) return;
      var link = open.link;
      open.form.remove();
      open = null;
      link.focus();
    }
    section.addEventListener("click", function (event) {
      var link = event.target.closest(".comment-actions a[href$='/reply/']");
      if (!link) return;
      event.preventDefault();
      var item = link.closest("li.comment");
      if (open && open.item === item) { open.form.querySelector("textarea").focus(); return; }
      close();
      var form = template.cloneNode(true);
      var suffix = "-reply-" + item.id;
      form.id = "comment-form" + suffix;
      form.classList.add("comment-form-inline");
      form.action = link.getAttribute("href");
      form.querySelectorAll("[id]").forEach(function (element) { element.id += suffix; });
      form.querySelectorAll("label[for]").forEach(function (label) { label.htmlFor += suffix; });
      form.querySelectorAll("[aria-describedby]").forEach(function (element) {
        element.setAttribute("aria-describedby", element.getAttribute("aria-describedby").split(" ").map(function (id) { return id + suffix; }).join(" "));
      });
      form.querySelectorAll(".invalid-feedback, .alert, .comment-preview").forEach(function (element) { element.remove(); });
      var textarea = form.querySelector("textarea");
      textarea.value = "";
      var label = form.querySelector("label[for='" + textarea.id + "']");
      var author = item.querySelector(".comment-author");
      if (label) label.textContent = "Your reply to " + (author ? author.textContent : "this comment");
      var submit = form.querySelector("[type=submit]:not([name=preview])");
      if (submit) submit.value = "Post reply";
      var cancel = document.createElement("button");
      cancel.type = "button";
      cancel.className = "btn btn-outline-secondary ms-2";
      cancel.textContent = "Cancel";
      cancel.addEventListener("click", close);
      (submit ? submit.parentElement : form).appendChild(cancel);
      form.addEventListener("keydown", function (keyEvent) { if (keyEvent.key === "Escape") close(); });
      item.querySelector(":scope > .comment-card").after(form);
      open = { item: item, form: form, link: link };
      textarea.focus();
    });
  }

  // Moderators act in place: the action's confirmation form (fetched from its own
  // page, which works without JavaScript too) opens under the comment; posting it
  // answers with the comment's card as it now is, which replaces the old one.
  function setUpModeration(section) {
    var open = null;
    function close() {
      if (!open) return;
      open.box.remove();
      open.link.focus();
      open = null;
    }
    function say(item, text, level) {
      var note = document.createElement("div");
      note.className = "alert alert-" + level + " mt-2 mb-0 py-2";
      note.setAttribute("role", "status");
      note.textContent = text;
      item.querySelector(":scope > .comment-card").after(note);
    }
    section.addEventListener("click", function (event) {
      var link = event.target.closest(".comment-actions a[data-moderate]");
      if (!link) return;
      event.preventDefault();
      var item = link.closest("li.comment");
      close();
      fetch(link.href, { credentials: "same-origin" }).then(function (response) {
        return response.text();
      }).then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var form = page.querySelector("form.moderation-form");
        if (!form) { location.href = link.href; return; }
        var box = document.createElement("div");
        box.className = "moderation-inline";
        var heading = page.querySelector("main h1");
        if (heading) {
          var title = document.createElement("p");
          title.className = "fw-semibold mb-2";
          title.textContent = heading.textContent;
          box.appendChild(title);
        }
        form = document.importNode(form, true);
        var suffix = "-moderate-" + item.id;
        form.querySelectorAll("[id]").forEach(function (element) { element.id += suffix; });
        form.querySelectorAll("label[for]").forEach(function (label) { label.htmlFor += suffix; });
        form.querySelectorAll("[aria-describedby]").forEach(function (element) {
          element.setAttribute("aria-describedby", element.getAttribute("aria-describedby").split(" ").map(function (id) { return id + suffix; }).join(" "));
        });
        var cancel = document.createElement("button");
        cancel.type = "button";
        cancel.className = "btn btn-outline-secondary ms-2";
        cancel.textContent = "Cancel";
        cancel.addEventListener("click", close);
        var submit = form.querySelector("[type=submit]");
        (submit ? submit.parentElement : form).appendChild(cancel);
        box.appendChild(form);
        box.addEventListener("keydown", function (keyEvent) { if (keyEvent.key === "Escape") close(); });
        form.addEventListener("submit", function (submitEvent) {
          submitEvent.preventDefault();
          if (submit) submit.disabled = true;
          fetch(form.action, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Accept": "application/json" },
            body: new FormData(form)
          }).then(function (response) {
            return response.json();
          }).then(function (answer) {
            if (!answer.card) {
              if (submit) submit.disabled = false;
              var error = box.querySelector(".alert") || document.createElement("div");
              error.className = "alert alert-" + (answer.level || "danger") + " mt-2 mb-0 py-2";
              error.setAttribute("role", "alert");
              error.textContent = answer.message;
              box.appendChild(error);
              return;
            }
            var fresh = new DOMParser().parseFromString("<ol>" + answer.card + "</ol>", "text/html");
            var card = fresh.querySelector(".comment-card");
            var newItem = fresh.querySelector("li.comment");
            open.box.remove();
            open = null;
            item.className = newItem.className;
            item.querySelector(":scope > .comment-card").replaceWith(card);
            setUpTimes(card);
            say(item, answer.message, answer.level);
            var first = card.querySelector(".comment-actions a");
            if (first) first.focus();
          }).catch(function () { form.submit(); });
        });
        item.querySelector(":scope > .comment-card").after(box);
        open = { box: box, link: link };
        (form.querySelector("input:not([type=hidden]), select") || submit).focus();
      }).catch(function () { location.href = link.href; });
    });
  }

  // A comment this reader reported says so instead of offering Report again.
  function setUpReported(section) {
    var ids = (section.getAttribute("data-reported") || "").split(" ").filter(Boolean);
    ids.forEach(function (pk) {
      var link = document.querySelector("#comment-" + pk + " > .comment-card .comment-actions a[href$='/report/']");
      if (!link) return;
      var done = document.createElement("span");
      done.className = "text-body-secondary";
      done.textContent = "Reported";
      link.replaceWith(done);
    });
  }

  // Confirmations next to the comment the reader lands on (or at the top of the
  // comments, after a deletion), not at the top of the page.
  function placeMessages() {
    var messages = document.getElementById("messages");
    if (!messages || !location.hash) return;
    var target = document.getElementById(location.hash.slice(1));
    if (!target) return;
    var card = target.querySelector(":scope > .comment-card");
    messages.classList.add("mt-2", "mb-0");
    if (card) card.after(messages);
    else if (target.id === "comments") target.prepend(messages);
  }

  // Keys j and k: skip to the next or previous top-level thread.
  function setUpThreadKeys(section) {
    var threads = section.querySelectorAll(".comment-thread > li.comment");
    if (!threads.length) return;
    document.addEventListener("keydown", function (event) {
      if ((event.key !== "j" && event.key !== "k") || event.ctrlKey || event.metaKey || event.altKey) return;
      var tag = (event.target.tagName || "").toLowerCase();
      if (tag === "textarea" || tag === "input" || tag === "select" || event.target.isContentEditable) return;
      var current = document.activeElement && document.activeElement.closest(".comment-thread > li.comment");
      var index = Array.prototype.indexOf.call(threads, current);
      var next = event.key === "j" ? index + 1 : Math.max(index - 1, 0);
      var target = threads[Math.min(next, threads.length - 1)];
      var link = target.querySelector(".comment-permalink") || target;
      link.focus();
      target.scrollIntoView({ block: "start" });
    });
  }

  setUpThemeToggle();
  setUpTimes(document);
  placeMessages();
  var section = document.getElementById("comments");
  if (section) {
    setUpFolds(section);
    setUpNewComments(section);
    setUpReported(section);
    setUpInlineReplies(section);
    setUpModeration(section);
    setUpThreadKeys(section);
  }
})();
