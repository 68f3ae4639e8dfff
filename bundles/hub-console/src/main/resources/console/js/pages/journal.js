// Journal: search by partner, flow, state, correlation id (or partner message id, or file name), dates; replay
// of a selection of quarantined or failed messages, with confirmation (managers and administrators).
import { html, nothing } from '../../vendor/lit-html/lit-html.js';
import { live } from '../../vendor/lit-html/directives/live.js';
import { get, post, query, explain } from '../api.js';
import { badge, errorBox, okBox, confirmDialog, canReplay } from '../ui.js';
import { STATES, fmtDateTime, fmtBytes, fmtNumber, localToIso } from '../format.js';

const FIELDS = ['partner', 'flow', 'state', 'q', 'from', 'to', 'limit'];

export async function show(ctx) {
  ctx.title('Journal');
  const f = {};
  FIELDS.forEach((k) => { f[k] = ctx.params.get(k) || ''; });
  if (!f.limit) f.limit = '100';
  const view = { results: null, error: null, ok: null, selected: new Set(), status: '', busy: false };
  let connectors = [];
  try {
    connectors = await get('connectors');
  } catch (e) {
    view.error = explain(e);
  }
  const partners = [...new Set(connectors.flatMap((c) => c.flows.map((x) => x.flow.split('/')[0])))].sort();
  const flows = [...new Set(connectors.flatMap((c) => c.flows.map((x) => x.flow.split('/')[1])))].sort();

  async function search() {
    view.busy = true;
    draw();
    try {
      const params = { ...f, from: localToIso(f.from), to: localToIso(f.to) };
      view.results = await get('messages' + query(params));
      view.error = null;
      view.status = view.results.length === 0 ? 'Aucun message trouvé.'
        : fmtNumber(view.results.length) + (view.results.length > 1 ? ' messages trouvés.' : ' message trouvé.');
    } catch (e) {
      view.error = explain(e);
      view.results = null;
      view.status = '';
    }
    view.busy = false;
    view.selected.clear();
    draw();
  }

  function submit(ev) {
    ev.preventDefault();
    const form = new FormData(ev.target);
    FIELDS.forEach((k) => { f[k] = (form.get(k) || '').toString(); });
    const qs = new URLSearchParams();
    FIELDS.forEach((k) => { if (f[k]) qs.set(k, f[k]); });
    history.replaceState(null, '', '#/journal?' + qs.toString());
    view.ok = null;
    search();
  }

  async function replaySelection() {
    const ids = [...view.selected];
    if (ids.length === 0) return;
    const yes = await confirmDialog('Rejouer la sélection',
      `Rejouer ${fmtNumber(ids.length)} message${ids.length > 1 ? 's' : ''} ? Chaque message est validé de nouveau avec les réglages actuels de son connecteur, puis remis en file.`,
      'Rejouer');
    if (!yes) return;
    let done = 0;
    const failures = [];
    for (const id of ids) {
      try {
        await post('messages/' + id + '/replay');
        done++;
      } catch (e) {
        failures.push(explain(e));
      }
    }
    view.ok = `${fmtNumber(done)} message${done > 1 ? 's' : ''} rejoué${done > 1 ? 's' : ''}.`;
    view.error = failures.length ? failures.join(' ') : null;
    await search();
  }

  function toggle(id, on) {
    if (on) view.selected.add(id);
    else view.selected.delete(id);
    draw();
  }

  function draw() {
    const replayable = view.results ? view.results.filter(canReplay) : [];
    ctx.render(html`
      <h1>Journal des messages</h1>
      <form class="recherche" role="search" aria-label="Rechercher des messages" @submit=${submit}>
        <div class="champ">
          <label for="f-partner">Partenaire</label>
          <input id="f-partner" name="partner" list="partenaires" .value=${live(f.partner)} autocomplete="off">
          <datalist id="partenaires">${partners.map((p) => html`<option value=${p}></option>`)}</datalist>
        </div>
        <div class="champ">
          <label for="f-flow">Flux</label>
          <input id="f-flow" name="flow" list="flux" .value=${live(f.flow)} autocomplete="off">
          <datalist id="flux">${flows.map((p) => html`<option value=${p}></option>`)}</datalist>
        </div>
        <div class="champ">
          <label for="f-state">État</label>
          <select id="f-state" name="state">
            <option value="" ?selected=${!f.state}>Tous</option>
            ${Object.entries(STATES).map(([k, v]) => html`<option value=${k} ?selected=${f.state === k}>${v}</option>`)}
          </select>
        </div>
        <div class="champ large">
          <label for="f-q">Identifiant de corrélation, du message chez le partenaire, ou nom de fichier</label>
          <input id="f-q" name="q" .value=${live(f.q)} autocomplete="off">
        </div>
        <div class="champ">
          <label for="f-from">Arrivé à partir du</label>
          <input id="f-from" name="from" type="datetime-local" step="1" .value=${live(f.from)}>
        </div>
        <div class="champ">
          <label for="f-to">Arrivé avant le</label>
          <input id="f-to" name="to" type="datetime-local" step="1" .value=${live(f.to)}>
        </div>
        <div class="champ">
          <label for="f-limit">Nombre maximal</label>
          <input id="f-limit" name="limit" type="number" min="1" max="1000" .value=${live(f.limit)}>
        </div>
        <div class="champ bouton"><button type="submit" id="rechercher">Rechercher</button></div>
      </form>
      <p role="status" id="resultat-recherche" class="statut">${view.busy ? 'Recherche…' : view.status}</p>
      ${okBox(view.ok)}
      ${errorBox(view.error)}
      ${view.results && view.results.length ? html`
        ${ctx.user.canReplay && replayable.length ? html`<div class="barre-actions">
          <button type="button" id="rejouer-selection" ?disabled=${view.selected.size === 0} @click=${replaySelection}>
            Rejouer la sélection (${fmtNumber(view.selected.size)})</button>
        </div>` : nothing}
        <div class="table-defilante">
        <table class="donnees" id="resultats">
          <caption>Messages trouvés, les plus récents d'abord</caption>
          <thead><tr>
            ${ctx.user.canReplay ? html`<th scope="col"><span class="visuellement-cache">Sélection</span></th>` : nothing}
            <th scope="col">Arrivé le</th><th scope="col">Partenaire / flux</th><th scope="col">Corrélation</th>
            <th scope="col">État</th><th scope="col">Tentatives</th><th scope="col">Taille</th><th scope="col">Dernière raison</th>
          </tr></thead>
          <tbody>${view.results.map((m) => html`<tr>
            ${ctx.user.canReplay ? html`<td>${canReplay(m) ? html`<input type="checkbox" id="sel-${m.id}"
                aria-label="Sélectionner le message ${m.correlationId}" .checked=${view.selected.has(m.id)}
                @change=${(ev) => toggle(m.id, ev.target.checked)}>` : nothing}</td>` : nothing}
            <td>${fmtDateTime(m.createdAt)}</td>
            <td>${m.partner} / ${m.flow}</td>
            <td><a href="#/message/${m.id}">${m.correlationId}</a>${m.partnerMessageId && m.partnerMessageId !== m.correlationId
              ? html`<br><span class="secondaire-texte">${m.partnerMessageId}</span>` : nothing}</td>
            <td>${badge(m.state)}</td><td>${fmtNumber(m.attempts)}</td><td>${fmtBytes(m.size)}</td>
            <td class="raison">${m.lastReason || ''}</td>
          </tr>`)}</tbody>
        </table>
        </div>` : nothing}`);
  }

  draw();
  if (ctx.params.toString()) await search();
}
