/** Where Media Services v2 keeps things: its OData paths, and its API root after a redirect. */

/** OData string literal: single quotes are doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}

export function jobsQuery(ids: readonly string[]): string {
  const filter = ids.map(id => `Id eq ${odataString(id)}`).join(' or ')
  return `Jobs()?$filter=${encodeURIComponent(filter)}&$top=${ids.length}`
}

export function tasksPath(id: string): string {
  return `Jobs(${encodeURIComponent(odataString(id))})/Tasks`
}

/** The job's OutputMediaAssets navigation property: the Asset entities it made. */
export function outputAssetsPath(id: string): string {
  return `Jobs(${encodeURIComponent(odataString(id))})/OutputMediaAssets`
}

export function cancelJobPath(id: string): string {
  return `CancelJob?jobid=${encodeURIComponent(odataString(id))}`
}

function decode(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

/**
 * The new API root after a redirect. The global host answers `GET /api/` with the account's root; some
 * answers carry the full resource URL instead: then the requested relative path is cut off its end.
 */
export function baseFromLocation(target: URL, relative: string): URL {
  // Compare decoded paths: `Jobs('nb%3Ajid…')` and `Jobs('nb:jid…')` are the same resource.
  const relPath = decode(new URL(relative, 'https://x/').pathname.slice(1)).toLowerCase()
  const base = new URL(target.href)
  base.search = ''
  base.hash = ''
  const path = decode(base.pathname)
  if (relPath && path.toLowerCase().endsWith(relPath) && path.length > relPath.length) {
    base.pathname = path.slice(0, path.length - relPath.length)
  }
  if (!base.pathname.endsWith('/')) base.pathname += '/'
  return base
}
