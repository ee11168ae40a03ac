/**
 * NHS numbers for synthetic people: the 999 range, set aside for testing, with a valid
 * Modulus 11 check digit, so they pass the same check real numbers do and can never be real.
 */
export function testNhsNumber(serial: number): string {
  // Serials whose check digit would be 10 have no valid number; step over them.
  for (let s = serial; ; s++) {
    const body = `999${String(s % 1_000_000).padStart(6, '0')}`;
    const check = checkDigit(body);
    if (check !== null) return `${body}${check}`;
  }
}

/** The Modulus 11 check digit of the first nine digits, or null when none is valid. */
export function checkDigit(nine: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  return check === 10 ? null : check;
}
