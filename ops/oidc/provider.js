// A real, certified OpenID provider (panva/node-oidc-provider) for gorod's tests and `make demo`.
// Development interactions: any login and password are accepted; logins in accounts.json carry
// claims. Never expose it beyond 127.0.0.1, never use it in production.
//
// Environment: OIDC_PORT (default 9090), OIDC_CLIENTS (JSON list of clients: client_id,
// client_secret, redirect_uris, post_logout_redirect_uris), OIDC_ID_TOKEN_TTL (seconds).
// Prints "ready <issuer>" on stdout once it listens.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT || 9090);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(readFileSync(new URL('./accounts.json', import.meta.url)));
delete accounts._comment;

const clients = JSON.parse(process.env.OIDC_CLIENTS || JSON.stringify([{
  client_id: 'gorod-demo',
  client_secret: 'gorod-demo-secret',
  redirect_uris: ['http://127.0.0.1:8000/accounts/oidc/demo/callback/'],
  post_logout_redirect_uris: ['http://127.0.0.1:8000/'],
}])).map((client) => ({
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
  ...client,
}));

const page = (title, body) => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1>${body}</body></html>`;

const configuration = {
  clients,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
    // the state identity system's confirmation of the person, as the city's provider gives it
    trusted: ['trusted'],
  },
  scopes: ['openid', 'email', 'profile', 'trusted'],
  // ID tokens carry the requested claims themselves, so the relying party needs no userinfo call
  conformIdTokenClaims: false,
  // every client must use PKCE (S256), not only public ones
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Sign out of the city account?', `${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = page('Signed out of the city account', '');
      },
    },
  },
  ttl: { IdToken: Number(process.env.OIDC_ID_TOKEN_TTL || 3600) },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  async findAccount(_ctx, accountId) {
    const known = accounts[accountId] || {};
    return {
      accountId,
      async claims() {
        const name = [known.given_name, known.family_name].filter(Boolean).join(' ');
        return { sub: accountId, ...(name ? { name } : {}), ...known };
      },
    };
  },
};

const provider = new Provider(issuer, configuration);
const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
