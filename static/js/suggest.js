/* Suggestions as you type: fills the box's <datalist> from /search/suggest (debounced). */
(function () {
  document.querySelectorAll("input[data-suggest-url]").forEach(function (box) {
    var list = document.getElementById(box.getAttribute("list"));
    if (!list || !window.fetch) { return; }
    var timer = null, asked = "", controller = null;
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = box.value.trim();
        if (text === asked) { return; }
        asked = text;
        if (controller) { controller.abort(); }
        if (!text) { list.replaceChildren(); return; }
        controller = window.AbortController ? new AbortController() : null;
        var url = box.dataset.suggestUrl + "?q=" + encodeURIComponent(text);
        fetch(url, {headers: {"Accept": "application/json"}, signal: controller && controller.signal})
          .then(function (response) { return response.ok ? response.json() : {suggestions: []}; })
          .then(function (data) {
            if (box.value.trim() !== text) { return; }
            list.replaceChildren.apply(list, (data.suggestions || []).map(function (title) {
              var option = document.createElement("option");
              option.value = title;
              return option;
            }));
          })
          .catch(function () {});
      }, 200);
    });
  });
})();
