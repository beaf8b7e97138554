// Live console: every 5 s, ask what changed; when a flow moved, fetch this page again and swap its
// main content (no reload, the focus and the scroll stay). Forms being filled are left alone.
(function () {
  var version = null;
  function busy() {
    var a = document.activeElement;
    return a && (a.tagName === 'INPUT' || a.tagName === 'SELECT' || a.tagName === 'TEXTAREA');
  }
  function refresh() {
    fetch('/console/etat', {credentials: 'same-origin', cache: 'no-store'})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) {
        if (!state) { return; }
        if (version !== null && state.version !== version && !busy()) {
          fetch(location.href, {credentials: 'same-origin', cache: 'no-store'})
            .then(function (r) { return r.text(); })
            .then(function (html) {
              var next = new DOMParser().parseFromString(html, 'text/html').querySelector('main');
              var main = document.querySelector('main');
              if (next && main) { main.innerHTML = next.innerHTML; document.body.setAttribute('data-refreshed', state.version); }
            });
        }
        version = state.version;
      })
      .catch(function () {});
  }
  if (!document.querySelector('form.login') && !document.querySelector('input[type=file]')) {
    refresh();
    setInterval(refresh, 5000);
  }
})();
