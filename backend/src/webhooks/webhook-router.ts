import { Router, type Request } from 'express';
import type { DataSource } from 'typeorm';
import { currentUser } from '../auth/current-user';
import { CreateWebhook, UpdateWebhook, WebhookDeliveryListQuery, type CreateWebhookResponse, type WebhookDeliveryListResponse, type WebhookListResponse, type WebhookResponse } from '../contract';
import { keysetCursor, UuidKey } from '../platform/keyset-cursor';
import { parseResourceId } from '../platform/route-ids';
import { parse } from '../platform/validation';
import type { WebhookOutbox } from './webhook-outbox';
import { toDelivery, type WebhookStore } from './webhook-store';
import type { WebhookUrlPolicy } from './url-policy';

const webhookIdOf = (req: Request) => parseResourceId(req.params.webhookId, 'webhook_not_found', 'Webhook not found');
const deliveryIdOf = (req: Request) => parseResourceId(req.params.deliveryId, 'webhook_delivery_not_found', 'Delivery not found');
/** The deliveries' query, with the cursor decoded (a delivery's created_at and id). */
const DeliveryListPage = WebhookDeliveryListQuery.extend({ cursor: keysetCursor(UuidKey).optional() });

/** `/api/webhooks`: a user's endpoints, their deliveries, a test event and redelivery. */
export function createWebhookRouter(deps: { dataSource: DataSource; webhooks: WebhookStore; outbox: WebhookOutbox; policy: WebhookUrlPolicy }): Router {
  const router = Router();
  const { webhooks, outbox, policy } = deps;

  router.get('/', async (req, res) => {
    res.json({ webhooks: await webhooks.list(currentUser(req).id) } satisfies WebhookListResponse);
  });

  router.post('/', async (req, res) => {
    const body = parse(CreateWebhook, req.body);
    await policy.check(body.url);
    const created = await webhooks.create(currentUser(req).id, body);
    res.status(201).json(created satisfies CreateWebhookResponse);
  });

  router.get('/:webhookId', async (req, res) => {
    res.json({ webhook: await webhooks.get(currentUser(req).id, webhookIdOf(req)) } satisfies WebhookResponse);
  });

  router.patch('/:webhookId', async (req, res) => {
    const id = webhookIdOf(req);
    const userId = currentUser(req).id;
    await webhooks.get(userId, id); // 404 before 400
    const body = parse(UpdateWebhook, req.body);
    if (body.url) await policy.check(body.url);
    res.json({ webhook: await webhooks.update(userId, id, body) } satisfies WebhookResponse);
  });

  router.delete('/:webhookId', async (req, res) => {
    await webhooks.delete(currentUser(req).id, webhookIdOf(req));
    res.status(204).end();
  });

  router.post('/:webhookId/test', async (req, res) => {
    const id = webhookIdOf(req);
    const userId = currentUser(req).id;
    await webhooks.get(userId, id);
    const deliveryId = await deps.dataSource.transaction((db) => outbox.queueTest(db, id));
    res.status(202).json({ delivery: toDelivery(await webhooks.getDelivery(userId, id, deliveryId)) });
  });

  router.get('/:webhookId/deliveries', async (req, res) => {
    const id = webhookIdOf(req);
    const userId = currentUser(req).id;
    await webhooks.get(userId, id); // 404 before 400
    const { limit, cursor } = parse(DeliveryListPage, req.query);
    const page = await webhooks.listDeliveries(userId, id, { limit, after: cursor });
    res.json({ deliveries: page.deliveries, next_cursor: page.nextCursor } satisfies WebhookDeliveryListResponse);
  });

  router.post('/:webhookId/deliveries/:deliveryId/retry', async (req, res) => {
    const id = webhookIdOf(req);
    const userId = currentUser(req).id;
    const delivery = await webhooks.getDelivery(userId, id, deliveryIdOf(req));
    await deps.dataSource.transaction(async (db) => {
      await webhooks.reopen(db, delivery.id);
      await outbox.enqueue(db, [delivery.id]);
    });
    res.status(202).json({ delivery: toDelivery(await webhooks.getDelivery(userId, id, delivery.id)) });
  });

  return router;
}
