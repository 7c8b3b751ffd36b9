// Wire types for /api/tokens (mirrors backend/src/tokens/api-token-router.ts).

/** An API token as listed: never the secret itself, which the backend keeps only as a hash. */
export interface ApiToken {
  id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

export interface ListApiTokensResponse {
  tokens: ApiToken[];
}

export interface CreateApiTokenRequest {
  name: string;
}

/** `token` is the plaintext, shown to the user once and never retrievable again. */
export interface CreateApiTokenResponse {
  token: string;
  api_token: ApiToken;
}
