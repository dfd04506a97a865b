/** Where the AWS SDK calls of a run go. */
export interface AwsEndpoint {
  readonly region: string;
  /** The offline stand-in; absent: AWS, with the credentials the run holds. */
  readonly url?: string;
}

/** SDK client settings for an endpoint: the stand-in takes any credentials. */
export function clientConfig(endpoint: AwsEndpoint): { region: string; endpoint?: string; credentials?: { accessKeyId: string; secretAccessKey: string } } {
  return { region: endpoint.region, ...(endpoint.url ? { endpoint: endpoint.url, credentials: { accessKeyId: 'offline', secretAccessKey: 'offline' } } : {}) };
}
