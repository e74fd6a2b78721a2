/* Users page (clientside): the address bar follows the tab and the team shown. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  learnpulse_users: {
    /* Keep ?tab=deleted&manager=ID in the address bar without reloading, so the view can be shared;
       replaceState: switching tabs does not fill the Back button's history. */
    syncUsersUrl: function (tab, manager) {
      var params = new URLSearchParams(window.location.search);
      if (tab && tab !== "current") { params.set("tab", tab); } else { params.delete("tab"); }
      if (manager) { params.set("manager", manager); } else { params.delete("manager"); }
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "");
      if (url !== window.location.pathname + window.location.search) {
        window.history.replaceState(window.history.state, "", url);
      }
      return url;
    }
  }
});
