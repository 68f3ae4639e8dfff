// Connecteurs: installed connectors (whatever the hub lists), version, health detail, flows, routes, and the
// settings without secrets (administrators).
import { html, nothing } from '../../vendor/lit-html/lit-html.js';
import { get } from '../api.js';
import { health } from '../ui.js';
import { DIRECTIONS, fmtNumber, parseProgress, fmtDecimal, fmtSeconds, fmtRetry } from '../format.js';

export async function show(ctx) {
  ctx.title('Connecteurs');
  const connectors = await get('connectors');
  ctx.render(html`
    <h1>Connecteurs installés</h1>
    <p>${fmtNumber(connectors.length)} connecteur${connectors.length > 1 ? 's' : ''} installé${connectors.length > 1 ? 's' : ''}.
      Un connecteur s'installe ou se retire à chaud (<code>feature:install hub-connector-…</code>).</p>
    ${connectors.map((c) => {
      const p = parseProgress(c.detail);
      return html`<section class="connecteur" aria-labelledby="c-${c.id}">
      <h2 id="c-${c.id}">${c.id} <span class="version">version ${c.version}</span> ${health(c.status)}</h2>
      ${c.detail ? html`<p class="raison"><strong>Santé :</strong> ${c.detail}</p>` : nothing}
      ${p && !p.finished ? html`<p><label for="imp-${c.id}">Import en cours : ${fmtNumber(p.done)} sur ${fmtNumber(p.total)}, ${fmtDecimal(p.rate)} par seconde${p.etaSeconds !== null ? ', temps restant ' + fmtSeconds(p.etaSeconds) : ''}</label>
        <progress id="imp-${c.id}" max=${p.total} .value=${p.done}></progress></p>` : nothing}
      <table class="donnees">
        <caption>Flux du connecteur ${c.id}</caption>
        <thead><tr><th scope="col">Flux</th><th scope="col">Sens</th><th scope="col">File</th><th scope="col">Entrée HTTP</th>
          <th scope="col">Livraisons simultanées</th><th scope="col">Ordre garanti</th><th scope="col">Nouvelles tentatives</th></tr></thead>
        <tbody>${c.flows.map((f) => html`<tr><th scope="row">${f.flow}</th><td>${DIRECTIONS[f.direction] || f.direction}</td>
          <td>${f.queue}</td><td>${f.httpPath ? html`<code>${f.httpPath}</code>` : '—'}</td><td>${fmtNumber(f.concurrency)}</td>
          <td>${f.ordered ? 'oui' : 'non'}</td><td class="raison">${fmtRetry(f.retry)}</td></tr>`)}</tbody>
      </table>
      <details><summary>Routes (${fmtNumber(c.routes.length)})</summary><ul class="compact">${c.routes.map((r) => html`<li><code>${r}</code></li>`)}</ul></details>
      ${ctx.user.canReadPayloads ? html`<details><summary>Réglages (sans les secrets)</summary>
        <table class="donnees"><caption>Réglages de etc/hub.connector.${c.id}.cfg</caption>
          <thead><tr><th scope="col">Clé</th><th scope="col">Valeur</th></tr></thead>
          <tbody>${Object.entries(c.settings || {}).sort().map(([k, v]) => html`<tr><th scope="row"><code>${k}</code></th><td><code>${v}</code></td></tr>`)}</tbody>
        </table></details>` : html`<p>Les réglages sont visibles par les administrateurs.</p>`}
    </section>`;
    })}`);
}
