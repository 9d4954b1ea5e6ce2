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
