// Public directory: small progressive enhancements (the pages work without JavaScript).
// A file, not inline code: the Content Security Policy forbids inline scripts.
document.addEventListener("DOMContentLoaded", function () {
  // After a search, move focus to the result count so screen readers announce it.
  var target = document.getElementById("error-summary") || document.querySelector("[data-focus-on-load]");
  if (target) { target.focus(); }
  // Print buttons are hidden until JavaScript can make them work.
  document.querySelectorAll(".js-print").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});
