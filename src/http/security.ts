import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const require = createRequire(import.meta.url);
const nhsuk = path.join(path.dirname(require.resolve('nhsuk-frontend/package.json')), 'dist', 'nhsuk');
const publicDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../public');

/**
 * Security headers, and the only static files served: NHS.UK frontend from its package and our
 * own small additions. Content comes from this server alone; the NHS fonts host is not allowed,
 * so browsers use the fallback fonts.
 */
async function securityPlugin(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    referrerPolicy: { policy: 'same-origin' },
  });

  await app.register(fastifyStatic, { root: path.join(nhsuk, 'assets'), prefix: '/assets/', maxAge: '1d' });
  await app.register(fastifyStatic, {
    root: nhsuk,
    prefix: '/nhsuk/',
    decorateReply: false,
    maxAge: '1d',
    allowedPath: (p) => /^\/nhsuk-frontend\.min\.(css|js)(\.map)?$/.test(p),
  });
  await app.register(fastifyStatic, { root: publicDir, prefix: '/static/', decorateReply: false, maxAge: '1h' });

  // Pages can hold personal data: no browser or proxy may keep a copy.
  app.addHook('onSend', async (request, reply) => {
    const url = request.url;
    if (!url.startsWith('/assets/') && !url.startsWith('/nhsuk/') && !url.startsWith('/static/')) {
      reply.header('cache-control', 'no-store');
    }
  });
}

export const security = fp(securityPlugin, { name: 'security' });
