/** A user and group id no image assigns to root, so the restricted profile's runAsNonRoot holds for any image. */
const WORKLOAD_UID = '10001';

/** Pod settings of the restricted Pod Security Standard. */
export const RESTRICTED_POD_SECURITY = {
  runAsNonRoot: true,
  runAsUser: WORKLOAD_UID,
  runAsGroup: WORKLOAD_UID,
  fsGroup: WORKLOAD_UID,
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Container settings of the restricted Pod Security Standard, with a read-only root file system. */
export const RESTRICTED_CONTAINER_SECURITY = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * Images are pulled on every start, so the registry checks the pod's pull rights each time: a pod
 * of one tenant never runs another tenant's private image from the node's cache.
 */
export const ALWAYS_PULL = 'Always';

/** Where a tenant's pods may run. */
export interface PodPlacement {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly { key: string; operator: string; value: string; effect: string }[];
}

/** Pods with this label and value receive no traffic: every ingress allowance excludes them. */
export const NO_INBOUND_LABEL = { key: 'tenancy.io/inbound', value: 'none' } as const;

/** A writable /tmp, since the root file system is read-only; the kubelet evicts a pod that fills more than 1 GiB of its node's disk with it. */
export const SCRATCH_VOLUME = { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } };
export const SCRATCH_MOUNT = { name: 'tmp', mountPath: '/tmp' };
