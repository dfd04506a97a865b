export { copyExampleFleet, git, REPO_ROOT, type CopyOptions, type ExampleFleetCopy } from './fixtures';
