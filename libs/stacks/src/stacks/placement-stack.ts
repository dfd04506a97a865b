import type { Placement } from '@tenancy/model';
import { stackNames } from '../naming';

/** The stack holding the cluster a tenant runs on: its compute stack, or its cell's or pool's. */
export function clusterStackOf(tenantId: string, placement: Placement): string {
  switch (placement.kind) {
    case 'dedicated':
      return stackNames.compute(tenantId);
    case 'cell':
      return stackNames.cell(placement.name);
    case 'pool':
      return stackNames.pool(placement.name);
  }
}
