// A live count of the characters written in a textarea, for forms that ask "at least N 字".
// <textarea data-counter="ID" data-min-length="300"> updates the element #ID; its
// data-template and data-done give the text ({n}, {min}). Spaces and line breaks are not
// counted, as the server does (luodi.checkin.trainee.reflection_length).
(function () {
  "use strict";
  function count(text) {
    var n = 0;
    for (var ch of text) {  // code points, as Python's len counts them
      if (!/\s/.test(ch)) n += 1;
    }
    return n;
  }
  function bind(area) {
    var out = document.getElementById(area.dataset.counter);
    if (!out) return;
    var min = parseInt(area.dataset.minLength || "0", 10);
    function update() {
      var n = count(area.value);
      var template = n >= min ? out.dataset.done : out.dataset.template;
      out.textContent = template.replace("{n}", n).replace("{min}", min);
      out.classList.toggle("short", n < min);
    }
    area.addEventListener("input", update);
    update();
  }
  function start() {
    document.querySelectorAll("textarea[data-counter]").forEach(bind);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
