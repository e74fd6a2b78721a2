/* Compare cohorts: the address keeps the chosen cohorts (?session=A&session=B), so a link opens the same view. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  learnpulse_trends: {
    syncCompareUrl: function (chosen) {
      var params = new URLSearchParams();
      (Array.isArray(chosen) ? chosen : []).forEach(function (s) { params.append("session", s); });
      var url = window.location.pathname + (params.toString() ? "?" + params.toString() : "");
      if (url !== window.location.pathname + window.location.search) {
        window.history.replaceState(window.history.state, "", url);
      }
      return url;
    }
  }
});
