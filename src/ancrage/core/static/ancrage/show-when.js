// A field wrapped in data-show-when="mode=rhythm|weeks" shows only while the control named "mode"
// of its form holds one of those values (a select, or a group of radios). Without JavaScript every
// field stays visible and the server decides what applies.
(function () {
  function valueOf(form, name) {
    const control = form.elements[name];
    if (!control) return "";
    return control.value !== undefined ? control.value : "";
  }
  function sync(form) {
    for (const wrapper of form.querySelectorAll("[data-show-when]")) {
      const [name, values] = wrapper.dataset.showWhen.split("=");
      wrapper.hidden = !values.split("|").includes(valueOf(form, name));
    }
  }
  for (const form of document.querySelectorAll("form")) {
    if (!form.querySelector("[data-show-when]")) continue;
    form.addEventListener("change", () => sync(form));
    sync(form);
  }
})();
