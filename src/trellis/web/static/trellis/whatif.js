// The what-if panel's change builder: pickers that search as you type (people, managers, teams,
// levels, roles) and a button that writes the change as a line of the one-line syntax into the
// changes box. Each picker is an ARIA combobox with a list box: arrows move through the options,
// Enter picks one, Escape closes the list; how many options were found is announced.
// Without this script the box still takes changes written by hand.
"use strict";
(function () {
  var FIELDS = {
    promote: ["person", "level"],
    move: ["person", "team"],
    give: ["role", "team", "person"],
    take: ["role", "team", "person"],
    manager: ["person", "manager"],
    leave: ["person"]
  };

  function line(kind, words) {
    if (kind === "give" || kind === "take") return kind + " " + words.role + "@" + words.team + " " + words.person;
    return [kind].concat(FIELDS[kind].map(function (f) { return words[f]; })).join(" ");
  }

  // A word typed by hand rather than picked: quoted when it has a space or a quote in it.
  function quote(text) {
    if (text && !/[\s"'\\#@]/.test(text)) return text;
    return '"' + text.replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"';
  }

  function Picker(root, announce) {
    var input = root.querySelector("[role=combobox]");
    var list = root.querySelector("[role=listbox]");
    var source = input.getAttribute("data-source");
    var options = [];
    var active = -1;
    var timer = null;
    var asked = 0;
    this.input = input;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(i) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (item, k) { item.setAttribute("aria-selected", k === i ? "true" : "false"); });
      active = i;
      if (i >= 0 && items[i]) {
        input.setAttribute("aria-activedescendant", items[i].id);
        items[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(i) {
      var option = options[i];
      if (!option) return;
      input.value = option.label;
      input.setAttribute("data-word", option.word);
      close();
      announce(option.label + " chosen");
    }

    function show(found, query) {
      options = found;
      list.textContent = "";
      list.setAttribute("data-for", query);  // which search these options answer
      found.forEach(function (option, i) {
        var item = document.createElement("li");
        item.id = input.id + "-option-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        var label = document.createElement("span");
        label.className = "option-label";
        label.textContent = option.label;
        item.appendChild(label);
        if (option.detail) {
          var detail = document.createElement("span");
          detail.className = "option-detail";
          detail.textContent = " " + option.detail;
          item.appendChild(detail);
        }
        // mousedown, not click: picking must not first blur the input and close the list.
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(item);
      });
      var open = found.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      active = -1;
      announce(found.length === 0 ? "No matches" : found.length + " match" + (found.length === 1 ? "" : "es") +
               ", use the arrow keys to choose");
    }

    function search() {
      var ask = ++asked;
      var query = input.value.trim();
      fetch(source + "&q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { options: [] }; })
        .then(function (data) { if (ask === asked) show(data.options || [], query); })
        .catch(function () { announce("The options could not be loaded"); });
    }

    input.addEventListener("input", function () {
      input.removeAttribute("data-word");
      close();  // the options shown answer text that is no longer there
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("focus", function () { if (input.hasAttribute("data-open-on-focus")) search(); });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) { search(); return; }
        highlight(Math.min(active + 1, options.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (!list.hidden) highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); close(); }
      }
    });

    this.word = function () {
      var word = input.getAttribute("data-word");
      if (word) return word;
      var typed = input.value.trim();
      return typed ? quote(typed) : "";
    };
    this.clear = function () { input.value = ""; input.removeAttribute("data-word"); close(); };
  }

  function setUp(builder) {
    var status = builder.querySelector("[data-picker-status]");
    var kind = builder.querySelector("[data-kind]");
    var box = document.getElementById(builder.getAttribute("data-target"));
    var error = builder.querySelector("[data-builder-error]");
    var pickers = {};
    function announce(text) { status.textContent = text; }
    builder.querySelectorAll("[data-picker]").forEach(function (root) {
      pickers[root.getAttribute("data-picker")] = new Picker(root, announce);
    });

    function fields() {
      var shown = FIELDS[kind.value];
      Object.keys(pickers).forEach(function (name) {
        pickers[name].input.closest("[data-picker]").hidden = shown.indexOf(name) < 0;
      });
    }
    kind.addEventListener("change", fields);
    fields();

    builder.querySelector("[data-add-change]").addEventListener("click", function () {
      var words = {};
      var missing = [];
      FIELDS[kind.value].forEach(function (name) {
        words[name] = pickers[name].word();
        if (!words[name]) missing.push(pickers[name].input.labels[0].textContent.trim().toLowerCase());
      });
      if (missing.length) {
        error.textContent = "Choose the " + missing.join(" and the ") + " first.";
        error.hidden = false;
        pickers[FIELDS[kind.value].filter(function (n) { return !words[n]; })[0]].input.focus();
        return;
      }
      error.hidden = true;
      var text = line(kind.value, words);
      box.value = box.value.replace(/\s+$/, "") + (box.value.trim() ? "\n" : "") + text;
      FIELDS[kind.value].forEach(function (name) { pickers[name].clear(); });
      announce("Added: " + text);
    });
    builder.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-change-builder]").forEach(setUp);
  });
})();
