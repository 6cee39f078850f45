"""What axe-core does not see: a layout that breaks. On the page as it is drawn, lists the form
controls and labels that overlap one another, the controls another element covers at their centre
(a click would not reach them), and a page wider than the screen (tables may scroll inside their
own container, the page may not)."""

from __future__ import annotations

CHECK = """
() => {
  const shown = el => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none'
      && !el.closest('[hidden], .visually-hidden, .d-none, details:not([open]) > :not(summary)');
  };
  const name = el => {
    const id = el.id ? '#' + el.id : '';
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40);
    return `${el.tagName.toLowerCase()}${id} « ${text} »`;
  };
  const items = [...document.querySelectorAll(
    'main input:not([type=hidden]), main select, main textarea, main button, main label, main a.btn'
  )].filter(shown);
  const problems = [];
  const rects = items.map(el => {
    const r = el.getBoundingClientRect();
    return {el, left: r.left + scrollX, top: r.top + scrollY, right: r.right + scrollX, bottom: r.bottom + scrollY};
  });
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length; j++) {
      const a = rects[i], b = rects[j];
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      if (a.el.control === b.el || b.el.control === a.el) continue;  // a label and its own box
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > 2) problems.push(`se chevauchent : ${name(a.el)} et ${name(b.el)}`);
    }
  }
  for (const {el} of rects) {
    if (el.tagName === 'LABEL') continue;
    el.scrollIntoView({block: 'center', inline: 'center'});
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (hit && hit !== el && !el.contains(hit) && !(hit.control === el) && !hit.contains(el)) {
      problems.push(`recouvert : ${name(el)} par ${name(hit)}`);
    }
  }
  window.scrollTo(0, 0);
  if (document.documentElement.scrollWidth > window.innerWidth + 1) {
    // Name the widest culprits: elements sticking out on the right, not inside a container
    // that scrolls on its own, and none of whose children sticks out as far.
    const scrolls = el => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
      }
      return false;
    };
    const out = [...document.body.querySelectorAll('*')].filter(el => {
      const r = el.getBoundingClientRect();
      return r.right > window.innerWidth + 1 && r.width > 0 && !scrolls(el);
    });
    const culprits = out.filter(el => !out.some(other => other !== el && el.contains(other)))
      .slice(0, 3).map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')}`);
    problems.push(`la page défile de côté : ${document.documentElement.scrollWidth} px pour ${window.innerWidth} (${culprits.join(', ')})`);
  }
  return problems;
}
"""


def layout_problems(page) -> list[str]:
    return page.evaluate(CHECK)
