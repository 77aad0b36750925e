// A filter box for a long group of checkboxes (FilterableCheckboxSelectMultiple in
// portal/widgets.py). The checkboxes stay native: keyboard and screen readers work as with any
// checkbox group, and without this script the group works as it is. The script adds a search
// field that hides the options that do not match, a status line read out by screen readers
// ("12 of 350 shown") and a line naming what is chosen. Texts come from data attributes, so
// they are translated in the template and no inline script is needed.
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function enhance(root) {
    var list = root.querySelector(".option-filter__options");
    var options = Array.prototype.map.call(list.querySelectorAll("input"), function (input) {
      var label = root.querySelector('label[for="' + input.id + '"]');
      // Django puts each label (with its checkbox inside) in a div of its own: that div is the row.
      return { input: input, row: label.parentNode, text: fold(label.textContent),
               name: label.textContent.trim() };
    });
    var id = list.id;
    var field = document.createElement("div");
    field.className = "option-filter__search";
    var label = document.createElement("label");
    label.htmlFor = id + "_filter";
    label.textContent = root.dataset.filterLabel;
    var input = document.createElement("input");
    input.type = "search";
    input.id = id + "_filter";
    input.autocomplete = "off";
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-describedby", id + "_filter_status");
    var status = document.createElement("p");
    status.className = "option-filter__status";
    status.id = id + "_filter_status";
    status.setAttribute("role", "status");
    var chosen = document.createElement("p");
    chosen.className = "option-filter__chosen";
    chosen.id = id + "_filter_chosen";
    field.append(label, input, status);
    root.insertBefore(field, root.firstChild);
    root.insertBefore(chosen, list);

    function visible() {
      return options.filter(function (o) { return !o.row.hidden; });
    }

    function showStatus() {
      var shown = visible().length;
      status.textContent = shown === 0
        ? root.dataset.filterNone
        : format(root.dataset.filterCount, { shown: shown, total: options.length });
    }

    function showChosen() {
      var names = options.filter(function (o) { return o.input.checked; })
        .map(function (o) { return o.name; });
      chosen.textContent = names.length
        ? format(root.dataset.filterChosen, { n: names.length, names: names.join(", ") })
        : root.dataset.filterNoneChosen;
    }

    function filter() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      options.forEach(function (o) {
        o.row.hidden = !words.every(function (w) { return o.text.indexOf(w) !== -1; });
      });
      showStatus();
    }

    function move(from, step) {
      var rows = visible();
      var at = rows.findIndex(function (o) { return o.input === from; });
      var next = rows[at + step];
      if (next) {
        next.input.focus();
      } else if (step < 0) {
        input.focus();
      }
    }

    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();  // Enter in the filter must not send the form.
      } else if (event.key === "ArrowDown" && visible().length) {
        event.preventDefault();
        visible()[0].input.focus();
      } else if (event.key === "Escape" && input.value) {
        event.preventDefault();
        input.value = "";
        filter();
      }
    });
    list.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        move(event.target, event.key === "ArrowDown" ? 1 : -1);
      }
    });
    list.addEventListener("change", showChosen);
    root.classList.add("option-filter--enhanced");
    showChosen();
  }

  document.querySelectorAll("[data-option-filter]").forEach(enhance);
})();
