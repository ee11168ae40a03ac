import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LOG = path.join(ROOT, 'docs/hazard-log.md');

interface Hazard {
  heading: string;
  tests: { file: string; link: string; title: string }[];
  fields: string[];
}

// `- [src/x.test.ts](../src/x.test.ts): `the test's title``
const TEST_LINE = /^\s*- \[([^\]]+)\]\(([^)]+)\): `([^`]+)`\s*$/;

/** Each `### H..` section of the hazard log, with its bold field names and linked tests. */
function hazards(markdown: string): Hazard[] {
  const out: Hazard[] = [];
  for (const line of markdown.split('\n')) {
    if (line.startsWith('### ')) out.push({ heading: line.slice(4), tests: [], fields: [] });
    const current = out[out.length - 1];
    if (!current) continue;
    for (const m of line.matchAll(/\*\*([^*]+):\*\*/g)) current.fields.push(m[1]!);
    const t = TEST_LINE.exec(line);
    if (t) current.tests.push({ file: t[1]!, link: t[2]!, title: t[3]! });
  }
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** True when the file declares a test (`it`/`test`, any modifier) with exactly this title. */
function declaresTest(source: string, title: string): boolean {
  return new RegExp(`\\b(?:it|test)(?:\\.\\w+)*\\(\\s*(['"\`])${escapeRegExp(title)}\\1`).test(source);
}

describe('hazard log (docs/hazard-log.md)', () => {
  const log = hazards(readFileSync(LOG, 'utf8'));

  it('has at least 10 hazards, each with its cause, effect, controls, tests and risk ratings', () => {
    expect(log.length).toBeGreaterThanOrEqual(10);
    const incomplete = log
      .map((h) => ({
        hazard: h.heading,
        lacking: ['Cause', 'Effect on the person', 'Existing controls', 'Tests', 'Initial risk', 'Residual risk'].filter(
          (f) => !h.fields.includes(f),
        ),
        tests: h.tests.length,
      }))
      .filter((h) => h.lacking.length > 0 || h.tests === 0);
    expect(incomplete).toEqual([]);
  });

  it('links only test files that exist, by a link that leads to them', () => {
    const problems = log.flatMap((h) =>
      h.tests.flatMap(({ file, link }) => {
        const found: string[] = [];
        if (!existsSync(path.join(ROOT, file))) found.push(`${h.heading}: ${file} does not exist`);
        if (path.resolve(path.dirname(LOG), link) !== path.join(ROOT, file))
          found.push(`${h.heading}: the link ${link} does not lead to ${file}`);
        return found;
      }),
    );
    expect(problems).toEqual([]);
  });

  it('names only tests that those files still declare, word for word', () => {
    const missing = log.flatMap((h) =>
      h.tests
        .filter(({ file }) => existsSync(path.join(ROOT, file)))
        .filter(({ file, title }) => !declaresTest(readFileSync(path.join(ROOT, file), 'utf8'), title))
        .map(({ file, title }) => `${h.heading}: ${file} has no test "${title}"`),
    );
    expect(missing).toEqual([]);
  });
});
