// The answering page of a survey: skip logic (a question shown only after a given answer) and a
// draft kept on the phone, so answers survive a lost connection or a closed tab until submitted.
(function () {
  "use strict";
  var clear = document.querySelector("[data-clear-draft]");
  if (clear) {
    try { localStorage.removeItem(clear.getAttribute("data-clear-draft")); } catch (e) { /* private mode */ }
    return;
  }
  var form = document.querySelector("form[data-draft-key]");
  if (!form) { return; }
  var key = form.getAttribute("data-draft-key");
  var note = form.querySelector("[data-draft-note]");
  var serverErrors = document.querySelector("[data-testid=form-errors]");

  function chosen(name) {
    var picked = [];
    form.querySelectorAll('input[name="' + name + '"]').forEach(function (input) {
      if (input.checked && !input.disabled) { picked.push(input.value); }
    });
    return picked;
  }

  function applySkips() {
    form.querySelectorAll("fieldset[data-show-if]").forEach(function (box) {
      var wanted = box.getAttribute("data-show-if-options").split(",");
      var picked = chosen(box.getAttribute("data-show-if"));
      var show = picked.some(function (v) { return wanted.indexOf(v) !== -1; });
      box.hidden = !show;
      // A hidden question's answers are not sent (the server drops them anyway).
      box.querySelectorAll("input, textarea, select").forEach(function (el) { el.disabled = !show; });
    });
  }

  function save() {
    var data = {};
    form.querySelectorAll("input, textarea").forEach(function (el) {
      if (!el.name || el.type === "hidden") { return; }
      if ((el.type === "radio" || el.type === "checkbox")) {
        if (el.checked) { (data[el.name] = data[el.name] || []).push(el.value); }
      } else if (el.value) {
        data[el.name] = [el.value];
      }
    });
    try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) { return; }
    if (note) { note.hidden = false; }
  }

  function restore() {
    var raw = null;
    try { raw = localStorage.getItem(key); } catch (e) { return; }
    if (!raw || serverErrors) { return; }  // after a refused submit, the page shows what was sent
    var data;
    try { data = JSON.parse(raw); } catch (e) { return; }
    form.querySelectorAll("input, textarea").forEach(function (el) {
      var values = data[el.name];
      if (!values || el.type === "hidden") { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = values.indexOf(el.value) !== -1;
      } else {
        el.value = values[0];
      }
    });
    if (note) { note.hidden = false; }
  }

  restore();
  applySkips();
  form.addEventListener("change", function () { applySkips(); save(); });
  form.addEventListener("input", save);
})();
