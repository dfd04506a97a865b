import { parseCidr } from '@tenancy/model';

function format(address: number, prefix: number): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefix}`;
}

/**
 * Subnets carved from a VPC network for up to four zones: the VPC is split in eight equal parts,
 * the first four private (one per zone), the next four public. Literal CIDRs keep plans readable
 * and make every subnet's range a function of the zone's position alone.
 */
export function subnetLayout(vpcCidr: string, zones: readonly string[]): { zone: string; privateCidr: string; publicCidr: string }[] {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) throw new Error(`vpcCidr must be an IPv4 network in CIDR form, got ${vpcCidr}`);
  if (zones.length < 1 || zones.length > 4) throw new Error(`between 1 and 4 availability zones are supported, got ${zones.length}`);
  const prefix = vpc.prefix + 3;
  const size = 2 ** (32 - prefix);
  return zones.map((zone, i) => ({
    zone,
    privateCidr: format(vpc.address + i * size, prefix),
    publicCidr: format(vpc.address + (4 + i) * size, prefix),
  }));
}
