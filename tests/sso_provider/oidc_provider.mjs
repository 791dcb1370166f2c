// A real OpenID Provider (the npm package `oidc-provider`, OpenID certified) on 127.0.0.1, for the
// tests and the `make run` demo. Only the login page is ours (a plain form); discovery, the
// authorisation code flow with PKCE, ID tokens, JWKS and RP-initiated logout are the package's.
//
//   node tests/sso_provider/oidc_provider.mjs --port 5001 --config provider.json
//
// provider.json: {"clients": [{client_id, client_secret, redirect_uris, post_logout_redirect_uris}],
//                 "accounts": {"<login>": {"password", "sub", "email", "name", "groups",
//                                          "auth_age_seconds"}}}
// The accounts are read again at every login, so a test can change a person's claims between two
// logins. `auth_age_seconds` makes the provider report an authentication that old (a provider
// that ignores prompt=login): the relying party must refuse it for signing.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import Provider from 'oidc-provider';

function argument(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
}

const port = Number(argument('port', '5001'));
const configPath = argument('config');
const issuer = argument('issuer', `http://127.0.0.1:${port}`);
const readConfig = () => JSON.parse(fs.readFileSync(configPath, 'utf8'));
const accounts = () => readConfig().accounts || {};

function account(login) {
  const entry = accounts()[login];
  if (!entry) return undefined;
  return { login, sub: entry.sub || login, ...entry };
}

function accountBySub(sub) {
  return Object.entries(accounts())
    .map(([login, entry]) => ({ login, sub: entry.sub || login, ...entry }))
    .find((entry) => entry.sub === sub);
}

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: `k${Date.now()}`, alg: 'RS256', use: 'sig' };

const clients = readConfig().clients.map((client) => ({
  response_types: ['code'],
  grant_types: ['authorization_code'],
  token_endpoint_auth_method: client.client_secret ? 'client_secret_basic' : 'none',
  ...client,
}));

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [signingKey] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  // The ID token carries the claims itself (as Entra ID's does), not only the userinfo endpoint.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const entry = accountBySub(sub);
    if (!entry) return undefined;
    return {
      accountId: sub,
      async claims() {
        const current = accountBySub(sub) || entry;
        return {
          sub,
          email: current.email,
          email_verified: true,
          name: current.name || current.email,
          groups: current.groups || [],
        };
      },
    };
  },
});

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(uid, message) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test provider login</title></head>
<body><h1>Test provider</h1>${message ? `<p role="alert">${escape(message)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Login <input name="login" autocomplete="username"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button></form></body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

async function grantFor(details, accountId) {
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope('openid email profile groups');
  return grant.save();
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const uid = details.uid;
  if (req.method === 'GET' && details.prompt.name === 'login') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginPage(uid));
    return;
  }
  if (details.prompt.name === 'login') {
    const form = await readForm(req);
    const entry = account(form.login || '');
    if (!entry || (entry.password || 'secret') !== form.password) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginPage(uid, 'Wrong login or password'));
      return;
    }
    const ts = Math.floor(Date.now() / 1000) - Number(entry.auth_age_seconds || 0);
    await provider.interactionFinished(req, res, { login: { accountId: entry.sub, ts } },
      { mergeWithLastSubmission: false });
    return;
  }
  // Consent: the municipality's own application is pre-approved, as an enterprise tenant does.
  const grantId = await grantFor(details, details.session.accountId);
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const callback = provider.callback();
http.createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`interaction failed: ${error.message}`);
    });
    return;
  }
  callback(req, res);
}).listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
