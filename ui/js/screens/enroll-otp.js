// Authenticator app: QR, a first-class manual key with all parameters, then a code.
import { h } from '../dom.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { codeChallenge } from '../widgets/code-challenge.js';

export async function otpSteps(ctx, kind, trigger) {
  let start;
  try {
    start = await ctx.busy(trigger, null, () => api.enrollStart('otp'));
  } catch (err) {
    ctx.fail(err);
    return;
  }
  const otp = start.otp;
  const copy = h('button', { type: 'button', class: 'secondary small', testid: 'otp-copy-secret', i18n: 'otp.copySecret' });
  copy.addEventListener('click', async () => {
    try {
      await api.copyTotpSecret();
      announce('otp.copied');
      copy.dataset.copied = 'true';
    } catch (err) {
      ctx.fail(err);
    }
  });

  const params = [
    ['otp.paramIssuer', otp.issuer],
    ['otp.paramAccount', otp.account],
    ['otp.paramType', { t: 'otp.typeTotp' }],
    ['otp.paramAlgorithm', otp.algorithm],
    ['otp.paramDigits', String(otp.digits)],
    ['otp.paramPeriod', { t: 'otp.periodSeconds', args: { n: otp.period } }],
  ];

  const challenge = codeChallenge({
    start: { kind: 'otp', sentTo: null, resendAvailableAt: null },
    banner: ctx.banner,
    submit: async (code) => ctx.done(await api.enrollConfirm(code)),
  });

  ctx.showStep(h('div', { class: 'step', testid: 'enroll-step-otp' },
    h('h2', { i18n: 'otp.title' }),
    h('ol', { class: 'steps' },
      h('li', { i18n: 'otp.stepOpen' }),
      h('li', { i18n: 'otp.stepScan' }),
      h('li', { i18n: 'otp.stepCode' })),
    h('img', {
      class: 'qr', testid: 'otp-qr', src: otp.qrDataUrl, width: 200, height: 200,
      i18nAttrs: { alt: 'otp.qrAlt' }, args: { account: otp.account },
    }),
    h('details', { class: 'manual', testid: 'otp-cant-scan' },
      h('summary', { i18n: 'otp.cantScan' }),
      h('p', { i18n: 'otp.manualIntro' }),
      h('p', { class: 'secret', testid: 'otp-secret', translate: 'no' },
        otp.secretGroups.flatMap((group, i) => [i ? ' ' : null, h('span', { class: 'group' }, group)])),
      h('div', { class: 'actions' }, copy),
      h('p', { class: 'hint', i18n: 'common.clipboardCleared' }),
      h('dl', { class: 'facts', testid: 'otp-params' },
        params.flatMap(([key, value]) => [
          h('dt', { i18n: key }),
          typeof value === 'object' ? h('dd', { i18n: value.t, args: value.args }) : h('dd', {}, value),
        ]))),
    h('h3', { i18n: 'otp.enterCode' }),
    challenge.el,
    h('div', { class: 'actions' }, ctx.backButton())), challenge.stop);
}
