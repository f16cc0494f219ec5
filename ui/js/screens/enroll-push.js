// Push (Auth0 Guardian): QR valid five minutes, then wait for approval.
import { h } from '../dom.js';
import { api } from '../api.js';
import { pushWaiter } from '../widgets/push-wait.js';

export async function pushSteps(ctx, kind, trigger) {
  let start;
  try {
    start = await ctx.busy(trigger, null, () => api.enrollStart('push'));
  } catch (err) {
    ctx.fail(err);
    return;
  }
  const waiter = pushWaiter({
    qr: start.push,
    messageKey: 'push.enrollIntro',
    banner: ctx.banner,
    onApproved: ctx.done,
    onRetry: (event) => pushSteps(ctx, kind, event.currentTarget),
    onCancel: ctx.showKinds,
  });
  ctx.showStep(h('div', { class: 'step', testid: 'enroll-step-push' },
    h('h2', { i18n: 'push.enrollTitle' }),
    waiter.el,
    h('div', { class: 'actions' }, ctx.backButton())), waiter.cleanup);
}
