/** Says loudly when the PostgreSQL pass is skipped, so a green run on SQLite alone is not mistaken for both. */
export default function setup(): void {
  if (!process.env.TEST_DATABASE_URL) {
    process.stderr.write(
      [
        '',
        '################################################################################',
        '#  PostgreSQL tests SKIPPED: TEST_DATABASE_URL is not set.                      #',
        '#  Only SQLite was tested. CI sets it; locally run for example:                 #',
        '#  TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test           #',
        '################################################################################',
        '',
      ].join('\n'),
    );
  }
}
