/* Meeting-safe mode: while it is on (its banner is on the page), a download, which keeps names, asks first: links
   to /download/ and buttons of class lp-download (files the server sends through dcc.Download). */
(function () {
  "use strict";
  var MESSAGE = "This file contains names: LearnPulse's downloads keep every name and e-mail, " +
                "even in meeting-safe mode. Download it?";
  var MAIL_MESSAGE = "This e-mail shows the learners' addresses (e-mails keep them, even in meeting-safe mode). " +
                     "Open it?";
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest('a[href*="/download/"], .lp-download') : null;
    if (!link || !document.getElementById("shell-meeting-banner")) { return; }
    var mail = (link.getAttribute("href") || "").indexOf("mailto:") === 0;
    if (!window.confirm(mail ? MAIL_MESSAGE : MESSAGE)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
