// The audit log: every helpdesk action on this computer, newest first, optionally about one
// caller, and its export as CSV through the native save dialog. Nothing secret is in it.
import { h, uid, withBusy } from '../dom.js';
import { screenRoot } from '../router.js';
import { api } from '../api.js';
import { errorBanner, errorKey } from '../widgets/error-banner.js';
import { helpdeskToolbar } from '../widgets/helpdesk-toolbar.js';
import { announce } from '../announce.js';
import { endIfHelpdeskEnded } from '../helpdesk-mode.js';

const ACTION_KEYS = {
  remove_method: 'helpdesk.action.remove_method',
  reset_methods: 'helpdesk.action.reset_all',
  regenerate_recovery_code: 'helpdesk.action.issue_recovery_code',
  create_enrollment_ticket: 'helpdesk.action.send_enrollment_ticket',
  forget_browsers: 'helpdesk.action.forget_browsers',
};

export function helpdeskHistoryScreen({ user = '' } = {}) {
  const headingId = uid('h');
  const captionId = uid('c');
  const filterId = uid('f');
  const banner = errorBanner();
  const area = h('div', { testid: 'helpdesk-history-area', 'aria-busy': 'true' });
  const filter = h('input', { id: filterId, type: 'text', testid: 'helpdesk-history-filter', value: user, autocomplete: 'off', spellcheck: 'false' });
  const apply = h('button', { type: 'submit', class: 'secondary', testid: 'helpdesk-history-apply', i18n: 'helpdesk.history.apply' });
  const exportButton = h('button', { type: 'button', class: 'secondary', testid: 'helpdesk-history-export', i18n: 'helpdesk.history.export' });
  const exported = h('p', { class: 'notice', role: 'status', testid: 'helpdesk-history-exported', i18n: 'helpdesk.history.exported', hidden: true });

  const cell = (...children) => h('td', {}, ...children);
  function row(entry) {
    const when = entry.time
      ? h('span', { i18n: 'print.date', args: { date: { date: entry.time } } })
      : h('span', {}, entry.timeText);
    const outcome = entry.ok
      ? h('span', { class: 'status status-active', i18n: 'helpdesk.history.ok' })
      : h('span', { class: 'status status-pending' }, h('span', { i18n: 'helpdesk.history.failed' }), ': ', h('span', { i18n: errorKey(entry.error) }));
    const verified = [
      entry.verifiedMethod ? h('span', { i18n: `helpdesk.verify.method.${entry.verifiedMethod}` }) : null,
      entry.verifiedMethod && entry.verifiedBy ? ': ' : null,
      entry.verifiedBy ?? null,
    ];
    return h('tr', { testid: 'helpdesk-history-row', 'data-action': entry.action, 'data-ok': String(entry.ok), 'data-correlation-id': entry.correlationId },
      h('th', { scope: 'row' }, when),
      cell(entry.operator),
      cell(ACTION_KEYS[entry.action] ? h('span', { i18n: ACTION_KEYS[entry.action] }) : entry.action),
      cell(entry.userEmail ?? '', entry.userEmail ? h('br', {}) : null, h('code', { class: 'hint selectable' }, entry.userId)),
      cell(entry.methodId ? h('code', { class: 'selectable' }, entry.methodId) : '—'),
      cell(outcome),
      cell(entry.reason),
      cell(entry.ticket ?? '—'),
      cell(...verified));
  }

  function render(view) {
    area.setAttribute('aria-busy', 'false');
    const headers = ['time', 'agent', 'action', 'caller', 'method', 'outcome', 'reason', 'ticket', 'verified'];
    area.replaceChildren(
      view.unreadableLines.length
        ? h('p', { class: 'warning', testid: 'helpdesk-history-damaged', i18n: 'helpdesk.history.damaged', args: { lines: view.unreadableLines.join(', ') } })
        : null,
      view.entries.length
        ? h('div', { class: 'table-scroll', tabindex: '0', 'aria-labelledby': captionId },
          h('table', { class: 'history', testid: 'helpdesk-history-table' },
            h('caption', { id: captionId, i18n: 'helpdesk.history.caption', args: { n: view.entries.length } }),
            h('thead', {}, h('tr', {}, headers.map((k) => h('th', { scope: 'col', i18n: `helpdesk.history.col.${k}` })))),
            h('tbody', {}, view.entries.map(row))))
        : h('p', { class: 'callout', testid: 'helpdesk-history-empty', i18n: 'helpdesk.history.empty' }));
    exportButton.disabled = view.entries.length === 0;
  }

  async function load() {
    banner.clear();
    area.setAttribute('aria-busy', 'true');
    try {
      render(await api.helpdeskHistory(filter.value.trim()));
    } catch (err) {
      area.setAttribute('aria-busy', 'false');
      if (!endIfHelpdeskEnded(err)) banner.show(err);
    }
  }

  const form = h('form', { class: 'inline history-filter', novalidate: true, testid: 'helpdesk-history-form', role: 'search' },
    h('label', { for: filterId, i18n: 'helpdesk.history.filter' }), filter, apply);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    exported.hidden = true;
    load();
  });
  exportButton.addEventListener('click', async () => {
    banner.clear();
    exported.hidden = true;
    try {
      const { saved } = await withBusy(exportButton, null, () => api.helpdeskHistoryExport(filter.value.trim()));
      if (saved) {
        exported.hidden = false;
        announce('helpdesk.history.exported');
      } else {
        announce('export.saveCancelled');
      }
    } catch (err) {
      if (!endIfHelpdeskEnded(err)) banner.show(err);
    }
  });
  load();

  const el = screenRoot('helpdesk-history', { 'aria-labelledby': headingId },
    helpdeskToolbar('helpdesk-history'),
    h('h1', { id: headingId, i18n: 'helpdesk.history.title' }),
    h('p', { i18n: 'helpdesk.history.intro' }),
    form,
    h('div', { class: 'actions' }, exportButton),
    exported,
    banner.el,
    area);
  return { el };
}
