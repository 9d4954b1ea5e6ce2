// Behaviour for the page shell, kept out of inline attributes so the Content Security Policy can forbid them.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.matches && target.matches("select[data-autosubmit]")) { target.form.submit(); }
});

// <select data-narrows="ID">: of the select ID's option groups, only the one labelled like the chosen option stays
// selectable (an incident's type narrows its sub-types). Nothing chosen: every group stays.
function narrow(select) {
  var target = document.getElementById(select.getAttribute("data-narrows"));
  if (!target) { return; }
  var chosen = select.value ? select.options[select.selectedIndex].text : "";
  Array.prototype.forEach.call(target.querySelectorAll("optgroup"), function (group) {
    var off = chosen !== "" && group.label !== chosen;
    group.hidden = off;
    group.disabled = off;
  });
  var picked = target.options[target.selectedIndex];
  if (picked && picked.parentNode.disabled) { target.value = ""; }
}
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.matches && target.matches("select[data-narrows]")) { narrow(target); }
});
document.addEventListener("DOMContentLoaded", function () {
  Array.prototype.forEach.call(document.querySelectorAll("select[data-narrows]"), narrow);
});

// Phones: the menu collapses behind its toggle (the stylesheet hides it only once this script has run).
document.documentElement.classList.add("js");
document.addEventListener("click", function (event) {
  var toggle = event.target && event.target.closest && event.target.closest(".menu-toggle");
  if (!toggle) { return; }
  var bar = toggle.closest(".topbar");
  var open = bar.classList.toggle("open");
  toggle.setAttribute("aria-expanded", open ? "true" : "false");
});

// The first field of a page's form takes the focus (the first with an error after a refused submission), so a
// keyboard user starts typing at once. Not on touch screens, where focus would throw up the keyboard.
document.addEventListener("DOMContentLoaded", function () {
  if (document.querySelector("[autofocus]") || !window.matchMedia("(pointer: fine)").matches) { return; }
  var fields = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";
  // Only what is shown: a form folded inside a closed <details> (an incident's "Add a source") is not the page's form.
  var shown = function (el) { return el.getClientRects().length > 0; };
  var firstShown = function (scope) { return Array.prototype.find.call(scope.querySelectorAll(fields), shown) || null; };
  var error = Array.prototype.find.call(document.querySelectorAll("main .errorlist"), shown);
  var form = Array.prototype.find.call(document.querySelectorAll("main form.stacked"), shown);
  var field = null;
  if (error) { field = firstShown(error.closest("p, td, fieldset") || error.parentNode); }
  if (!field && form) { field = firstShown(form); }
  if (field) { field.focus(); }
});

// Phones: each cell of a "stack-auto" record table is labelled with its column's heading, which the stylesheet
// shows before the value once the rows are stacked into cards. A first cell holding the record's link is the
// card's title and stays unlabelled. Lists swapped in by htmx are labelled as they arrive.
function labelCells() {
  Array.prototype.forEach.call(document.querySelectorAll("table.stack-auto"), function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        var title = i === 0 && cell.querySelector("a");
        if (heads[i] && !title && !cell.hasAttribute("colspan") && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", heads[i]);
        }
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", labelCells);
document.addEventListener("htmx:load", labelCells);
