// The audit log: every helpdesk action on this computer, newest first, optionally about one
// caller, and its export as CSV through the native save dialog. Nothing secret is in it.
import { h, present, uid, withBusy } from '../dom.js';
import { screenRoot } from '../router.js';
import { api } from '../api.js';
import { errorBanner, errorKey } from '../widgets/error-banner.js';
import { helpdeskToolbar } from '../widgets/helpdesk-toolbar.js';
import { announce } from '../announce.js';
import { icon } from '../icons.js';
import { getLocale } from '../i18n.js';
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

  // One entry as a small card: what and about whom, when and by whom, then why and how the
  // caller was verified. A list reads well in a narrow window and with a screen reader.
  function entryCard(entry) {
    const headingId = uid('e');
    const action = ACTION_KEYS[entry.action] ? h('span', { i18n: ACTION_KEYS[entry.action] }) : h('span', {}, entry.action);
    const outcome = entry.ok
      ? h('span', { class: 'status status-active' }, icon('check'), h('span', { i18n: 'helpdesk.history.ok' }))
      : h('span', { class: 'status status-pending' }, icon('warning'),
        h('span', {}, h('span', { i18n: 'helpdesk.history.failed' }), ' ', h('span', { i18n: errorKey(entry.error) })));
    const fact = (key, ...value) => [h('dt', { i18n: key }), h('dd', {}, ...value)];
    const verified = [
      entry.verifiedMethod ? h('span', { i18n: `helpdesk.verify.method.${entry.verifiedMethod}` }) : null,
      entry.verifiedMethod && entry.verifiedBy ? ' — ' : null,
      entry.verifiedBy ?? null,
    ];
    return h('li', {
      class: 'history-entry', testid: 'helpdesk-history-row', 'aria-labelledby': headingId,
      'data-action': entry.action, 'data-ok': String(entry.ok), 'data-correlation-id': entry.correlationId,
    },
    h('h3', { id: headingId, class: 'history-title' }, action, ' · ', h('span', {}, entry.userEmail ?? entry.userId)),
    h('p', { class: 'history-meta' },
      entry.time ? h('span', { i18n: 'print.date', args: { date: { date: entry.time } } }) : h('span', {}, entry.timeText),
      ' · ', h('span', { i18n: 'helpdesk.history.by', args: { agent: entry.operator } }), ' · ', outcome),
    h('dl', { class: 'facts facts-compact' },
      fact('helpdesk.history.col.reason', entry.reason),
      entry.ticket ? fact('helpdesk.history.col.ticket', entry.ticket) : null,
      entry.verifiedMethod || entry.verifiedBy ? fact('helpdesk.history.col.verified', ...verified) : null,
      entry.methodId ? fact('helpdesk.history.col.method', h('code', { class: 'selectable' }, entry.methodId)) : null,
      fact('helpdesk.history.col.caller', h('code', { class: 'selectable' }, entry.userId)),
      fact('helpdesk.history.col.correlation', h('code', { class: 'selectable' }, entry.correlationId))));
  }

  function render(view) {
    area.setAttribute('aria-busy', 'false');
    const n = view.entries.length;
    const countKey = new Intl.PluralRules(getLocale()).select(n) === 'one' ? 'helpdesk.history.countOne' : 'helpdesk.history.countOther';
    area.replaceChildren(...present(
      view.unreadableLines.length
        ? h('p', { class: 'warning', testid: 'helpdesk-history-damaged', i18n: 'helpdesk.history.damaged', args: { lines: view.unreadableLines.join(', ') } })
        : null,
      n
        ? [h('p', { class: 'hint', id: captionId, testid: 'helpdesk-history-count', i18n: countKey, args: { n } }),
          h('ol', { class: 'history-list', testid: 'helpdesk-history-table', 'aria-labelledby': captionId }, view.entries.map(entryCard))]
        : h('p', { class: 'callout', testid: 'helpdesk-history-empty', i18n: 'helpdesk.history.empty' })));
    exportButton.disabled = n === 0;
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
