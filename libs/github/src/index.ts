export { createGitHub, type GitHub, type GitHubOptions } from './client';
export { checkRepositorySettings, type RepositoryRef, type RequiredSettings, type SettingsFinding } from './repository-settings';
export { DRIFT_LABEL, syncDriftIssues, type DriftFinding } from './drift-issues';
export { contextOutputs, eventContext, type WorkflowContext } from './event-context';
export { appendJobSummary, fitSummary, JOB_SUMMARY_LIMIT } from './job-summary';
export { PLAN_COMMENT_MARKER, renderPlanComment, type PlanCommentOptions } from './plan-comment';
export { renderApplySummary, renderDrift, renderReapSummary } from './run-summaries';
export { upsertStickyComment, type StickyComment } from './sticky-comment';
export { lastSuccessfulCommit, type WorkflowRef } from './workflow-runs';
export {
  isWriteConflict, OUTBOX_FILE, readBranchFile, readRolloutBranch, ROLLOUT_BRANCH, ROLLOUT_FILE, writeBranchFile, writeRolloutBranch, type RolloutBranchRef,
} from './rollout-branch';
