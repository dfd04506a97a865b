import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetRepo } from '../testing/fleet-repo';
import { Repository } from './repository';

describe('Repository', () => {
  let fleet: FleetRepo;
  let repository: Repository;
  let first: string;
  let second: string;

  beforeAll(async () => {
    fleet = await FleetRepo.create();
    first = await new Repository(fleet.root).resolve('HEAD');
    second = await fleet.commit('edit', (r) => r.edit('tenants/acme.yaml', 'displayName:', 'displayName: X'));
    repository = new Repository(fleet.root);
  });
  afterAll(() => fleet.dispose());

  it('knows which commit descends from which, and says no for an unknown one', async () => {
    expect(await repository.isAncestor(first, second)).toBe(true);
    expect(await repository.isAncestor(second, second)).toBe(true);
    expect(await repository.isAncestor(second, first)).toBe(false);
    expect(await repository.isAncestor('0123456789abcdef0123456789abcdef01234567', second)).toBe(false);
  });

  it('gives a commit\'s parent, and none for the root commit', async () => {
    expect(await repository.parent(second)).toBe(first);
    expect(await repository.parent(first)).toBeUndefined();
  });
});
