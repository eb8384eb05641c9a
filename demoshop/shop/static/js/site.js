/* Dija Accessories demo shop: cookie consent. The analytics cookie is set only after consent. */
(function () {
  "use strict";
  var YEAR = 60 * 60 * 24 * 365;

  function setCookie(name, value, maxAge) {
    document.cookie = name + "=" + value + "; Max-Age=" + maxAge + "; Path=/; SameSite=Lax; Secure";
  }

  function startAnalytics() {
    if (document.cookie.indexOf("_ga_demo=") === -1) {
      setCookie("_ga_demo", "GA1.1." + Math.floor(Math.random() * 1e9) + "." + Math.floor(Date.now() / 1000), YEAR * 2);
    }
  }

  function choose(choice) {
    setCookie("cookie_consent", choice === "accept" ? "accepted" : "rejected", YEAR);
    if (choice === "accept") { startAnalytics(); }
    var banner = document.getElementById("cookie-consent");
    if (banner) { banner.hidden = true; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.cookie.indexOf("cookie_consent=accepted") !== -1) { startAnalytics(); }
    var buttons = document.querySelectorAll("#cookie-consent [data-consent]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () { choose(button.getAttribute("data-consent")); });
    });
  });
}());
