// The single polite live region. Messages issued together are joined into one
// announcement; clearing first makes a repeated message be announced again.
import { t } from './i18n.js';

let region = null;
let timer = null;
let pending = [];

export function initAnnouncer(el) {
  region = el;
}

export function announce(key, args) {
  announceText(t(key, args));
}

export function announceText(text) {
  if (!region || !text) return;
  if (pending.length === 0) region.textContent = '';
  pending.push(text);
  clearTimeout(timer);
  timer = setTimeout(() => {
    region.textContent = pending.join(' ');
    pending = [];
  }, 80);
}
