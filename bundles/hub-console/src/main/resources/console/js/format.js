// French labels and fr-FR formats.

export const STATES = {
  RECEIVED: 'Reçu',
  VALIDATED: 'Validé',
  QUEUED: 'En file',
  HELD: 'Retenu',
  FAILED: 'En échec',
  DELIVERED: 'Livré',
  IGNORED: 'Ignoré',
  QUARANTINED: 'En quarantaine',
  REPLAYED: 'Rejoué',
  DUPLICATE: 'Doublon',
  REFUSED: 'Refusé',
};

/** States shown as columns and chart series, in the order of a message's life. */
export const MAIN_STATES = ['QUEUED', 'HELD', 'FAILED', 'DELIVERED', 'IGNORED', 'QUARANTINED', 'DUPLICATE', 'REFUSED'];

export const DIRECTIONS = { INBOUND: 'Entrant', OUTBOUND: 'Sortant' };

export const stateLabel = (s) => STATES[s] || s;

const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'medium' });
const time = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' });
const number = new Intl.NumberFormat('fr-FR');
const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const rate = new Intl.NumberFormat('fr-FR', { maximumSignificantDigits: 2 });

export const fmtDateTime = (iso) => (iso ? dateTime.format(new Date(iso)) : '');
export const fmtTime = (d) => time.format(d instanceof Date ? d : new Date(d));
export const fmtNumber = (n) => number.format(n);
export const fmtDecimal = (n) => decimal.format(n);
/** A rate with two significant digits (0,017 per minute is not 0). */
export const fmtRate = (n) => rate.format(n);

export function fmtBytes(n) {
  if (n < 1024) return number.format(n) + ' o';
  if (n < 1024 * 1024) return decimal.format(n / 1024) + ' Kio';
  return decimal.format(n / 1024 / 1024) + ' Mio';
}

export function fmtSeconds(s) {
  if (s < 60) return number.format(Math.round(s)) + ' s';
  const unit = (n, u) => (n ? ' ' + number.format(n) + ' ' + u : '');
  if (s < 3600) return (number.format(Math.floor(s / 60)) + ' min' + unit(Math.round(s % 60), 's'));
  return number.format(Math.floor(s / 3600)) + ' h' + unit(Math.round((s % 3600) / 60), 'min');
}

/** A date-time-local input's value (local time) as an ISO instant, or '' when empty. */
export function localToIso(value) {
  return value ? new Date(value).toISOString() : '';
}

/**
 * A long import's progress in a connector's health detail ("... 1200/16000 households, 900/s, ETA 18 s",
 * "batch x: 1/5 refreshed, 0.5/s, ETA 8 s"), or null.
 */
export function parseProgress(detail) {
  if (!detail) return null;
  const m = /(\d+)\/(\d+)\s+[^,;]*,\s*([\d.]+)\/s(?:,\s*(?:ETA\s+(\d+)\s*s|ETA\s+([^,;]+)|(finished)))?/.exec(detail);
  if (!m) return null;
  const done = Number(m[1]);
  const total = Number(m[2]);
  if (!(total > 0)) return null;
  const rate = Number(m[3]);
  const etaSeconds = m[4] !== undefined ? Number(m[4]) : rate > 0 ? (total - done) / rate : null;
  return { done, total, rate, etaSeconds, finished: done >= total || m[6] === 'finished' };
}

/** A flow's retry policy ("RetryPolicy[maxAttempts=6, initialDelayMs=2000, ...]") in French, or as given. */
export function fmtRetry(text) {
  const v = {};
  for (const m of (text || '').matchAll(/(\w+)=([\d.]+)/g)) v[m[1]] = Number(m[2]);
  if (v.maxAttempts === undefined || v.initialDelayMs === undefined) return text || '';
  const parts = [number.format(v.maxAttempts) + ' tentatives', 'la 2e après ' + fmtSeconds(v.initialDelayMs / 1000)];
  if (v.multiplier) parts.push('délai × ' + decimal.format(v.multiplier) + ' à chaque échec');
  if (v.maxDelayMs) parts.push('au plus ' + fmtSeconds(v.maxDelayMs / 1000));
  return parts.join(', ');
}
