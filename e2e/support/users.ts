import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Role } from '../../src/users/roles.ts';
import type { E2eServer } from './server.ts';

/** The `stepwise` command, as the README runs it. */
export const STEPWISE_BIN = fileURLToPath(new URL('../../bin/stepwise.js', import.meta.url));

export interface UserDetails {
  name: string;
  email: string;
  role: Role;
  password: string;
}

/** Unique details for a new account, with a password the rules accept. */
export function newUserDetails(role: Role = 'practitioner', name = 'Ada Lovelace'): UserDetails {
  const id = randomBytes(4).toString('hex');
  return {
    name,
    email: `${role}-${id}@example.org`,
    role,
    password: `tangerine lantern ${id} harbour`,
  };
}

/** Runs `node bin/stepwise.js ARGS` with this environment, feeding `input` on standard input. */
export function runStepwise(
  args: string[],
  env: Record<string, string>,
  input = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [STEPWISE_BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Creates an account with `stepwise users create`, the password on standard input. */
export async function createUserWithCli(user: UserDetails, env: Record<string, string>): Promise<void> {
  const result = await runStepwise(
    ['users', 'create', '--email', user.email, '--name', user.name, '--role', user.role],
    env,
    `${user.password}\n`,
  );
  if (result.code !== 0) {
    throw new Error(`stepwise users create exited with ${String(result.code)}: ${result.stderr}${result.stdout}`);
  }
}

/** Creates a practitioner (or another role) in a team through the server's services; returns their details and id. */
export async function createTeamMember(
  server: E2eServer,
  teamId: string,
  name: string,
  role: Role = 'practitioner',
): Promise<UserDetails & { id: string; teamId: string }> {
  const user = newUserDetails(role, name);
  const created = await server.createUser({ ...user, teamId });
  return { ...user, id: created.id, teamId };
}
