// The recovery code dialog. Continue stays disabled until the code was copied,
// saved or printed AND the person ticks "I have stored this code safely";
// only then is Rust told to forget its safety copy (recovery_code_confirm).
import { h, lock, uid, withBusy } from '../dom.js';
import { bind, t } from '../i18n.js';
import { screenRoot } from '../router.js';
import { api } from '../api.js';
import { session } from '../state.js';
import { holdFocus } from '../modal.js';
import { icon } from '../icons.js';
import { announce } from '../announce.js';
import { errorBanner } from '../widgets/error-banner.js';
import { clearPrintSheet, codeGroups, fillPrintSheet, groupsOf } from '../print-sheet.js';
import { endAgentSession } from '../helpdesk-mode.js';

const CONTEXT_NOTICE = {
  recovery: 'export.oldCodeInvalid',
  pending: 'export.pendingNotice',
  helpdesk: 'export.helpdeskOldCode',
};

// ICAO spelling for letters read over the phone; digits are said as digits.
const SPELLING = {
  A: 'Alfa', B: 'Bravo', C: 'Charlie', D: 'Delta', E: 'Echo', F: 'Foxtrot', G: 'Golf', H: 'Hotel',
  I: 'India', J: 'Juliett', K: 'Kilo', L: 'Lima', M: 'Mike', N: 'November', O: 'Oscar', P: 'Papa',
  Q: 'Quebec', R: 'Romeo', S: 'Sierra', T: 'Tango', U: 'Uniform', V: 'Victor', W: 'Whiskey',
  X: 'X-ray', Y: 'Yankee', Z: 'Zulu',
};

// The code laid out for reading aloud: one numbered group per line, each character spaced,
// letters spelled the way radio operators do, so "B" and "D" are not confused on the phone.
function readAloud(code) {
  return h('ol', { class: 'read-aloud', testid: 'export-read-aloud', translate: 'no' },
    groupsOf(code).map((group, i) => h('li', {},
      h('span', { class: 'visually-hidden', i18n: 'export.readGroup', args: { n: i + 1 } }),
      h('span', { class: 'read-chars', 'aria-hidden': 'true' }, group.split('').join(' ')),
      h('span', { class: 'read-spelled' }, group.split('').map((c) => SPELLING[c] ?? c).join(' · ')))));
}

export function exportScreen({ code, context = 'enrollment', next }) {
  const headingId = uid('h');
  const descId = uid('d');
  const checkId = uid('chk');
  const gateId = uid('gate');
  const banner = errorBanner();
  // A code issued by the helpdesk is the caller's: read out, copied or printed for them,
  // never saved on the agent's computer, and kept in the helpdesk session only (never in the
  // keyring, so no warning about that).
  const forCaller = context === 'helpdesk';
  const done = { copied: false, saved: false, printed: false, read: false };
  let release = null;

  function actionButton(testid, iconName, labelKey) {
    const label = h('span', { i18n: labelKey });
    const mark = h('span', { class: 'done-mark', hidden: true }, icon('check'));
    return { button: h('button', { type: 'button', class: 'secondary', testid }, icon(iconName), label, mark), label, mark };
  }
  const copy = actionButton('export-copy', 'copy', 'export.copy');
  const save = actionButton('export-save', 'save', 'export.save');
  const print = actionButton('export-print', 'print', 'export.print');
  const read = actionButton('export-read', 'check', 'export.readAloud');

  const checkbox = h('input', { type: 'checkbox', id: checkId, testid: 'export-confirm-checkbox' });
  const gateKeys = forCaller
    ? { hint: 'export.helpdeskGateHint', tick: 'export.helpdeskGateTick' }
    : { hint: 'export.gateHint', tick: 'export.gateTick' };
  const gate = h('p', { id: gateId, class: 'hint', testid: 'export-gate', i18n: gateKeys.hint });
  const proceed = h('button', {
    type: 'button', class: 'primary', testid: 'export-continue', i18n: 'common.continue', 'aria-describedby': gateId,
  });

  function refresh() {
    const stored = done.copied || done.saved || done.printed || done.read;
    lock(proceed, 'gate', !(stored && checkbox.checked));
    bind(gate, stored ? (checkbox.checked ? 'export.gateReady' : gateKeys.tick) : gateKeys.hint);
  }

  // The helpdesk session ended under the dialog: the caller's code went with it in Rust.
  function gone(err) {
    if (!forCaller || err?.code !== 'caller_code_gone') return false;
    endAgentSession(err);
    return true;
  }

  function markDone(which, action, labelKey, announceKey) {
    done[which] = true;
    action.button.dataset.done = 'true';
    action.mark.hidden = false;
    bind(action.label, labelKey);
    announce(announceKey);
    refresh();
  }

  copy.button.addEventListener('click', async () => {
    banner.clear();
    try {
      await api.recoveryCodeCopy();
      markDone('copied', copy, 'export.copied', 'export.copiedAnnounce');
    } catch (err) {
      if (!gone(err)) banner.show(err);
    }
  });
  // The saved file speaks the UI's language, from this catalogue: one set of translations.
  const fileLabels = () => ({
    title: t('print.title'),
    account: t('print.account'),
    organization: t('print.organization'),
    issued: t('print.issued'),
    purpose: t('print.purpose'),
    worksOnce: t('print.worksOnce'),
  });
  save.button.addEventListener('click', async () => {
    banner.clear();
    try {
      const { saved } = await withBusy(save.button, null, () => api.recoveryCodeSave(fileLabels()));
      if (saved) markDone('saved', save, 'export.saved', 'export.savedAnnounce');
      else announce('export.saveCancelled');
    } catch (err) {
      banner.show(err);
    }
  });
  print.button.addEventListener('click', () => {
    fillPrintSheet(code, session.app?.tenant);
    window.print();
    markDone('printed', print, 'export.printed', 'export.printedAnnounce');
  });
  read.button.addEventListener('click', () => markDone('read', read, 'export.readDone', 'export.readAnnounce'));
  checkbox.addEventListener('change', refresh);

  proceed.addEventListener('click', async () => {
    banner.clear();
    try {
      await withBusy(proceed, 'common.saving', () => api.recoveryCodeConfirm(), dialog);
    } catch (err) {
      if (!gone(err)) banner.show(err, { lockButtons: [proceed] });
      return;
    }
    announce('export.confirmedAnnounce');
    next();
  });

  const notice = CONTEXT_NOTICE[context];
  const dialog = h('div', {
    class: 'dialog export-dialog', role: 'dialog', 'aria-modal': 'true', testid: 'export-dialog',
    'aria-labelledby': headingId, 'aria-describedby': descId, 'data-context': context,
  },
  h('h1', { id: headingId, i18n: forCaller ? 'export.helpdeskTitle' : 'export.title' }),
  notice ? h('p', { class: 'notice with-icon', testid: 'export-notice' }, icon('warning'), h('span', { i18n: notice })) : null,
  h('p', { id: descId, i18n: forCaller ? 'export.helpdeskPurpose' : 'export.purpose' }),
  !forCaller && code.storedInKeyring === false
    ? h('p', { class: 'warning with-icon', testid: 'export-not-stored' }, icon('warning'), h('span', { i18n: 'export.notStored' }))
    : null,
  h('div', { class: 'code-box' },
    h('p', { class: 'code-caption', i18n: forCaller ? 'export.helpdeskCaption' : 'export.codeCaption' }),
    codeGroups(code, { testid: 'export-code' }),
    h('p', { class: 'hint', i18n: forCaller ? 'export.helpdeskWorksOnce' : 'export.worksOnce' })),
  forCaller ? h('div', { class: 'read-aloud-box' }, h('h2', { i18n: 'export.readTitle' }), readAloud(code)) : null,
  h('dl', { class: 'facts' },
    h('dt', { i18n: forCaller ? 'export.helpdeskAccount' : 'print.account' }), h('dd', { testid: 'export-account' }, code.account),
    h('dt', { i18n: 'print.organization' }), h('dd', {}, session.app?.tenant?.name ?? code.tenant),
    h('dt', { i18n: 'print.issued' }), h('dd', { i18n: 'print.date', args: { date: { date: code.issuedAt } } })),
  h('div', { class: 'actions export-actions' }, forCaller ? [read.button, copy.button, print.button] : [copy.button, save.button, print.button]),
  h('p', { class: 'hint', i18n: 'common.clipboardCleared' }),
  banner.el,
  h('div', { class: 'confirm-row' }, checkbox, h('label', { for: checkId, i18n: forCaller ? 'export.helpdeskCheckbox' : 'export.checkbox' })),
  gate,
  h('div', { class: 'actions' }, proceed));

  refresh();
  fillPrintSheet(code, session.app?.tenant);
  // The router attaches the screen synchronously after this returns.
  queueMicrotask(() => { release = holdFocus(dialog); });

  const el = screenRoot('export', { class: 'screen screen-bare' }, dialog);
  return {
    el,
    cleanup() {
      release?.({ restoreFocus: false });
      clearPrintSheet();
    },
  };
}
