/* Meeting-safe mode: while it is on (its banner is on the page), a download, which keeps names, asks first: links
   to /download/ and buttons of class lp-download (files the server sends through dcc.Download). */
(function () {
  var MESSAGE = "This file contains names: LearnPulse's downloads keep every name and e-mail, " +
                "even in meeting-safe mode. Download it?";
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest('a[href*="/download/"], .lp-download') : null;
    if (!link || !document.getElementById("shell-meeting-banner")) { return; }
    if (!window.confirm(MESSAGE)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
