(function () {
  var list = document.getElementById("diff-list");
  var status = document.querySelector(".filter-status");
  function value(name) { var c = document.querySelector("input[name=" + name + "]:checked"); return c ? c.value : ""; }
  var sideBuilt = false;
  function buildSide() {  // side by side is made from the inline diff on first use, to keep the file small
    var names = [["side-a", list.dataset.a], ["side-b", list.dataset.b]];
    list.querySelectorAll(".para .text.inline").forEach(function (inline) {
      var side = document.createElement("div");
      side.className = "text side";
      names.forEach(function (part) {
        var column = inline.cloneNode(true);
        column.className = part[0];
        // each column names its edition: stacked on a narrow screen, position alone would not say which is which
        var name = document.createElement("span");
        name.className = "side-name";
        name.textContent = part[1];
        column.prepend(name);
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
  var landed = null;
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
    // and mark where the link landed (a paragraph pair, or a section's heading), which :target
    // cannot do for the paragraph pair around an anchor
    if (landed) { landed.classList.remove("landed"); }
    if (para) { landed = para; } else if (target.closest("summary")) { landed = target.closest("summary"); } else { landed = target; }
    landed.classList.add("landed");
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", reveal);
  apply();
  reveal();
})();
