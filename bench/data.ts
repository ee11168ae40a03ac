// `npm run bench:data -- --scale N [--reset] [--seed N] [--today YYYY-MM-DD]`: writes the synthetic
// large service (bench/large-service.ts) into the database of bench/fixtures.ts benchTarget().
import { main } from './large-service.ts';

process.exitCode = await main(process.argv.slice(2));
