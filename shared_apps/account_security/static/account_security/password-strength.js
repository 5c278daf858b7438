// Live feedback while a new password is typed. The server gives the same rules as
// messages when the form is sent, so this only helps; nothing depends on it.
(function () {
  "use strict";
  var SPECIAL_POOL = 37;
  var TARGET_BITS = 80;

  function entropyBits(password) {
    var pool = 0;
    if (/[a-z]/.test(password)) pool += 26;
    if (/[A-Z]/.test(password)) pool += 26;
    if (/[0-9]/.test(password)) pool += 10;
    if (/[^a-zA-Z0-9]/.test(password)) pool += SPECIAL_POOL;
    return pool ? password.length * Math.log2(pool) : 0;
  }

  function attach(input) {
    var labels = {
      weak: input.getAttribute("data-strength-weak"),
      fair: input.getAttribute("data-strength-fair"),
      strong: input.getAttribute("data-strength-strong"),
    };
    var meter = document.createElement("meter");
    meter.min = 0;
    meter.max = TARGET_BITS * 1.5;
    meter.low = TARGET_BITS * 0.75;
    meter.high = TARGET_BITS;
    meter.optimum = TARGET_BITS * 1.5;
    meter.id = input.id + "_meter";
    meter.setAttribute("aria-hidden", "true");
    var status = document.createElement("p");
    status.id = input.id + "_strength";
    status.className = "field__help password-strength";
    status.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", status);
    input.insertAdjacentElement("afterend", meter);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + status.id);

    var timer = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var bits = entropyBits(input.value);
        meter.value = Math.min(bits, meter.max);
        if (!input.value) status.textContent = "";
        else if (bits + 1 < TARGET_BITS || input.value.length < 12) status.textContent = labels.weak;
        else if (bits < TARGET_BITS * 1.25) status.textContent = labels.fair;
        else status.textContent = labels.strong;
      }, 250);
    });
  }

  document.querySelectorAll("input[data-password-strength]").forEach(attach);
})();
