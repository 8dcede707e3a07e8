// The drawn org chart: places the boxes the server drew, draws the lines, and pans, zooms,
// expands, searches, colours and exports. Boxes come as SVG from the server, one subtree at a
// time (org/_boxes.svg); nothing here knows how a box looks inside.
"use strict";
(function () {
  var SVG_NS = "http://www.w3.org/2000/svg";
  var W = 220, H = 86, GAP_X = 24, GAP_Y = 46, STACK_GAP = 12, INDENT = 18;
  var ROW_LIMIT = 6;  // more children than this are stacked in columns instead of one long row

  var svg = document.getElementById("org-svg");
  if (!svg) return;
  var viewport = svg.querySelector("#viewport");
  var boxLayer = svg.querySelector("#boxes");
  var lineLayer = svg.querySelector("#lines");
  var status = document.getElementById("chart-status");
  var urls = svg.dataset;

  // ---- the model: who is shown, whose reports are loaded and open ----
  var nodes = {};    // id -> {id, el, parent, kids: [ids] | null, open}
  var roots = [];

  function say(text) { if (status) status.textContent = text; }

  function adopt(group) {
    var parent = group.getAttribute("data-parent") || null;
    var ids = [];
    Array.prototype.forEach.call(group.querySelectorAll("g.box"), function (el) {
      var id = el.getAttribute("data-id");
      var known = nodes[id];
      if (known && known.el !== el) known.el.remove();
      nodes[id] = {id: id, el: el, parent: parent, kids: known ? known.kids : null, open: known ? known.open : false,
                   reports: parseInt(el.getAttribute("data-reports") || "0", 10)};
      ids.push(id);
    });
    if (parent === null) roots = ids;
    else if (nodes[parent]) { nodes[parent].kids = ids; nodes[parent].open = true; }
    group.setAttribute("data-loaded", "1");
  }

  function loadKids(id) {
    var node = nodes[id];
    if (node.kids !== null) return Promise.resolve(node);
    return fetch(urls.boxesUrl.replace("ID", encodeURIComponent(id)), {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) throw new Error("the chart could not load " + id); return r.text(); })
      .then(function (text) {
        var doc = new DOMParser().parseFromString(text, "image/svg+xml");
        var group = document.importNode(doc.documentElement.querySelector("g.kids"), true);
        boxLayer.appendChild(group);
        adopt(group);
        fetchFindings(nodes[id].kids);
        return nodes[id];
      });
  }

  function setOpen(id, open) {
    var node = nodes[id];
    if (!node || !node.reports) return Promise.resolve(node);
    var ready = open ? loadKids(id) : Promise.resolve(node);
    return ready.then(function () {
      node.open = open;
      layout();
      say((open ? "Showing " : "Hiding ") + "the direct reports of " + node.el.querySelector(".name").textContent);
      return node;
    });
  }

  // ---- layout: a tree top-down; long lists of reports stacked in columns ----
  function visibleKids(node) { return node.open && node.kids ? node.kids : []; }

  function columns(node) {
    var kids = visibleKids(node).map(function (id) { return nodes[id]; });
    if (kids.length <= ROW_LIMIT) return kids.map(function (k) { return {subtree: k}; });
    var cols = [], leaves = [];
    var rows = Math.max(4, Math.ceil(Math.sqrt(kids.length * 2.5)));
    function flush() {
      for (var i = 0; i < leaves.length; i += rows) cols.push({stack: leaves.slice(i, i + rows)});
      leaves = [];
    }
    kids.forEach(function (k) {
      if (k.open && k.kids && k.kids.length) { flush(); cols.push({subtree: k}); } else leaves.push(k);
    });
    flush();
    return cols;
  }

  function measure(node) {
    node.cols = columns(node);
    var width = 0;
    node.cols.forEach(function (c, i) {
      c.width = c.subtree ? measure(c.subtree) : W + INDENT;
      width += c.width + (i ? GAP_X : 0);
    });
    node.width = Math.max(W, width);
    return node.width;
  }

  var lines = [];
  function line(x1, y1, x2, y2, kind) { lines.push([x1, y1, x2, y2, kind || "solid"]); }

  function place(node, left, top) {
    node.x = left + (node.width - W) / 2;
    node.y = top;
    node.el.setAttribute("transform", "translate(" + node.x + "," + node.y + ")");
    node.el.style.display = "";
    var toggle = node.el.querySelector(".toggle");
    if (toggle) {
      toggle.setAttribute("aria-expanded", node.open ? "true" : "false");
      toggle.querySelector(".arrow").textContent = node.open ? "▾" : "▸";
    }
    if (!node.cols.length) return;
    var used = node.cols.reduce(function (s, c, i) { return s + c.width + (i ? GAP_X : 0); }, 0);
    var x = left + (node.width - used) / 2;
    var busY = top + H + GAP_Y / 2, childTop = top + H + GAP_Y;
    var centre = node.x + W / 2;
    line(centre, top + H, centre, busY);
    var xs = [centre];
    node.cols.forEach(function (c) {
      if (c.subtree) {
        place(c.subtree, x, childTop);
        var cx = c.subtree.x + W / 2;
        xs.push(cx);
        line(cx, busY, cx, childTop);
      } else {
        var spine = x + INDENT / 2;
        xs.push(spine);
        c.stack.forEach(function (k, row) {
          k.cols = []; k.width = W;
          place(k, x + INDENT, childTop + row * (H + STACK_GAP));
          line(spine, k.y + H / 2, k.x, k.y + H / 2);
        });
        var last = c.stack[c.stack.length - 1];
        line(spine, busY, spine, last.y + H / 2);
      }
      x += c.width + GAP_X;
    });
    line(Math.min.apply(null, xs), busY, Math.max.apply(null, xs), busY);
  }

  function hideAll() {
    Object.keys(nodes).forEach(function (id) { nodes[id].el.style.display = "none"; });
  }

  var extent = {width: W, height: H};
  function layout() {
    hideAll();
    lines = [];
    var x = 0, bottom = 0;
    roots.forEach(function (id) {
      var root = nodes[id];
      measure(root);
      place(root, x, 0);
      x += root.width + GAP_X * 2;
    });
    Object.keys(nodes).forEach(function (id) {
      var n = nodes[id];
      if (n.el.style.display !== "none") bottom = Math.max(bottom, n.y + H);
    });
    extent = {width: Math.max(x - GAP_X * 2, W), height: bottom};
    drawLines();
  }

  function shown(id) { var n = nodes[id]; return n && n.el.style.display !== "none"; }

  function drawLines() {
    var parts = {solid: [], dotted: [], pair: []};
    lines.forEach(function (l) { parts[l[4]].push("M" + l[0] + " " + l[1] + "L" + l[2] + " " + l[3]); });
    // Dotted lines and pairs are drawn when both ends are on the screen.
    Object.keys(nodes).forEach(function (id) {
      var n = nodes[id];
      if (!shown(id)) return;
      (n.el.getAttribute("data-dotted") || "").split(",").forEach(function (m) {
        if (!m || !shown(m)) return;
        var a = nodes[m], x1 = n.x + W / 2, y1 = n.y, x2 = a.x + W / 2 + 20, y2 = a.y + H;
        parts.dotted.push("M" + x1 + " " + y1 + "C" + x1 + " " + (y1 - 60) + " " + x2 + " " + (y2 + 60) + " " + x2 + " " + y2);
      });
      (n.el.getAttribute("data-pairs") || "").split(",").forEach(function (m) {
        if (!m || !shown(m) || m < id) return;
        var a = nodes[m];
        var left = n.x < a.x ? n : a, right = n.x < a.x ? a : n;
        var x1 = left.x + W, y1 = left.y + H / 2, x2 = right.x, y2 = right.y + H / 2;
        parts.pair.push("M" + x1 + " " + y1 + "C" + (x1 + 30) + " " + y1 + " " + (x2 - 30) + " " + y2 + " " + x2 + " " + y2);
      });
    });
    lineLayer.innerHTML = "";
    Object.keys(parts).forEach(function (kind) {
      if (!parts[kind].length) return;
      var path = document.createElementNS(SVG_NS, "path");
      path.setAttribute("class", "link " + kind);
      path.setAttribute("d", parts[kind].join(""));
      lineLayer.appendChild(path);
    });
  }

  // ---- pan and zoom ----
  var view = {x: 20, y: 20, k: 1};
  function apply() {
    viewport.setAttribute("transform", "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")");
  }
  function zoomAt(factor, cx, cy) {
    var k = Math.min(2.5, Math.max(0.05, view.k * factor));
    view.x = cx - (cx - view.x) * (k / view.k);
    view.y = cy - (cy - view.y) * (k / view.k);
    view.k = k;
    apply();
  }
  function size() { var r = svg.getBoundingClientRect(); return {w: r.width, h: r.height}; }
  function fit() {
    var s = size();
    var k = Math.min(1, (s.w - 40) / extent.width, (s.h - 40) / Math.max(extent.height, 1));
    view.k = Math.max(0.05, k);
    view.x = (s.w - extent.width * view.k) / 2;
    view.y = 20;
    apply();
  }
  function centreOn(id) {
    var n = nodes[id], s = size();
    if (view.k < 0.6) view.k = 0.9;
    view.x = s.w / 2 - (n.x + W / 2) * view.k;
    view.y = s.h / 3 - (n.y + H / 2) * view.k;
    apply();
  }

  svg.addEventListener("wheel", function (e) {
    e.preventDefault();
    var r = svg.getBoundingClientRect();
    zoomAt(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - r.left, e.clientY - r.top);
  }, {passive: false});
  var drag = null;
  svg.addEventListener("pointerdown", function (e) {
    if (e.target.closest("a, .toggle")) return;
    drag = {x: e.clientX, y: e.clientY, vx: view.x, vy: view.y};
    svg.setPointerCapture(e.pointerId);
    svg.classList.add("dragging");
  });
  svg.addEventListener("pointermove", function (e) {
    if (!drag) return;
    view.x = drag.vx + e.clientX - drag.x;
    view.y = drag.vy + e.clientY - drag.y;
    apply();
  });
  function endDrag() { drag = null; svg.classList.remove("dragging"); }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);
  svg.addEventListener("keydown", function (e) {
    var step = 60, s = size();
    var moves = {ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step]};
    if (e.target === svg && moves[e.key]) {
      view.x += moves[e.key][0]; view.y += moves[e.key][1]; apply(); e.preventDefault();
    } else if (e.target === svg && (e.key === "+" || e.key === "=")) zoomAt(1.2, s.w / 2, s.h / 2);
    else if (e.target === svg && e.key === "-") zoomAt(1 / 1.2, s.w / 2, s.h / 2);
  });

  // ---- expand and collapse ----
  function toggleOf(target) { return target.closest && target.closest(".toggle"); }
  svg.addEventListener("click", function (e) {
    var t = toggleOf(e.target);
    if (!t) return;
    var id = t.closest("g.box").getAttribute("data-id");
    setOpen(id, !nodes[id].open);
  });
  svg.addEventListener("keydown", function (e) {
    var t = toggleOf(e.target);
    if (!t || (e.key !== "Enter" && e.key !== " ")) return;
    e.preventDefault();
    var id = t.closest("g.box").getAttribute("data-id");
    setOpen(id, !nodes[id].open).then(function () { t.focus(); });
  });

  // ---- search: bring a person into view, opening the way down to them ----
  var form = document.getElementById("chart-find");
  var results = document.getElementById("chart-results");
  function reveal(id) {
    return fetch(urls.pathUrl.replace("ID", encodeURIComponent(id)), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var path = data.path.filter(function (p) { return nodes[p] || true; });
        var start = path.findIndex(function (p) { return roots.indexOf(p) >= 0; });
        if (start < 0) { say(data.name + " is outside this part of the chart."); return null; }
        var chain = Promise.resolve();
        path.slice(start, -1).forEach(function (p) {
          chain = chain.then(function () { return loadKids(p).then(function (n) { n.open = true; }); });
        });
        return chain.then(function () {
          layout();
          Object.keys(nodes).forEach(function (k) { nodes[k].el.classList.remove("found"); });
          var n = nodes[id];
          n.el.classList.add("found");
          centreOn(id);
          say(data.name + " is shown and highlighted.");
          var link = n.el.querySelector("a");
          if (link) link.focus({preventScroll: true});
          return n;
        });
      });
  }
  function listMatches(people) {
    results.innerHTML = "";
    people.forEach(function (p) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.className = "link-like";
      b.textContent = p.name + (p.team ? " · " + p.team : "");
      b.addEventListener("click", function () { reveal(p.id); });
      li.appendChild(b);
      results.appendChild(li);
    });
    say(people.length ? people.length + " found: choose one to bring it into view." : "Nobody matches.");
  }
  if (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var q = form.querySelector("input").value.trim();
      if (!q) return;
      fetch(urls.findUrl + "?q=" + encodeURIComponent(q), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.people.length === 1) { results.innerHTML = ""; reveal(data.people[0].id); } else listMatches(data.people);
        });
    });
  }

  // ---- findings as badges, for what the viewer may see ----
  var SHORT = {"no-tech-lead": "no TL", "no-people-manager": "no PM", "dual-role": "2 jobs",
               "tech-lead-spread": "spread", "span-of-control": "span", "peter-principle-risk": "Peter",
               "unrecognised-lead": "unrecognised", "ic-with-reports": "IC+reports", "thin-bench": "thin bench",
               "architecture-line": "arch line", "track-parity": "parity"};
  var RANK = {critical: 3, warning: 2, info: 1};
  function fetchFindings(ids) {
    if (!ids || !ids.length || !urls.findingsUrl) return;
    fetch(urls.findingsUrl + "?ids=" + ids.map(encodeURIComponent).join(","), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : {findings: {}}; })
      .then(function (data) {
        Object.keys(data.findings).forEach(function (id) { badge(id, data.findings[id]); });
        legend();
      });
  }
  function badge(id, list) {
    var n = nodes[id];
    if (!n || !list.length) return;
    var layer = n.el.querySelector(".badges");
    layer.innerHTML = "";
    var worst = 0, x = W - 4;
    list.forEach(function (f) {
      worst = Math.max(worst, RANK[f.severity] || 0);
      var text = SHORT[f.code] || f.code;
      var w = 8 + text.length * 6.2;
      x -= w + 3;
      var g = document.createElementNS(SVG_NS, "g");
      g.setAttribute("class", "badge sev-" + f.severity);
      g.setAttribute("transform", "translate(" + x + ",-9)");
      var title = document.createElementNS(SVG_NS, "title");
      title.textContent = f.message;
      var rect = document.createElementNS(SVG_NS, "rect");
      rect.setAttribute("width", w); rect.setAttribute("height", 16); rect.setAttribute("rx", 8);
      var label = document.createElementNS(SVG_NS, "text");
      label.setAttribute("x", w / 2); label.setAttribute("y", 12);
      label.textContent = text;
      g.appendChild(title); g.appendChild(rect); g.appendChild(label);
      layer.appendChild(g);
    });
    n.el.classList.remove("fnd-1", "fnd-2", "fnd-3");
    n.el.classList.add("fnd-" + worst);
    var own = n.el.getAttribute("aria-label") || "";
    n.el.setAttribute("aria-label", own.split(" Findings: ")[0] + " Findings: " +
      list.map(function (f) { return f.message; }).join(" "));
  }

  // ---- colour by track, level, department or finding, with a legend ----
  var colourBy = document.getElementById("chart-colour");
  var legendList = document.getElementById("chart-legend");
  function legend() {
    if (!colourBy || !legendList) return;
    var mode = colourBy.value, seen = {}, items = [];
    Object.keys(nodes).forEach(function (id) {
      var el = nodes[id].el;
      if (el.style.display === "none") return;
      var key, label;
      if (mode === "track") { key = (el.getAttribute("class").match(/trk-\S+/) || [""])[0]; label = el.getAttribute("data-track"); }
      else if (mode === "level") { key = (el.getAttribute("class").match(/lvl-\S+/) || [""])[0]; label = el.getAttribute("data-level"); }
      else if (mode === "department") { key = (el.getAttribute("class").match(/dep-\S+/) || [""])[0]; label = el.getAttribute("data-department") || "no department"; }
      else { key = (el.getAttribute("class").match(/fnd-\d/) || ["fnd-0"])[0];
             label = {"fnd-0": "no finding", "fnd-1": "information", "fnd-2": "warning", "fnd-3": "critical"}[key]; }
      var k = key + "|" + label;
      if (!seen[k]) { seen[k] = true; items.push([key, label]); }
    });
    items.sort(function (a, b) { return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0; });
    legendList.innerHTML = "";
    items.slice(0, 24).forEach(function (it) {
      var li = document.createElement("li");
      li.className = "by-" + mode;
      var swatch = document.createElement("span");
      swatch.className = "swatch " + it[0];
      swatch.setAttribute("aria-hidden", "true");
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(it[1]));
      legendList.appendChild(li);
    });
  }
  function colour() {
    ["track", "level", "department", "finding"].forEach(function (m) { svg.classList.remove("by-" + m); });
    svg.classList.add("by-" + colourBy.value);
    legend();
  }
  if (colourBy) colourBy.addEventListener("change", colour);

  // ---- export of the current view, and print ----
  function exportable() {
    var s = size();
    var copy = svg.cloneNode(true);
    copy.setAttribute("xmlns", SVG_NS);
    copy.setAttribute("width", Math.round(s.w));
    copy.setAttribute("height", Math.round(s.h));
    copy.setAttribute("viewBox", "0 0 " + Math.round(s.w) + " " + Math.round(s.h));
    copy.removeAttribute("style");
    return fetch(urls.cssUrl).then(function (r) { return r.text(); }).then(function (css) {
      var style = document.createElementNS(SVG_NS, "style");
      style.textContent = css;
      copy.insertBefore(style, copy.firstChild);
      var background = document.createElementNS(SVG_NS, "rect");
      background.setAttribute("width", "100%"); background.setAttribute("height", "100%");
      background.setAttribute("fill", "#ffffff");
      copy.insertBefore(background, style.nextSibling);
      return {text: new XMLSerializer().serializeToString(copy), width: s.w, height: s.h};
    });
  }
  function download(href, name) {
    var a = document.createElement("a");
    a.href = href; a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
  }
  var svgButton = document.getElementById("chart-export-svg");
  if (svgButton) svgButton.addEventListener("click", function () {
    exportable().then(function (out) {
      download("data:image/svg+xml;charset=utf-8," + encodeURIComponent(out.text), "org-chart.svg");
      say("The current view was saved as org-chart.svg.");
    });
  });
  var pngButton = document.getElementById("chart-export-png");
  if (pngButton) pngButton.addEventListener("click", function () {
    exportable().then(function (out) {
      var image = new Image();
      image.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(out.width * 2); canvas.height = Math.round(out.height * 2);
        var context = canvas.getContext("2d");
        context.scale(2, 2);
        context.drawImage(image, 0, 0);
        download(canvas.toDataURL("image/png"), "org-chart.png");
        say("The current view was saved as org-chart.png.");
      };
      image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(out.text);
    });
  });
  function button(id, action) { var b = document.getElementById(id); if (b) b.addEventListener("click", action); }
  button("chart-zoom-in", function () { var s = size(); zoomAt(1.25, s.w / 2, s.h / 2); });
  button("chart-zoom-out", function () { var s = size(); zoomAt(1 / 1.25, s.w / 2, s.h / 2); });
  button("chart-fit", fit);

  // ---- start: adopt what the server drew, then bring the focus into view ----
  Array.prototype.forEach.call(boxLayer.querySelectorAll("g.kids"), adopt);
  layout();
  if (colourBy) colour();
  fetchFindings(Object.keys(nodes));
  if (urls.focus && nodes[urls.focus]) {
    nodes[urls.focus].el.classList.add("found");
    centreOn(urls.focus);
  } else if (urls.focus) {
    reveal(urls.focus);
  } else {
    fit();
  }
  svg.setAttribute("data-ready", "1");
  // For the benchmark and the tests: open a person's reports and say when they are drawn.
  window.trellisChart = {open: function (id) { return setOpen(id, true); }, reveal: reveal,
                         count: function () { return Object.keys(nodes).filter(shown).length; }};
})();
