/**
 * The Azure clouds: each one's hosts, token resources and scopes. Explicit inputs override each of them
 * (settings/inputs.ts, and each job API's own inputs.ts).
 */
export interface Cloud {
  readonly name: CloudName
  /** Entra ID authority host. */
  readonly authorityHost: string
  /** Token resource of Media Services; the scope is this plus `/.default`. */
  readonly mediaResource: string
  /** Domains whose hosts may receive the token after a redirect (the host itself or any subdomain). */
  readonly mediaDomains: readonly string[]
  /** Audience of the GitHub OIDC token exchanged for an Entra ID token. */
  readonly oidcAudience: string
  /** Azure Resource Manager endpoint, where Media Services v3 jobs live (no trailing slash). */
  readonly armEndpoint: string
  /** Token scope for Azure Resource Manager. */
  readonly armScope: string
}

export type CloudName = 'AzureCloud' | 'AzureChinaCloud' | 'AzureUSGovernment'

export const CLOUDS: Readonly<Record<CloudName, Cloud>> = {
  AzureCloud: {
    name: 'AzureCloud',
    authorityHost: 'https://login.microsoftonline.com',
    mediaResource: 'https://rest.media.azure.net',
    mediaDomains: ['media.azure.net', 'media.windows.net'],
    oidcAudience: 'api://AzureADTokenExchange',
    armEndpoint: 'https://management.azure.com',
    armScope: 'https://management.azure.com/.default'
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    authorityHost: 'https://login.chinacloudapi.cn',
    mediaResource: 'https://rest.media.chinacloudapi.cn',
    mediaDomains: ['media.chinacloudapi.cn'],
    oidcAudience: 'api://AzureADTokenExchangeChina',
    armEndpoint: 'https://management.chinacloudapi.cn',
    armScope: 'https://management.chinacloudapi.cn/.default'
  },
  AzureUSGovernment: {
    name: 'AzureUSGovernment',
    authorityHost: 'https://login.microsoftonline.us',
    mediaResource: 'https://rest.media.usgovcloudapi.net',
    mediaDomains: ['media.usgovcloudapi.net'],
    oidcAudience: 'api://AzureADTokenExchangeUSGov',
    armEndpoint: 'https://management.usgovcloudapi.net',
    armScope: 'https://management.usgovcloudapi.net/.default'
  }
}

/** Other names for the same clouds: the Azure SDKs' environment names. */
const ALIASES: Readonly<Record<string, CloudName>> = {
  azurepubliccloud: 'AzureCloud',
  azureusgovernmentcloud: 'AzureUSGovernment'
}

/** Clouds that azure/login and az know, with why they cannot be used here. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  azurestack: 'Azure Stack Hub has no Media Services',
  azuregermancloud: 'Microsoft Cloud Deutschland closed in 2021; its Media Services moved to AzureCloud',
  azuregermanycloud: 'Microsoft Cloud Deutschland closed in 2021; its Media Services moved to AzureCloud'
}

/**
 * Case-insensitive lookup of the names azure/login's `environment` and `az cloud` use (AzureCloud,
 * azurechinacloud, AZUREUSGOVERNMENT, AzurePublicCloud, ...); undefined for an unknown name.
 */
export function findCloud(name: string): Cloud | undefined {
  const lower = name.trim().toLowerCase()
  const key = (Object.keys(CLOUDS) as CloudName[]).find(k => k.toLowerCase() === lower) ?? ALIASES[lower]
  return key && CLOUDS[key]
}

/** Why a cloud that azure/login knows is not one this action can use; undefined for any other name. */
export function unsupportedCloud(name: string): string | undefined {
  return UNSUPPORTED[name.trim().toLowerCase()]
}
