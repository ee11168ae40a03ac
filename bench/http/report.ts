// The benchmark's table and its section of docs/performance.md: one section per database, between
// markers, so a new run replaces the last one for that database and leaves the rest alone.
import type { LoadResult } from './load.ts';

export interface PathResults {
  /** What a person does, e.g. "caseload dashboard". */
  name: string;
  /** The request, e.g. "GET /caseload (practitioner1)". */
  request: string;
  runs: LoadResult[];
}

export interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean;
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');

/** The markdown table: one row per path and connection count, throughput also as a share of the ceiling. */
export function resultTable(paths: readonly PathResults[], ceiling: PathResults): string {
  const lines = [
    '| path | request | connections | p50 ms | p95 ms | p99 ms | requests/s | errors | share of ceiling |',
    '| --- | --- | --: | --: | --: | --: | --: | --: | --: |',
  ];
  for (const p of [ceiling, ...paths]) {
    for (const r of p.runs) {
      const top = ceiling.runs.find((c) => c.connections === r.connections);
      const share = p === ceiling ? '100%' : top && top.rps > 0 ? `${((100 * r.rps) / top.rps).toFixed(1)}%` : '–';
      lines.push(
        `| ${p.name} | ${p.request} | ${r.connections} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.rps.toFixed(1)} | ${r.errors} | ${share} |`,
      );
    }
  }
  return lines.join('\n');
}

export function targetTable(targets: readonly Target[]): string {
  return [
    '| target (issue 11) | measured | met |',
    '| --- | --- | --- |',
    ...targets.map((t) => `| ${t.what}: ${t.target} | ${t.measured} | ${t.met ? 'met' : '**missed**'} |`),
  ].join('\n');
}

const start = (key: string) => `<!-- bench:http:${key} -->`;
const end = (key: string) => `<!-- /bench:http:${key} -->`;
/** Hand-written notes on the HTTP figures go after this marker; new sections go before it. */
export const NOTES_MARKER = '<!-- bench:http:notes -->';

/** Replaces the section for `key` (e.g. `sqlite`), or adds it before the notes (or at the end). */
export function replaceSection(doc: string, key: string, body: string): string {
  const block = `${start(key)}\n${body.trim()}\n${end(key)}`;
  const from = doc.indexOf(start(key));
  const to = doc.indexOf(end(key));
  if (from >= 0 && to > from) return doc.slice(0, from) + block + doc.slice(to + end(key).length);
  const notes = doc.indexOf(NOTES_MARKER);
  if (notes >= 0) return `${doc.slice(0, notes)}${block}\n\n${doc.slice(notes)}`;
  return `${doc.trimEnd()}\n\n${block}\n`;
}
