export { generatedPlanRuns, type GeneratedChange } from './generated-plan';
export { GitHubStandIn, type BranchState, type Fault, type RecordedRequest, type StoredEnvironment, type StoredSettings } from './github-stand-in';
export { schedulePayload, webhookPayload } from './webhook-payloads';
