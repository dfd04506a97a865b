export { deliverDue, type DeliveryAttempt, type Senders } from './deliver';
export { emailSender, type EmailSender, type EmailSenderOptions } from './email-sender';
export { deliveryKey, EVENT_FIELDS, fieldsOf, NOTICE_EVENTS, type Delivery, type Notice, type NoticeEvent, type NoticeSource } from './notice';
export { verifyOutbox, type RefusedNotice, type VerifyOptions } from './verify-outbox';
export {
  abandonedDeliveries, dueDeliveries, EMPTY_OUTBOX, markDelivery, MAX_ATTEMPTS, mergeOutboxes, parseOutbox, pruneOutbox, recordNotices, serializeOutbox,
  type DeliveryStatus, type Outbox, type OutboxDelivery, type OutboxEntry,
} from './outbox';
export { dataDeletedNotice, rolloutNotices, type RangeFleets, type RolloutNoticeOptions } from './rollout-notices';
export { readTemplate, readTemplates, render, TemplateError, templateProblems, TEMPLATES_DIR, type RenderedNotice, type Template, type TemplateProblem } from './templates';
export { SIGNATURE_HEADER, signature, webhookKey, webhookSender, type WebhookBody, type WebhookSenderOptions } from './webhook-sender';
export { rangeFleets } from './range-fleets';
