import { describe, expect, it } from 'vitest';
import { type ChainedEvent, GENESIS_HASH, eventHash, firstBreak } from './rules.ts';

const key = Buffer.from('k'.repeat(32));

function chain(n: number): (ChainedEvent & { hash: string })[] {
  const out: (ChainedEvent & { hash: string })[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e: ChainedEvent = {
      seq,
      id: `e${seq}`,
      occurred_at: `2026-11-25T10:00:0${seq}Z`,
      actor_user_id: 'u1',
      actor_label: 'a@example.org',
      action: 'participant.viewed',
      entity_type: 'participant',
      entity_id: 'p1',
      client_address: '127.0.0.1',
      request_id: `r${seq}`,
      details: null,
      prev_hash: prev,
    };
    const hash = eventHash(key, e);
    out.push({ ...e, hash });
    prev = hash;
  }
  return out;
}

describe('audit chain', () => {
  it('accepts an intact chain', () => {
    expect(firstBreak(key, chain(5), { prevHash: GENESIS_HASH, prevSeq: 0 })).toBeNull();
  });

  it('names the event whose contents changed', () => {
    const events = chain(5);
    events[2] = { ...events[2]!, action: 'participant.deleted' };
    expect(firstBreak(key, events, { prevHash: GENESIS_HASH, prevSeq: 0 })).toMatchObject({ seq: 3, id: 'e3' });
  });

  it('names the event after a removed one', () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(firstBreak(key, events, { prevHash: GENESIS_HASH, prevSeq: 0 })).toMatchObject({ seq: 3 });
  });

  it('cannot be recomputed without the key', () => {
    const events = chain(2);
    const forged = { ...events[1]!, action: 'x' };
    forged.hash = eventHash(Buffer.from('other-key'), forged);
    expect(firstBreak(key, [events[0]!, forged], { prevHash: GENESIS_HASH, prevSeq: 0 })).toMatchObject({ seq: 2 });
  });
});
