// A visible m:ss countdown to an epoch-seconds deadline. The text changes
// every second but is not a live region; screen readers hear it at the start
// and at minute boundaries (every ten minutes while more than ten remain).
import { h } from '../dom.js';
import { bind, plural, t } from '../i18n.js';
import { announceText } from '../announce.js';

export const nowSeconds = () => Date.now() / 1000;

export function formatClock(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const secs = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}

export function spokenDuration(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  return s >= 60 ? plural('duration.minutes', Math.ceil(s / 60)) : plural('duration.seconds', s);
}

/**
 * until:     epoch seconds
 * key:       catalogue key with {time}, e.g. "countdown.retry"
 * doneKey:   optional key announced (and shown) when time is up
 * purpose:   data-purpose for tests ("retry", "resend", "expiry")
 */
export function countdown({ until, key, doneKey, purpose, onDone }) {
  const el = h('p', { class: 'countdown', testid: 'countdown', 'data-purpose': purpose });
  let timer = null;
  let lastMinute = null;
  const remaining = () => Math.max(0, Math.ceil(until - nowSeconds()));

  function speak(seconds) {
    announceText(t(key, { time: spokenDuration(seconds) }));
  }

  function tick() {
    const s = remaining();
    el.dataset.seconds = String(s);
    if (s <= 0) {
      stop();
      if (doneKey) {
        bind(el, doneKey);
        announceText(t(doneKey));
      } else {
        el.hidden = true;
      }
      onDone?.();
      return;
    }
    bind(el, key, { time: formatClock(s) });
    const minute = Math.ceil(s / 60);
    if (lastMinute !== null && minute < lastMinute && (minute <= 10 || minute % 10 === 0)) speak(s);
    lastMinute = minute;
  }

  function stop() {
    clearInterval(timer);
    timer = null;
  }

  if (remaining() > 0) speak(remaining());
  tick();
  if (remaining() > 0) timer = setInterval(tick, 1000);
  return { el, stop, active: () => timer !== null };
}
