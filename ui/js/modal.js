// Makes `container` modal: everything else becomes inert (except elements
// marked data-keep-active, such as the live region) and Tab wraps inside it.
// Returns release(), which restores the page and the previously focused element.
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

export function holdFocus(container, { onEscape } = {}) {
  const previousFocus = document.activeElement;
  const madeInert = [];
  for (let node = container; node && node !== document.body; node = node.parentElement) {
    for (const sibling of node.parentElement?.children ?? []) {
      if (sibling === node || sibling.inert || sibling.hasAttribute('data-keep-active')) continue;
      sibling.inert = true;
      madeInert.push(sibling);
    }
  }

  function onKeydown(event) {
    if (event.key === 'Escape' && onEscape) {
      event.preventDefault();
      onEscape();
      return;
    }
    if (event.key !== 'Tab') return;
    const items = [...container.querySelectorAll(FOCUSABLE)].filter((el) => el.offsetParent !== null);
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    const inside = container.contains(document.activeElement);
    if (event.shiftKey && (document.activeElement === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
  }
  document.addEventListener('keydown', onKeydown, true);

  return function release({ restoreFocus = true } = {}) {
    document.removeEventListener('keydown', onKeydown, true);
    madeInert.forEach((el) => { el.inert = false; });
    if (restoreFocus && previousFocus?.isConnected) previousFocus.focus();
  };
}
