export { copyExampleFleet, git, REPO_ROOT, type CopyOptions, type ExampleFleetCopy } from './fixtures';
export { placeAt, stringFields, type FieldStep, type StringField } from './schema-strings';
