// The print-only recovery code sheet (shown only by @media print).
import { h } from './dom.js';

export function groupsOf(code) {
  if (code.groups?.length) return code.groups;
  return code.code.match(/.{1,4}/g) ?? [];
}

export function codeGroups(code, attrs = {}) {
  return h('p', { class: 'code-display', translate: 'no', ...attrs },
    groupsOf(code).flatMap((group, i) => [i ? ' ' : null, h('span', { class: 'group' }, group)]));
}

export function fillPrintSheet(code, tenant) {
  const sheet = document.getElementById('print-sheet');
  sheet.replaceChildren(
    h('h1', { i18n: 'print.title' }),
    h('dl', { class: 'facts' },
      h('dt', { i18n: 'print.organization' }), h('dd', {}, tenant ? `${tenant.name} (${tenant.domain})` : code.tenant),
      h('dt', { i18n: 'print.account' }), h('dd', {}, code.account),
      h('dt', { i18n: 'print.issued' }), h('dd', { i18n: 'print.date', args: { date: { date: code.issuedAt } } })),
    h('p', { i18n: 'print.purpose' }),
    codeGroups(code, { testid: 'print-code' }),
    h('p', { class: 'print-once', i18n: 'print.worksOnce' }),
    h('p', { i18n: 'print.keepSafe' }));
}

export function clearPrintSheet() {
  document.getElementById('print-sheet')?.replaceChildren();
}
