/* The alt shop's add-to-bag: posts with fetch() and then goes to the bag (no form navigation). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("button.add-to-bag"), function (button) {
      button.addEventListener("click", function () {
        var quantity = document.getElementById("qty");
        var body = new URLSearchParams({product_id: button.getAttribute("data-product"),
                                        quantity: quantity ? quantity.value : "1"});
        button.disabled = true;
        fetch(button.getAttribute("data-action"), {method: "POST", body: body, credentials: "same-origin"})
          .then(function (response) {
            if (!response.ok) { throw new Error("add to bag failed: HTTP " + response.status); }
            window.location.href = button.getAttribute("data-bag");
          })
          .catch(function (error) { button.disabled = false; console.error(error.message); });
      });
    });
  });
}());
