// Home: the account's sign-in methods, add/remove, and what to do if a device is lost.
import { h, uid, withBusy } from '../dom.js';
import { go, screenRoot } from '../router.js';
import { api } from '../api.js';
import { enrollableKinds, session } from '../state.js';
import { errorBanner } from '../widgets/error-banner.js';
import { confirmRemove } from '../widgets/confirm-remove.js';
import { renameMethod } from '../widgets/rename-method.js';
import { kindBadge, methodLabel } from '../kinds.js';
import { icon } from '../icons.js';
import { helpdeskBlock } from '../helpdesk.js';
import { announce } from '../announce.js';
import { endIfSessionExpired } from '../session-expiry.js';
import { secondMethodOffer } from '../widgets/second-method.js';

export function homeScreen({ methods, notice, recovered, offerSecond = false } = {}) {
  const headingId = uid('h');
  const listHeadingId = uid('h');
  const banner = errorBanner();
  const list = h('ul', { class: 'method-list', testid: 'home-authenticators', 'aria-labelledby': listHeadingId });
  const backup = h('div', { class: 'callout', testid: 'backup-callout', hidden: true },
    h('p', { class: 'with-icon' }, icon('info'), h('span', { i18n: 'home.backupPrompt' })),
    h('button', { type: 'button', class: 'secondary', testid: 'add-backup', i18n: 'home.addBackup', onclick: () => go('enroll') }));
  const canAdd = enrollableKinds().length > 0;
  // A new recovery code (My Account API sessions): the old one stops working.
  const newCode = h('div', { class: 'stack', testid: 'new-recovery-code', hidden: true },
    h('p', { class: 'hint', i18n: 'home.newRecoveryCodeHint' }),
    h('button', { type: 'button', class: 'secondary', testid: 'new-recovery-code-button', i18n: 'home.newRecoveryCode', onclick: onNewCode }));
  const add = canAdd
    ? h('button', { type: 'button', class: 'primary', testid: 'add-method', i18n: 'home.addMethod', onclick: () => go('enroll') })
    : h('p', { class: 'hint', i18n: 'home.noFactorsAllowed' });

  // My Account API sessions: name a method, and choose how a phone's codes come.
  function extraActions(authenticator, label) {
    const actions = [];
    if (authenticator.renamable) {
      actions.push(h('button', {
        type: 'button', class: 'secondary small', testid: `rename-${authenticator.id}`,
        i18n: 'home.rename', i18nAttrs: { 'aria-label': 'home.renameLabel' }, args: { method: label },
        onclick: () => onRename(authenticator),
      }));
    }
    if (authenticator.switchChannelTo) {
      const voice = authenticator.switchChannelTo === 'voice';
      actions.push(h('button', {
        type: 'button', class: 'secondary small', testid: `channel-${authenticator.id}`,
        i18n: voice ? 'home.useVoice' : 'home.useSms',
        onclick: (event) => onChannel(authenticator, voice, event.currentTarget),
      }));
    }
    return actions;
  }

  function row(authenticator, all) {
    const label = methodLabel(authenticator);
    const removable = authenticator.removable;
    return h('li', { class: 'method-row', testid: 'authenticator-row', 'data-kind': authenticator.kind, 'data-id': authenticator.id },
      kindBadge(authenticator.kind),
      h('span', { class: 'method-name' }, authenticator.name ?? ''),
      h('span', { class: `status ${authenticator.active ? 'status-active' : 'status-pending'}`, testid: 'authenticator-status' },
        icon(authenticator.active ? 'check' : 'pending'),
        h('span', { i18n: authenticator.active ? 'home.statusActive' : 'home.statusPending' })),
      ...extraActions(authenticator, label),
      removable
        ? h('button', {
          type: 'button', class: 'secondary small', testid: `remove-${authenticator.id}`,
          i18n: 'home.remove', i18nAttrs: { 'aria-label': 'home.removeLabel' }, args: { method: label },
          onclick: () => onRemove(authenticator),
        })
        : h('span', { class: 'hint', i18n: 'home.recoveryCodeNote' }));
  }

  // `methods` is the core's view: the list, and whether a backup should be suggested.
  function render(methods) {
    const all = methods.authenticators;
    session.authenticators = all;
    list.replaceChildren(...(all.length ? all.map((a) => row(a, all)) : [h('li', { class: 'empty', i18n: 'home.empty' })]));
    // Right after a first enrollment the second-method offer says it (and why) instead.
    backup.hidden = offerSecond || !(canAdd && methods.backupSuggested);
    newCode.hidden = !methods.throughMyAccount;
  }

  async function onRename(authenticator) {
    const renamed = await renameMethod(authenticator, { rename: (name) => api.renameMethod(authenticator.id, name) });
    if (renamed) {
      render(renamed);
      announce('home.renamed', { method: methodLabel(authenticator) });
    }
  }

  async function onChannel(authenticator, voice, button) {
    banner.clear();
    try {
      render(await withBusy(button, 'common.saving', () => api.setPhoneChannel(authenticator.id, voice)));
      announce(voice ? 'home.usingVoice' : 'home.usingSms');
    } catch (err) {
      if (!endIfSessionExpired(err)) banner.show(err);
    }
  }

  async function onNewCode(event) {
    banner.clear();
    try {
      const code = await withBusy(event.currentTarget, 'common.checking', () => api.recoveryCodeNew());
      go('export', { code, context: 'recovery', next: () => go('home') });
    } catch (err) {
      if (!endIfSessionExpired(err)) banner.show(err);
    }
  }

  async function onRemove(authenticator) {
    const removed = await confirmRemove(authenticator, {
      remove: async () => render(await api.removeAuthenticator(authenticator.id)),
    });
    if (removed) {
      announce('home.removed', { method: methodLabel(authenticator) });
      document.getElementById(listHeadingId)?.focus();
    }
  }

  async function refresh() {
    list.setAttribute('aria-busy', 'true');
    try {
      render(await api.listAuthenticators());
    } catch (err) {
      if (!endIfSessionExpired(err)) banner.show(err);
    } finally {
      list.setAttribute('aria-busy', 'false');
    }
  }

  if (methods) render(methods);
  else refresh();

  const el = screenRoot('home', { 'aria-labelledby': headingId },
    h('h1', { id: headingId, i18n: 'home.title' }),
    session.account ? h('p', { testid: 'home-account', i18n: 'home.account', args: { account: session.account } }) : null,
    notice ? h('p', { class: 'notice with-icon', role: 'status', testid: 'home-notice' }, icon('check'), h('span', { i18n: notice })) : null,
    recovered ? h('p', { class: 'callout', testid: 'recovered-callout', i18n: 'home.recoveredPrompt' }) : null,
    offerSecond && canAdd ? secondMethodOffer() : null,
    backup,
    banner.el,
    h('section', { class: 'panel', 'aria-labelledby': listHeadingId },
      h('h2', { id: listHeadingId, tabindex: '-1', i18n: 'home.methodsHeading' }),
      list,
      h('div', { class: 'actions' }, add),
      newCode),
    h('section', { class: 'panel help', 'aria-labelledby': `${headingId}-help`, testid: 'home-help' },
      h('h2', { id: `${headingId}-help`, i18n: 'home.lostTitle' }),
      h('p', { i18n: 'home.lostBody' }),
      h('p', { i18n: 'home.lostNoCode' }),
      helpdeskBlock()));
  return { el };
}
