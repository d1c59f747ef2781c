/**
 * Variables sampling, as data: ANSI/ASQ Z1.9-2008 (the civil successor of
 * MIL-STD-414) — Table A-2 (sample size code letters) and Table B-1 (the
 * standard deviation or "s" method, variability unknown, single specification
 * limit, Form 1: the sample size n and the acceptability constant k), for
 * normal and tightened inspection.
 *
 * This is NOT the table of GB/T 6378.1-2008 / ISO 3951-1. ISO 3951-1 indexes
 * its s-method plans by the code letters of ISO 2859-1 Table 1; Z1.9 has its
 * own code letters (B … P, with an I) and its own sample sizes (3 … 200, one
 * per letter). No public copy of
 * the ISO 3951-1 / GB/T 6378.1 s-method table could be found in the searchable
 * corpora to carry and check it (docs/lots.md), so metrotrace carries the one
 * published variables table it could check, under its own name.
 *
 * Sources:
 *
 * (a) The printed Table B-1 as transcribed at
 *     web.tecnico.ulisboa.pt/~mcasquilho/acad/cq/Z1.9.B1.html (Z1.9, "Master
 *     Table for Normal (& Tightened) Inspection for Plans Based on Variability
 *     Unknown (Single Spec. Lim.–Form 1)"). The transcript shows every code
 *     letter for the k columns T, 0.10 … 1.50 (normal AQL), and the columns
 *     2.50 … 10 for letters B … F only; the rest of that page was not
 *     retrievable. Only the complete columns are carried.
 * (b) The Form 2 table of the same standard (the maximum allowable percent
 *     nonconforming M, by code letter and AQL, s method) as carried in
 *     fjgonzalezmgt/AQLSchemesCust R/AAZ19.R, with its Table A-2. Form 1 and
 *     Form 2 are two forms of the same plans: a sample with Q = k has the
 *     minimum-variance unbiased estimate of the percent beyond the limit
 *     p̂ = 100 · I_x((n−2)/2, (n−2)/2), x = max(0, 1/2 − k·√n / (2(n−1)))
 *     (a regularised incomplete beta function), and M is that estimate at the
 *     plan's k. Inverting it (scipy.stats.beta.ppf) gives an independent k for
 *     every cell of (a).
 * (c) Table A-2 as transcribed at studylib.es/doc/9356105 ("LETRA CODIGO
 *     ANSI-ASQ-Z1.9-2008").
 *
 * Checks (test/core/sampling/variables.test.ts carries the figures of (b) and
 * (c) and does them again):
 * - Table A-2: (b) and (c) agree on all 16 lot-size rows × 5 levels. HIGH.
 * - Table B-1: every one of the 88 numeric cells of (a) agrees with the k
 *   derived from (b) within 0.015; 71 agree within the two tables' printed
 *   rounding (k to 0.01, M to 3 figures), 17 differ by 0.006 … 0.015 (e.g.
 *   letter J at normal AQL 0.10: (a) 2.54, (b) 2.555), as two tables computed
 *   separately and rounded at different places may. (b) fills the arrow cells
 *   with figures of its own; the arrows carried are (a)'s. MEDIUM: one
 *   transcription of the printed k, confirmed by a second table to about
 *   ±0.015, not to the printed digit.
 */

export const Z19_SOURCES = {
  standard: 'ANSI/ASQ Z1.9-2008 (MIL-STD-414 family), s method, single specification limit, Form 1 — not GB/T 6378.1 / ISO 3951-1',
  checked: [
    'Table B-1 as transcribed at web.tecnico.ulisboa.pt/~mcasquilho/acad/cq/Z1.9.B1.html (columns T, 0.10 … 1.50 complete)',
    'Z1.9 Form 2 M values in fjgonzalezmgt/AQLSchemesCust R/AAZ19.R, converted to k by the minimum-variance unbiased estimate (incomplete beta)',
    'Table A-2 as transcribed at studylib.es/doc/9356105 (code letters)',
  ],
  confidence: {
    tableA2: 'high: two sources agree on every cell',
    tableB1: 'medium: one transcription of the printed k; a second table (Form 2) agrees within 0.015 on all 88 cells, within rounding on 71',
  },
  missing:
    'normal AQL 2.5, 4.0, 6.5 and 10 (the transcript shows code letters B … F only); reduced inspection; the σ (known variability) and range methods; GB/T 6378.1 / ISO 3951-1 itself',
} as const;

/** The inspection levels of Table A-2 (Z1.9 has no S-1 or S-2). */
export const Z19_LEVELS = ['S-3', 'S-4', 'I', 'II', 'III'] as const;
export type Z19Level = (typeof Z19_LEVELS)[number];

/** Z1.9's code letters: B … P, with I and without O (not ISO 2859-1's A … R without I). */
export const Z19_CODE_LETTERS = ['B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'P'] as const;
export type Z19CodeLetter = (typeof Z19_CODE_LETTERS)[number];

/** Table B-1: the sample size of each code letter (the same for every AQL and severity). */
export const Z19_SAMPLE_SIZES: Readonly<Record<Z19CodeLetter, number>> = {
  B: 3,
  C: 4,
  D: 5,
  E: 7,
  F: 10,
  G: 15,
  H: 20,
  I: 25,
  J: 35,
  K: 50,
  L: 75,
  M: 100,
  N: 150,
  P: 200,
};

/** Table A-2: lot sizes (inclusive; the last has no upper bound) and the code letter at S-3, S-4, I, II, III. */
export const Z19_TABLE_A2: ReadonlyArray<{ readonly from: number; readonly to: number | null; readonly letters: readonly Z19CodeLetter[] }> = [
  { from: 2, to: 8, letters: ['B', 'B', 'B', 'B', 'C'] },
  { from: 9, to: 15, letters: ['B', 'B', 'B', 'B', 'D'] },
  { from: 16, to: 25, letters: ['B', 'B', 'B', 'C', 'E'] },
  { from: 26, to: 50, letters: ['B', 'B', 'C', 'D', 'F'] },
  { from: 51, to: 90, letters: ['B', 'B', 'D', 'E', 'G'] },
  { from: 91, to: 150, letters: ['B', 'C', 'E', 'F', 'H'] },
  { from: 151, to: 280, letters: ['B', 'D', 'F', 'G', 'I'] },
  { from: 281, to: 400, letters: ['C', 'E', 'G', 'H', 'J'] },
  { from: 401, to: 500, letters: ['C', 'E', 'G', 'I', 'J'] },
  { from: 501, to: 1200, letters: ['D', 'F', 'H', 'J', 'K'] },
  { from: 1201, to: 3200, letters: ['E', 'G', 'I', 'K', 'L'] },
  { from: 3201, to: 10000, letters: ['F', 'H', 'J', 'L', 'M'] },
  { from: 10001, to: 35000, letters: ['G', 'I', 'K', 'M', 'N'] },
  { from: 35001, to: 150000, letters: ['H', 'J', 'L', 'N', 'P'] },
  { from: 150001, to: 500000, letters: ['H', 'K', 'M', 'P', 'P'] },
  { from: 500001, to: null, letters: ['H', 'K', 'N', 'P', 'P'] },
];

/**
 * The k columns of Table B-1 carried, by the normal-inspection AQL printed
 * above each ('T': a column used for tightened inspection only). The AQL
 * printed below a column for tightened inspection is the next one: tightened
 * AQL 0.10 uses column T, 0.15 the column of normal 0.10, … 1.5 that of
 * normal 1.0.
 */
export const Z19_K_COLUMNS = ['T', '0.10', '0.15', '0.25', '0.40', '0.65', '1.0', '1.5'] as const;

/** The AQLs (percent nonconforming) for which a plan can be given, at both severities. */
export const Z19_AQLS = ['0.10', '0.15', '0.25', '0.40', '0.65', '1.0', '1.5'] as const;
export type Z19Aql = (typeof Z19_AQLS)[number];

/** Table B-1, s method, Form 1: k as printed, or '↓' (use the first plan below the arrow: its n and k). */
export const Z19_TABLE_B1: Readonly<Record<Z19CodeLetter, readonly string[]>> = {
  //     T       0.10    0.15    0.25    0.40    0.65    1.0     1.5
  B: ['↓', '↓', '↓', '↓', '↓', '↓', '↓', '↓'],
  C: ['↓', '↓', '↓', '↓', '↓', '↓', '1.45', '1.34'],
  D: ['↓', '↓', '↓', '↓', '↓', '1.65', '1.53', '1.40'],
  E: ['↓', '↓', '↓', '2.00', '1.88', '1.75', '1.62', '1.50'],
  F: ['↓', '↓', '2.24', '2.11', '1.98', '1.84', '1.72', '1.58'],
  G: ['2.53', '2.42', '2.32', '2.20', '2.06', '1.91', '1.79', '1.65'],
  H: ['2.58', '2.47', '2.36', '2.24', '2.11', '1.96', '1.82', '1.69'],
  I: ['2.61', '2.50', '2.40', '2.26', '2.14', '1.98', '1.85', '1.72'],
  J: ['2.65', '2.54', '2.45', '2.31', '2.18', '2.03', '1.89', '1.76'],
  K: ['2.71', '2.60', '2.50', '2.35', '2.22', '2.08', '1.93', '1.80'],
  L: ['2.77', '2.66', '2.55', '2.41', '2.27', '2.12', '1.98', '1.84'],
  M: ['2.80', '2.69', '2.58', '2.43', '2.29', '2.14', '2.00', '1.86'],
  N: ['2.84', '2.73', '2.61', '2.47', '2.33', '2.18', '2.03', '1.89'],
  P: ['2.85', '2.73', '2.62', '2.47', '2.33', '2.18', '2.04', '1.89'],
};
