import { createTransport } from 'nodemailer';
import type { NotificationDelivery } from '@tenancy/model';
import type { RenderedNotice } from './templates';

export interface EmailSenderOptions {
  readonly settings: NotificationDelivery['email'];
  /** user:password, from the secret `settings.credentialsSecret` names. @default no login */
  readonly credentials?: string;
  /** Certificates to trust besides the system's, PEM. @default none */
  readonly ca?: string;
}

export interface EmailSender {
  send(to: string, notice: { id: string; rendered: RenderedNotice }): Promise<void>;
  close(): void;
}

/**
 * Sends through the SMTP server platform.yaml names, always over TLS (STARTTLS required, or TLS
 * from the start), pooling connections. Each message's id comes from the notice's, so a resent
 * notice is recognizably the same message.
 */
export function emailSender(options: EmailSenderOptions): EmailSender {
  const { settings } = options;
  const separator = options.credentials?.indexOf(':') ?? -1;
  if (options.credentials !== undefined && separator < 1) throw new Error(`the secret ${settings.credentialsSecret} must hold user:password`);
  const transport = createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.tls === 'implicit',
    requireTLS: settings.tls === 'starttls',
    pool: true,
    maxConnections: 3,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
    ...(options.credentials ? { auth: { user: options.credentials.slice(0, separator), pass: options.credentials.slice(separator + 1) } } : {}),
    tls: { minVersion: 'TLSv1.2', ...(options.ca ? { ca: options.ca } : {}) },
  });
  const domain = /@([^>\s]+)>?\s*$/.exec(settings.from)?.[1] ?? 'tenancy.invalid';
  return {
    async send(to, { id, rendered }) {
      await transport.sendMail({
        from: settings.from, to, subject: rendered.subject, text: rendered.text,
        messageId: `<${id.replace(/[^A-Za-z0-9.-]/g, '.')}@${domain}>`,
        headers: { 'X-Tenancy-Notice': id },
      });
    },
    close: () => transport.close(),
  };
}
