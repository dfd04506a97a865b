export { generatedPlanRuns, type GeneratedChange } from './generated-plan';
export { GitHubStandIn, type Fault, type RecordedRequest } from './github-stand-in';
export { schedulePayload, webhookPayload } from './webhook-payloads';
