/** An IAM policy statement, as AWS reads it. */
export interface Statement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[] | boolean>>>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Statement[];
}

export function policy(statements: readonly Statement[]): PolicyDocument {
  const sids = new Set<string>();
  for (const { Sid } of statements) {
    if (!/^[A-Za-z0-9]+$/.test(Sid) || sids.has(Sid)) throw new Error(`statement ids must be unique and alphanumeric, got ${Sid}`);
    sids.add(Sid);
  }
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * A policy as a string of Terraform configuration. IAM's own `${aws:...}` variables reach the JSON
 * escaped, as all literal text does (FleetStack), so Terraform leaves them for IAM.
 */
export function terraformPolicy(document: PolicyDocument): string {
  return JSON.stringify(document);
}

/** IAM caps a managed policy at 6,144 characters without whitespace; an inline role policy at 10,240. */
export const MANAGED_POLICY_LIMIT = 6144;
export const INLINE_POLICY_LIMIT = 10240;

/** The size IAM counts: the document without whitespace. */
export function policySize(document: PolicyDocument): number {
  return JSON.stringify(document).length;
}
