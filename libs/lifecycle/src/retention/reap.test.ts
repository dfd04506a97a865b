import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFleet, type Platform } from '@tenancy/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Offboarded } from './offboarded';
import { localOffboardingClock } from './offboarding-clock';
import { offboardingKey, purgeRefusal, reapDecisions } from './reap';

const REPO = fileURLToPath(new URL('../../../..', import.meta.url));

describe('what reaping may do, and the last check before a purge is applied', () => {
  let platform: Platform;
  let wayne: Offboarded;
  beforeAll(async () => {
    const fleet = await loadFleet(REPO);
    platform = fleet.platform!;
    const file = fleet.tenants.find((t) => t.id === 'wayne')!;
    // The deleting commit claims 2020: a date its author chose, which nothing reads.
    wayne = { id: 'wayne', deletedIn: 'abc', deletedAt: '2020-01-01T00:00:00.000Z', retentionDays: 30, retainUntil: '2020-01-31T00:00:00.000Z', lastVersion: file.tenant, platform };
  });
  const others = () => [] as never[];
  const appliedOn = (date: string) => new Map([[offboardingKey('wayne', 'abc'), date]]);

  it('starts the retention clock when the offboarding was applied, never at the commit\'s date', () => {
    const [decision] = reapDecisions([wayne], platform, others(), new Date('2026-01-15'), appliedOn('2026-01-01T00:00:00.000Z'));
    expect(decision).toMatchObject({ status: 'retained', appliedAt: '2026-01-01T00:00:00.000Z', retainUntil: '2026-01-31T00:00:00.000Z' });
  });

  it('never purges an offboarding no apply recorded, however old its commit', () => {
    const [decision] = reapDecisions([wayne], platform, others(), new Date('2026-02-01'), new Map());
    expect(decision).toMatchObject({ status: 'unapplied', detail: expect.stringContaining('no apply recorded its offboarding') });
    expect(purgeRefusal(decision!, platform, new Date('2026-02-01'))).toBe('wayne is unapplied, not due');
  });

  it('lets a tenant past its retention and not on hold be purged', () => {
    const [decision] = reapDecisions([wayne], platform, others(), new Date('2026-02-01'), appliedOn('2026-01-01T00:00:00.000Z'));
    expect(decision!.status).toBe('due');
    expect(purgeRefusal(decision!, platform, new Date('2026-02-01'))).toBeUndefined();
  });

  it('holds a former tenant while a hold names it, and makes it due once the hold is lifted, without touching the others', () => {
    const held = { ...platform, legalHolds: [...platform.legalHolds, { tenant: 'wayne', reason: 'Audit A-9' }] };
    const other: Offboarded = { ...wayne, id: 'gotham', deletedIn: 'def' };
    const applied = new Map([[offboardingKey('wayne', 'abc'), '2026-01-01T00:00:00.000Z'], [offboardingKey('gotham', 'def'), '2026-01-01T00:00:00.000Z']]);
    expect(reapDecisions([wayne, other], held, others(), new Date('2026-02-01'), applied).map((d) => d.status)).toEqual(['held', 'due']);
    expect(reapDecisions([wayne, other], platform, others(), new Date('2026-02-01'), applied).map((d) => d.status)).toEqual(['due', 'due']);
  });

  it('leaves the data of a customer\'s account whose access ended with its last tenant to the customer, and purges it while the account still has one', () => {
    const customer = { model: 'customer-account' as const, accountId: '777788889999', region: 'us-east-1', roleName: 'TenancyDeployer', plannerRoleName: 'TenancyPlanner', externalIdSecret: 'tenancy/customers/initech/external-id' };
    const hosted: Offboarded = { ...wayne, lastVersion: { ...wayne.lastVersion, hosting: customer } };
    const noCustomerPlacement = { ...platform, cells: {}, pools: {} };
    const [alone] = reapDecisions([hosted], noCustomerPlacement, others(), new Date('2026-02-01'), appliedOn('2026-01-01T00:00:00.000Z'));
    expect(alone).toMatchObject({ status: 'customer-held', detail: expect.stringContaining('account 777788889999') });
    const stillServed = [{ ...wayne.lastVersion, hosting: customer }];
    expect(reapDecisions([hosted], noCustomerPlacement, stillServed, new Date('2026-02-01'), appliedOn('2026-01-01T00:00:00.000Z'))[0]!.status).toBe('due');
    expect(reapDecisions([hosted], platform, others(), new Date('2026-02-01'), appliedOn('2026-01-01T00:00:00.000Z'))[0]!.status, 'a cell of the account keeps its role').toBe('due');
  });

  it('keeps the data for the customer unless a tenant, cell or pool still uses the same role in the same account', () => {
    const customer = { model: 'customer-account' as const, accountId: '777788889999', region: 'us-east-1', roleName: 'TenancyDeployer', plannerRoleName: 'TenancyPlanner', externalIdSecret: 'tenancy/customers/initech/external-id' };
    const hosted: Offboarded = { ...wayne, lastVersion: { ...wayne.lastVersion, hosting: customer } };
    const noPlacement = { ...platform, cells: {}, pools: {} };
    const statusWith = (hosting: object) => reapDecisions([hosted], noPlacement, [{ ...wayne.lastVersion, hosting } as never], new Date('2026-02-01'), appliedOn('2026-01-01T00:00:00.000Z'))[0]!.status;
    expect(statusWith({ ...customer, roleName: 'OtherDeployer' })).toBe('customer-held');
    expect(statusWith({ ...customer, accountId: '123456789012' })).toBe('customer-held');
    expect(statusWith({ model: 'provider-account' })).toBe('customer-held');
    expect(statusWith(customer)).toBe('due');
  });

  it('says why, for each status', () => {
    const decide = (asOf: string, held = platform, applied = appliedOn('2026-01-01T00:00:00.000Z'), tenant = wayne) => reapDecisions([tenant], held, others(), new Date(asOf), applied)[0]!.detail;
    expect(decide('2026-01-15')).toBe('kept until 2026-01-31T00:00:00.000Z');
    expect(decide('2026-02-01')).toBe('retention ended 2026-01-31T00:00:00.000Z');
    expect(decide('2026-02-01', { ...platform, legalHolds: [{ tenant: 'wayne', reason: 'Audit A-9', since: '2026-01-20' }] })).toBe('legal hold: Audit A-9 (since 2026-01-20)');
    expect(decide('2026-02-01', { ...platform, legalHolds: [{ tenant: 'wayne', reason: 'Audit A-9' }] })).toBe('legal hold: Audit A-9');
    const commit = '0123456789abcdef0123456789abcdef01234567';
    expect(decide('2026-02-01', platform, new Map(), { ...wayne, deletedIn: commit })).toBe('no apply recorded its offboarding (deleted in 0123456789ab): its retention has not started; apply it first');
  });

  it('refuses a purge with no recorded clock whatever the decision says, and allows one at the very end of retention', () => {
    const [due] = reapDecisions([wayne], platform, others(), new Date('2026-02-01'), appliedOn('2026-01-01T00:00:00.000Z'));
    const { retainUntil: _, ...withoutClock } = due!;
    expect(purgeRefusal(withoutClock, platform, new Date('2026-02-01'))).toBe("no apply recorded wayne's offboarding: its retention has not started");
    expect(purgeRefusal(due!, platform, new Date('2026-01-31T00:00:00.000Z'))).toBeUndefined();
  });

  it('makes the data due at the very end of its retention, not a millisecond before', () => {
    const decide = (asOf: string) => reapDecisions([wayne], platform, others(), new Date(asOf), appliedOn('2026-01-01T00:00:00.000Z'))[0]!.status;
    expect([decide('2026-01-30T23:59:59.999Z'), decide('2026-01-31T00:00:00.000Z')]).toEqual(['retained', 'due']);
  });

  it('refuses a hold placed after the decision, a clock before the retention date, and any decision but due', () => {
    const [due] = reapDecisions([wayne], platform, others(), new Date('2026-02-01'), appliedOn('2026-01-01T00:00:00.000Z'));
    const held = { ...platform, legalHolds: [...platform.legalHolds, { tenant: 'wayne', reason: 'Audit A-9' }] };
    expect(purgeRefusal(due!, held, new Date('2026-02-01'))).toBe('wayne is under legal hold (Audit A-9)');
    // A decision made as of a later date (tenancy reap --as-of) does not make the data due now.
    expect(purgeRefusal(due!, platform, new Date('2026-01-15'))).toBe('wayne is retained until 2026-01-31T00:00:00.000Z');
    const [retained] = reapDecisions([wayne], platform, others(), new Date('2026-01-15'), appliedOn('2026-01-01T00:00:00.000Z'));
    expect(purgeRefusal(retained!, platform, new Date('2026-02-01'))).toBe('wayne is retained, not due');
  });
});

describe('the record of when an offboarding was applied', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenancy-clock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the first apply: a rerun, or a later apply, never moves the clock', async () => {
    const clock = localOffboardingClock(dir);
    expect(await clock.read('wayne', 'abc')).toBeUndefined();
    expect(await clock.record({ tenant: 'wayne', deletedIn: 'abc', appliedAt: '2026-01-01T00:00:00.000Z' })).toEqual({ tenant: 'wayne', deletedIn: 'abc', appliedAt: '2026-01-01T00:00:00.000Z' });
    expect(await clock.record({ tenant: 'wayne', deletedIn: 'abc', appliedAt: '2027-06-01T00:00:00.000Z' })).toMatchObject({ appliedAt: '2026-01-01T00:00:00.000Z' });
    expect(await clock.read('wayne', 'abc')).toMatchObject({ appliedAt: '2026-01-01T00:00:00.000Z' });
    expect(await clock.read('wayne', 'other')).toBeUndefined();
  });
});
