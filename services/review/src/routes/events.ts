import type { FastifyInstance } from 'fastify';
import type { ReviewContext } from '../context.ts';
import type { DocumentEventHub } from '../domain/events.ts';

/** How often a comment line keeps the stream open (proxies close idle connections) and the session is checked. */
export const EVENTS_HEARTBEAT_MS = 20_000;

/** Live progress as server-sent events: every document state change of the deployment and its read / extract jobs starting, finishing or failing; ids and states only. */
export function registerEventRoutes(app: FastifyInstance, ctx: ReviewContext, hub: DocumentEventHub): void {
  const open = new Set<() => void>();
  // Closing the server ends the streams (they would hold it open), then the subscription.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });
  app.addHook('onClose', () => hub.close());
  // Background: an open stream is not activity, so an unattended browser still signs out when idle.
  app.get('/api/events', { config: { background: true } }, async (request, reply) => {
    const sessionId = request.clerk!.sessionId;
    const raw = reply.raw;
    reply.hijack();
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    let closed = false;
    let stop: (() => void) | undefined;
    const end = () => {
      if (closed) return;
      closed = true;
      open.delete(end);
      clearInterval(timer);
      stop?.();
      raw.end();
    };
    const timer = setInterval(() => {
      void (async () => {
        // The stream ends with the session (sign-out, idle timeout, account disabled).
        const alive = await ctx.sessions.get(sessionId, { touch: false }).catch(() => undefined);
        if (!alive) return end();
        raw.write(`: keep-alive\n\n`);
      })();
    }, EVENTS_HEARTBEAT_MS);
    open.add(end);
    request.raw.on('close', end);
    try {
      stop = await hub.listen((event) => {
        if (!closed) raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
      });
    } catch (error) {
      ctx.logger.warn({ err: { message: (error as Error).message } }, 'event stream could not subscribe');
      raw.write(`event: error\ndata: {"error":"live progress is not available"}\n\n`);
      return end();
    }
    if (closed) stop();
    else raw.write(`retry: 5000\nevent: ready\ndata: {}\n\n`);
  });
}
