// "Their phone was stolen": one guided flow, in the order a careful helpdesk works. The agent
// chooses how the caller gets back in (a recovery code read aloud, or an enrollment email),
// sees every step before anything changes, then runs them: each step's outcome shows as it
// comes. After an interruption or a failure, "Carry on" continues and repeats nothing done
// (the service keeps the plan). A recovery code goes to the export dialog, as the single
// action's does.
import { h, lock, present, uid, withBusy } from '../dom.js';
import { go, screenRoot } from '../router.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { icon } from '../icons.js';
import { errorBanner } from '../widgets/error-banner.js';
import { reasonHint } from '../widgets/field-message.js';
import { helpdeskToolbar } from '../widgets/helpdesk-toolbar.js';
import { playbookSteps } from '../widgets/helpdesk-playbook-steps.js';
import { actionOf } from '../widgets/helpdesk-actions.js';
import { endIfHelpdeskEnded, helpdeskCall } from '../helpdesk-mode.js';

// The two ways back in, and the action each needs.
const ENDINGS = [['recovery_code', 'issue_recovery_code'], ['enrollment_email', 'send_enrollment_ticket']];
const statuses = (view) => view.steps.map((s) => s.status).join();
// Done, gone already, or handed to a second agent: the service moves past these. A step
// sent without an answer is sent again with the same key, so nothing happens twice.
const SETTLED = new Set(['done', 'alreadyGone', 'pendingApproval']);
const nextToRun = (view) => view.steps.findIndex((s) => !SETTLED.has(s.status));

export function helpdeskPlaybookScreen({ userId, caller }) {
  const headingId = uid('h');
  const banner = errorBanner();
  const body = h('div', { class: 'stack', testid: 'helpdesk-playbook' });
  const who = caller.user.email ?? caller.user.userId;
  let plan = caller.playbook ?? null;
  let running = null;
  let failure = null;
  let busy = false;
  let alive = true;

  const back = () => go('helpdesk-caller', { userId });
  const ended = (err) => endIfHelpdeskEnded(err);
  const started = () => plan.steps.some((s) => s.status !== 'planned');

  // ---- choosing the last step -------------------------------------------------------------
  function chooseForm() {
    const name = uid('then');
    const radios = ENDINGS.map(([then, action]) => {
      const id = uid('t');
      const hintId = uid('th');
      const view = actionOf(caller, action);
      const input = h('input', {
        type: 'radio', name, id, value: then, testid: `helpdesk-playbook-then-${then}`,
        disabled: !view.allowed, 'aria-describedby': hintId,
      });
      return {
        input,
        el: h('div', { class: 'radio-row' }, input, h('div', {},
          h('label', { for: id, i18n: `helpdesk.playbook.then.${then}` }),
          h('p', { class: 'hint', id: hintId },
            h('span', { i18n: `helpdesk.playbook.thenHint.${then}` }),
            view.allowed ? null : [' ', h('span', { class: 'warning-text', i18n: 'helpdesk.actions.lacks' }), ' ', h('code', {}, view.missingPermission ?? '?')]))),
      };
    });
    radios.find((r) => !r.input.disabled)?.input.setAttribute('checked', '');
    const submit = h('button', { type: 'submit', class: 'primary', testid: 'helpdesk-playbook-plan', i18n: 'helpdesk.playbook.preview' });
    const why = reasonHint(submit, submit, 'helpdesk-playbook-plan-why');
    const refresh = () => {
      const none = !radios.some((r) => r.input.checked);
      lock(submit, 'incomplete', none);
      why.set(none ? 'helpdesk.playbook.chooseFirst' : null);
    };
    radios.forEach((r) => r.input.addEventListener('change', refresh));
    const form = h('form', { class: 'stack', novalidate: true, testid: 'helpdesk-playbook-choose' },
      h('fieldset', { class: 'radio-group' }, h('legend', { i18n: 'helpdesk.playbook.thenLegend' }), radios.map((r) => r.el)),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', testid: 'helpdesk-playbook-back', i18n: 'helpdesk.playbook.back', onclick: back }),
        submit),
      why.el);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (submit.disabled) return;
      banner.clear();
      const then = radios.find((r) => r.input.checked).input.value;
      try {
        plan = await withBusy(submit, 'common.checking', () => helpdeskCall(() => api.helpdeskPlaybookPlan(userId, then)), form);
        paint();
      } catch (err) {
        if (!ended(err)) banner.show(err, { lockButtons: [submit] });
      }
    });
    refresh();
    return form;
  }

  // ---- the plan, running it ----------------------------------------------------------------
  function controls() {
    const waitingApproval = plan.steps.some((s) => s.status === 'pendingApproval');
    if (plan.finished) {
      return h('div', { class: 'notice outcome', role: 'status', tabindex: '-1', testid: 'helpdesk-playbook-finished' },
        h('p', { class: 'with-icon' }, icon('check'), h('strong', { i18n: 'helpdesk.done.playbook', args: { email: who } })),
        waitingApproval ? h('p', { testid: 'helpdesk-playbook-approval', i18n: 'helpdesk.playbook.waitsApproval' }) : null,
        plan.nextStep ? [h('h2', { class: 'outcome-heading', i18n: 'helpdesk.next.heading' }),
          h('p', { class: 'next-step', testid: 'helpdesk-next-step', i18n: `helpdesk.next.${plan.nextStep}` })] : null,
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', testid: 'helpdesk-playbook-done', i18n: 'helpdesk.playbook.backToCaller', onclick: back })));
    }
    const stuck = !busy && nextToRun(plan) < 0;
    const carryOn = started() || failure;
    const run = h('button', {
      type: 'button', class: 'primary', testid: carryOn ? 'helpdesk-playbook-carry-on' : 'helpdesk-playbook-run',
      i18n: carryOn ? 'helpdesk.playbook.carryOn' : 'helpdesk.playbook.run', disabled: busy || stuck,
      'aria-describedby': busy ? 'hd-playbook-busy' : stuck ? 'hd-playbook-stuck' : null, onclick: runAll,
    });
    return h('div', { class: 'stack' },
      busy ? h('p', { class: 'hint', id: 'hd-playbook-busy', role: 'status', i18n: 'helpdesk.playbook.running' }) : null,
      stuck ? h('p', { class: 'callout', id: 'hd-playbook-stuck', testid: 'helpdesk-playbook-stuck', i18n: 'helpdesk.playbook.stuck' }) : null,
      h('div', { class: 'actions' },
        started() || busy ? null : h('button', { type: 'button', class: 'secondary', testid: 'helpdesk-playbook-cancel', i18n: 'helpdesk.playbook.cancel', onclick: cancelPlan }),
        started() && !busy ? h('button', { type: 'button', class: 'secondary', testid: 'helpdesk-playbook-back', i18n: 'helpdesk.playbook.backToCaller', onclick: back }) : null,
        run));
  }

  function paint() {
    if (!plan) {
      body.replaceChildren(h('p', { i18n: 'helpdesk.playbook.intro' }), chooseForm());
      return;
    }
    body.replaceChildren(...present(
      (plan.resumed || caller.playbook) && started() && !plan.finished ? h('p', { class: 'callout', testid: 'helpdesk-playbook-resumed', i18n: 'helpdesk.playbook.resumed' }) : null,
      started() ? null : h('p', { i18n: 'helpdesk.playbook.previewIntro' }),
      playbookSteps(plan.steps, { running, failure }),
      controls()));
  }

  async function cancelPlan() {
    banner.clear();
    try {
      await helpdeskCall(() => api.helpdeskPlaybookCancel(userId));
      back();
    } catch (err) {
      if (!ended(err)) banner.show(err);
    }
  }

  // One step per call, until the service says the plan is finished; a step that fails stops
  // the run there (its reason at the step) and "Carry on" continues from it.
  async function runAll() {
    banner.clear();
    busy = true;
    failure = null;
    for (;;) {
      running = nextToRun(plan);
      if (plan.finished || running < 0) break;
      paint();
      let next;
      try {
        next = await helpdeskCall(() => api.helpdeskPlaybookStep(userId));
      } catch (err) {
        if (!alive || ended(err)) return;
        failure = { index: running, code: err.code };
        break;
      }
      if (!alive) return;
      const progressed = next.finished || statuses(next) !== statuses(plan);
      plan = next;
      const failed = plan.steps.find((s) => s.status === 'failed');
      if (failed) announce('helpdesk.playbook.stepFailed');
      if (failed || !progressed) break;
    }
    running = null;
    busy = false;
    if (plan.recoveryCode) {
      announce('helpdesk.done.playbook', { email: who });
      // The code is shown once: the caller screen offers "Carry on" if steps remain.
      const outcome = plan.finished ? { action: 'playbook', nextStep: plan.nextStep } : null;
      go('export', { code: plan.recoveryCode, context: 'helpdesk', next: () => go('helpdesk-caller', { userId, outcome }) });
      return;
    }
    paint();
    if (plan.finished) {
      announce('helpdesk.done.playbook', { email: who });
      body.querySelector('[data-testid="helpdesk-playbook-finished"]')?.focus();
    } else {
      body.querySelector('[data-testid="helpdesk-playbook-carry-on"]')?.focus();
    }
  }

  paint();
  const el = screenRoot('helpdesk-playbook', { 'aria-labelledby': headingId },
    helpdeskToolbar(null),
    h('h1', { id: headingId, i18n: 'helpdesk.playbook.title', args: { who } }),
    banner.el,
    body);
  return { el, cleanup: () => { alive = false; } };
}
