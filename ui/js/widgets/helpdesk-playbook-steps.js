// The stolen-phone playbook's steps as a list: what each does (for a removal, the method and
// what goes with it) and how it stands: planned, running, done, already gone, waiting for
// approval, sent without an answer (carrying on sends it again safely), failed with the reason.
import { h } from '../dom.js';
import { has } from '../i18n.js';
import { icon } from '../icons.js';
import { methodText } from '../helpdesk-labels.js';
import { errorKey } from './error-banner.js';
import { channelNames } from './helpdesk-methods.js';

const STATUS_ICONS = { done: 'check', alreadyGone: 'check', sent: 'warning', running: 'pending', pendingApproval: 'pending', failed: 'warning' };

function what(step) {
  if (step.action === 'remove_method' && step.method) {
    return [
      h('strong', { i18n: 'helpdesk.playbook.step.remove_method', args: { method: methodText(step.method) } }),
      step.channels?.length
        ? h('p', { class: 'hint', testid: 'helpdesk-playbook-channels', i18n: 'helpdesk.playbook.takesChannels', args: { channels: channelNames(step.channels) } })
        : null,
    ];
  }
  const key = `helpdesk.playbook.step.${step.action}`;
  return [has(key) ? h('strong', { i18n: key }) : h('strong', {}, step.action)];
}

/** steps: StepView[]; running: the index of the step under way; failure: { index, code } from a call that threw. */
export function playbookSteps(steps, { running = null, failure = null } = {}) {
  return h('ol', { class: 'playbook-steps', testid: 'helpdesk-playbook-steps' }, steps.map((step, index) => {
    const thrown = failure?.index === index ? failure.code : null;
    const status = index === running ? 'running' : thrown ? 'failed' : step.status;
    const errorCode = thrown ?? step.error;
    return h('li', {
      class: `playbook-step playbook-${status}`, testid: 'helpdesk-playbook-step',
      'data-action': step.action, 'data-status': status, 'data-method-id': step.method?.id ?? null,
    },
    h('div', { class: 'playbook-what' }, ...what(step)),
    h('p', { class: 'status playbook-status', testid: 'helpdesk-playbook-step-status', 'data-status': status },
      icon(STATUS_ICONS[status] ?? 'info'),
      h('span', { i18n: `helpdesk.playbook.status.${status}` }),
      status === 'failed' && errorCode ? [' ', h('span', { testid: 'helpdesk-playbook-step-error', 'data-code': errorCode, i18n: errorKey(errorCode) })] : null));
  }));
}
