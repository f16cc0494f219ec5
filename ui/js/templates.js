// Markup written in index.html rather than built by script: the sign-in screen as a
// <template>, the demo inbox in place. first-paint.js draws the first screen from it before
// main.js's modules have arrived (issue 24); the screens' modules then give what was drawn
// its behaviour instead of building it again. The parts a module needs are named by
// data-part.
import { translateTree } from './i18n.js';

const drawn = new Map();

/** A translated copy of template `id`, and its parts by name. */
export function fromTemplate(id) {
  const el = document.getElementById(id).content.firstElementChild.cloneNode(true);
  translateTree(el);
  return { el, parts: partsOf(el) };
}

/** The elements under `root` named by data-part, by name. */
export function partsOf(root) {
  const parts = {};
  for (const part of root.querySelectorAll('[data-part]')) parts[part.dataset.part] = part;
  return parts;
}

/** Keeps a view drawn at start-up for the module that will take it over. */
export function keepDrawn(name, view) {
  drawn.set(name, view);
}

/** The view drawn at start-up for `name`, once: later ones are built afresh. */
export function takeDrawn(name) {
  const view = drawn.get(name);
  drawn.delete(name);
  return view ?? null;
}
