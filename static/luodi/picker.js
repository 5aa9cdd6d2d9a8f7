// Searching pickers (luodi.lib.pickers): <select data-picker="URL"> holds only the chosen
// options; this adds the chosen ones as removable chips and a search box that asks URL?q=… for
// matches ({"results": [{"id", "text"}], "more": bool}) and adds the one picked. The select
// stays in the form (hidden), so what is posted is the select's value, as without a picker.
(function () {
  "use strict";
  var counter = 0;

  function bind(select) {
    if (select.dataset.pickerBound) return;
    select.dataset.pickerBound = "1";
    var multiple = select.multiple;
    var box = document.createElement("div");
    box.className = "picker";
    var chips = document.createElement("div");
    chips.className = "picker-chips";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "picker-search";
    input.autocomplete = "off";
    input.placeholder = select.dataset.placeholder || "";
    input.id = (select.id || "picker" + ++counter) + "_search";
    var list = document.createElement("ul");
    list.className = "picker-results";
    list.id = input.id + "_results";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    box.append(chips, input, list);
    select.after(box);
    select.hidden = true;
    // The field's label now names the search box.
    var label = (select.id && document.querySelector('label[for="' + select.id + '"]')) ||
      select.closest("label");
    if (label) label.htmlFor = input.id;

    function chosen() {
      return Array.from(select.options).filter(function (o) { return o.selected && o.value; });
    }

    function drawChips() {
      chips.textContent = "";
      chosen().forEach(function (option) {
        var chip = document.createElement("span");
        chip.className = "picker-chip";
        chip.textContent = option.text;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label", (select.dataset.remove || "Remove") + " " + option.text);
        remove.addEventListener("click", function () {
          option.selected = false;
          if (!multiple) option.remove();
          select.dispatchEvent(new Event("change", { bubbles: true }));
          drawChips();
          input.focus();
        });
        chip.append(remove);
        chips.append(chip);
      });
    }

    function pick(id, text) {
      var option = Array.from(select.options).find(function (o) { return o.value === String(id); });
      if (!multiple) {
        Array.from(select.options).forEach(function (o) { if (o.value && o !== option) o.remove(); });
      }
      if (!option) {
        option = new Option(text, id, true, true);
        select.add(option);
      }
      option.selected = true;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      drawChips();
      close();
      input.value = "";
    }

    var active = -1;
    function items() { return Array.from(list.querySelectorAll("li[data-id]")); }
    function highlight(index) {
      var all = items();
      active = Math.max(-1, Math.min(index, all.length - 1));
      all.forEach(function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", all[active].id);
        all[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      active = -1;
    }
    function show(data) {
      list.textContent = "";
      var taken = chosen().map(function (o) { return o.value; });
      data.results.forEach(function (row, i) {
        var li = document.createElement("li");
        li.id = list.id + "_" + i;
        li.dataset.id = row.id;
        li.setAttribute("role", "option");
        li.textContent = row.text;
        if (taken.indexOf(String(row.id)) >= 0) li.className = "picked";
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();  // keep the focus in the search box
          pick(row.id, row.text);
        });
        list.append(li);
      });
      if (!data.results.length) {
        var none = document.createElement("li");
        none.className = "picker-none";
        none.textContent = select.dataset.none || "";
        list.append(none);
      } else if (data.more) {
        var more = document.createElement("li");
        more.className = "picker-none";
        more.textContent = "…";
        list.append(more);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(data.results.length ? 0 : -1);
    }

    var timer = null;
    var asked = 0;
    function search() {
      var url = select.dataset.picker;
      url += (url.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(input.value.trim());
      var mine = ++asked;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (mine === asked && document.activeElement === input) show(data); })
        .catch(function () {});
    }
    input.addEventListener("input", function () {
      // The matches shown are for the text before: none may be picked until the new ones come.
      close();
      asked++;
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("focus", search);
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) search(); else highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && !list.hidden) {
        event.preventDefault();  // picking, not submitting the form
        var li = items()[active];
        if (li) pick(li.dataset.id, li.textContent);
      }
    });
    drawChips();
  }

  function scan(root) {
    root.querySelectorAll("select[data-picker]").forEach(bind);
  }
  function start() {
    scan(document);
    // Parts of a page htmx swaps in (e.g. a form loaded into a dialog).
    document.addEventListener("htmx:load", function (event) { scan(event.detail.elt); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
