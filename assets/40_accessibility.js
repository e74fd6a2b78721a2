/* Accessibility repairs of third-party components' markup that our layouts cannot reach (WCAG 2.1 AA, checked
   by axe-core in tests/test_browser_accessibility.py). Applied on every change of the page:
   - dcc.Dropdown puts a hidden read-only input before its button, in the Tab order, that passes focus on to
     the button: it is marked aria-hidden while focusable. The button itself becomes the Tab stop, with the
     dropdown's label, and the proxy leaves the Tab order.
   - dbc.Tabs used as navigation (their panes live elsewhere) point aria-controls at panes that do not exist:
     the attribute is removed.
   - dcc.DatePickerRange: the clear link gets role=button (it carries an aria-label), and its wrapper loses
     the aria-expanded a plain div may not have. */
(function () {
  "use strict";

  function repair(root) {
    root.querySelectorAll(".dash-dropdown-focus-target").forEach(function (proxy) {
      proxy.setAttribute("tabindex", "-1");
      var button = proxy.nextElementSibling;
      if (button && button.tagName === "BUTTON" && !button.disabled && button.getAttribute("tabindex") !== "0") {
        button.setAttribute("tabindex", "0");
      }
    });
    root.querySelectorAll("[role=tab][aria-controls]").forEach(function (tab) {
      if (!document.getElementById(tab.getAttribute("aria-controls"))) { tab.removeAttribute("aria-controls"); }
    });
    root.querySelectorAll("a.dash-datepicker-clear[aria-label]:not([role])").forEach(function (a) {
      a.setAttribute("role", "button");
    });
    root.querySelectorAll("div[aria-expanded]:not([role])").forEach(function (div) {
      div.removeAttribute("aria-expanded");
    });
  }

  var scheduled = false;
  function soon() {
    if (scheduled) { return; }
    scheduled = true;
    window.requestAnimationFrame(function () { scheduled = false; repair(document); });
  }

  function start() {
    repair(document);
    new MutationObserver(soon).observe(document.body, {childList: true, subtree: true, attributes: true,
                                                        attributeFilter: ["tabindex", "aria-controls"]});
    // the dropdown's button hands the Tab stop back to its proxy when it loses focus
    document.addEventListener("focusout", soon, true);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
