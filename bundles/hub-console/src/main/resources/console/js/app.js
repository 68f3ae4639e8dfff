// The console: a hash router over pages that each draw into <main> with lit-html.
import { render, html } from '../vendor/lit-html/lit-html.js';
import { get, explain } from './api.js';
import { errorBox } from './ui.js';
import * as overview from './pages/overview.js';
import * as journal from './pages/journal.js';
import * as message from './pages/message.js';
import * as quarantine from './pages/quarantine.js';
import * as registry from './pages/registry.js';
import * as connectors from './pages/connectors.js';

const ROLES = { admin: 'administrateur', manager: 'gestionnaire', viewer: 'lecteur' };

const ROUTES = [
  { re: /^\/$/, page: overview, nav: '#/' },
  { re: /^\/journal$/, page: journal, nav: '#/journal' },
  { re: /^\/message\/([0-9a-f-]{36})$/, page: message, nav: '#/journal' },
  { re: /^\/quarantaine$/, page: quarantine, nav: '#/quarantaine' },
  { re: /^\/registre$/, page: registry, nav: '#/registre' },
  { re: /^\/connecteurs$/, page: connectors, nav: '#/connecteurs' },
];

const main = document.getElementById('contenu');
let user = null;
let leave = [];
let first = true;
let visit = 0; // one per page shown: what an earlier page's late answer draws is dropped

function parse() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = raw.split('?');
  return { path, params: new URLSearchParams(qs || '') };
}

async function route() {
  if (location.hash && !location.hash.startsWith('#/')) return; // an anchor within the page, not a page
  leave.forEach((f) => f());
  leave = [];
  const mine = ++visit;
  const { path, params } = parse();
  const r = ROUTES.find((x) => x.re.test(path));
  document.querySelectorAll('nav.menu a').forEach((a) => {
    if (r && a.getAttribute('href') === r.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  if (!r) {
    document.title = 'Page introuvable — Console du hub';
    render(html`<h1 tabindex="-1">Page introuvable</h1><p><a href="#/">Retour à la vue d'ensemble</a></p>`, main);
  } else {
    const ctx = {
      main,
      user,
      params,
      match: r.re.exec(path),
      onLeave: (f) => leave.push(f),
      current: () => mine === visit,
      render: (template) => { if (mine === visit) render(template, main); },
      title: (t) => { document.title = t + ' — Console du hub'; },
    };
    try {
      await r.page.show(ctx);
    } catch (e) {
      render(html`<h1 tabindex="-1">Erreur</h1>${errorBox(explain(e))}`, main);
    }
  }
  if (!first) {
    const h1 = main.querySelector('h1');
    if (h1) {
      h1.setAttribute('tabindex', '-1');
      h1.focus();
    }
  }
  first = false;
}

async function start() {
  main.replaceChildren(); // lit-html renders next to what is there: the loading notice goes
  try {
    user = await get('me');
  } catch (e) {
    render(html`<h1 tabindex="-1">Console indisponible</h1>${errorBox(explain(e))}`, main);
    return;
  }
  const roles = user.roles.map((r) => ROLES[r] || r).join(', ');
  document.getElementById('utilisateur').textContent = 'Connecté : ' + user.name + (roles ? ' (' + roles + ')' : '');
  // the skip link moves the focus to the content without touching the address (the hash holds the page)
  document.querySelector('a.skip').addEventListener('click', (ev) => {
    ev.preventDefault();
    main.focus();
    main.scrollIntoView();
  });
  window.addEventListener('hashchange', route);
  await route();
}

start();
