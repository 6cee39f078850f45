// Show only the fields that apply; without JavaScript every field stays visible and the server decides.
(function () {
  const form = document.getElementById("contact-form");
  function sync() {
    const who = form.querySelector("input[name=counterpart]:checked");
    const kind = who ? who.value : "anonymous";
    document.getElementById("bloc-personne").hidden = kind !== "person";
    document.getElementById("bloc-partenaire").hidden = kind !== "partner";
    document.getElementById("bloc-anonyme").hidden = kind !== "anonymous";
    document.getElementById("bloc-permanence").hidden = form.elements.channel.value !== "outreach_desk";
  }
  form.addEventListener("change", sync);
  sync();
  form.elements.channel.focus();
})();
