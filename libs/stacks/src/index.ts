export { accessOf, roleArn, type AccountAccess, type Principal } from './aws/account-access';
export { PRINCIPAL_VARIABLE } from './aws/aws-provider';
export { COMBINATIONS, compositionOf, type Combination, type Composition, type ComputePart, type DataPart, type WorkloadPart } from './combinations';
export { supervisordArgument, supervisordConfig, type SupervisedProgram } from './kubernetes/supervisord-config';
export { AWS_PROVIDER, nodeLabels, partitionOf, stackNames, tenantNames, WORKLOAD_SERVICE_ACCOUNT, type StackKind } from './naming';
export { clusterStackOf } from './stacks/placement-stack';
export { OUTPUTS } from './state/stack-outputs';
export { localStatePath, s3State, stateKey, type StateLocation } from './state/state-location';
export {
  removeStack, STACK_FILE, synthesizeControlPlane, synthesizeCustomerBootstrap, synthesizeSharedCluster, synthesizeSharedClusters, synthesizeTenant, writeStack,
  type SynthesizedStack, type TenantSynthesisOptions,
} from './synth/synthesize';
export { customerAccountOf, customerBootstrapTemplate, type CustomerAccount } from './bootstrap/customer-bootstrap';
export { countResources } from './synth/stack-summary';
export { CONFIGURATION_OUTPUT, configurationOf } from './synth/render';
