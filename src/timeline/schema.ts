import { z } from 'zod';
import { TIMELINE_KINDS } from './rules.ts';

/** The timeline's query: which kinds (`?kind=contact&kind=status`, none for all) and which page. */
export const TimelineQuerySchema = z.strictObject({
  kind: z
    .preprocess(
      (v) => (v === undefined || v === '' ? undefined : Array.isArray(v) ? v : [v]),
      z.array(z.enum(TIMELINE_KINDS, { error: 'Select what to show from the list' })).optional(),
    )
    .optional(),
  page: z.coerce
    .number({ error: 'Page must be a number' })
    .int('Page must be a whole number')
    .min(1, 'Page must be 1 or more')
    .max(400, 'Page must be 400 or less')
    .optional(),
  done: z.string().max(20).optional(),
});
export type TimelineQuery = z.infer<typeof TimelineQuerySchema>;
