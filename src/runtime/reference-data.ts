/**
 * Loading the regulatory reference data shipped in fixtures/reference/: the
 * State catalogue versions and the GB 17167 energy-metering rules.
 * @impure reads files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CatalogueManifest, readCatalogue } from '../codecs/catalogue.ts';
import { MetrologyError } from '../core/errors.ts';
import type { Catalogue } from '../core/verification/catalogue.ts';
import type { EnergyRules } from '../core/energy/rules.ts';
import { readEnergyRules } from '../codecs/energy-rules.ts';

export const REFERENCE_DIR = fileURLToPath(new URL('../../fixtures/reference/', import.meta.url));

/** The refusal of a reference file that is missing, unreadable or malformed, naming it. */
const invalid = (file: string, e: unknown) => new MetrologyError('INVALID_REFERENCE_DATA', '', `${file}: ${(e as Error).message}`);

/** A reference file's text. */
function readText(dir: string, file: string): string {
  try {
    return readFileSync(join(dir, file), 'utf8');
  } catch (e) {
    throw invalid(file, e);
  }
}

function readJson(dir: string, file: string): unknown {
  const text = readText(dir, file);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalid(file, e);
  }
}

export function loadCatalogues(dir = REFERENCE_DIR): Catalogue[] {
  const manifests = readJson(dir, 'catalogues.json') as CatalogueManifest[];
  return manifests.map((m) => readCatalogue(readText(dir, m.file), m));
}

export const ENERGY_RULES_FILE = 'energy-metering-gb17167-2006.json';

export function loadEnergyRules(dir = REFERENCE_DIR): EnergyRules {
  return readEnergyRules(readJson(dir, ENERGY_RULES_FILE), ENERGY_RULES_FILE);
}
