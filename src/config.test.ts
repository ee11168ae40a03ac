import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, resolveSecret } from './config.ts';

describe('loadConfig', () => {
  it('defaults to SQLite under ./data on 127.0.0.1:3000', () => {
    const c = loadConfig({});
    expect(c.database).toEqual({ kind: 'sqlite', file: path.resolve('data/stepwise.db') });
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
  });

  it('reads file: and postgres:// database URLs', () => {
    expect(loadConfig({ DATABASE_URL: 'file:/tmp/x.db' }).database).toEqual({ kind: 'sqlite', file: '/tmp/x.db' });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h:5432/db',
    });
  });

  it('lists every bad variable at once', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', STEPWISE_SECRET: 'short' })).toThrow(ConfigError);
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', STEPWISE_SECRET: 'short' });
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('PORT');
      expect(message).toContain('STEPWISE_SECRET');
    }
  });
});

describe('resolveSecret', () => {
  it('creates a secret under the data folder on first run, readable only by its owner, and reuses it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stepwise-secret-'));
    const config = loadConfig({ STEPWISE_DATA_DIR: dir });
    const first = resolveSecret(config);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(path.join(dir, 'secret'), 'utf8').trim()).toBe(first);
    expect(statSync(path.join(dir, 'secret')).mode & 0o077).toBe(0);
    expect(resolveSecret(config)).toBe(first);
  });

  it('prefers STEPWISE_SECRET when it is set', () => {
    const secret = 'x'.repeat(40);
    expect(resolveSecret(loadConfig({ STEPWISE_SECRET: secret, STEPWISE_DATA_DIR: '/nonexistent' }))).toBe(secret);
  });
});
