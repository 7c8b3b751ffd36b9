import { Router } from 'express';
import { currentUser } from '../auth/current-user';
import { CreateApiToken, type ApiToken, type ApiTokenListResponse, type CreatedApiToken } from '../contract';
import { parseResourceId } from '../platform/route-ids';
import { parse } from '../platform/validation';
import type { ApiTokenService, PublicApiToken } from './api-token-service';

function toApiTokenDto(token: PublicApiToken): ApiToken {
  return {
    id: token.id,
    name: token.name,
    created_at: token.createdAt.toISOString(),
    last_used_at: token.lastUsedAt?.toISOString() ?? null,
    scopes: token.scopes,
    task_ids: token.taskIds,
    expires_at: token.expiresAt?.toISOString() ?? null,
    expired: token.expiresAt !== null && token.expiresAt.getTime() <= Date.now(),
    calls: token.calls,
  };
}

export function createApiTokenRouter({ apiTokens }: { apiTokens: ApiTokenService }): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const tokens = await apiTokens.list(currentUser(req).id);
    res.json({ tokens: tokens.map(toApiTokenDto) } satisfies ApiTokenListResponse);
  });

  router.post('/', async (req, res) => {
    const { token, apiToken } = await apiTokens.create(currentUser(req).id, parse(CreateApiToken, req.body));
    res.status(201).json({ token, api_token: toApiTokenDto(apiToken) } satisfies CreatedApiToken);
  });

  router.delete('/:tokenId', async (req, res) => {
    const tokenId = parseResourceId(req.params.tokenId, 'api_token_not_found', 'API token not found');
    await apiTokens.delete(currentUser(req).id, tokenId);
    res.status(204).end();
  });

  return router;
}
