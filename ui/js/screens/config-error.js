// Blocking screen: the IT configuration is invalid, or Rust could not be reached.
import { h, uid } from '../dom.js';
import { screenRoot } from '../router.js';
import { errorKey } from '../widgets/error-banner.js';
import { helpdeskBlock } from '../helpdesk.js';
import { icon } from '../icons.js';

export function configErrorScreen({ configError, startupError }) {
  const headingId = uid('h');
  const body = configError
    ? [
      h('p', { i18n: 'config.intro' }),
      h('dl', { class: 'facts', testid: 'config-error-details' },
        h('dt', { i18n: 'config.file' }), h('dd', {}, h('code', { class: 'selectable', testid: 'config-error-file' }, configError.file)),
        h('dt', { i18n: 'config.key' }), h('dd', {}, h('code', { class: 'selectable', testid: 'config-error-key' }, configError.key)),
        h('dt', { i18n: 'config.problem' }), h('dd', { class: 'selectable', testid: 'config-error-problem' }, configError.problem)),
      h('p', { i18n: 'config.action' }),
    ]
    : [
      h('p', { role: 'alert', testid: 'error-banner', 'data-code': startupError?.code, i18n: errorKey(startupError?.code) }),
      h('p', { i18n: 'config.startupAction' }),
    ];
  const el = screenRoot('config-error', { 'aria-labelledby': headingId },
    h('h1', { id: headingId, class: 'with-icon' }, icon('warning'),
      h('span', { i18n: configError ? 'config.title' : 'config.startupTitle' })),
    body,
    helpdeskBlock());
  return { el };
}
