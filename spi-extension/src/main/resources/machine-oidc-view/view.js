// The Apps and machines view of one org. Plain browser JavaScript, no build step, no library.
// Sign-in: Keycloak's own login for the org realm, authorization code with PKCE (S256), public client
// machine-oidc-console. Only the PKCE verifier and state wait in sessionStorage during the redirect; the tokens live
// in this page's memory and are gone when it closes. Every call goes to the org's admin REST API with the admin's
// access token, so Keycloak's admin permissions decide what the page may show and do.
'use strict';

(() => {
  const CLIENT_ID = 'machine-oidc-console';
  const PENDING = 'machine-oidc-view.pending-sign-in';
  const REFRESH_MARGIN_MS = 30_000;

  const page = location.pathname.match(/^(.*)\/realms\/([^/]+)\/machine-oidc\/console\/$/);
  const keycloakBase = location.origin + page[1];
  const org = decodeURIComponent(page[2]);
  const redirectUri = location.origin + location.pathname;
  const oidc = `${keycloakBase}/realms/${encodeURIComponent(org)}/protocol/openid-connect`;
  const adminApi = `${keycloakBase}/admin/realms/${encodeURIComponent(org)}/machine-oidc`;

  const $ = (id) => document.getElementById(id);

  // Tokens, in memory only.
  let session = null; // {accessToken, refreshToken, idToken, expiresAt}

  // What the machines table shows.
  const listing = {app: '', search: '', first: 0, max: 20};
  let apps = [];
  let deploying = null;
  let revoking = null;
  let enrollment = null; // {machine, token, expiresAt}: the one-time token, until "Done"

  // ---- messages -------------------------------------------------------------------------------------------------

  class ApiFailure extends Error {
    constructor(what, status, body) {
      super(describe(what, status, body));
    }
  }

  /** "POST …/apps: 409 conflict: App 'web' already exists." from the answer's error, error_description or message. */
  function describe(what, status, body) {
    let json = null;
    try {
      json = body ? JSON.parse(body) : null;
    } catch (e) {
      json = null;
    }
    const parts = [`${what}: ${status}`];
    if (json && typeof json === 'object') {
      for (const key of ['error', 'error_description', 'message', 'errorMessage']) {
        if (typeof json[key] === 'string') {
          parts.push(json[key]);
        }
      }
    } else if (body) {
      parts.push(body.slice(0, 500));
    }
    return parts.join(': ');
  }

  function showError(message) {
    $('error').textContent = message;
    $('error').hidden = false;
  }

  function notify(message) {
    $('notice').textContent = message;
    $('notice').hidden = !message;
  }

  /** Runs one user action: clears the last message, and shows any failure in the page. */
  async function act(action) {
    $('error').hidden = true;
    notify('');
    try {
      await action();
    } catch (e) {
      showError(e.message);
    }
  }

  // ---- sign-in --------------------------------------------------------------------------------------------------

  function base64url(bytes) {
    return btoa(String.fromCharCode(...new Uint8Array(bytes)))
      .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function randomText(bytes) {
    return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
  }

  async function signIn() {
    if (!window.crypto || !crypto.subtle) {
      throw new Error('This page needs a secure context (https, or http on localhost) for its sign-in.');
    }
    const verifier = randomText(48);
    const state = randomText(24);
    const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    sessionStorage.setItem(PENDING, JSON.stringify({verifier, state}));
    location.assign(`${oidc}/auth?` + new URLSearchParams({
      client_id: CLIENT_ID, redirect_uri: redirectUri, response_type: 'code', scope: 'openid', state,
      code_challenge: challenge, code_challenge_method: 'S256',
    }));
  }

  async function tokenRequest(what, form) {
    const response = await fetch(`${oidc}/token`, {
      method: 'POST',
      headers: {'Content-Type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams({client_id: CLIENT_ID, ...form}),
    });
    const body = await response.text();
    if (!response.ok) {
      throw new ApiFailure(what, response.status, body);
    }
    const tokens = JSON.parse(body);
    session = {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      idToken: tokens.id_token || (session && session.idToken),
      expiresAt: Date.now() + tokens.expires_in * 1000,
    };
  }

  /** Back from Keycloak's login: the code for tokens, once, and the code gone from the address bar. */
  async function completeSignIn(params) {
    const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
    sessionStorage.removeItem(PENDING);
    history.replaceState(null, '', location.pathname);
    if (params.has('error')) {
      throw new Error(describe('Sign-in', 'refused', JSON.stringify({
        error: params.get('error'), error_description: params.get('error_description') || undefined,
      })));
    }
    if (!pending || pending.state !== params.get('state')) {
      throw new Error('Sign-in: the answer does not belong to a sign-in started here (state mismatch); sign in again.');
    }
    await tokenRequest('Sign-in (token endpoint)', {
      grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri,
      code_verifier: pending.verifier,
    });
  }

  async function freshAccessToken() {
    if (!session) {
      throw new Error('Not signed in.');
    }
    if (Date.now() > session.expiresAt - REFRESH_MARGIN_MS) {
      try {
        await tokenRequest('Session refresh', {grant_type: 'refresh_token', refresh_token: session.refreshToken});
      } catch (e) {
        session = null;
        showSignedOut();
        throw e;
      }
    }
    return session.accessToken;
  }

  function signOut() {
    const idToken = session && session.idToken;
    session = null;
    location.assign(`${oidc}/logout?` + new URLSearchParams({
      client_id: CLIENT_ID, post_logout_redirect_uri: redirectUri, ...(idToken ? {id_token_hint: idToken} : {}),
    }));
  }

  function username() {
    const payload = atob(session.accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(payload, (c) => c.charCodeAt(0))));
    return claims.preferred_username || claims.sub;
  }

  function showSignedOut() {
    $('view').hidden = true;
    $('sign-out').hidden = true;
    $('user').textContent = '';
    $('signed-out').hidden = false;
  }

  // ---- the admin API --------------------------------------------------------------------------------------------

  async function api(method, path, body) {
    const token = await freshAccessToken();
    const headers = {Authorization: `Bearer ${token}`, Accept: 'application/json'};
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(adminApi + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new ApiFailure(`${method} ${path}`, response.status, text);
    }
    return text ? JSON.parse(text) : null;
  }

  const appPath = (app) => `/apps/${encodeURIComponent(app)}`;
  const machinePath = (machine) => `${appPath(machine.app_name)}/machines/${encodeURIComponent(machine.machine_id)}`;

  // ---- rendering ------------------------------------------------------------------------------------------------

  /** An element with attributes and children (strings become text: nothing from the API is parsed as HTML). */
  function el(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name.startsWith('on')) {
        element.addEventListener(name.slice(2), value);
      } else {
        element.setAttribute(name, value);
      }
    }
    for (const child of children) {
      element.append(child === null || child === undefined ? '' : child);
    }
    return element;
  }

  function button(label, className, onClick) {
    return el('button', {type: 'button', class: className, onclick: () => act(onClick)}, label);
  }

  async function loadApps() {
    apps = await api('GET', '/apps');
    const rows = apps.map((app) => el('tr', {'data-app': app.app_name},
      el('td', {}, app.app_name),
      el('td', {}, app.app_id),
      el('td', {class: 'count'}, String(app.machine_count)),
      el('td', {class: 'actions'},
        button('Machines', 'show-machines', () => selectApp(app.app_name)),
        button('Delete app', 'delete-app', () => deleteApp(app)))));
    $('apps').tBodies[0].replaceChildren(...rows);
    if (rows.length === 0) {
      $('apps').tBodies[0].append(el('tr', {}, el('td', {colspan: '4', class: 'empty'}, 'No apps yet.')));
    }
    if (!apps.some((app) => app.app_name === listing.app)) {
      listing.app = apps.length ? apps[0].app_name : '';
      listing.first = 0;
    }
    $('filter-app').replaceChildren(...apps.map((app) => el('option', {value: app.app_name}, app.app_name)));
    $('filter-app').value = listing.app;
  }

  async function loadMachines() {
    const body = $('machines').tBodies[0];
    $('add-machine').hidden = !listing.app;
    $('add-machine-app').textContent = listing.app;
    if (!listing.app) {
      body.replaceChildren(el('tr', {}, el('td', {colspan: '10', class: 'empty'}, 'Add an app first.')));
      $('page-info').textContent = '';
      $('previous-page').disabled = true;
      $('next-page').disabled = true;
      return;
    }
    // One more than a page tells whether there is a next one.
    const query = new URLSearchParams({first: listing.first, max: listing.max + 1});
    if (listing.search) {
      query.set('search', listing.search);
    }
    const found = await api('GET', `${appPath(listing.app)}/machines?${query}`);
    const machines = found.slice(0, listing.max);
    body.replaceChildren(...machines.map(machineRow));
    if (machines.length === 0) {
      body.append(el('tr', {}, el('td', {colspan: '10', class: 'empty'},
        listing.search ? `No machine of ${listing.app} has a name starting with "${listing.search}".`
          : `${listing.app} has no machines yet.`)));
    }
    $('page-info').textContent = machines.length
      ? `${listing.first + 1}–${listing.first + machines.length}${found.length > listing.max ? '' : ' (last page)'}`
      : '';
    $('previous-page').disabled = listing.first === 0;
    $('next-page').disabled = found.length <= listing.max;
  }

  function machineRow(machine) {
    return el('tr', {'data-machine-id': machine.machine_id, 'data-machine-name': machine.machine_name},
      el('td', {class: 'name'}, machine.machine_name),
      el('td', {class: 'machine-id'}, el('code', {}, machine.machine_id)),
      el('td', {class: 'region'}, machine.region),
      el('td', {class: 'image'}, machine.image),
      el('td', {class: 'digest', title: machine.image_digest}, machine.image_digest),
      el('td', {class: 'version'}, el('code', {}, machine.machine_version)),
      el('td', {class: 'created'}, machine.created_at ? machine.created_at.replace(/\.\d+Z$/, 'Z') : 'not recorded'),
      el('td', {class: 'enrolled'}, machine.enrolled ? 'yes' : 'no'),
      el('td', {class: 'enabled'}, machine.enabled ? 'yes' : 'no'),
      el('td', {class: 'actions'},
        button('Deploy update', 'deploy', () => openDeploy(machine)),
        button('New enrollment token', 'enroll', () => newEnrollment(machine)),
        button('Revoke', 'revoke', () => openRevoke(machine))));
  }

  async function refresh() {
    await loadApps();
    await loadMachines();
  }

  // ---- actions --------------------------------------------------------------------------------------------------

  async function selectApp(name) {
    listing.app = name;
    listing.first = 0;
    $('filter-app').value = name;
    await loadMachines();
  }

  async function addApp() {
    const app = await api('POST', '/apps', {name: $('app-name').value.trim()});
    $('app-name').value = '';
    listing.app = app.app_name;
    listing.first = 0;
    await refresh();
    notify(`App ${app.app_name} added.`);
  }

  async function deleteApp(app) {
    await api('DELETE', appPath(app.app_name));
    await refresh();
    notify(`App ${app.app_name} deleted.`);
  }

  async function addMachine() {
    const machine = await api('POST', `${appPath(listing.app)}/machines`, {
      name: $('machine-name').value.trim(),
      region: $('machine-region').value.trim(),
      image: $('machine-image').value.trim(),
      image_digest: $('machine-digest').value.trim(),
    });
    for (const id of ['machine-name', 'machine-region', 'machine-image', 'machine-digest']) {
      $(id).value = '';
    }
    showEnrollment(machine, machine.enrollment_token, machine.enrollment_expires_at);
    await refresh();
    notify(`Machine ${machine.machine_name} added to ${machine.app_name}: start its bridge with the command below.`);
  }

  async function newEnrollment(machine) {
    const issued = await api('POST', `${machinePath(machine)}/enrollment`, {});
    showEnrollment(machine, issued.enrollment_token, issued.enrollment_expires_at);
    notify(`New enrollment token for ${machine.machine_name}.`);
  }

  function openDeploy(machine) {
    deploying = machine;
    $('deploy-machine').textContent = `${machine.machine_name} (${machine.machine_id})`;
    $('deploy-image').value = machine.image;
    $('deploy-digest').value = machine.image_digest;
    $('deploy-region').value = machine.region;
    $('deploy').hidden = false;
    $('deploy').scrollIntoView();
  }

  async function deploy() {
    const before = deploying;
    const updated = await api('PUT', machinePath(before), {
      image: $('deploy-image').value.trim(),
      image_digest: $('deploy-digest').value.trim(),
      region: $('deploy-region').value.trim(),
    });
    deploying = null;
    $('deploy').hidden = true;
    await loadMachines();
    notify(`Deployed ${updated.machine_name}: machine_version ${before.machine_version} → ${updated.machine_version}.`);
  }

  function openRevoke(machine) {
    revoking = machine;
    $('revoke-machine').textContent = `${machine.machine_name} (${machine.machine_id}) of ${machine.app_name}`;
    $('revoke').hidden = false;
    $('revoke').scrollIntoView();
  }

  async function revoke() {
    const machine = revoking;
    await api('DELETE', machinePath(machine));
    revoking = null;
    $('revoke').hidden = true;
    if (enrollment && enrollment.machine.machine_id === machine.machine_id) {
      closeEnrollment();
    }
    await refresh();
    notify(`Machine ${machine.machine_name} (${machine.machine_id}) revoked.`);
  }

  // ---- the bridge command ---------------------------------------------------------------------------------------

  /** A word for a POSIX shell, quoted unless it is plainly safe. */
  function shellWord(text) {
    return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
  }

  function showEnrollment(machine, token, expiresAt) {
    enrollment = {machine, token, expiresAt};
    $('enrollment-machine').textContent = `${machine.machine_name} (${machine.machine_id})`;
    $('enrollment-token').textContent = token;
    $('enrollment-expiry').textContent = `${expiresAt} (${new Date(expiresAt).toLocaleString()})`;
    renderCommands();
    $('enrollment').hidden = false;
    $('enrollment').scrollIntoView();
  }

  function renderCommands() {
    if (!enrollment) {
      return;
    }
    const {machine, token} = enrollment;
    const keycloakUrl = $('bridge-keycloak-url').value.trim();
    $('bridge-command').textContent =
      `MACHINE_OIDC_ENROLLMENT_TOKEN=${shellWord(token)} bridge/bin/machine-oidc-bridge \\\n`
      + `  --keycloak-url ${shellWord(keycloakUrl)} --org ${shellWord(org)} --machine-id ${shellWord(machine.machine_id)} \\\n`
      + `  --state-dir ${shellWord($('bridge-state-dir').value.trim())} --socket-path ${shellWord($('bridge-socket').value.trim())}`;
    $('compose-snippet').textContent = [
      'services:',
      '  bridge:',
      '    image: machine-oidc-bridge:dev',
      '    environment:',
      `      MACHINE_OIDC_KEYCLOAK_URL: ${JSON.stringify(keycloakUrl)}`,
      `      MACHINE_OIDC_ORG: ${JSON.stringify(org)}`,
      `      MACHINE_OIDC_MACHINE_ID: ${JSON.stringify(machine.machine_id)}`,
      '      # One-time, first start only; from the environment of `docker compose up`, never stored in this file.',
      '      MACHINE_OIDC_ENROLLMENT_TOKEN: ${MACHINE_OIDC_ENROLLMENT_TOKEN:-}',
      '      MACHINE_OIDC_STATE_DIR: /var/lib/machine-oidc-bridge',
      '      FLY_API_SOCKET: /.fly/api',
      '      MACHINE_OIDC_SOCKET_MODE: "0660"',
      '    volumes:',
      '      - bridge-state:/var/lib/machine-oidc-bridge',
      '      - fly-api:/.fly',
      'volumes:',
      '  bridge-state:',
      '  fly-api:',
    ].join('\n');
    $('compose-command').textContent = `MACHINE_OIDC_ENROLLMENT_TOKEN=${shellWord(token)} docker compose up -d bridge`;
  }

  function closeEnrollment() {
    enrollment = null;
    for (const id of ['enrollment-token', 'bridge-command', 'compose-command']) {
      $(id).textContent = '';
    }
    $('enrollment').hidden = true;
  }

  async function copy(id) {
    await navigator.clipboard.writeText($(id).textContent);
    notify('Copied to the clipboard.');
  }

  // ---- wiring ---------------------------------------------------------------------------------------------------

  function onSubmit(id, action) {
    $(id).addEventListener('submit', (event) => {
      event.preventDefault();
      act(action);
    });
  }

  function onClick(id, action) {
    $(id).addEventListener('click', () => act(action));
  }

  function wire() {
    onClick('sign-in', signIn);
    onClick('sign-out', async () => signOut());
    onSubmit('add-app', addApp);
    onSubmit('add-machine', addMachine);
    onSubmit('filter', async () => {
      listing.app = $('filter-app').value;
      listing.search = $('filter-name').value.trim();
      listing.max = Number($('page-size').value);
      listing.first = 0;
      await loadMachines();
    });
    onClick('previous-page', async () => {
      listing.first = Math.max(0, listing.first - listing.max);
      await loadMachines();
    });
    onClick('next-page', async () => {
      listing.first += listing.max;
      await loadMachines();
    });
    onSubmit('deploy-form', deploy);
    onClick('cancel-deploy', async () => {
      deploying = null;
      $('deploy').hidden = true;
    });
    onClick('confirm-revoke', revoke);
    onClick('cancel-revoke', async () => {
      revoking = null;
      $('revoke').hidden = true;
    });
    onClick('close-enrollment', async () => closeEnrollment());
    onClick('copy-command', () => copy('bridge-command'));
    onClick('copy-compose', () => copy('compose-snippet'));
    onClick('copy-compose-command', () => copy('compose-command'));
    for (const id of ['bridge-keycloak-url', 'bridge-state-dir', 'bridge-socket']) {
      $(id).addEventListener('input', renderCommands);
    }
  }

  async function start() {
    $('org').textContent = org;
    $('bridge-keycloak-url').value = keycloakBase;
    wire();
    const params = new URLSearchParams(location.search);
    if (params.has('code') || params.has('error')) {
      await act(() => completeSignIn(params));
    }
    if (!session) {
      // A failed sign-in stays on the page with its error, rather than looping through the login.
      if ($('error').hidden) {
        await act(signIn);
      } else {
        showSignedOut();
      }
      return;
    }
    $('user').textContent = `Signed in to ${org} as ${username()}`;
    $('sign-out').hidden = false;
    $('signed-out').hidden = true;
    $('view').hidden = false;
    await act(refresh);
  }

  start();
})();
