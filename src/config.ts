import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const intFrom = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^(file:|postgres:\/\/|postgresql:\/\/)/.test(v), {
      message: 'must start with file: or postgres://',
    }),
  PORT: intFrom(3000, 0, 65535),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  STEPWISE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  STEPWISE_DATA_DIR: z.string().trim().min(1).default('./data'),
  STEPWISE_BASE_URL: z.url().optional(),
  STEPWISE_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  STEPWISE_SECURE_COOKIES: z.enum(['auto', 'true', 'false']).default('auto'),
  STEPWISE_SESSION_IDLE_MINUTES: intFrom(30, 1, 24 * 60),
  STEPWISE_SESSION_ABSOLUTE_HOURS: intFrom(12, 1, 24 * 7),
  SMTP_URL: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^smtps?:\/\//.test(v), { message: 'must start with smtp:// or smtps://' }),
  STEPWISE_MAIL_FROM: z.string().trim().min(3).default('Stepwise <stepwise@localhost>'),
  STEPWISE_DIGEST_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 07:30')
    .default('07:30'),
  STEPWISE_API_RATE_LIMIT: intFrom(600, 0, 1_000_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string };

export interface Config {
  database: DatabaseTarget;
  port: number;
  host: string;
  /** Undefined until `resolveSecret` has read or created it. */
  secret: string | undefined;
  dataDir: string;
  baseUrl: string;
  trustProxy: boolean;
  secureCookies: 'auto' | 'always' | 'never';
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** Where reminder emails go out; unset means none are sent. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** When the daily digest goes out, Europe/London, `HH:MM`. */
  digestTime: string;
  /** API requests a minute per token (or address); 0 turns the limit off. */
  apiRateLimit: number;
}

/** Thrown with every bad variable listed, so one restart fixes them all. */
export class ConfigError extends Error {}

/** Reads configuration from the environment; the only code that looks at `process.env`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.STEPWISE_DATA_DIR);
  return {
    database: databaseTarget(e.DATABASE_URL, dataDir),
    port: e.PORT,
    host: e.HOST,
    secret: e.STEPWISE_SECRET,
    dataDir,
    baseUrl: (e.STEPWISE_BASE_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/$/, ''),
    trustProxy: e.STEPWISE_TRUST_PROXY === 'true',
    secureCookies: ({ auto: 'auto', true: 'always', false: 'never' } as const)[e.STEPWISE_SECURE_COOKIES],
    sessionIdleMinutes: e.STEPWISE_SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.STEPWISE_SESSION_ABSOLUTE_HOURS,
    logLevel: e.LOG_LEVEL,
    smtpUrl: e.SMTP_URL || undefined,
    mailFrom: e.STEPWISE_MAIL_FROM,
    digestTime: e.STEPWISE_DIGEST_TIME,
    apiRateLimit: e.STEPWISE_API_RATE_LIMIT,
  };
}

/** Maps DATABASE_URL to a database: unset is SQLite under the data folder. */
export function databaseTarget(url: string | undefined, dataDir: string): DatabaseTarget {
  if (!url) return { kind: 'sqlite', file: path.join(dataDir, 'stepwise.db') };
  if (url.startsWith('file:')) return { kind: 'sqlite', file: path.resolve(url.slice('file:'.length)) };
  return { kind: 'postgres', url };
}

/** Returns the configured secret, or reads (creating on first run) the one kept under the data folder. */
export function resolveSecret(config: Config): string {
  if (config.secret) return config.secret;
  const file = path.join(config.dataDir, 'secret');
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 32) return stored;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
