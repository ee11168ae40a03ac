// Synthetic people: a varied list of names heard across the UK. Any likeness to a real person is
// chance; the NHS numbers (see nhs-number.ts) are from the range that cannot belong to anyone.

const GIVEN = [
  'Aisha',
  'Callum',
  'Priya',
  'Dylan',
  'Siobhan',
  'Kwame',
  'Megan',
  'Tomasz',
  'Chloe',
  'Rhys',
  'Amara',
  'Liam',
  'Fatima',
  'Owen',
  'Zofia',
  'Jamal',
  'Niamh',
  'Hassan',
  'Ellie',
  'Kieran',
  'Mei',
  'Connor',
  'Grace',
  'Arjun',
  'Bethany',
  'Declan',
  'Yusuf',
  'Holly',
  'Ravi',
  'Sophie',
  'Oluwaseun',
  'Jack',
  'Leah',
  'Mohammed',
  'Ffion',
  'Darius',
  'Isla',
  'Emeka',
  'Rosie',
  'Gareth',
  'Ayesha',
  'Ciaran',
  'Hannah',
  'Lukas',
  'Nadia',
  'Ewan',
  'Temi',
  'Morgan',
  'Sana',
  'Lewis',
  'Joy',
  'Rory',
  'Anika',
  'Shaun',
  'Lowri',
  'Bilal',
  'Kirsty',
  'Marek',
  'Jade',
  'Idris',
  'Courtney',
  'Abdul',
  'Eilidh',
  'Nathan',
  'Precious',
  'Stefan',
  'Lauren',
  'Tariq',
  'Molly',
  'Cameron',
  'Zara',
  'Aled',
  'Harpreet',
  'Jordan',
  'Catrin',
  'Kofi',
  'Amy',
  'Ioana',
  'Ryan',
  'Bushra',
];

const FAMILY = [
  'Ahmed',
  'Baker',
  'Campbell',
  'Davies',
  'Evans',
  'Fraser',
  'Gallagher',
  'Hughes',
  'Iqbal',
  'Jones',
  'Kowalski',
  'Lewis',
  "O'Neill",
  'Mensah',
  'Nowak',
  'Okafor',
  'Patel',
  'Quinn',
  'Roberts',
  'Singh',
  'Thomas',
  'Usman',
  'Vaughan',
  'Walsh',
  'Young',
  'Zielinski',
  'Begum',
  'Chen',
  'Doherty',
  'Edwards',
  'Fitzgerald',
  'Green',
  'Hussain',
  'Jenkins',
  'Khan',
  'Lloyd',
  'MacDonald',
  'Nguyen',
  'Owusu',
  'Price',
  'Reid',
  'Shah',
  'Taylor',
  'Wright',
  'Adeyemi',
  'Brown',
  'Clarke',
  'Dhillon',
  'Ellis',
  'Forde',
  'Griffiths',
  'Hamilton',
  'Ibrahim',
  'Kaur',
  'Morgan',
  'Murphy',
  'Novak',
  'Osei',
  'Parry',
  'Rahman',
  'Stewart',
  'Turner',
  'Wilson',
  'Yilmaz',
  'Boateng',
  'Crawford',
  'Duffy',
  'Mistry',
  'Pritchard',
  'Sutherland',
];

/** A small seeded generator (mulberry32), so every demo load tells the same story. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks from a list with the given generator. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A whole number from `min` to `max`, both included. */
export function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Hands out names with no full name repeated. */
export function nameSource(random: () => number): () => { givenName: string; familyName: string } {
  const used = new Set<string>();
  return () => {
    for (;;) {
      const givenName = pick(random, GIVEN);
      const familyName = pick(random, FAMILY);
      const key = `${givenName} ${familyName}`;
      if (!used.has(key)) {
        used.add(key);
        return { givenName, familyName };
      }
    }
  };
}
