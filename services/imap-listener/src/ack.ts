import type { ImapConfig } from '@intake/config';
import nodemailer from 'nodemailer';

/**
 * The optional reply telling a member how many documents arrived. It never repeats the
 * member's subject, file names or anything from the message: only a count and a date.
 */
export interface Acknowledger {
  /** Resolves with the transport's report (for the stream transport in tests: the composed message). */
  send(input: { to: string; count: number; receivedAt: Date; inReplyTo?: string }): Promise<unknown>;
  close(): void;
}

export function composeAck(count: number, receivedAt: Date): { subject: string; text: string } {
  const day = receivedAt.toISOString().slice(0, 10);
  const what =
    count === 0
      ? 'We received your e-mail, but it had no documents we could use attached. If you meant to send medical records, please attach them as PDF files or photos and send them again.'
      : `We received ${count} ${count === 1 ? 'document' : 'documents'} from your e-mail. Our health information team will review ${count === 1 ? 'it' : 'them'} and contact you if anything else is needed.`;
  return {
    subject: 'We received your e-mail',
    text: `Hello,\n\n${what}\n\nReceived on ${day} (UTC).\n\nThis is an automatic message. For your privacy, it does not repeat any details from your e-mail. Please do not reply to it.\n`,
  };
}

/** `transport`: for tests (nodemailer's stream or JSON transport); else SMTP from the configuration. */
export function createAcknowledger(config: ImapConfig, transport?: Parameters<typeof nodemailer.createTransport>[0]): Acknowledger {
  const mailer = nodemailer.createTransport(
    transport ?? {
      host: config.SMTP_HOST,
      port: config.SMTP_PORT,
      secure: config.SMTP_SECURE,
      auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASSWORD } : undefined,
      tls: { rejectUnauthorized: config.SMTP_TLS_REJECT_UNAUTHORIZED },
      logger: false,
    },
  );
  return {
    async send({ to, count, receivedAt, inReplyTo }) {
      const { subject, text } = composeAck(count, receivedAt);
      return mailer.sendMail({
        from: config.SMTP_FROM,
        to,
        subject,
        text,
        inReplyTo,
        references: inReplyTo,
        // RFC 3834: an automatic reply; well-behaved auto-responders do not answer it.
        headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
      });
    },
    close: () => mailer.close(),
  };
}
