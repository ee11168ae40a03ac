import type { FastifyRequest } from 'fastify';
import type { ZodType } from 'zod';
import type { EmergencyAccess } from '../participants/rules.ts';
import type { Role } from '../users/roles.ts';

/** Who is making the request, resolved from the session cookie or the bearer token. */
export interface Actor {
  userId: string;
  email: string;
  name: string;
  role: Role;
  teamId: string | null;
  via: 'session' | 'token';
  sessionId?: string;
  /** True between the password and the second factor. */
  secondFactorPending: boolean;
  /** Break-glass for this request, set by src/http/emergency-access.ts once the actor is known. */
  emergency?: EmergencyAccess;
}

export interface FormConfig {
  /** Template re-rendered with `errors` and `values` when a ValidationError is thrown. */
  template: string;
  /** Extra context the form needs (choices for selects and so on). */
  context?: (request: FastifyRequest) => Promise<Record<string, unknown>> | Record<string, unknown>;
}

/** How an API route describes itself in `openapi.json` (see src/http/openapi.ts). */
export interface ApiDoc {
  summary: string;
  tag: string;
  /** Request body and query schemas: the same zod schemas the route parses with. */
  body?: ZodType;
  /** A request body that is not JSON (a CSV file, say): its media type and what it holds. */
  bodyMediaType?: { type: string; description: string };
  query?: ZodType;
  /** The success response's shape, when described. */
  response?: ZodType;
  /** Success status; 200 unless given. */
  status?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyReply {
    /** Renders a Nunjucks template inside the page shell and sends it as HTML. */
    render(template: string, context?: Record<string, unknown>): FastifyReply;
  }
  interface FastifyContextConfig {
    form?: FormConfig;
    api?: ApiDoc;
  }
}
