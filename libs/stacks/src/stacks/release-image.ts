import type { Platform } from '@tenancy/model';

/**
 * The image a workload of a release runs: the repository tagged with the version, and pinned to the
 * digest the release lists for it, if any (`repository:version@sha256:...`): the runtime then pulls
 * exactly the image that was tested, whatever the tag is moved to.
 */
export function releaseImage(platform: Platform, repository: string, version: string): string {
  const digest = platform.releases[version]?.images[repository];
  return `${repository}:${version}${digest ? `@${digest}` : ''}`;
}
