import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Store } from './store.js';

export class InstallationStoreError extends Error {
  override readonly name = 'InstallationStoreError' as const;
}

interface InstallationSource {
  isEnterpriseInstall?: boolean | undefined;
  enterpriseId?: string | undefined;
  teamId?: string | undefined;
}

/**
 * Org-wide (Enterprise Grid) installs are one row for the whole org, keyed by enterprise id; everything else,
 * including a single workspace inside an org, is keyed by team id (Slack's E... and T... ids never collide).
 */
export function installationKey(source: InstallationSource): string | null {
  if (source.isEnterpriseInstall === true) return source.enterpriseId || null;
  return source.teamId || null;
}

function keyOf(installation: Installation): string | null {
  return installationKey({
    isEnterpriseInstall: installation.isEnterpriseInstall,
    enterpriseId: installation.enterprise?.id,
    teamId: installation.team?.id,
  });
}

/**
 * Bolt's InstallationStore over our Store. Bolt's authorize expects fetchInstallation to throw when there is no
 * installation (it turns that into an authorization failure), so "not found" is an error here, not undefined.
 */
export function createInstallationStore(
  store: Pick<Store, 'saveInstallation' | 'getInstallation' | 'deleteInstallation'>,
): InstallationStore {
  return {
    async storeInstallation(installation) {
      const key = keyOf(installation);
      if (key === null) throw new InstallationStoreError('installation has neither a team id nor an org-wide enterprise id');
      await store.saveInstallation(key, installation);
    },

    async fetchInstallation(query: InstallationQuery<boolean>) {
      const key = installationKey(query);
      if (key === null) throw new InstallationStoreError('installation query has neither a team id nor an enterprise id');
      const found = await store.getInstallation(key);
      if (found === null || typeof found !== 'object') throw new InstallationStoreError(`no Slack installation for ${key}`);
      return found as Installation;
    },

    async deleteInstallation(query: InstallationQuery<boolean>) {
      const key = installationKey(query);
      if (key === null) throw new InstallationStoreError('installation query has neither a team id nor an enterprise id');
      await store.deleteInstallation(key);
    },
  };
}
