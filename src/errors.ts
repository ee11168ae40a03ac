/** Closed set of error codes shared by the HTML pages and the JSON API. */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rule_refused'
  | 'too_many_requests'
  | 'internal_error';

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rule_refused: 422,
  too_many_requests: 429,
  internal_error: 500,
};

/** An error whose message is safe to show to the person who caused it. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.statusCode = STATUS[code];
  }
}

/** Bad input: `fields` maps each field name to the message shown beside it. */
export class ValidationError extends AppError {
  readonly fields: Record<string, string>;
  constructor(fields: Record<string, string>, message = 'There is a problem with what was sent') {
    super('validation_failed', message);
    this.fields = fields;
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in to continue') {
    super('unauthenticated', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have permission to do that') {
    super('forbidden', message);
  }
}

/** Also used for records the caller may not see, so their existence is not revealed. */
export class NotFoundError extends AppError {
  constructor(message = 'Not found') {
    super('not_found', message);
  }
}

/** A stale `version`: someone else changed the record first. */
export class ConflictError extends AppError {
  constructor(message = 'Someone else changed this record after you opened it') {
    super('conflict', message);
  }
}

/** A domain rule refused an otherwise well-formed request. */
export class RuleError extends AppError {
  constructor(message: string) {
    super('rule_refused', message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message: string) {
    super('too_many_requests', message);
  }
}
