import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One AWS API call the stand-in answered. */
export interface StandInRequest {
  readonly service: 'sts' | 'secretsmanager' | 'cloudwatch' | 's3';
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
}

/** The external id an offline plan reads from a named secret: stable, so tests can expect it. */
export function offlineExternalId(secretName: string): string {
  return `offline-${createHash('sha256').update(secretName).digest('hex').slice(0, 24)}`;
}

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/**
 * Offline credentials that stand for a person's credentials in one account: stacks applied by a
 * person (the control plane's) refuse any other account, so their provider asks STS who it is.
 */
export function offlineAccessKey(accountId: string): string {
  return `AKIAOFFLINE${accountId}`;
}

function offlineAccountOf(accessKey: string | undefined): string | undefined {
  return /^AKIAOFFLINE(\d{12})$/.exec(accessKey ?? '')?.[1];
}

/** The access key id a SigV4 request was signed with. */
function accessKeyOf(req: IncomingMessage): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
}

function xml(res: ServerResponse, body: string): void {
  res.setHeader('content-type', 'text/xml');
  res.end(body);
}

function json(res: ServerResponse, status: number, body: object): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/x-amz-json-1.1');
  res.end(JSON.stringify(body));
}

/**
 * A loopback stand-in for the AWS APIs a run calls besides Terraform's resources: STS (the
 * provider assumes its role as it starts), Secrets Manager (external ids, and scheduling their
 * deletion when a customer is offboarded) and CloudWatch alarms (health checks between waves). It answers with fake credentials and records
 * every request, so offline plans keep the real provider configuration.
 */
export class AwsStandIn {
  readonly requests: StandInRequest[] = [];
  private server: Server | undefined;
  /** Secrets scheduled for deletion, by name. */
  readonly deletedSecrets = new Map<string, number>();
  /**
   * CloudWatch alarm states by name. Offline every alarm a health check names exists and is OK,
   * unless set here: to a state such as ALARM, or to null for an alarm that does not exist.
   */
  readonly alarmStates = new Map<string, string | null>();
  /** S3 objects by `bucket/key`, served to GetObject (path-style): the states a rollout record's claims are checked against. */
  readonly objects = new Map<string, string>();

  /** Starts listening on a free loopback port; returns the endpoint URL. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    if (!this.server) throw new Error('the AWS stand-in is not started');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let body = '';
    req.on('data', (chunk: Buffer) => { body += chunk.toString(); });
    req.on('end', () => {
      if (req.method === 'GET' && req.url !== '/') {
        this.getObject(decodeURIComponent(new URL(req.url!, 'http://stand-in').pathname.slice(1)), res);
        return;
      }
      if (req.method === 'PUT') {
        this.putObject(decodeURIComponent(new URL(req.url!, 'http://stand-in').pathname.slice(1)), body, req.headers['if-none-match'] === '*', res);
        return;
      }
      const target = req.headers['x-amz-target'];
      if (typeof target === 'string' && target === 'GraniteServiceVersion20100801.DescribeAlarms') {
        this.describeAlarms(body ? JSON.parse(body) as { AlarmNames?: string[] } : {}, res);
      } else if (typeof target === 'string' && target.startsWith('secretsmanager.')) {
        this.secretsManager(target.slice('secretsmanager.'.length), body ? JSON.parse(body) as Record<string, unknown> : {}, res);
      } else {
        this.sts(Object.fromEntries(new URLSearchParams(body)), res, accessKeyOf(req));
      }
    });
  }

  private sts(params: Record<string, string>, res: ServerResponse, accessKey: string | undefined): void {
    const action = params.Action ?? '';
    this.requests.push({ service: 'sts', action, params });
    const requestId = `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>`;
    if (action === 'AssumeRole') {
      const account = /^arn:[^:]+:iam::(\d{12}):role\//.exec(params.RoleArn ?? '')?.[1] ?? '000000000000';
      xml(res, `<AssumeRoleResponse xmlns="${STS_NS}"><AssumeRoleResult><Credentials><AccessKeyId>ASIAOFFLINESTANDIN01</AccessKeyId><SecretAccessKey>offline</SecretAccessKey><SessionToken>offline</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAOFFLINE:${params.RoleSessionName}</AssumedRoleId><Arn>arn:aws:sts::${account}:assumed-role/offline/${params.RoleSessionName}</Arn></AssumedRoleUser></AssumeRoleResult>${requestId}</AssumeRoleResponse>`);
    } else if (action === 'GetCallerIdentity') {
      const account = offlineAccountOf(accessKey) ?? '000000000000';
      this.requests.push({ service: 'sts', action: 'GetCallerIdentity:answered', params: { Account: account } });
      xml(res, `<GetCallerIdentityResponse xmlns="${STS_NS}"><GetCallerIdentityResult><Arn>arn:aws:sts::${account}:assumed-role/offline/tenancy</Arn><UserId>AROAOFFLINE:tenancy</UserId><Account>${account}</Account></GetCallerIdentityResult>${requestId}</GetCallerIdentityResponse>`);
    } else {
      res.statusCode = 400;
      xml(res, `<ErrorResponse xmlns="${STS_NS}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>the offline stand-in does not answer ${action}</Message></Error>${requestId}</ErrorResponse>`);
    }
  }

  private getObject(path: string, res: ServerResponse): void {
    this.requests.push({ service: 's3', action: 'GetObject', params: { path } });
    const object = this.objects.get(path);
    if (object === undefined) {
      res.statusCode = 404;
      xml(res, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${path}</Key></Error>`);
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(object);
  }

  /** PutObject, with S3's conditional write: `If-None-Match: *` refuses (412) to replace an object. */
  private putObject(path: string, body: string, onlyNew: boolean, res: ServerResponse): void {
    this.requests.push({ service: 's3', action: 'PutObject', params: { path, ...(onlyNew ? { ifNoneMatch: '*' } : {}) } });
    if (onlyNew && this.objects.has(path)) {
      res.statusCode = 412;
      xml(res, '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>');
      return;
    }
    this.objects.set(path, body);
    res.setHeader('etag', '"stand-in"');
    res.end();
  }

  private describeAlarms(body: { AlarmNames?: string[] }, res: ServerResponse): void {
    const names = body.AlarmNames ?? [];
    this.requests.push({ service: 'cloudwatch', action: 'DescribeAlarms', params: { AlarmNames: names.join(',') } });
    const alarms = names.flatMap((name) => {
      const state = this.alarmStates.has(name) ? this.alarmStates.get(name) : 'OK';
      return state === null ? [] : [{ AlarmName: name, StateValue: state }];
    });
    res.statusCode = 200;
    res.setHeader('content-type', 'application/x-amz-json-1.0');
    res.end(JSON.stringify({ MetricAlarms: alarms, CompositeAlarms: [] }));
  }

  private secretsManager(action: string, body: Record<string, unknown>, res: ServerResponse): void {
    const name = String(body.SecretId ?? '');
    this.requests.push({ service: 'secretsmanager', action, params: Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)])) });
    const arn = `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-OFFLINE`;
    if (action === 'GetSecretValue' || action === 'DescribeSecret') {
      if (this.deletedSecrets.has(name)) {
        json(res, 400, { __type: 'InvalidRequestException', message: `secret ${name} is scheduled for deletion` });
        return;
      }
      json(res, 200, { ARN: arn, Name: name, VersionId: 'offline', VersionStages: ['AWSCURRENT'], CreatedDate: 1.7e9, ...(action === 'GetSecretValue' ? { SecretString: offlineExternalId(name) } : {}) });
    } else if (action === 'DeleteSecret') {
      const days = Number(body.RecoveryWindowInDays ?? 30);
      this.deletedSecrets.set(name, days);
      json(res, 200, { ARN: arn, Name: name, DeletionDate: Date.now() / 1000 + days * 86400 });
    } else {
      json(res, 400, { __type: 'InvalidRequestException', message: `the offline stand-in does not answer ${action}` });
    }
  }
}
