/**
 * GB/T 2828.1-2012 / ISO 2859-1:1999 single sampling, as data: Table 1 (sample
 * size code letters) and the master tables 2-A (normal), 2-B (tightened) and
 * 2-C (reduced), each cell as printed — "Ac Re", "↓" (use the first plan below
 * the arrow) or "↑" (the first plan above it); the sample size then changes
 * with the row. Only the AQL columns 0.010 to 10 are carried: the larger ones
 * apply to nonconformities per hundred items, and a meter in a lot is either
 * conforming or not (percent nonconforming, for which the standard stops at 10).
 *
 * Sources checked (docs/lots.md gives the detail):
 *
 * 1. The structure of the master tables — each "Ac Re" lies on a diagonal
 *    (code letter index + AQL column index) — written out from that rule here.
 * 2. fjgonzalezmgt/AQLSchemesCust, R/AAZ14Single.R (a derivative of Lawson's
 *    AQLSchemes R package, MIL-STD-105E / ANSI/ASQ Z1.4 figures): Table 1 and,
 *    for every code letter and every AQL, the sample size, Ac and Re after the
 *    arrows are followed. Compared cell by cell (3 × 16 × 16 cells):
 *    - Table 1: identical.
 *    - 2-A: identical.
 *    - 2-B: one disagreement. Code letter A at AQL 10: the diagonal rule gives
 *      "0 1" at n = 2, the source "↓" (n = 8, 1/2, the plan of D). We carry the
 *      source's "↓" — it is the more protective plan, and the source has the
 *      rows B and C of that column pointing to D as well — with MEDIUM
 *      confidence for that one cell.
 *    - 2-C: identical within AQL ≤ 10 (they differ in the columns above 10,
 *      not carried).
 * 3. GOST R table A.1 (base.garant.ru/71446952, "corresponds to ISO 2859-1"):
 *    Table 1 identical except that it prints B wherever ISO 2859-1 prints A
 *    (lot sizes 2–50 at the special levels and levels I–II): that document's
 *    plans start at code letter B. We carry ISO's A.
 *
 * Confidence: Table 1 and 2-A HIGH (two independent sources agree on every
 * cell); 2-B HIGH except the cell noted; 2-C LOW as GB/T 2828.1-2012: the
 * figures are those of ISO 2859-1:1989 / MIL-STD-105E (Ac and Re apart by more
 * than one, a lot between them accepted with a return to normal inspection).
 * ISO 2859-1:1999 revised the reduced plans, and no public copy of the
 * 1999/2012 Table 2-C could be found to check them, so a plan never uses 2-C:
 * see `planFor` (reduced inspection is reported as permitted, and normal
 * inspection applied).
 */

export const TABLE_SOURCES = {
  standard: 'GB/T 2828.1-2012 (ISO 2859-1:1999), single sampling',
  checked: [
    'diagonal structure of the master tables (derived, see the module comment)',
    'fjgonzalezmgt/AQLSchemesCust R/AAZ14Single.R (MIL-STD-105E / ANSI/ASQ Z1.4 figures)',
    'GOST R table A.1, base.garant.ru/71446952 (Table 1 only)',
  ],
  confidence: {
    table1: 'high: two sources agree on every cell (a third prints B for A, see the module comment)',
    normal: 'high: two sources agree on every cell',
    tightened: 'high, except code letter A at AQL 10 (medium: the sources disagree; the more protective is carried)',
    reduced: 'low: figures of ISO 2859-1:1989 / MIL-STD-105E, not checked against the 1999 revision; not used for plans',
  },
} as const;

export const INSPECTION_LEVELS = ['S-1', 'S-2', 'S-3', 'S-4', 'I', 'II', 'III'] as const;
export type InspectionLevel = (typeof INSPECTION_LEVELS)[number];

export const CODE_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'Q', 'R'] as const;
export type CodeLetter = (typeof CODE_LETTERS)[number];

/** The AQL columns carried, in percent nonconforming, as printed. */
export const AQLS = ['0.010', '0.015', '0.025', '0.040', '0.065', '0.10', '0.15', '0.25', '0.40', '0.65', '1.0', '1.5', '2.5', '4.0', '6.5', '10'] as const;
export type Aql = (typeof AQLS)[number];

/** Table 1: lot sizes (inclusive; the last range has no upper bound) and the code letter at each inspection level, S-1 … III. */
export const TABLE_1: ReadonlyArray<{ readonly from: number; readonly to: number | null; readonly letters: readonly CodeLetter[] }> = [
  { from: 2, to: 8, letters: ['A', 'A', 'A', 'A', 'A', 'A', 'B'] },
  { from: 9, to: 15, letters: ['A', 'A', 'A', 'A', 'A', 'B', 'C'] },
  { from: 16, to: 25, letters: ['A', 'A', 'B', 'B', 'B', 'C', 'D'] },
  { from: 26, to: 50, letters: ['A', 'B', 'B', 'C', 'C', 'D', 'E'] },
  { from: 51, to: 90, letters: ['B', 'B', 'C', 'C', 'C', 'E', 'F'] },
  { from: 91, to: 150, letters: ['B', 'B', 'C', 'D', 'D', 'F', 'G'] },
  { from: 151, to: 280, letters: ['B', 'C', 'D', 'E', 'E', 'G', 'H'] },
  { from: 281, to: 500, letters: ['B', 'C', 'D', 'E', 'F', 'H', 'J'] },
  { from: 501, to: 1200, letters: ['C', 'C', 'E', 'F', 'G', 'J', 'K'] },
  { from: 1201, to: 3200, letters: ['C', 'D', 'E', 'G', 'H', 'K', 'L'] },
  { from: 3201, to: 10000, letters: ['C', 'D', 'F', 'G', 'J', 'L', 'M'] },
  { from: 10001, to: 35000, letters: ['C', 'D', 'F', 'H', 'K', 'M', 'N'] },
  { from: 35001, to: 150000, letters: ['D', 'E', 'G', 'J', 'L', 'N', 'P'] },
  { from: 150001, to: 500000, letters: ['D', 'E', 'G', 'J', 'M', 'P', 'Q'] },
  { from: 500001, to: null, letters: ['D', 'E', 'H', 'K', 'N', 'Q', 'R'] },
];

/** Sample sizes by code letter: normal and tightened inspection (tightened adds S, 3150, for one plan), and reduced. */
export const SAMPLE_SIZES = {
  normal: { A: 2, B: 3, C: 5, D: 8, E: 13, F: 20, G: 32, H: 50, J: 80, K: 125, L: 200, M: 315, N: 500, P: 800, Q: 1250, R: 2000 },
  tightened: { A: 2, B: 3, C: 5, D: 8, E: 13, F: 20, G: 32, H: 50, J: 80, K: 125, L: 200, M: 315, N: 500, P: 800, Q: 1250, R: 2000, S: 3150 },
  reduced: { A: 2, B: 2, C: 2, D: 3, E: 5, F: 8, G: 13, H: 20, J: 32, K: 50, L: 80, M: 125, N: 200, P: 315, Q: 500, R: 800 },
} as const;

export type MasterTable = Readonly<Record<string, readonly string[]>>;

/** Table 2-A, single sampling plans for normal inspection: one row per code letter, one cell per AQL of `AQLS`. */
export const TABLE_2A: MasterTable = {
  A: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↓'],
  B: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↑', '↓'],
  C: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↑', '↓', '1 2'],
  D: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↑', '↓', '1 2', '2 3'],
  E: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↑', '↓', '1 2', '2 3', '3 4'],
  F: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↑', '↓', '1 2', '2 3', '3 4', '5 6'],
  G: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↑', '↓', '1 2', '2 3', '3 4', '5 6', '7 8'],
  H: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↑', '↓', '1 2', '2 3', '3 4', '5 6', '7 8', '10 11'],
  J: ['↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↑', '↓', '1 2', '2 3', '3 4', '5 6', '7 8', '10 11', '14 15'],
  K: ['↓', '↓', '↓', '↓', '↓', '0 1', '↑', '↓', '1 2', '2 3', '3 4', '5 6', '7 8', '10 11', '14 15', '21 22'],
  L: ['↓', '↓', '↓', '↓', '0 1', '↑', '↓', '1 2', '2 3', '3 4', '5 6', '7 8', '10 11', '14 15', '21 22', '↑'],
  M: ['↓', '↓', '↓', '0 1', '↑', '↓', '1 2', '2 3', '3 4', '5 6', '7 8', '10 11', '14 15', '21 22', '↑', '↑'],
  N: ['↓', '↓', '0 1', '↑', '↓', '1 2', '2 3', '3 4', '5 6', '7 8', '10 11', '14 15', '21 22', '↑', '↑', '↑'],
  P: ['↓', '0 1', '↑', '↓', '1 2', '2 3', '3 4', '5 6', '7 8', '10 11', '14 15', '21 22', '↑', '↑', '↑', '↑'],
  Q: ['0 1', '↑', '↓', '1 2', '2 3', '3 4', '5 6', '7 8', '10 11', '14 15', '21 22', '↑', '↑', '↑', '↑', '↑'],
  R: ['↑', '↑', '1 2', '2 3', '3 4', '5 6', '7 8', '10 11', '14 15', '21 22', '↑', '↑', '↑', '↑', '↑', '↑'],
};

/** Table 2-B, tightened inspection. Row S has a plan in one column only; its other cells are empty. */
export const TABLE_2B: MasterTable = {
  A: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓'],
  B: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↓'],
  C: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↓', '↓'],
  D: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↓', '↓', '1 2'],
  E: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↓', '↓', '1 2', '2 3'],
  F: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↓', '↓', '1 2', '2 3', '3 4'],
  G: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↓', '↓', '1 2', '2 3', '3 4', '5 6'],
  H: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↓', '↓', '1 2', '2 3', '3 4', '5 6', '8 9'],
  J: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↓', '↓', '1 2', '2 3', '3 4', '5 6', '8 9', '12 13'],
  K: ['↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↓', '↓', '1 2', '2 3', '3 4', '5 6', '8 9', '12 13', '18 19'],
  L: ['↓', '↓', '↓', '↓', '↓', '0 1', '↓', '↓', '1 2', '2 3', '3 4', '5 6', '8 9', '12 13', '18 19', '↑'],
  M: ['↓', '↓', '↓', '↓', '0 1', '↓', '↓', '1 2', '2 3', '3 4', '5 6', '8 9', '12 13', '18 19', '↑', '↑'],
  N: ['↓', '↓', '↓', '0 1', '↓', '↓', '1 2', '2 3', '3 4', '5 6', '8 9', '12 13', '18 19', '↑', '↑', '↑'],
  P: ['↓', '↓', '0 1', '↓', '↓', '1 2', '2 3', '3 4', '5 6', '8 9', '12 13', '18 19', '↑', '↑', '↑', '↑'],
  Q: ['↓', '0 1', '↓', '↓', '1 2', '2 3', '3 4', '5 6', '8 9', '12 13', '18 19', '↑', '↑', '↑', '↑', '↑'],
  R: ['0 1', '↑', '↓', '1 2', '2 3', '3 4', '5 6', '8 9', '12 13', '18 19', '↑', '↑', '↑', '↑', '↑', '↑'],
  S: ['', '', '1 2', '', '', '', '', '', '', '', '', '', '', '', '', ''],
};

/** Table 2-C, reduced inspection (ISO 2859-1:1989 figures; see the module comment: not used for plans). */
export const TABLE_2C: MasterTable = {
  A: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↓'],
  B: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↑', '↓'],
  C: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↑', '↓', '0 2'],
  D: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↑', '↓', '0 2', '1 3'],
  E: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↑', '↓', '0 2', '1 3', '1 4'],
  F: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↑', '↓', '0 2', '1 3', '1 4', '2 5'],
  G: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↑', '↓', '0 2', '1 3', '1 4', '2 5', '3 6'],
  H: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↑', '↓', '0 2', '1 3', '1 4', '2 5', '3 6', '5 8'],
  J: ['↓', '↓', '↓', '↓', '↓', '↓', '0 1', '↑', '↓', '0 2', '1 3', '1 4', '2 5', '3 6', '5 8', '7 10'],
  K: ['↓', '↓', '↓', '↓', '↓', '0 1', '↑', '↓', '0 2', '1 3', '1 4', '2 5', '3 6', '5 8', '7 10', '10 13'],
  L: ['↓', '↓', '↓', '↓', '0 1', '↑', '↓', '0 2', '1 3', '1 4', '2 5', '3 6', '5 8', '7 10', '10 13', '↑'],
  M: ['↓', '↓', '↓', '0 1', '↑', '↓', '0 2', '1 3', '1 4', '2 5', '3 6', '5 8', '7 10', '10 13', '↑', '↑'],
  N: ['↓', '↓', '0 1', '↑', '↓', '0 2', '1 3', '1 4', '2 5', '3 6', '5 8', '7 10', '10 13', '↑', '↑', '↑'],
  P: ['↓', '0 1', '↑', '↓', '0 2', '1 3', '1 4', '2 5', '3 6', '5 8', '7 10', '10 13', '↑', '↑', '↑', '↑'],
  Q: ['0 1', '↑', '↓', '0 2', '1 3', '1 4', '2 5', '3 6', '5 8', '7 10', '10 13', '↑', '↑', '↑', '↑', '↑'],
  R: ['↑', '↑', '0 2', '1 3', '1 4', '2 5', '3 6', '5 8', '7 10', '10 13', '↑', '↑', '↑', '↑', '↑', '↑'],
};
