// Small enhancements every page shares (the pages work without JavaScript).
// A file, not inline code: the Content Security Policy forbids inline scripts.
document.addEventListener("DOMContentLoaded", function () {
  // After a failed submit, the error summary takes the focus so a screen reader reads it at once.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  // A link of the summary moves the focus to its field (the browser would only scroll there).
  document.querySelectorAll("#error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      event.preventDefault();
      var label = field.labels && field.labels[0];
      var fieldset = field.closest("fieldset");
      (fieldset || label || field).scrollIntoView();
      field.focus({ preventScroll: true });
    });
  });
});
