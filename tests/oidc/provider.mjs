// A real OpenID Connect provider for the sign-in tests: oidc-provider (certified) on the loopback.
// Usage: node provider.mjs CONFIG.json ; prints "ready" once it listens.
// CONFIG: {"port", "client_id", "client_secret", "redirect_uri", "post_logout_redirect_uri",
//          "accounts": {LOGIN: {claims}}}
// Its own development login form accepts any password; the login name picks the account.
import { readFileSync } from "node:fs";
import Provider from "oidc-provider";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const issuer = `http://127.0.0.1:${config.port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: config.client_id,
    client_secret: config.client_secret,
    redirect_uris: [config.redirect_uri],
    post_logout_redirect_uris: config.post_logout_redirect_uri ? [config.post_logout_redirect_uri] : [],
    response_types: ["code"],
    grant_types: ["authorization_code"],
    token_endpoint_auth_method: "client_secret_post",
  }],
  scopes: ["openid", "email", "profile", "groups"],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "given_name", "family_name"],
    groups: ["groups"],
  },
  cookies: { keys: ["trellis-tests-only"] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const claims = config.accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
});
// The dev login form is served over plain HTTP on the loopback: allow its cookies there.
provider.proxy = false;

provider.listen(config.port, "127.0.0.1", () => {
  process.stdout.write("ready\n");
});
