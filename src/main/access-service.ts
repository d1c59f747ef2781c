/**
 * The access service (API keys, calendar feeds, authentication) over one
 * database: what createServices builds, and all a command that issues keys or
 * checks one needs (`metrotrace keys`, `event record`), without the rest.
 */
import { AccessService } from '../app/access.ts';
import type { LedgerKeys } from '../app/ports.ts';
import type { OrganisationKind } from '../core/registry/vocabulary.ts';
import type { Db } from '../persistence/db.ts';
import { DrizzleAccessStore } from '../persistence/access-store.ts';
import { keyMaterial } from '../runtime/key-material.ts';

/** `registry` answers an organisation's kind (a key of a lab must belong to a lab). */
export function createAccessService(db: Db, keys: LedgerKeys, registry: { getOrganisation(id: string): Promise<{ kind: OrganisationKind }> }): AccessService {
  return new AccessService({
    store: new DrizzleAccessStore(db, keys),
    material: keyMaterial,
    organisationKind: async (id) => (await registry.getOrganisation(id)).kind,
  });
}
