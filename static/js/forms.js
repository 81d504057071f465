/* Keyboard helpers for the portal's forms. Plain JavaScript, no build step; every page still works
 * without it (the server always renders one blank row, and saving is a normal form post). */
(function () {
  "use strict";

  // Add-row for Django formsets: [data-formset] holds the management form, a <template
  // data-formset-template> with the empty form (prefix "__prefix__"), a [data-formset-rows] body
  // and a [data-formset-add] button. The new row gets the focus.
  function addRow(container) {
    var prefix = container.getAttribute("data-prefix");
    var total = container.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var max = container.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    var template = container.querySelector("template[data-formset-template]");
    var rows = container.querySelector("[data-formset-rows]");
    if (!total || !template || !rows) return;
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) return;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("tbody");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (!button) return;
    event.preventDefault();
    addRow(button.closest("[data-formset]"));
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) return;
    var target = event.target;
    var form = target.form || (target.closest && target.closest("form"));
    if (!form) return;
    // Ctrl/Cmd+Enter saves from anywhere, multi-line text included.
    // Enter on a checkbox or radio saves too, as it does in a text field.
    var type = (target.type || "").toLowerCase();
    if (event.ctrlKey || event.metaKey || type === "checkbox" || type === "radio") {
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    }
  });

  // One submission per page: a second Enter while the first is on its way would only come back
  // as "changed by someone else".
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.method.toLowerCase() !== "post") return;
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
  });

  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
    });
  });

  // On the hearing sheet: "spoke" implies "present"; un-ticking "present" clears "spoke"; a block
  // with a head ticked says that no absence explanation is needed.
  function refreshBlock(block) {
    var headThere = block.querySelector("input[data-head]:checked") !== null;
    block.classList.toggle("head-present", headThere);
    var note = block.querySelector("[data-absence-note]");
    if (note) note.hidden = !headThere;
    block.querySelectorAll("input[name$='-present']").forEach(function (box) {
      var row = box.closest("tr");
      if (row) row.classList.toggle("on", box.checked);
    });
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.type !== "checkbox") return;
    var requires = box.getAttribute("data-requires");
    if (requires && box.checked) {
      var present = document.getElementById(requires);
      if (present) present.checked = true;
    }
    if (/-present$/.test(box.name) && !box.checked) {
      var spoke = document.querySelector('input[data-requires="' + box.id + '"]');
      if (spoke) spoke.checked = false;
    }
    var block = box.closest("[data-block]");
    if (block) refreshBlock(block);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-block]").forEach(refreshBlock);
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
})();
