import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, type ErrorCode, ValidationError } from '../errors.ts';
import { isApiRequest } from './audit-context.ts';
import { signInRedirect } from './identity.ts';

// Values never echoed back into a re-rendered form.
const NEVER_REFILL = new Set(['password', 'new_password', 'code', '_csrf', 'secret']);

interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: Record<string, string> };
}

/** Maps any thrown error to the JSON error shape or a page, never leaking internals. */
function classify(err: FastifyError | AppError | Error): { status: number; body: ErrorBody } {
  if (err instanceof ValidationError) {
    return { status: 400, body: { error: { code: err.code, message: err.message, fields: err.fields } } };
  }
  if (err instanceof AppError) return { status: err.statusCode, body: { error: { code: err.code, message: err.message } } };
  const fe = err as FastifyError;
  if (fe.code === 'FST_CSRF_INVALID_TOKEN' || fe.code === 'FST_CSRF_MISSING_SECRET') {
    return {
      status: 403,
      body: { error: { code: 'forbidden', message: 'This form has expired. Go back, refresh the page and try again' } },
    };
  }
  if (fe.validation) {
    const fields: Record<string, string> = {};
    for (const v of fe.validation) {
      const field =
        (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.') ||
        (typeof v.params?.missingProperty === 'string' ? v.params.missingProperty : 'body');
      fields[field] ??= v.message ?? 'is not valid';
    }
    return {
      status: 400,
      body: { error: { code: 'validation_failed', message: 'There is a problem with what was sent', fields } },
    };
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err instanceof SyntaxError) {
      return {
        status: 400,
        body: {
          error: {
            code: 'validation_failed',
            message: 'The request body is not valid JSON',
            fields: { body: 'Send valid JSON' },
          },
        },
      };
    }
    const code: ErrorCode =
      status === 401
        ? 'unauthenticated'
        : status === 403
          ? 'forbidden'
          : status === 404
            ? 'not_found'
            : status === 429
              ? 'too_many_requests'
              : 'validation_failed';
    // Fastify's own 4xx messages (body too large, unsupported media type) are safe to show.
    return { status, body: { error: { code, message: fe.message } } };
  }
  return {
    status: 500,
    body: { error: { code: 'internal_error', message: 'Something went wrong on our side. Try again later' } },
  };
}

const ERROR_PAGES: Partial<Record<number, { template: string; title: string }>> = {
  403: { template: 'errors/403.njk', title: 'You do not have permission to see this page' },
  404: { template: 'errors/404.njk', title: 'Page not found' },
  429: { template: 'errors/429.njk', title: 'Too many attempts' },
};

async function errorHandlerPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler(async (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = classify(err);
    if (status >= 500) request.log.error({ err, reqId: request.id }, 'request failed');
    else request.log.info({ code: body.error.code, status }, 'request refused');

    if (isApiRequest(request)) return reply.status(status).send(body);

    if (status === 401) {
      const to = signInRedirect(request) ?? '/sign-in';
      return reply.redirect(to);
    }
    const form = request.routeOptions.config?.form;
    if (err instanceof ValidationError && form) {
      const values = Object.fromEntries(
        Object.entries((request.body ?? {}) as Record<string, unknown>).filter(([k]) => !NEVER_REFILL.has(k)),
      );
      const extra = form.context ? await form.context(request) : {};
      return reply.status(400).render(form.template, { ...extra, values, errors: err.fields });
    }
    const page = ERROR_PAGES[status];
    if (page) return reply.status(status).render(page.template, { title: page.title, message: body.error.message });
    if (status < 500)
      return reply.status(status).render('errors/problem.njk', { title: 'There is a problem', message: body.error.message });
    return reply
      .status(500)
      .render('errors/500.njk', { title: 'Sorry, there is a problem with the service', requestId: request.id });
  });

  app.setNotFoundHandler(async (request, reply) => {
    if (isApiRequest(request)) return reply.status(404).send({ error: { code: 'not_found', message: 'Not found' } });
    return reply.status(404).render('errors/404.njk', { title: 'Page not found' });
  });
}

export const errorHandler = fp(errorHandlerPlugin, { name: 'error-handler', dependencies: ['views'] });
