import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { accountRoutes } from './auth/account-routes.ts';
import { appointmentRoutes } from './appointments/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { contactRoutes } from './contacts/routes.ts';
import { supportRoutes } from './support/routes.ts';
import { internshipRoutes } from './internships/routes.ts';
import { internshipApiRoutes } from './internships/api-routes.ts';
import { internshipProgressRoutes } from './internships/progress-routes.ts';
import { graduationRoutes } from './internships/graduation-routes.ts';
import { accessToWorkRoutes } from './access-to-work/routes.ts';
import { accessToWorkApiRoutes } from './access-to-work/api-routes.ts';
import { claimRoutes } from './access-to-work/claim-routes.ts';
import { reportRoutes } from './reports/routes.ts';
import { reportApiRoutes } from './reports/api-routes.ts';
import { benefitsApiRoutes } from './benefits/api-routes.ts';
import { benefitsRoutes } from './benefits/routes.ts';
import { subjectAccessRoutes } from './subject-access/routes.ts';
import { retentionRoutes } from './retention/routes.ts';
import { revisionRoutes } from './revisions/routes.ts';
import { erasureRoutes } from './erasure/routes.ts';
import { outcomeChartRoutes } from './reports/chart-routes.ts';
import { outcomeExportRoutes } from './reports/export-routes.ts';
import { capacityRoutes } from './access-to-work/capacity-routes.ts';
import { fidelityRoutes } from './fidelity/routes.ts';
import { fidelityApiRoutes } from './fidelity/api-routes.ts';
import type { Db } from './db/types.ts';
import type { Deps } from './deps.ts';
import type { ApiDoc } from './http/types.ts';
import { homeRoutes } from './home/routes.ts';
import { access } from './http/access.ts';
import { csrf } from './http/csrf.ts';
import { dashboardRoutes } from './dashboards/routes.ts';
import { employerRoutes } from './employers/routes.ts';
import { errorHandler } from './http/error-handler.ts';
import { refusalAudit } from './http/refusal-audit.ts';
import { healthRoutes } from './http/health.ts';
import { identity } from './http/identity.ts';
import { emergencyAccess } from './http/emergency-access.ts';
import { breakGlassRoutes } from './break-glass/routes.ts';
import { matchingRoutes } from './matching/routes.ts';
import { placementRoutes } from './placements/routes.ts';
import { taskAnalysisRoutes } from './task-analyses/routes.ts';
import { vacancyRoutes } from './vacancies/routes.ts';
import { workplaceIssueRoutes } from './workplace-issues/routes.ts';
import { idempotency } from './http/idempotency.ts';
import { openApiRoutes } from './http/openapi.ts';
import { participantRoutes } from './participants/routes.ts';
import { profileRoutes } from './profiles/routes.ts';
import { security } from './http/security.ts';
import { apiRateLimit } from './http/rate-limit.ts';
import { textGuard } from './http/text-guard.ts';
import { views } from './http/views.ts';
import { referralRoutes } from './referrals/routes.ts';
import { settingsRoutes } from './settings/routes.ts';
import { siteRoutes } from './sites/routes.ts';
import { teamRoutes } from './teams/routes.ts';
import { timelineRoutes } from './timeline/routes.ts';
import { userRoutes } from './users/routes.ts';

/** A route as registered, with its API description when it has one. */
export interface RegisteredRoute {
  method: string;
  url: string;
  api?: ApiDoc;
}

export interface AppOptions {
  db: Db;
  deps: Deps;
  secret: string;
  /** Secure cookies: always, never, or when the request came over HTTPS. */
  secureCookies?: 'auto' | 'always' | 'never';
  trustProxy?: boolean;
  logger?: FastifyServerOptions['logger'];
  /** Whether SMTP_URL is set, so admin pages can say when reminders are not sent. */
  mailConfigured?: boolean;
  /** Re-read templates on every request (development). */
  watchViews?: boolean;
  /** API requests a minute per token (or address); 0 turns the limit off. 600 unless given. */
  apiRateLimit?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    deps: Deps;
    registeredRoutes: readonly RegisteredRoute[];
    mailConfigured: boolean;
    /** Whether a cookie set on this request should be Secure. */
    secureCookie(request: FastifyRequest): boolean;
  }
}

/** Builds the Stepwise server from its parts; never listens (see server.ts). */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: options.trustProxy ?? false,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  });
  // Kept so the route-by-role test and the API description can walk every route.
  const routes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url, api: r.config?.api });
  });
  app.decorate('db', options.db);
  app.decorate('mailConfigured', options.mailConfigured ?? false);
  app.decorate('deps', options.deps);
  const mode = options.secureCookies ?? 'auto';
  app.decorate('secureCookie', (request) => mode === 'always' || (mode === 'auto' && request.protocol === 'https'));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(cookie, { secret: options.secret });
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await app.register(security);
  await app.register(apiRateLimit, { max: options.apiRateLimit ?? 600, timeWindowMs: 60_000 });
  await app.register(identity, { db: options.db, deps: options.deps });
  await app.register(emergencyAccess, { deps: options.deps });
  await app.register(access);
  await app.register(csrf, { secureCookies: mode });
  await app.register(idempotency, { db: options.db, deps: options.deps });
  await app.register(views, { watch: options.watchViews ?? false });
  await app.register(errorHandler);
  await app.register(refusalAudit);
  await app.register(textGuard);

  await app.register(healthRoutes);
  await app.register(homeRoutes);
  await app.register(authRoutes);
  await app.register(accountRoutes);
  await app.register(userRoutes);
  await app.register(teamRoutes);
  await app.register(siteRoutes);
  await app.register(auditRoutes);
  await app.register(settingsRoutes);
  await app.register(participantRoutes);
  await app.register(dashboardRoutes);
  await app.register(profileRoutes);
  await app.register(referralRoutes);
  await app.register(contactRoutes);
  await app.register(employerRoutes);
  await app.register(vacancyRoutes);
  await app.register(timelineRoutes);
  await app.register(appointmentRoutes);
  await app.register(matchingRoutes);
  await app.register(placementRoutes);
  await app.register(taskAnalysisRoutes);
  await app.register(workplaceIssueRoutes);
  await app.register(supportRoutes);
  await app.register(internshipRoutes);
  await app.register(internshipApiRoutes);
  await app.register(internshipProgressRoutes);
  await app.register(graduationRoutes);
  await app.register(capacityRoutes);
  await app.register(accessToWorkRoutes);
  await app.register(accessToWorkApiRoutes);
  await app.register(claimRoutes);
  await app.register(fidelityRoutes);
  await app.register(fidelityApiRoutes);
  await app.register(reportRoutes);
  await app.register(reportApiRoutes);
  await app.register(benefitsRoutes);
  await app.register(benefitsApiRoutes);
  await app.register(subjectAccessRoutes);
  await app.register(revisionRoutes);
  await app.register(retentionRoutes);
  await app.register(breakGlassRoutes);
  await app.register(erasureRoutes);
  await app.register(outcomeChartRoutes);
  await app.register(outcomeExportRoutes);
  await app.register(openApiRoutes);
  return app;
}
