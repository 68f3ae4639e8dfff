// Vue d'ensemble: health of the platform and of every connector, every flow with its counts, charts of the
// last hour or day (with their data tables), queue depths, delivery rate, last errors, long imports; refreshed
// every few seconds without reloading.
import { html, nothing } from '../../vendor/lit-html/lit-html.js';
import uPlot from '../../vendor/uplot/uPlot.esm.js';
import { get, query, explain } from '../api.js';
import { badge, health, errorBox } from '../ui.js';
import {
  MAIN_STATES, DIRECTIONS, stateLabel, fmtDateTime, fmtTime, fmtNumber, fmtDecimal, fmtRate, fmtSeconds, parseProgress,
} from '../format.js';

const REFRESH_MS = 5000;
const COLOURS = {
  QUEUED: '#5a5a5a', HELD: '#8a5a00', FAILED: '#b34700', DELIVERED: '#1f7a3a', IGNORED: '#3d5a80',
  QUARANTINED: '#b00020', DUPLICATE: '#6b4e9b', REFUSED: '#000000',
};
const DASHES = { FAILED: [6, 3], QUARANTINED: [2, 2], HELD: [8, 2, 2, 2], REFUSED: [1, 3] };

export async function show(ctx) {
  ctx.title("Vue d'ensemble");
  const view = { window: 'hour', paused: false, data: null, error: null, updatedAt: null, chart: null, announce: '' };

  async function load() {
    try {
      const [stats, connectors, quarantined, failed] = await Promise.all([
        get('stats' + query({ window: view.window })),
        get('connectors'),
        get('messages' + query({ state: 'QUARANTINED', limit: 5 })),
        get('messages' + query({ state: 'FAILED', limit: 5 })),
      ]);
      const errors = [...quarantined, ...failed].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1)).slice(0, 8);
      view.data = { stats, connectors, errors };
      view.error = null;
      view.updatedAt = new Date();
    } catch (e) {
      view.error = explain(e);
    }
    draw();
  }

  function setWindow(w) {
    view.window = w;
    if (view.chart) {
      view.chart.destroy();
      view.chart = null;
    }
    load();
  }

  function togglePause() {
    view.paused = !view.paused;
    view.announce = view.paused ? 'Actualisation automatique en pause.' : 'Actualisation automatique reprise.';
    if (!view.paused) load();
    else draw();
  }

  function draw() {
    const d = view.data;
    ctx.render(html`
      <h1>Vue d'ensemble</h1>
      <div class="barre-actions">
        <p class="maj">${view.updatedAt ? 'Actualisé à ' + view.updatedAt.toLocaleTimeString('fr-FR') : ''}
          (toutes les ${REFRESH_MS / 1000} secondes)</p>
        <button type="button" class="secondaire" aria-pressed=${view.paused ? 'true' : 'false'} @click=${togglePause}>
          ${view.paused ? "Reprendre l'actualisation" : "Mettre en pause l'actualisation"}</button>
        <p class="visuellement-cache" role="status">${view.announce}</p>
      </div>
      ${errorBox(view.error)}
      ${d ? body(d) : html`<p>Chargement…</p>`}`);
    if (d && ctx.current()) chart(d.stats);
  }

  function body(d) {
    const { stats, connectors, errors } = d;
    const flows = flowRows(stats, connectors);
    const delivered = stats.counts.filter((c) => c.state === 'DELIVERED').reduce((s, c) => s + c.count, 0);
    const settled = stats.counts.filter((c) => ['DELIVERED', 'IGNORED', 'QUARANTINED'].includes(c.state))
      .reduce((s, c) => s + c.count, 0);
    const minutes = view.window === 'hour' ? 60 : 1440;
    const components = Object.entries(stats.health.components);
    const imports = connectors.map((c) => ({ c, p: parseProgress(c.detail) })).filter((x) => x.p && !x.p.finished);
    return html`
      <section aria-labelledby="t-sante">
        <h2 id="t-sante">Santé du hub : ${health(stats.health.status)}</h2>
        <table class="donnees">
          <caption>Composants et connecteurs, avec la raison d'une indisponibilité</caption>
          <thead><tr><th scope="col">Composant</th><th scope="col">État</th><th scope="col">Détail</th></tr></thead>
          <tbody>${components.map(([name, h]) => html`<tr>
            <th scope="row">${name.startsWith('connector:') ? 'Connecteur ' + name.substring(10) : componentLabel(name)}</th>
            <td>${health(h.status)}</td><td>${h.detail || ''}</td></tr>`)}</tbody>
        </table>
      </section>
      ${imports.length ? html`<section aria-labelledby="t-imports">
        <h2 id="t-imports">Imports en cours</h2>
        ${imports.map(({ c, p }) => html`<div class="import">
          <label for="progres-${c.id}">Connecteur ${c.id} : ${fmtNumber(p.done)} sur ${fmtNumber(p.total)}</label>
          <progress id="progres-${c.id}" max=${p.total} .value=${p.done}>${Math.round((100 * p.done) / p.total)} %</progress>
          <p>${fmtDecimal(p.rate)} par seconde${p.etaSeconds !== null ? ', temps restant estimé : ' + fmtSeconds(p.etaSeconds) : ''}</p>
        </div>`)}
      </section>` : nothing}
      <section aria-labelledby="t-flux">
        <h2 id="t-flux">Flux de messages</h2>
        <div class="barre-actions" role="group" aria-label="Période">
          <button type="button" class="secondaire" aria-pressed=${view.window === 'hour' ? 'true' : 'false'}
            @click=${() => setWindow('hour')}>Dernière heure</button>
          <button type="button" class="secondaire" aria-pressed=${view.window === 'day' ? 'true' : 'false'}
            @click=${() => setWindow('day')}>Dernières 24 heures</button>
        </div>
        <p class="chiffres">
          <span>Livrés sur la période : <strong>${fmtNumber(delivered)}</strong>
            (${fmtRate(delivered / minutes)} par minute)</span>
          <span>Part livrée des messages terminés :
            <strong>${settled ? fmtDecimal((100 * delivered) / settled) + ' %' : '—'}</strong></span>
        </p>
        <div class="table-defilante">
        <table class="donnees" id="table-flux">
          <caption>Chaque flux : messages créés ${view.window === 'hour' ? 'dans la dernière heure' : 'dans les dernières 24 heures'}
            par état actuel, file d'attente et total depuis le démarrage du hub</caption>
          <thead><tr>
            <th scope="col">Partenaire</th><th scope="col">Flux</th><th scope="col">Sens</th>
            <th scope="col">Connecteur</th><th scope="col">File d'attente</th>
            ${MAIN_STATES.map((s) => html`<th scope="col">${stateLabel(s)}</th>`)}
            <th scope="col">Total depuis le démarrage</th>
          </tr></thead>
          <tbody>${flows.map((f) => html`<tr data-flux="${f.partner}/${f.flow}">
            <th scope="row">${f.partner}</th><td>${f.flow}</td><td>${DIRECTIONS[f.direction] || f.direction || ''}</td>
            <td>${f.status ? health(f.status) : 'non installé'}</td>
            <td>${f.queue !== undefined ? fmtNumber(f.queue) : '—'}</td>
            ${MAIN_STATES.map((s) => html`<td>${f.states[s]
              ? html`<a href="#/journal?partner=${encodeURIComponent(f.partner)}&flow=${encodeURIComponent(f.flow)}&state=${s}"
                  aria-label="${fmtNumber(f.states[s])} ${stateLabel(s)}, flux ${f.partner}/${f.flow} : voir dans le journal">${fmtNumber(f.states[s])}</a>`
              : '0'}</td>`)}
            <td class="total">${fmtNumber(f.total)}</td>
          </tr>`)}</tbody>
        </table>
        </div>
        <h3 id="t-graphique">Messages par état ${view.window === 'hour' ? 'dans la dernière heure (tranches de 5 minutes)' : 'dans les dernières 24 heures (tranches d\'une heure)'}</h3>
        <div id="graphique" class="graphique" role="img"
          aria-label="Graphique des messages par état et par tranche de temps ; les mêmes données sont dans le tableau qui suit"></div>
        <details>
          <summary>Tableau des données du graphique</summary>
          ${chartTable(stats)}
        </details>
      </section>
      <section aria-labelledby="t-files">
        <h2 id="t-files">Files d'attente</h2>
        <table class="donnees">
          <caption>Messages en attente dans chaque file du courtier</caption>
          <thead><tr><th scope="col">File</th><th scope="col">Messages en attente</th></tr></thead>
          <tbody>${Object.entries(stats.queues).map(([q, n]) => html`<tr><th scope="row">${q}</th><td>${fmtNumber(n)}</td></tr>`)}</tbody>
        </table>
      </section>
      <section aria-labelledby="t-erreurs">
        <h2 id="t-erreurs">Dernières erreurs</h2>
        ${errors.length === 0 ? html`<p>Aucun message en échec ni en quarantaine.</p>` : html`
        <table class="donnees">
          <caption>Derniers messages en échec ou en quarantaine, avec leur raison</caption>
          <thead><tr><th scope="col">Date</th><th scope="col">Flux</th><th scope="col">État</th><th scope="col">Raison</th><th scope="col">Détail</th></tr></thead>
          <tbody>${errors.map((m) => html`<tr>
            <td>${fmtDateTime(m.updatedAt)}</td><td>${m.partner}/${m.flow}</td><td>${badge(m.state)}</td>
            <td class="raison">${m.lastReason || ''}</td>
            <td><a href="#/message/${m.id}">Voir le message<span class="visuellement-cache"> ${m.correlationId}</span></a></td></tr>`)}</tbody>
        </table>`}
      </section>`;
  }

  function chart(stats) {
    const el = document.getElementById('graphique');
    if (!el) return;
    const { xs, series } = buckets(stats);
    const data = [xs, ...MAIN_STATES.map((s) => series[s])];
    if (view.chart && view.chart.root.isConnected) {
      view.chart.setData(data);
      return;
    }
    if (view.chart) view.chart.destroy();
    el.replaceChildren();
    const width = Math.max(320, Math.min(1100, el.clientWidth || 900));
    view.chart = new uPlot({
      width,
      height: 260,
      legend: { show: true, live: false },
      cursor: { show: false },
      series: [
        { label: 'Heure', value: (u, v) => (v == null ? '' : fmtTime(v * 1000)) },
        ...MAIN_STATES.map((s) => ({
          label: stateLabel(s), stroke: COLOURS[s], width: 2, dash: DASHES[s], points: { show: true },
          value: (u, v) => (v == null ? '' : fmtNumber(v)),
        })),
      ],
      axes: [
        { values: (u, ticks) => ticks.map((t) => fmtTime(t * 1000)) },
        { values: (u, ticks) => ticks.map((t) => fmtNumber(t)), label: 'Messages' },
      ],
      scales: { y: { range: (u, min, max) => [0, Math.max(5, max)] } },
    }, data, el);
  }

  ctx.onLeave(() => {
    clearInterval(timer);
    if (view.chart) view.chart.destroy();
  });
  const timer = setInterval(() => { if (!view.paused) load(); }, REFRESH_MS);
  await load();
}

function componentLabel(name) {
  return { broker: 'Courtier de messages', database: 'Base de données (journal)', disk: 'Disque' }[name] || name;
}

/** One row per flow: the connectors' declared flows, and any other flow the journal counts. */
function flowRows(stats, connectors) {
  const rows = new Map();
  const row = (partner, flow) => {
    const k = partner + '/' + flow;
    if (!rows.has(k)) rows.set(k, { partner, flow, states: {}, total: 0 });
    return rows.get(k);
  };
  for (const c of connectors) {
    for (const f of c.flows) {
      const [partner, flow] = f.flow.split('/');
      const r = row(partner, flow);
      r.direction = f.direction;
      r.status = c.status;
      r.queue = stats.queues[f.queue] !== undefined ? stats.queues[f.queue] : 0;
    }
  }
  for (const c of stats.counts) {
    row(c.partner, c.flow).states[c.state] = (row(c.partner, c.flow).states[c.state] || 0) + c.count;
  }
  for (const t of stats.totalsSinceStart) {
    const r = row(t.partner, t.flow);
    if (!r.direction) r.direction = t.direction;
    if (t.state === 'RECEIVED') r.total += t.count;
  }
  return [...rows.values()].sort((a, b) => (a.partner + a.flow).localeCompare(b.partner + b.flow));
}

function buckets(stats) {
  const step = stats.bucketMinutes * 60;
  const start = Date.parse(stats.since) / 1000;
  const end = Date.parse(stats.until) / 1000;
  const xs = [];
  for (let t = start; t < end; t += step) xs.push(t);
  const series = {};
  MAIN_STATES.forEach((s) => { series[s] = xs.map(() => 0); });
  for (const c of stats.counts) {
    const i = Math.floor((Date.parse(c.bucket) / 1000 - start) / step);
    if (series[c.state] && i >= 0 && i < xs.length) series[c.state][i] += c.count;
  }
  return { xs, series };
}

function chartTable(stats) {
  const { xs, series } = buckets(stats);
  return html`<table class="donnees">
    <caption>Messages par état actuel, selon la tranche de temps de leur arrivée</caption>
    <thead><tr><th scope="col">Tranche commençant à</th>${MAIN_STATES.map((s) => html`<th scope="col">${stateLabel(s)}</th>`)}</tr></thead>
    <tbody>${xs.map((t, i) => html`<tr><th scope="row">${fmtTime(t * 1000)}</th>${MAIN_STATES.map((s) => html`<td>${fmtNumber(series[s][i])}</td>`)}</tr>`)}</tbody>
  </table>`;
}
