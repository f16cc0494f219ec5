// The service's audit trail: every helpdesk agent's lookups, verifications, actions,
// refusals and approvals, newest first, optionally about one caller, and its export as CSV
// through the native save dialog. Nothing secret is in it.
import { h, lock, present, uid, withBusy } from '../dom.js';
import { reasonHint } from '../widgets/field-message.js';
import { screenRoot } from '../router.js';
import { api } from '../api.js';
import { errorBanner, errorKey } from '../widgets/error-banner.js';
import { helpdeskToolbar } from '../widgets/helpdesk-toolbar.js';
import { announce } from '../announce.js';
import { icon } from '../icons.js';
import { has, pluralKey } from '../i18n.js';
import { endIfHelpdeskEnded, helpdeskCall } from '../helpdesk-mode.js';

// An action's words: the changes as the caller screen names them, the lookups and
// verifications in the history's own words, anything newer as the service spells it.
function actionWords(action) {
  if (has(`helpdesk.action.${action}`)) return h('span', { i18n: `helpdesk.action.${action}` });
  if (has(`helpdesk.history.action.${action}`)) return h('span', { i18n: `helpdesk.history.action.${action}` });
  return h('span', {}, action);
}

// "Photo ID on a video call — badge 4411": the service's note, its method in words.
function verifiedWords(entry) {
  const method = entry.verifiedMethod === 'push' ? 'helpdesk.verify.byPush' : `helpdesk.verify.method.${entry.verifiedMethod}`;
  return [
    entry.verifiedMethod && has(method) ? h('span', { i18n: method }) : entry.verifiedMethod,
    entry.verifiedMethod && entry.verifiedBy ? ' — ' : null,
    entry.verifiedBy ?? null,
  ];
}

const OUTCOMES = { ok: 'ok', unknown: 'unknown', error: 'failed', pending_approval: 'pendingApproval', refused: 'refused' };

function outcomeWords(entry) {
  if (entry.error) {
    return h('span', { class: 'status status-pending' }, icon('warning'),
      h('span', {}, h('span', { i18n: 'helpdesk.history.failed' }), ' ', h('span', { i18n: errorKey(entry.error) })));
  }
  if (!entry.outcome) return null;
  const known = OUTCOMES[entry.outcome];
  return h('span', { class: `status ${entry.outcome === 'ok' ? 'status-active' : 'status-pending'}` },
    icon(entry.outcome === 'ok' ? 'check' : 'info'),
    known ? h('span', { i18n: `helpdesk.history.outcome.${known}` }) : h('span', {}, entry.outcome));
}

export function helpdeskHistoryScreen({ user = '' } = {}) {
  const headingId = uid('h');
  const captionId = uid('c');
  const filterId = uid('f');
  const banner = errorBanner();
  const area = h('div', { testid: 'helpdesk-history-area', 'aria-busy': 'true' });
  const filter = h('input', { id: filterId, type: 'text', testid: 'helpdesk-history-filter', value: user, autocomplete: 'off', spellcheck: 'false' });
  const apply = h('button', { type: 'submit', class: 'secondary', testid: 'helpdesk-history-apply', i18n: 'helpdesk.history.apply' });
  const exportButton = h('button', { type: 'button', class: 'secondary', testid: 'helpdesk-history-export', i18n: 'helpdesk.history.export' });
  const exportWhy = reasonHint(exportButton, exportButton, 'helpdesk-history-export-why');
  const exported = h('p', { class: 'notice', role: 'status', testid: 'helpdesk-history-exported', i18n: 'helpdesk.history.exported', hidden: true });

  // One entry as a small card: what and about whom, when and by whom, then why and how the
  // caller was verified. A list reads well in a narrow window and with a screen reader.
  function entryCard(entry) {
    const entryHeading = uid('e');
    const fact = (key, ...value) => [h('dt', { i18n: key }), h('dd', {}, ...value)];
    const code = (value) => h('code', { class: 'selectable' }, value);
    const caller = entry.callerEmail ?? entry.callerId;
    const outcome = outcomeWords(entry);
    return h('li', {
      class: 'history-entry', testid: 'helpdesk-history-row', 'aria-labelledby': entryHeading,
      'data-seq': entry.seq, 'data-kind': entry.kind, 'data-action': entry.action, 'data-outcome': entry.outcome,
      'data-error': entry.error, 'data-correlation-id': entry.correlationId,
    },
    h('h3', { id: entryHeading, class: 'history-title' }, actionWords(entry.action), caller ? [' · ', h('span', {}, caller)] : null),
    h('p', { class: 'history-meta' },
      h('span', { i18n: 'print.date', args: { date: { date: entry.at } } }),
      ' · ', h('span', { i18n: 'helpdesk.history.by', args: { agent: entry.agent } }),
      ' · ', h('span', { class: 'tag', testid: 'helpdesk-history-kind', i18n: has(`helpdesk.history.kind.${entry.kind}`) ? `helpdesk.history.kind.${entry.kind}` : 'helpdesk.history.kind.other' }),
      outcome ? [' · ', outcome] : null),
    h('dl', { class: 'facts facts-compact' },
      entry.reason ? fact('helpdesk.history.col.reason', entry.reason) : null,
      entry.ticket ? fact('helpdesk.history.col.ticket', entry.ticket) : null,
      entry.verifiedMethod || entry.verifiedBy ? fact('helpdesk.history.col.verified', ...verifiedWords(entry)) : null,
      entry.methodId ? fact('helpdesk.history.col.method', code(entry.methodId)) : null,
      entry.approval ? fact('helpdesk.history.col.approval', code(entry.approval)) : null,
      entry.callerId ? fact('helpdesk.history.col.caller', code(entry.callerId)) : null,
      entry.correlationId ? fact('helpdesk.history.col.correlation', code(entry.correlationId)) : null));
  }

  function render(view) {
    area.setAttribute('aria-busy', 'false');
    const n = view.entries.length;
    area.replaceChildren(...present(n
      ? [h('p', { class: 'hint', id: captionId, testid: 'helpdesk-history-count', i18n: pluralKey('helpdesk.history.count', n), args: { n } }),
        h('ol', { class: 'history-list', testid: 'helpdesk-history-table', 'aria-labelledby': captionId }, view.entries.map(entryCard))]
      : h('p', { class: 'callout', testid: 'helpdesk-history-empty', i18n: 'helpdesk.history.empty' })));
    lock(exportButton, 'empty', n === 0);
    exportWhy.set(n === 0 ? 'helpdesk.history.nothingToExport' : null);
  }

  async function load() {
    banner.clear();
    area.setAttribute('aria-busy', 'true');
    try {
      render(await helpdeskCall(() => api.helpdeskHistory(filter.value.trim())));
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
      const { saved } = await withBusy(exportButton, null, () => helpdeskCall(() => api.helpdeskHistoryExport(filter.value.trim())));
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
    exportWhy.el,
    exported,
    banner.el,
    area);
  return { el };
}
