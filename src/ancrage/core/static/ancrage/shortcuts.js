// One-key shortcuts: a link or button with data-shortcut="n" follows on "n", unless the person is
// typing (a field, a select, an editable area) or holds a modifier key. The key is announced to
// assistive technologies by aria-keyshortcuts on the same element.
document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.closest("input, textarea, select, [contenteditable]")) return;
  const element = document.querySelector(`[data-shortcut="${CSS.escape(event.key.toLowerCase())}"]`);
  if (!element) return;
  event.preventDefault();
  element.click();
});
