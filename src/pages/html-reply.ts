import type { FastifyReply } from 'fastify';

/**
 * Sends a page rendered to a string by `PageRenderer`. Never cached: every page shows state
 * that changes (an incident opening must show on the next load) or personal data.
 */
export function sendHtml(reply: FastifyReply, html: string, options: { status?: number } = {}): FastifyReply {
  return reply
    .status(options.status ?? 200)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(html);
}
