// Writes docs/api.md from the API's own description: `npm run docs:api`.
import { writeFileSync } from 'node:fs';
import { generateApiMarkdown } from '../src/http/api-docs.ts';

writeFileSync(new URL('../docs/api.md', import.meta.url), await generateApiMarkdown());
process.stdout.write('Wrote docs/api.md\n');
