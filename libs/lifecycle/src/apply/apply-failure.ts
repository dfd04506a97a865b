/** The first line of each error Terraform printed, without its box-drawing frame. */
function errorLines(stderr: string): string[] {
  return stderr.split('\n').map((line) => line.replace(/^[\s│╷╵]+/, '').trim()).filter((line) => line.startsWith('Error: ')).map((line) => line.slice('Error: '.length));
}

/**
 * Why `terraform apply` failed, in one line. A release's migration Job that failed or ran out of
 * time (the Kubernetes provider's `job: <namespace>/migrate-<version> is in failed state` or
 * `... is not in complete state`) is named as such, since it means the tenant still serves its old
 * version and what to look at next is the Job's log.
 */
export function applyFailureReason(stderr: string): string {
  const errors = errorLines(stderr);
  for (const error of errors) {
    const job = /^job: ([a-z0-9-]+)\/(migrate-[a-z0-9-]+) is (in failed state|not in complete state)/.exec(error);
    if (job) {
      const [, namespace, name, state] = job;
      const what = state === 'in failed state' ? 'failed' : 'did not finish in its timeoutMinutes';
      return `migration ${name} ${what}: the old version keeps serving (kubectl logs -n ${namespace} job/${name}); the next apply runs it again`;
    }
  }
  if (errors.length) return errors.slice(0, 2).join('; ');
  return stderr.trim().split('\n').filter(Boolean).slice(-3).join(' ') || 'terraform apply failed';
}
