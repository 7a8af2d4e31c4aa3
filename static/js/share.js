// letterkit share: a "Copy link" button beside a petition's link. Without JavaScript the link
// stays a read-only text field to select and copy by hand.
(function () {
  "use strict";

  document.querySelectorAll("input[data-copy-label]").forEach(function (input) {
    var button = document.createElement("button");
    var label = input.getAttribute("data-copy-label");
    var status = document.createElement("span");
    button.type = "button";
    button.className = "small secondary copy-link";
    button.textContent = label;
    status.className = "muted";
    status.setAttribute("role", "status");
    input.parentNode.appendChild(button);
    input.parentNode.appendChild(status);
    input.addEventListener("focus", function () { input.select(); });

    function copied() {
      status.textContent = input.getAttribute("data-copied-label");
    }

    button.addEventListener("click", function () {
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(copied, function () {
          document.execCommand("copy");
          copied();
        });
      } else {
        document.execCommand("copy");
        copied();
      }
    });
  });
})();
