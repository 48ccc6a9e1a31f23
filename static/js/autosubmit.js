/* A select marked data-autosubmit submits its form when changed (the sort boxes of the
 * search pages). Kept out of the markup: the Content-Security-Policy allows no inline
 * event handlers. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
})();
