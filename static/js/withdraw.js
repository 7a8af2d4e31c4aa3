// The withdrawal page: copy the code from the link's fragment (#...) into the form, then drop
// the fragment from the address bar. The fragment never reaches the server; without this
// script the signer pastes the code by hand.
(function () {
  "use strict";
  var field = document.getElementById("token");
  var code = window.location.hash.slice(1);
  if (!field || !code) {
    return;
  }
  if (!field.value) {
    field.value = decodeURIComponent(code);
  }
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
})();
