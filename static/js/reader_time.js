/* A moment in the reader's own time zone (the page shows the market's): the same format
 * as core/dates.py, the zone named as UTC±h. No libraries. */
(function () {
  "use strict";
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function zoneLabel(date) {
    var minutes = -date.getTimezoneOffset();
    if (minutes === 0) return "UTC";
    var sign = minutes > 0 ? "+" : "-";
    var abs = Math.abs(minutes);
    var rest = abs % 60;
    return "UTC" + sign + Math.floor(abs / 60) + (rest ? ":" + two(rest) : "");
  }

  document.querySelectorAll("time[data-reader-time]").forEach(function (el) {
    var date = new Date(el.getAttribute("datetime"));
    if (isNaN(date.getTime())) return;
    var clock = two(date.getHours()) + ":" + two(date.getMinutes());
    var label = zoneLabel(date);
    if (el.dataset.locale === "zh") {
      el.textContent = date.getFullYear() + "年" + (date.getMonth() + 1) + "月" + date.getDate() + "日 " + clock + "（" + label + "）";
    } else {
      el.textContent = date.getDate() + " " + MONTHS[date.getMonth()] + " " + date.getFullYear() + ", " + clock + " (" + label + ")";
    }
    var line = el.closest("[data-reader-line]");
    if (line) {
      line.classList.remove("d-none");
      line.classList.add("d-block");
    }
  });
})();
