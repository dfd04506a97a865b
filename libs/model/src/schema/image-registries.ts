import { z } from 'zod';
import { problem } from '../diagnostics/problem';

/** An Amazon ECR registry's host: `<account>.dkr.ecr.<region>.amazonaws.com` (`.com.cn` in China). */
const ECR_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** A registry, or a path of one, images may come from: `ghcr.io/example-saas`, `111122223333.dkr.ecr.us-east-1.amazonaws.com`. */
export const ImageRegistry = z
  .string()
  .regex(/^[a-z0-9.-]+(?::\d+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, { error: problem('is not a registry or a path of one', 'write a registry such as ghcr.io/example-saas or 111122223333.dkr.ecr.us-east-1.amazonaws.com') })
  .meta({ description: 'A registry host, with an optional path, that images may come from.', examples: ['ghcr.io/example-saas', '111122223333.dkr.ecr.us-east-1.amazonaws.com'] });

/** The ECR registry an image or a registry names, if it is one. */
export function ecrRegistryOf(reference: string): { readonly account: string; readonly region: string; readonly host: string } | undefined {
  const host = reference.split('/')[0]!;
  const match = ECR_HOST.exec(host);
  return match ? { account: match[1]!, region: match[2]!, host } : undefined;
}

/** The hosts of the ECR registries among platform.yaml's image registries: nodes may pull from these (and EKS's own) only. */
export function ecrRegistryHosts(registries: readonly string[] | undefined): string[] {
  return [...new Set((registries ?? []).flatMap((registry) => ecrRegistryOf(registry)?.host ?? []))].sort();
}

/** Why an image cannot come from where it does, if it cannot: outside every listed registry, or from an ECR registry nodes may not read. */
export function imageRegistryProblem(image: string, registries: readonly string[] | undefined): { message: string; hint: string } | undefined {
  if (registries && !registries.some((registry) => image.startsWith(`${registry}/`))) {
    return { message: `image ${image} is from none of controlPlane.imageRegistries`, hint: `take it from ${registries.join(', ')}, or add its registry to imageRegistries in platform.yaml` };
  }
  const ecr = ecrRegistryOf(image);
  if (ecr && !ecrRegistryHosts(registries).includes(ecr.host)) {
    return { message: `image ${image} is in ECR registry ${ecr.host}, which nodes may not read`, hint: `add ${ecr.host} to controlPlane.imageRegistries in platform.yaml, then apply the account stacks again and send customers a new bootstrap` };
  }
  return undefined;
}
