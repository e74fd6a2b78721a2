/* LearnPulse clientside callbacks: things only the browser can do (the address bar, the clipboard). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  learnpulse: {
    /* The navbar's toggler on a narrow screen: open or close the sections. */
    toggle: function (clicks, isOpen) { return !isOpen; },

    /* Load a path afresh (a full page load: the viewer changed, so everything on screen must). */
    reload: function (path) {
      if (path) { window.location.assign(path); }
      return path || window.dash_clientside.no_update;
    },

    /* Load the page being shown afresh (the meeting-safe switch changed how every name is shown). */
    reloadHere: function (saved) {
      if (saved === true || saved === false) { window.location.reload(); }
      return window.dash_clientside.no_update;
    },

    /* Keep ?session=ID&bucket=8-14,15-30 in the address bar without reloading the page, so the link
       can be shared. replaceState: selecting bars does not fill the Back button's history. */
    syncParticipantsUrl: function (session, selected) {
      if (!session) { return window.dash_clientside.no_update; }
      var params = new URLSearchParams(window.location.search);
      params.set("session", session);
      if (selected && selected.length) {
        params.set("bucket", selected.map(function (b) { return b.replace("\u2013", "-"); }).join(","));
      } else {
        params.delete("bucket");
      }
      var url = window.location.pathname + "?" + params.toString();
      if (url !== window.location.pathname + window.location.search) {
        window.history.replaceState(window.history.state, "", url);
      }
      return url;
    },

    /* Tables whose rows come from the server block by block (AG Grid infinite row model): when what
       they list changes (other bars, a group, a block, a search), drop the loaded blocks so the grid asks
       again. Called with the values that changed, then the grid's id (the last argument). */
    refreshGrid: function () {
      var values = Array.prototype.slice.call(arguments, 0, -1);
      var gridId = arguments[arguments.length - 1];
      if (window.dash_ag_grid && window.dash_ag_grid.getApiAsync) {
        window.dash_ag_grid.getApiAsync(gridId).then(function (api) {
          api.purgeInfiniteCache();
          api.paginationGoToFirstPage();
        });
      }
      return JSON.stringify(values.map(function (v) { return v === undefined ? null : v; }));
    },

    /* Bring a card that just opened below the fold into view (the Groups page's learners of a session). */
    revealCard: function (value, cardId) {
      if (value) {
        window.setTimeout(function () {
          var card = document.getElementById(cardId);
          if (card) { card.scrollIntoView({behavior: "smooth", block: "start"}); }
        }, 50);
      }
      return window.dash_clientside.no_update;
    },

    /* Copy the emails the server sent for "Copy emails" (every learner the table lists, with its
       filters), joined with ", " so they paste into a mail's To: field. Falls back to execCommand on
       plain http (no secure context, e.g. an intranet server), where navigator.clipboard is missing. */
    copyEmails: function (data) {
      if (!data) { return window.dash_clientside.no_update; }
      if (data.failed) { return "Could not read the emails; try again."; }
      var emails = data.emails || [];
      if (!emails.length) { return "No learners listed."; }
      var text = emails.join(", ");
      var done = "\u2713 Copied " + emails.length + (emails.length === 1 ? " email" : " emails");
      var failed = "Copy failed: your browser blocked the clipboard.";
      function fallback() {
        var area = document.createElement("textarea");
        area.value = text;
        area.setAttribute("readonly", "");
        area.style.position = "fixed";
        area.style.opacity = "0";
        document.body.appendChild(area);
        area.select();
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        document.body.removeChild(area);
        return ok;
      }
      if (navigator.clipboard && window.isSecureContext) {
        return navigator.clipboard.writeText(text).then(function () { return done; },
          function () { return fallback() ? done : failed; });
      }
      return fallback() ? done : failed;
    }
  }
});
