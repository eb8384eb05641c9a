/* Dija Accessories demo shop: the broken upsell widget of the js_error fault. It takes over the
   add-to-cart form (or add-to-bag button), then fails on its missing config, so nothing is ever added to the cart. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {  /* the alt shop's fetch() add-to-bag */
    if (event.target.closest && event.target.closest(".add-to-bag")) { event.stopPropagation(); }
  }, true);
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("add-to-cart");
    if (!form && !document.querySelector(".add-to-bag")) { return; }
    if (form) { form.addEventListener("submit", function (event) { event.preventDefault(); }); }
    renderUpsell(window.upsellConfig.items);
  });
}());
