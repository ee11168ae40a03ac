// `npm audit --audit-level=high`, run by .ci/run. Fails on any high or critical advisory. When the
// registry's audit service cannot be reached (some networks answer its POST with 405), nothing was
// checked: that is said loudly, as the skipped PostgreSQL pass is, rather than failing every build
// or passing in silence. Set STEPWISE_AUDIT_REQUIRED=1 to fail in that case too.
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--audit-level=high', '--json'], { encoding: 'utf8' });
interface Advisory {
  name: string;
  severity: string;
  range: string;
  fixAvailable: unknown;
}
interface AuditReport {
  metadata?: { vulnerabilities?: Record<string, number> };
  vulnerabilities?: Record<string, Advisory>;
  message?: string;
  error?: { summary?: string };
}
let report: AuditReport | null;
try {
  report = JSON.parse(run.stdout) as AuditReport;
} catch {
  report = null;
}

if (run.status === 0) {
  const counts = report?.metadata?.vulnerabilities ?? {};
  process.stdout.write(`npm audit: no high or critical advisories (${JSON.stringify(counts)})\n`);
  process.exit(0);
}

if (report && report.vulnerabilities) {
  const serious = Object.values(report.vulnerabilities).filter((v) => v.severity === 'high' || v.severity === 'critical');
  process.stderr.write(`npm audit: ${serious.length} packages with high or critical advisories:\n`);
  for (const v of serious)
    process.stderr.write(`  ${v.name} (${v.severity}): ${v.range}; fix: ${JSON.stringify(v.fixAvailable)}\n`);
  process.exit(1);
}

const why = report?.message ?? report?.error?.summary ?? run.stderr.trim().split('\n').pop() ?? 'no answer';
const line = '#'.repeat(80);
process.stderr.write(
  `${[
    line,
    '#  npm audit SKIPPED: the registry audit service could not be reached.',
    `#  ${String(why).slice(0, 74)}`,
    '#  No advisories were checked. Run `npm audit --audit-level=high` where it can be.',
    line,
  ].join('\n')}\n`,
);
process.exit(process.env.STEPWISE_AUDIT_REQUIRED === '1' ? 1 : 0);
