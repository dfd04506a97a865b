import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isInternalHost } from '@tenancy/model';

/**
 * Name resolution for requests a runner makes to addresses a file names (webhooks, health URLs):
 * a name that resolves inside the runner's network is refused, so a public name cannot be pointed
 * at the metadata service or a private endpoint after validation passed it.
 */
export const publicLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const internal = addresses.find((a) => isInternalHost(a.address));
    if (internal) return callback(Object.assign(new Error(`${hostname} resolves to ${internal.address}, inside the runner's network: refused`), { code: 'EINTERNAL' }), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};
