/* sitr console: keyboard shortcuts and the decision form's policy prefills. Plain JavaScript, no
   dependencies, nothing loaded from elsewhere; every page works without it (forms are plain HTML). */
(function () {
  "use strict";

  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    return target.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("tr.queue-row"));
  }

  function selectRow(index) {
    var all = rows();
    if (!all.length) return;
    var i = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (r) { r.classList.remove("selected"); });
    all[i].classList.add("selected");
    all[i].focus();
  }

  function currentRow() {
    var active = document.activeElement;
    var row = active && active.closest ? active.closest("tr.queue-row") : null;
    return row || document.querySelector("tr.queue-row.selected");
  }

  function clickKey(key) {
    var el = document.querySelector('[data-key="' + key + '"]');
    if (el) { el.click(); return true; }
    el = document.querySelector('[data-key-focus="' + key + '"]');
    if (el) { el.focus(); return true; }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.metaKey) return;
    var form = document.getElementById("decision-form");
    if (event.ctrlKey && event.key === "Enter" && form && form.contains(event.target)) {
      event.preventDefault();
      if (form.reportValidity()) form.requestSubmit ? form.requestSubmit() : form.submit();
      return;
    }
    if (event.ctrlKey || typing(event.target)) return;
    var all = rows();
    var row = currentRow();
    var index = row ? all.indexOf(row) : -1;
    switch (event.key) {
      case "j": selectRow(index + 1); break;
      case "k": selectRow(index < 0 ? 0 : index - 1); break;
      case "o":
      case "Enter":
        if (row && row.dataset.href && event.target === row) { window.location.href = row.dataset.href; break; }
        if (event.key === "o" && row && row.dataset.href) { window.location.href = row.dataset.href; break; }
        return;
      case "c": {
        var claim = row ? row.querySelector('[data-row-key="c"]') : null;
        if (claim) { claim.click(); break; }
        if (!clickKey("c")) return;
        break;
      }
      case "/": { var f = document.getElementById("filter-first"); if (!f) return; f.focus(); break; }
      case "q":
      case "a":
        if (document.body.dataset.role !== "reviewer") return;
        if (!(event.key === "q" && clickKey("q"))) {
          window.location.href = event.key === "q" ? "/console/queue" : "/console/appeals";
        }
        break;
      case "?": {
        var dialog = document.getElementById("shortcuts");
        if (!dialog || !dialog.showModal) return;
        if (dialog.open) dialog.close(); else dialog.showModal();
        break;
      }
      default:
        if (!clickKey(event.key)) return;
    }
    event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var row = event.target.closest ? event.target.closest("tr.queue-row") : null;
    if (row) {
      rows().forEach(function (r) { r.classList.remove("selected"); });
      row.classList.add("selected");
    }
  });

  /* Decision form: choosing the rule broken fills in the policy's actions, clause and statement of reasons,
     unless the reviewer already edited the statement (their words are never overwritten). */
  function setupDecision() {
    var data = document.getElementById("prefills");
    var threat = document.getElementById("threat");
    var statement = document.getElementById("statement");
    var clause = document.getElementById("clause");
    if (!data || !threat || !statement) return;
    var prefills;
    try { prefills = JSON.parse(data.textContent); } catch (e) { return; }
    var edited = false;
    statement.addEventListener("input", function () { edited = true; });
    threat.addEventListener("change", function () {
      var p = prefills[threat.value];
      if (!p) return;
      document.querySelectorAll('#actions input[name="actions"]').forEach(function (box) {
        box.checked = p.actions.indexOf(box.value) >= 0;
        box.disabled = threat.value === "none";
      });
      if (clause) clause.value = p.clause;
      if (!edited) statement.value = p.statement;
    });
    if (threat.value === "none") {
      document.querySelectorAll('#actions input[name="actions"]').forEach(function (box) { box.disabled = true; });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupDecision);
  else setupDecision();
})();
