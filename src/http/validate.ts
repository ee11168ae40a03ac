import type { z } from 'zod';
import { ValidationError } from '../errors.ts';

/** Parses input with a zod schema; every problem becomes a message on its field. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[key] ??= `${key} is not a field that can be set here`;
      continue;
    }
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
    fields[field] ??= issue.path.length > 0 || issue.code !== 'invalid_type' ? issue.message : 'Send a JSON object';
  }
  throw new ValidationError(fields);
}
