/* Dija Accessories demo shop: the broken upsell widget of the js_error fault. It takes over the
   add-to-cart form, then fails on its missing config, so nothing is ever added to the cart. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("add-to-cart");
    if (!form) { return; }
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    renderUpsell(window.upsellConfig.items);
  });
}());
