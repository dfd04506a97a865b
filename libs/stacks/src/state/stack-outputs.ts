import { DataTerraformRemoteStateLocal, DataTerraformRemoteStateS3, type TerraformRemoteState } from 'cdktf';
import type { Construct } from 'constructs';
import { localStatePath, stateKey, type StateLocation } from './state-location';

/**
 * Outputs each stack kind publishes for the stacks that follow it. Other stacks read them from
 * state, so nothing needs credentials at validate time and no stack reaches into another's resources.
 */
export const OUTPUTS = {
  cluster: [
    'cluster_name', 'cluster_arn', 'cluster_endpoint', 'cluster_certificate_authority', 'cluster_security_group_id', 'cluster_key_arn', 'vpc_id', 'vpc_cidr', 'private_subnet_ids',
  ],
  data: [
    'bucket_name', 'bucket_arn', 'kms_key_arn', 'pod_security_group_id', 'database_endpoint', 'database_port', 'database_resource_id', 'database_secret_arn',
    'vpc_id', 'vpc_cidr', 'private_subnet_ids',
  ],
  nodeGroup: ['node_group_name'],
} as const;

/** Reads the outputs of stack `ofStack` from its state, as stack `fromStack`. */
export function stackOutputs(scope: Construct, id: string, location: StateLocation, fromStack: string, ofStack: string): TerraformRemoteState {
  if (location.kind === 'local') {
    return new DataTerraformRemoteStateLocal(scope, id, { path: localStatePath(location, fromStack, ofStack) });
  }
  return new DataTerraformRemoteStateS3(scope, id, { bucket: location.bucket, key: stateKey(location, ofStack), region: location.region });
}
