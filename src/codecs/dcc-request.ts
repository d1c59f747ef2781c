/**
 * A DCC import request (contracts/dcc.ts ImportInput): the document, the
 * sidecar issued with it, the equipment it is for, the lab that issued it,
 * and optionally the record's validity and id. Read at the edge (the route,
 * the command line) and from a filing when the lab confirms it.
 */
import { type CalendarDate, parseDate } from '../core/dates.ts';
import { readContract } from './contracts/read.ts';
import { ImportInput, type ImportInputShape } from './contracts/dcc.ts';
import { type Sidecar, toSidecar } from './dcc-sidecar.ts';

export interface ImportRequest {
  readonly xml: string;
  readonly sidecar: Sidecar | null;
  readonly subjectId: string;
  readonly labId: string;
  readonly validUntil: CalendarDate | null;
  readonly id: string | null;
}

export function toImportRequest(i: ImportInputShape): ImportRequest {
  return {
    xml: i.xml,
    sidecar: i.sidecar == null ? null : toSidecar(i.sidecar, '/sidecar'),
    subjectId: i.subjectId,
    labId: i.labId,
    validUntil: i.validUntil == null ? null : parseDate(i.validUntil, '/validUntil'),
    id: i.id ?? null,
  };
}

/** An import request from JSON no validator has seen (the command line's, a filing's stored request). */
export const readImportRequest = (raw: unknown): ImportRequest => toImportRequest(readContract(ImportInput, raw));
