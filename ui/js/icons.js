// Small inline SVG icons (decorative: always paired with text, aria-hidden).
import { h } from './dom.js';

const SHAPES = {
  otp: [['rect', { x: 6, y: 2, width: 12, height: 20, rx: 2 }], ['circle', { cx: 12, cy: 11, r: 3.5 }], ['polyline', { points: '12 9 12 11 13.5 12' }]],
  sms: [['path', { d: 'M4 5h16v11H10l-6 4z' }], ['line', { x1: 8, y1: 9.5, x2: 16, y2: 9.5 }], ['line', { x1: 8, y1: 12.5, x2: 13, y2: 12.5 }]],
  voice: [['path', { d: 'M5 3h4l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v4a2 2 0 0 1-2 2A17 17 0 0 1 3 5a2 2 0 0 1 2-2z' }]],
  email: [['rect', { x: 3, y: 5, width: 18, height: 14, rx: 2 }], ['polyline', { points: '3 7 12 13 21 7' }]],
  push: [['path', { d: 'M6 16v-5a6 6 0 0 1 12 0v5l2 2H4z' }], ['path', { d: 'M10 20a2 2 0 0 0 4 0' }]],
  'recovery-code': [['circle', { cx: 8, cy: 15, r: 4 }], ['path', { d: 'M11 12l9-9M17 6l3 3M14.5 8.5l2 2' }]],
  passkey: [['rect', { x: 8, y: 2, width: 8, height: 12, rx: 2 }], ['circle', { cx: 12, cy: 8, r: 2 }], ['path', { d: 'M10 14v7h4v-7' }]],
  check: [['polyline', { points: '5 12 10 17 19 7' }]],
  pending: [['circle', { cx: 12, cy: 12, r: 9 }], ['polyline', { points: '12 7 12 12 15 14' }]],
  warning: [['path', { d: 'M12 3l10 18H2z' }], ['line', { x1: 12, y1: 10, x2: 12, y2: 14 }], ['line', { x1: 12, y1: 17, x2: 12, y2: 17.5 }]],
  info: [['circle', { cx: 12, cy: 12, r: 9 }], ['line', { x1: 12, y1: 11, x2: 12, y2: 16 }], ['line', { x1: 12, y1: 8, x2: 12, y2: 8.5 }]],
  copy: [['rect', { x: 8, y: 8, width: 12, height: 12, rx: 2 }], ['path', { d: 'M16 8V6a2 2 0 0 0-2-2H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h2' }]],
  save: [['path', { d: 'M12 4v11' }], ['polyline', { points: '7 10 12 15 17 10' }], ['line', { x1: 5, y1: 20, x2: 19, y2: 20 }]],
  print: [['path', { d: 'M7 9V3h10v6' }], ['rect', { x: 3, y: 9, width: 18, height: 8, rx: 2 }], ['rect', { x: 7, y: 14, width: 10, height: 7 }]],
  cross: [['line', { x1: 6, y1: 6, x2: 18, y2: 18 }], ['line', { x1: 18, y1: 6, x2: 6, y2: 18 }]],
};

export function icon(name, extraClass = '') {
  const shapes = SHAPES[name] ?? SHAPES.info;
  return h('svg', {
    class: `icon ${extraClass}`.trim(), viewBox: '0 0 24 24', width: 20, height: 20,
    'aria-hidden': 'true', focusable: 'false', fill: 'none', stroke: 'currentColor',
    'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round',
  }, shapes.map(([tag, attrs]) => h(tag, attrs)));
}
