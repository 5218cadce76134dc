import * as client from 'openid-client';
import type { ReviewConfig } from '@intake/config';
import { highestRole, type Role } from './roles.ts';

export interface OidcStart {
  url: URL;
  state: string;
  /** Kept server-side until the callback: the PKCE verifier and the nonce. */
  pending: { verifier: string; nonce: string; state: string };
}

/**
 * OpenID Connect, authorization-code flow with PKCE (S256), via openid-client. The
 * issuer's metadata is discovered on first use and kept.
 */
export class OidcLogin {
  private configuration?: Promise<client.Configuration>;

  constructor(private readonly config: ReviewConfig) {}

  private discover(): Promise<client.Configuration> {
    const issuer = new URL(this.config.OIDC_ISSUER!);
    // Plain http only for an issuer on loopback (local testing); production issuers are https.
    const loopback = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
    this.configuration ??= client
      .discovery(
        issuer,
        this.config.OIDC_CLIENT_ID!,
        this.config.OIDC_CLIENT_SECRET,
        undefined,
        loopback ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }

  async start(): Promise<OidcStart> {
    const configuration = await this.discover();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.config.OIDC_REDIRECT_URL!,
      scope: this.config.OIDC_SCOPE,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url, state, pending: { verifier, nonce, state } };
  }

  /** Exchange the code; the user name and role from the ID token's claims. */
  async finish(currentUrl: URL, pending: OidcStart['pending']): Promise<{ username: string; role: Role | undefined }> {
    const configuration = await this.discover();
    const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the identity provider returned no ID token');
    const username = String(claims.preferred_username ?? claims.email ?? claims.sub);
    return { username, role: highestRole(claims[this.config.OIDC_ROLES_CLAIM]) };
  }
}
