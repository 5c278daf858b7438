// Warn before an idle sign-out and let the person stay signed in.
// The server enforces the limit on its own; this only gives notice. No inline script:
// settings come from data- attributes on the dialog.
(function () {
  "use strict";
  var dialog = document.getElementById("idle-warning");
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) return;

  var idleSeconds = parseInt(dialog.dataset.idleSeconds, 10);
  var warnSeconds = Math.min(parseInt(dialog.dataset.warnSeconds, 10) || 120, Math.floor(idleSeconds / 2));
  var countdown = dialog.querySelector("[data-idle-countdown]");
  var template = dialog.querySelector("[data-idle-seconds-text]");
  var stayForm = dialog.querySelector("[data-idle-stay]").form;
  var warnTimer = null;
  var tickTimer = null;
  var deadline = 0;

  function schedule(secondsLeft) {
    clearTimeout(warnTimer);
    deadline = Date.now() + secondsLeft * 1000;
    warnTimer = setTimeout(check, Math.max(secondsLeft - warnSeconds, 1) * 1000);
  }

  function signedOut() {
    window.location.assign(dialog.dataset.signInUrl + "?next=" + encodeURIComponent(window.location.pathname));
  }

  // Another tab may have kept the session alive: ask the server before warning.
  function check() {
    fetch(dialog.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (!status.signed_in) return signedOut();
        if (status.seconds_left > warnSeconds) return schedule(status.seconds_left);
        deadline = Date.now() + status.seconds_left * 1000;
        warn();
      })
      .catch(function () { schedule(warnSeconds + 1); });
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    if (countdown && template) countdown.textContent = template.content.textContent.replace("{seconds}", left);
    if (left <= 0) { clearInterval(tickTimer); signedOut(); }
  }

  function warn() {
    if (!dialog.open) dialog.showModal();
    tick();
    clearInterval(tickTimer);
    tickTimer = setInterval(tick, 1000);
  }

  stayForm.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(stayForm.action, {
      method: "POST", body: new FormData(stayForm), credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (!status.signed_in) return signedOut();
        clearInterval(tickTimer);
        dialog.close();
        schedule(status.seconds_left);
      })
      .catch(function () { stayForm.submit(); });
  });

  // Escape closes a modal dialog; here it must not leave the sign-out running unseen,
  // so it answers the question the way a person dismissing it means: stay signed in.
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    stayForm.requestSubmit();
  });

  schedule(idleSeconds);
})();
