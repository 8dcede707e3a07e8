// Behaviour shared by every page. No inline scripts anywhere: the content security policy forbids them.
"use strict";
(function () {
  // After a form answers (the what-if simulation, an upload's preview), move focus to the
  // answer so a screen reader reads it and a keyboard user carries on from there.
  function focusAnswer(root) {
    var answer = root.querySelector("[data-announce]");
    if (!answer) return;
    if (!answer.hasAttribute("tabindex")) answer.setAttribute("tabindex", "-1");
    answer.focus();
  }
  // A table wider than a phone scrolls inside its own box; a keyboard must reach it too.
  function scrollableByKeyboard(root) {
    root.querySelectorAll(".scroll, table.list").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        if (!box.hasAttribute("aria-label")) {
          var named = box.querySelector("[aria-label]");
          box.setAttribute("aria-label", named ? named.getAttribute("aria-label") : "Table");
        }
        if (box.tagName !== "TABLE") box.setAttribute("role", "region");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    focusAnswer(document);
    scrollableByKeyboard(document);
  });
  window.addEventListener("resize", function () { scrollableByKeyboard(document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    focusAnswer(event.target);
    scrollableByKeyboard(event.target);
  });
  // Buttons that print the page (no onclick attributes: the policy forbids them too).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) window.print();
  });
})();
