/**
 * The coded error of the domain core.
 *
 * Every error that a caller can cause carries a stable `code` (never reused, see
 * docs/errors.md), the JSON-pointer `path` of the field at fault ("" for the whole
 * input) and a sentence a person can act on. Transports map codes to statuses;
 * the core knows nothing of HTTP.
 *
 * Expected domain outcomes (a broken link, an overdue instrument) are values,
 * never instances of this class.
 */
export class MetrologyError extends Error {
  readonly code: ErrorCode;
  path: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, path: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'MetrologyError';
    this.code = code;
    this.path = path;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; path: string; message: string } {
    return { code: this.code, path: this.path, message: this.message };
  }
}

/**
 * The catalogue of error codes, grouped by area. Each is documented in
 * docs/errors.md and tested; a test fails when the two drift apart.
 */
export const ERROR_CODES = {
  // input syntax
  INVALID_JSON: 'the body is not valid JSON',
  JSON_NUMBER: 'a decimal was sent as a JSON number instead of a string',
  INVALID_DECIMAL: 'a decimal string is malformed, NaN or infinite',
  INVALID_DATE: 'a calendar date is not a real YYYY-MM-DD date',
  INVALID_FIELD: 'a field has the wrong type, format or value',
  MISSING_FIELD: 'a required field is absent',
  UNKNOWN_FIELD: 'a field that the contract does not know',
  INVALID_RANGE: 'a lower bound lies above its upper bound',
  INVALID_CURSOR: 'a pagination cursor that this server did not issue',
  CONFUSABLE_IDENTIFIER:
    'a certificate number or asset code holds an invisible or bidirectional-control character, or mixes Latin, Cyrillic and Greek letters, which look alike',
  // registry rules
  NOT_FOUND: 'the addressed resource does not exist',
  UNKNOWN_REFERENCE: 'a referenced organisation, equipment or record does not exist',
  WRONG_ORGANISATION_KIND: 'the referenced organisation is of a kind that cannot play that role',
  NOT_A_STANDARD: 'a working instrument was given as a reference standard',
  SELF_REFERENCE: 'an instrument was given as its own reference',
  SUPERSEDES_OTHER_SUBJECT: 'a correction names a record of another equipment',
  ALREADY_SUPERSEDED: 'a correction names a record that another correction already superseded',
  INVALID_TRANSITION:
    'an equipment event or an amendment cannot follow its history (a resumption without a suspension, anything after scrapping, a transfer to the owner it has, an amendment of a withdrawn scope or CMC)',
  EVENT_OUT_OF_ORDER: 'an equipment event would take effect before one already recorded',
  AMENDMENT_OUT_OF_ORDER:
    'an amendment of a scope or CMC would not take effect after the version before it (or would take effect before the scope or CMC itself)',
  ALREADY_DECIDED: 'a certificate an owner filed was already confirmed or rejected; the decision is final',
  DUPLICATE: 'a unique value (id, certificate number, asset code) is already taken',
  INCONSISTENT_RECORD: 'the record kind and its content disagree',
  APPEND_ONLY: 'records are append-only; a correction supersedes, it never overwrites',
  INVALID_DCC: 'a Digital Calibration Certificate is malformed; the path names the element',
  CMC_VIOLATION: "a reported uncertainty is smaller than the lab's calibration and measurement capability",
  INVALID_CHART: 'a verification scheme chart file breaks the chart format',
  // mandatory verification and energy audits
  INVALID_REFERENCE_DATA: 'a catalogue or rule file shipped with the project breaks its format',
  LEGAL_INTERVAL_EXCEEDED: 'a local policy or an adjusted interval would lengthen a legal verification period',
  NOT_APPLICABLE: 'the request does not apply to this equipment (e.g. an interval for an instrument verified only once)',
  LAB_NOT_AUTHORISED: 'the institution has no authorised scope for what it is asked to do',
  REFERENCE_NOT_VALID: 'a reference standard was not usable on the performance date (no record in force, assessment not valid, suspended, out of tolerance)',
  CHAIN_BROKEN: 'the traceability chain behind a mandatory verification was broken on the day it was performed',
  UNCERTAINTY_BELOW_REFERENCE: 'a result claims a smaller uncertainty than the reference standard it was obtained with',
  DATE_IN_FUTURE: 'a date of something that has happened lies after today',
  CATEGORY_MISMATCH: "the equipment's quantity or usage does not fit its catalogue category",
  OUTCOME_CONTRADICTS_FINDINGS: 'an in-use inspection states a more lenient outcome than its findings call for (e.g. compliant with a broken seal)',
  VALIDITY_ON_RESULT_NOTICE: 'a failed verification states a validUntil; its 检定结果通知书 carries no validity',
  VERIFICATION_TYPE_ON_CALIBRATION: 'a calibration record states a verificationType, which only a verification has',
  CERTIFICATE_KIND_MISMATCH: 'the stated certificateKind contradicts the record kind and its conformity',
  LABEL_NOT_ISSUED:
    'no label (合格证) is printed for this record: a failed verification gets a result notice, and a corrected record gives way to its correction',
  // uncertainty contract
  UNKNOWN_QUANTITY: 'the model uses a name that is not among the quantities',
  INVALID_MODEL: 'the measurement model is not a valid expression',
  UNSUPPORTED_FUNCTION: 'the model uses a function outside the supported set',
  AMBIGUOUS_QUANTITY_FORM: 'a quantity mixes or lacks the fields of its allowed forms',
  NEGATIVE_UNCERTAINTY: 'an uncertainty, half-width or expanded uncertainty is negative',
  INVALID_DOF: 'degrees of freedom are not positive (or "inf")',
  TOO_FEW_OBSERVATIONS: 'fewer than two observations for a Type A evaluation',
  INVALID_CORRELATION: 'a correlation coefficient is outside [-1, 1] or names an unknown or same quantity',
  DUPLICATE_CORRELATION: 'the same pair of quantities is correlated twice',
  NOT_POSITIVE_SEMIDEFINITE: 'the implied correlation matrix is not positive semi-definite',
  INVALID_COVERAGE: 'coverage has neither a probability in (0, 1) nor a positive k',
  EVALUATION_FAILED: 'the model cannot be evaluated at the input estimates (division by zero, domain error)',
  INVALID_METHOD: 'an unknown method or Monte Carlo option',
  COMPUTATION_LIMIT: 'a computation went past its deadline or its memory and was stopped',
  // the evidence ledger
  LEDGER_KEY_UNAVAILABLE:
    'the ledger key file (METROTRACE_LEDGER_KEY_FILE) is missing, empty or malformed, so ledger entries can be neither signed nor checked',
  LEDGER_ANCHORS_DAMAGED: 'the ledger anchor log (METROTRACE_LEDGER_ANCHORS) holds a line that is not a signed anchor',
  // transport
  UNAUTHORISED: 'no valid credentials',
  FORBIDDEN: 'the credentials do not allow this',
  PAYLOAD_TOO_LARGE: 'the body exceeds the size limit',
  RATE_LIMITED: 'too many requests from this key or address in the current window',
  UNAVAILABLE: 'the database cannot be reached',
  INTERNAL: 'an unexpected failure; details are in the server log',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Throws a MetrologyError; typed `never` so it can end an expression. */
export function fail(code: ErrorCode, path: string, message: string, details?: Record<string, unknown>): never {
  throw new MetrologyError(code, path, message, details);
}

/** Joins JSON-pointer segments, escaping '~' and '/' per RFC 6901. */
export function pointer(...segments: Array<string | number>): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
