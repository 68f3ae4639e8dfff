// Quarantaine: quarantined messages grouped by partner and reason, with what to do, and replay of a group.
import { html, nothing } from '../../vendor/lit-html/lit-html.js';
import { get, post, query, explain } from '../api.js';
import { errorBox, okBox, confirmDialog, advice, reasonKind } from '../ui.js';
import { fmtDateTime, fmtNumber } from '../format.js';

export async function show(ctx) {
  ctx.title('Quarantaine');
  const view = { groups: null, error: null, ok: null, total: 0 };

  async function load() {
    try {
      const list = await get('messages' + query({ state: 'QUARANTINED', limit: 1000 }));
      view.total = list.length;
      const byPartner = new Map();
      for (const m of list) {
        if (!byPartner.has(m.partner)) byPartner.set(m.partner, new Map());
        const kinds = byPartner.get(m.partner);
        const k = m.flow + ' ' + reasonKind(m.lastReason);
        if (!kinds.has(k)) kinds.set(k, { flow: m.flow, reason: m.lastReason, messages: [] });
        kinds.get(k).messages.push(m);
      }
      view.groups = [...byPartner.entries()].sort((a, b) => a[0].localeCompare(b[0]))
        .map(([partner, kinds]) => ({ partner, kinds: [...kinds.values()].sort((a, b) => b.messages.length - a.messages.length) }));
      view.error = null;
    } catch (e) {
      view.error = explain(e);
    }
    draw();
  }

  async function replayGroup(partner, g) {
    const n = g.messages.length;
    const yes = await confirmDialog('Rejouer un groupe de messages',
      `Rejouer ${fmtNumber(n)} message${n > 1 ? 's' : ''} en quarantaine de ${partner}/${g.flow} (« ${g.reason || 'sans raison'} ») ? Faites-le une fois la cause corrigée.`,
      'Rejouer le groupe');
    if (!yes) return;
    let done = 0;
    const failures = [];
    for (const m of g.messages) {
      try {
        await post('messages/' + m.id + '/replay');
        done++;
      } catch (e) {
        failures.push(explain(e));
      }
    }
    view.ok = `${fmtNumber(done)} message${done > 1 ? 's' : ''} rejoué${done > 1 ? 's' : ''}.`;
    await load();
    if (failures.length) {
      view.error = failures.join(' ');
      draw();
    }
  }

  function draw() {
    ctx.render(html`
      <h1>Quarantaine</h1>
      <p>Les messages que le hub a abandonnés (invalides, refusés par le partenaire, ou après toutes les tentatives),
        regroupés par partenaire et par raison. Rien n'est perdu : chacun peut être rejoué une fois la cause corrigée.</p>
      ${okBox(view.ok)}
      ${errorBox(view.error)}
      ${view.groups === null ? html`<p>Chargement…</p>` : view.groups.length === 0
        ? html`<p role="status">Aucun message en quarantaine.</p>`
        : html`<p role="status">${fmtNumber(view.total)} message${view.total > 1 ? 's' : ''} en quarantaine${view.total >= 1000 ? ' (les 1 000 plus récents)' : ''}.</p>
          ${view.groups.map((p) => html`<section aria-labelledby="q-${p.partner}">
            <h2 id="q-${p.partner}">Partenaire ${p.partner}</h2>
            ${p.kinds.map((g, i) => html`<article class="groupe" aria-labelledby="q-${p.partner}-${i}">
              <h3 id="q-${p.partner}-${i}">${fmtNumber(g.messages.length)} message${g.messages.length > 1 ? 's' : ''} du flux ${g.flow}</h3>
              <p class="raison"><strong>Raison :</strong> ${g.reason || 'sans raison'}</p>
              <p><strong>Que faire :</strong> ${advice(g.reason)}</p>
              <p>Le plus récent : ${fmtDateTime(g.messages[0].updatedAt)} —
                <a href="#/message/${g.messages[0].id}">voir le message ${g.messages[0].correlationId}</a> —
                <a href="#/journal?partner=${encodeURIComponent(p.partner)}&flow=${encodeURIComponent(g.flow)}&state=QUARANTINED">voir dans le journal</a></p>
              ${ctx.user.canReplay ? html`<button type="button" class="rejouer-groupe" @click=${() => replayGroup(p.partner, g)}>
                Rejouer ces ${fmtNumber(g.messages.length)} message${g.messages.length > 1 ? 's' : ''}<span class="visuellement-cache"> de ${p.partner}/${g.flow}</span></button>` : nothing}
            </article>`)}
          </section>`)}`}`);
  }

  await load();
}
