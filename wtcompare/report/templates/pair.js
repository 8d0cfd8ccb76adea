(function () {
  var list = document.getElementById("diff-list");
  var status = document.querySelector(".filter-status");
  function value(name) { var c = document.querySelector("input[name=" + name + "]:checked"); return c ? c.value : ""; }
  var sideBuilt = false;
  function buildSide() {  // side by side is made from the inline diff on first use, to keep the file small
    list.querySelectorAll(".para .text.inline").forEach(function (inline) {
      var side = document.createElement("div");
      side.className = "text side";
      [["side-a", "A"], ["side-b", "B"]].forEach(function (part) {
        var column = inline.cloneNode(true);
        column.className = part[0];
        column.setAttribute("aria-label", "edition " + part[1]);
        side.appendChild(column);
      });
      inline.after(side);
    });
    sideBuilt = true;
  }
  function apply() {
    if (value("view") === "side" && !sideBuilt) { buildSide(); }
    list.classList.toggle("view-side", value("view") === "side");
    list.classList.toggle("view-inline", value("view") !== "side");
    list.classList.toggle("hide-same", value("same") === "hide");
    var filter = value("filter"), shown = 0, all = 0;
    list.querySelectorAll("details.section").forEach(function (d) {
      var hide = (filter === "changed" && d.dataset.changed !== "yes") || (filter === "terms" && d.dataset.terms !== "yes");
      d.classList.toggle("filtered", hide);
      all += 1; if (!hide) { shown += 1; }
    });
    status.textContent = "Showing " + shown + " of " + all + " sections.";
  }
  document.querySelectorAll(".controls input").forEach(function (input) { input.addEventListener("change", apply); });
  function reveal() {
    var target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (!target) { return; }
    var section = target.closest("details.section");
    if (section && section.classList.contains("filtered")) {
      document.querySelector("input[name=filter][value=all]").checked = true; apply();
    }
    var para = target.closest(".para");
    if (para && para.classList.contains("same")) { document.querySelector("input[name=same]").checked = false; apply(); }
    // open whatever hides the target: its section, a table of evidence, a chapter's section map
    for (var d = target.closest("details"); d; d = d.parentElement.closest("details")) { d.open = true; }
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", reveal);
  window.addEventListener("beforeprint", function () { list.querySelectorAll("details").forEach(function (d) { d.open = true; }); });
  apply();
  reveal();
})();
