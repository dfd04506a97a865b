import { fileURLToPath } from 'node:url';
import { loadFleet, type Platform } from '@tenancy/model';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Offboarded } from './offboarded';
import { purgeRefusal, reapDecisions } from './reap';

const REPO = fileURLToPath(new URL('../../../..', import.meta.url));

describe('the last check before a purge is applied', () => {
  let platform: Platform;
  let wayne: Offboarded;
  beforeAll(async () => {
    const fleet = await loadFleet(REPO);
    platform = fleet.platform!;
    const file = fleet.tenants.find((t) => t.id === 'wayne')!;
    wayne = { id: 'wayne', deletedIn: 'abc', deletedAt: '2026-01-01T00:00:00.000Z', retentionDays: 30, retainUntil: '2026-01-31T00:00:00.000Z', lastVersion: file.tenant, platform };
  });
  const others = () => [] as never[];

  it('lets a tenant past its retention and not on hold be purged', () => {
    const [decision] = reapDecisions([wayne], platform, others(), new Date('2026-02-01'));
    expect(decision!.status).toBe('due');
    expect(purgeRefusal(decision!, platform, new Date('2026-02-01'))).toBeUndefined();
  });

  it('refuses a hold placed after the decision, a clock before the retention date, and any decision but due', () => {
    const [due] = reapDecisions([wayne], platform, others(), new Date('2026-02-01'));
    const held = { ...platform, legalHolds: [...platform.legalHolds, { tenant: 'wayne', reason: 'Audit A-9' }] };
    expect(purgeRefusal(due!, held, new Date('2026-02-01'))).toBe('wayne is under legal hold (Audit A-9)');
    // A decision made as of a later date (tenancy reap --as-of) does not make the data due now.
    expect(purgeRefusal(due!, platform, new Date('2026-01-15'))).toBe('wayne is retained until 2026-01-31T00:00:00.000Z');
    const [retained] = reapDecisions([wayne], platform, others(), new Date('2026-01-15'));
    expect(purgeRefusal(retained!, platform, new Date('2026-02-01'))).toBe('wayne is retained, not due');
  });
});
