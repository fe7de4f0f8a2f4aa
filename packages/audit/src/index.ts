export type { AuditEvent, RelayFields, SessionFields } from './audit-event.js';
export type { AuditSink } from './audit-sink.js';
export { AuditTrail, type AuditTrailOptions } from './audit-trail.js';
export { JsonLinesFileSink } from './json-lines-file-sink.js';
export { LogSink } from './log-sink.js';
export { type SessionPolicy, SessionPolicyChain } from './session-policy.js';
