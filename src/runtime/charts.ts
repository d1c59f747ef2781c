/**
 * Loading the verification scheme charts from calibration-chains/.
 * @impure reads files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readChart } from '../codecs/chain-chart.ts';
import { MetrologyError } from '../core/errors.ts';
import type { VerificationChart } from '../core/traceability/chart.ts';

export const CHARTS_DIR = fileURLToPath(new URL('../../calibration-chains/', import.meta.url));

export function loadCharts(dir = CHARTS_DIR): VerificationChart[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.chain.json'))
    .sort()
    .map((file) => {
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      } catch (e) {
        throw new MetrologyError('INVALID_CHART', '', `${file}: not valid JSON (${(e as Error).message})`);
      }
      return readChart(raw, file);
    });
}
