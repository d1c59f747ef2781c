/** The registers a file can be imported as, by kind (the import's kind, the template's file name). */
import type { ImportKind } from '../core/imports.ts';
import { EQUIPMENT_TABLE } from './equipment-register.ts';
import { RECORD_TABLE } from './record-register.ts';
import type { RegisterTable } from './register-table.ts';
import { CMC_TABLE, SCOPE_TABLE } from './scope-register.ts';

export const REGISTER_TABLES: Readonly<Record<ImportKind, RegisterTable>> = {
  equipment: EQUIPMENT_TABLE,
  records: RECORD_TABLE,
  scopes: SCOPE_TABLE,
  cmcs: CMC_TABLE,
};
