export { compareDiagnostics, formatDiagnostic, hasErrors, type Diagnostic, type Position, type Severity } from './diagnostics/diagnostic';
export { closest, oneOfHint } from './diagnostics/suggest';
export {
  accountOf, DATA_PLANE_AGENT_USAGE, namespaceUsageOf, packedContainer, packedResources, placementOf, regionOf, retentionDaysOf,
  sharedUsageOf, standaloneResources, totalUsageOf, versionOf, type Placement, type Usage,
} from './fleet/effective';
export { loadFleet, PLATFORM_FILE, TENANTS_DIR, type LoadedFleet, type LoadFleetOptions } from './fleet/load-fleet';
export { workTreeSource, type BoundedRead, type EntryKind, type FleetSource } from './fleet/fleet-source';
export { attributeProblems, platformFileProblem, shownPath, tenantEntry, tenantPathEntry, tenantsFolderProblem } from './fleet/tenant-paths';
export type { TenantFile } from './fleet/tenant-file';
export { platformJsonSchema, tenantJsonSchema, type JsonSchema } from './json-schema/generate';
export { generatedFiles, type GeneratedFile } from './json-schema/artifacts';
export { renderTenantReference } from './json-schema/reference-doc';
export {
  CLUSTER_ADDONS, Platform, PlatformFields, supportsPodSecurityGroups, type Channel, type ClusterAddon, type KubernetesRelease, type Migration, type NotificationDelivery, type PlacementHosting, type Release, type SharedCluster, type Tier, type Wave, type HealthCheck, HEALTH_PLACEHOLDERS,
} from './schema/platform';
export { ecrRegistryHosts, ecrRegistryOf, imageRegistryProblem } from './schema/image-registries';
export { isInternalHost, parseCidr, TENANT_ID_MAX_LENGTH, TenantId } from './schema/primitives';
export { formatCpu, formatMemory, parseCpu, parseMemory } from './schema/quantities';
export { RESERVED_TAG_KEYS } from './schema/tags';
export {
  DATABASE_FAMILIES, databaseFamily, DEPLOYMENT_MODELS, HOSTING_MODELS, Tenant, TenantFields, type DeploymentModel, type HostingModel, type TenantData,
  type TenantDatabase, type TenantDeployment, type TenantHosting, type TenantResource,
} from './schema/tenant';
export { looksRandom, secretReason } from './secrets/detect-secrets';
export { PLATFORM_FILE_LIMITS, readPlatform, readTenant, TENANT_FILE_LIMITS, type ReadDocument } from './validation/read-document';
export { synthesizerMarker } from './validation/reserved-text';
export { SourceFile, type PathSegment, type Target } from './yaml/source-file';
