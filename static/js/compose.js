// letterkit compose: quicker with JavaScript, complete without it.
// 1. Lists with a search box filter as you type (data-filter="#list-id").
// 2. Forms marked data-autosave are saved to the server a moment after each change, so a lost
//    session or a closed tab loses at most a few seconds of typing. Nothing is kept in the browser.
(function () {
  "use strict";

  function normalise(text) {
    return (text || "").toLocaleLowerCase().normalize("NFKC");
  }

  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var list = document.querySelector(input.getAttribute("data-filter"));
    if (!list) { return; }
    input.addEventListener("input", function () {
      var needle = normalise(input.value.trim());
      list.querySelectorAll("li").forEach(function (item) {
        var haystack = normalise(item.getAttribute("data-text") || item.textContent);
        item.hidden = needle !== "" && haystack.indexOf(needle) === -1;
      });
    });
  });

  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var timer = null;
    var status = document.createElement("p");
    status.className = "muted autosave-status";
    status.setAttribute("role", "status");
    form.appendChild(status);
    function save() {
      var data = new FormData(form);
      data.set("autosave", "1");
      fetch(form.action || window.location.href, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        return response.ok ? response.text() : "";
      }).then(function (text) {
        // "partly saved": a field with an error keeps its stored value until it is corrected.
        status.textContent = text === "saved" ? (form.getAttribute("data-saved") || "✓") : "";
      }).catch(function () { status.textContent = ""; });
    }
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 1500);
    });
  });
})();
