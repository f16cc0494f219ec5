// DOM building without innerHTML. Text that users read comes from the catalogue
// (`i18n` / `i18nAttrs`); plain string children are data (masked names, codes).
import { bind, bindAttr } from './i18n.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const SVG_TAGS = new Set(['svg', 'path', 'circle', 'rect', 'line', 'polyline', 'g']);

export function h(tag, attrs, ...children) {
  const el = SVG_TAGS.has(tag) ? document.createElementNS(SVG_NS, tag) : document.createElement(tag);
  const a = attrs || {};
  for (const [key, value] of Object.entries(a)) {
    if (value == null || value === false || key === 'args') continue;
    if (key === 'i18n') bind(el, value, a.args);
    else if (key === 'i18nAttrs') {
      for (const [attr, k] of Object.entries(value)) bindAttr(el, attr, k, a.args);
    } else if (key === 'testid') el.dataset.testid = value;
    else if (key === 'class') el.setAttribute('class', value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'value') el.value = value;
    else if (key === 'checked') el.checked = Boolean(value);
    else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

// Children for replaceChildren(), which would write "null" for an absent one.
export function present(...children) {
  return children.flat().filter((child) => child != null && child !== false);
}

let counter = 0;
export function uid(prefix = 'id') {
  counter += 1;
  return `${prefix}-${counter}`;
}

// A control can be disabled for several independent reasons at once
// (incomplete input, a pending request, a rate-limit countdown).
const locks = new WeakMap();
export function lock(el, reason, on = true) {
  const reasons = locks.get(el) || new Set();
  if (on) reasons.add(reason);
  else reasons.delete(reason);
  locks.set(el, reasons);
  el.disabled = reasons.size > 0;
}
export const unlock = (el, reason) => lock(el, reason, false);

// Runs `work` while `button` shows a busy label and `region` is aria-busy.
export async function withBusy(button, busyKey, work, region) {
  const previous = { key: button.dataset.i18n, args: button.dataset.i18nArgs };
  lock(button, 'busy');
  button.classList.add('is-busy');
  if (busyKey) bind(button, busyKey);
  region?.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    unlock(button, 'busy');
    button.classList.remove('is-busy');
    if (busyKey && previous.key) bind(button, previous.key, previous.args ? JSON.parse(previous.args) : undefined);
    region?.setAttribute('aria-busy', 'false');
  }
}

// aria-describedby lists several ids; these add and remove one, keeping the others.
export function describe(el, id) {
  const ids = new Set((el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean));
  ids.add(id);
  el.setAttribute('aria-describedby', [...ids].join(' '));
}

export function undescribe(el, id) {
  const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter((x) => x && x !== id);
  if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
  else el.removeAttribute('aria-describedby');
}

// Moves focus to the screen's heading so screen readers start there. The heading is not
// a control: it shows no focus ring (styles.css), keyboard focus elsewhere does.
export function focusFirstHeading(container) {
  const heading = container.querySelector('h1, h2');
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus({ preventScroll: false });
}
