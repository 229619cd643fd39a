export const id = 943;
export const ids = [943];
export const modules = {

/***/ 8753:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   k: () => (/* binding */ ProxyAgent)
/* harmony export */ });
class ProxyAgent {
    constructor() {
        throw new Error('undici is not bundled with ams-job-wait: HttpClient.getAgentDispatcher is unavailable');
    }
}


/***/ }),

/***/ 6327:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  failUnexpectedly: () => (/* reexport */ failUnexpectedly),
  failUnsettled: () => (/* reexport */ failUnsettled),
  githubRuntime: () => (/* reexport */ githubRuntime),
  run: () => (/* binding */ run)
});

;// CONCATENATED MODULE: ./src/errors.ts
const INPUT = { kind: 'input' };
const ENTRA_ID = { kind: 'entra-id' };
const GITHUB_OIDC = { kind: 'github-oidc' };
const jobService = (service) => ({ kind: 'service', service });
class UserError extends Error {
    input;
    source;
    name = 'UserError';
    constructor(message, input, source = INPUT) {
        super(message);
        this.input = input;
        this.source = source;
    }
}
class ServiceError extends Error {
    name = 'ServiceError';
    status;
    requestId;
    transient;
    retryAfterMs;
    source;
    constructor(message, options = {}) {
        super(message);
        this.status = options.status;
        this.requestId = options.requestId;
        this.transient = options.transient ?? false;
        this.retryAfterMs = options.retryAfterMs;
        this.source = options.source;
    }
}
class OutOfTime extends ServiceError {
    name = 'OutOfTime';
}
function sourceOf(error) {
    return error instanceof UserError || error instanceof ServiceError ? error.source : undefined;
}
class AbortedError extends Error {
    reason;
    name = 'AbortedError';
    constructor(reason) {
        super(reason === 'timeout' ? 'timed out' : 'canceled');
        this.reason = reason;
    }
}
function errorMessage(error) {
    return error instanceof Error ? error.message : String(error);
}
function abortedBy(signal) {
    return new AbortedError(isTimeout(signal.reason) ? 'timeout' : 'canceled');
}
function isTimeout(reason) {
    return (reason === 'timeout' ||
        (typeof reason === 'object' && reason !== null && 'name' in reason && reason.name === 'TimeoutError'));
}

;// CONCATENATED MODULE: ./src/transport/call.ts
function retryUntilOf(call) {
    return 'retryUntil' in call ? call.retryUntil : -Infinity;
}
function within(ms, now, parent) {
    const end = now() + ms;
    const timeout = AbortSignal.timeout(Math.max(0, ms));
    return { retryUntil: end, endBy: end, signal: parent ? AbortSignal.any([parent, timeout]) : timeout };
}

;// CONCATENATED MODULE: ./src/clouds.ts
const CLOUDS = {
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
};
const ALIASES = {
    azurepubliccloud: 'AzureCloud',
    azureusgovernmentcloud: 'AzureUSGovernment'
};
const UNSUPPORTED = {
    azurestack: 'Azure Stack Hub has no Media Services',
    azuregermancloud: 'Microsoft Cloud Deutschland closed in 2021; its Media Services moved to AzureCloud',
    azuregermanycloud: 'Microsoft Cloud Deutschland closed in 2021; its Media Services moved to AzureCloud'
};
function findCloud(name) {
    const lower = name.trim().toLowerCase();
    const key = Object.keys(CLOUDS).find(k => k.toLowerCase() === lower) ?? ALIASES[lower];
    return key && CLOUDS[key];
}
function unsupportedCloud(name) {
    return UNSUPPORTED[name.trim().toLowerCase()];
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/text.ts
const NAME_LIMIT = 200;
const MESSAGE_LIMIT = 1000;
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?|\x1b[ -/]*[0-~]?|\x9b[0-?]*[ -/]*[@-~]?/g;
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;
function serverText(value, limit) {
    const head = value.slice(0, limit * 4 + 64).replace(/[\ud800-\udbff]$/, '');
    const plain = head.replace(ANSI, '').replace(CONTROLS, ' ').replace(/ {2,}/g, ' ');
    return cut(plain.trim(), limit);
}
const serverName = (value) => serverText(value, NAME_LIMIT);
const serverMessage = (value) => serverText(value, MESSAGE_LIMIT);
function cut(text, limit) {
    if (text.length <= limit)
        return text;
    let end = Math.max(0, limit - 1);
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff)
        end--;
    return `${text.slice(0, end)}…`;
}
function logLine(message) {
    const line = message.replace(ANSI, '').replace(CONTROLS, ' ').replace(/##\[/g, '## [');
    return /^\s*::/.test(line) ? `> ${line}` : line;
}
const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
function markdownText(text) {
    return text
        .replace(ANSI, '')
        .replace(CONTROLS, ' ')
        .replace(/[\\`*_[\]|~#!:@$]/g, '\\$&')
        .replace(/(www)\./gi, '$1\\.')
        .replace(/[&<>]/g, c => ENTITIES[c]);
}
function someOf(items, max, separator = ', ') {
    if (items.length <= max)
        return items.join(separator);
    return `${items.slice(0, max).join(separator)} and ${items.length - max} more`;
}
function isWebPage(body, contentType) {
    return body.trimStart().startsWith('<') || /html/i.test(contentType ?? '');
}
function bodyKind(body, contentType) {
    if (body.trim() === '')
        return 'an empty body';
    return isWebPage(body, contentType) ? 'an HTML page' : 'text that is not JSON';
}
function withoutBom(body) {
    return body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
}

;// CONCATENATED MODULE: ./src/values.ts


const QUOTE_LIMIT = 200;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USERINFO = /^(\s*(?:[a-z][a-z0-9+.-]*:)?\/\/|\s*)([^/?#]*)@/i;
function quoted(value) {
    const m = USERINFO.exec(value);
    const shown = m ? `${m[1]}***@${value.slice(m[0].length)}` : value;
    const quote = `'${serverText(shown, QUOTE_LIMIT)}'`;
    return m ? `${quote} (its user name and password are not shown)` : quote;
}
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const URL_HOST = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/i;
function refuseNonHost(url, input, value) {
    const h = url.hostname.replace(/\.$/, '');
    if (URL_HOST.test(h) || /^\[[0-9a-f:.]+\]$/i.test(h))
        return;
    throw new UserError(`Input ${input}: ${quoted(value)} does not name a host (a DNS name has labels of at most 63 letters, digits and hyphens, 253 characters in all).`, input);
}

;// CONCATENATED MODULE: ./src/settings/credentials.ts



const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;
function parseClientCertificate(pem, input, now = new Date()) {
    const text = pem.replace(/\\n/g, '\n').replace(/\r\n/g, '\n');
    const blocks = [...text.matchAll(PEM_BLOCK)].map(m => ({ type: m[1], text: m[0] }));
    const certBlock = blocks.find(b => b.type === 'CERTIFICATE');
    const keyBlock = blocks.find(b => /PRIVATE KEY$/.test(b.type));
    if (!certBlock || !keyBlock) {
        const missing = !certBlock && !keyBlock
            ? 'a certificate and a private key'
            : !certBlock
                ? 'the certificate'
                : 'the private key';
        throw new UserError(`Input ${input} must be a PEM with the certificate (-----BEGIN CERTIFICATE-----) and its private key (-----BEGIN PRIVATE KEY-----); ${missing} is missing.`, input);
    }
    if (keyBlock.type === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:.*ENCRYPTED/.test(keyBlock.text)) {
        throw new UserError(`Input ${input}: the private key is encrypted. Store it without a passphrase (for example: openssl pkcs8 -topk8 -nocrypt).`, input);
    }
    let cert;
    let key;
    try {
        cert = new external_node_crypto_.X509Certificate(certBlock.text);
    }
    catch {
        throw new UserError(`Input ${input}: the certificate block is not a valid X.509 certificate.`, input);
    }
    try {
        key = (0,external_node_crypto_.createPrivateKey)(keyBlock.text);
    }
    catch {
        throw new UserError(`Input ${input}: the private key block could not be read as a private key.`, input);
    }
    if (!cert.checkPrivateKey(key)) {
        throw new UserError(`Input ${input}: the private key does not belong to the certificate.`, input);
    }
    const notAfter = new Date(cert.validTo);
    if (notAfter.getTime() < now.getTime()) {
        throw new UserError(`Input ${input}: the certificate expired on ${notAfter.toISOString()}.`, input);
    }
    return {
        thumbprintSha256: (0,external_node_crypto_.createHash)('sha256').update(cert.raw).digest('hex').toUpperCase(),
        privateKey: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
        x5c: certBlock.text,
        subject: cert.subject.replace(/\n/g, ', '),
        notAfter
    };
}
function secretParts(value) {
    const parts = new Set([value.trim()]);
    for (const line of value.split(/\r?\n|\\n/)) {
        const l = line.trim();
        if (l.length >= 8 && !/^-----(BEGIN|END) /.test(l))
            parts.add(l);
    }
    return [...parts].filter(p => p.length > 0);
}
function parseCreds(value, mask) {
    if (!value)
        return {};
    let doc;
    try {
        doc = JSON.parse(value);
    }
    catch {
        throw new UserError('Input creds is not valid JSON. Expected the Azure/login form: {"clientId": "…", "clientSecret": "…", "tenantId": "…"}.', 'creds');
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
        throw new UserError('Input creds must be a JSON object with clientId, clientSecret and tenantId.', 'creds');
    }
    const field = (k) => {
        const v = doc[k];
        return typeof v === 'string' && v.trim() ? v.trim() : undefined;
    };
    const creds = {
        clientId: field('clientId'),
        clientSecret: field('clientSecret'),
        tenantId: field('tenantId')
    };
    if (creds.clientSecret)
        mask?.(creds.clientSecret);
    return creds;
}
function maskSecrets(inputs, mask) {
    for (const name of ['client-secret', 'client-certificate', 'access-token']) {
        const v = inputs[name];
        if (v)
            secretParts(v).forEach(p => mask?.(p));
    }
}
function chooseCredential(inputs, creds, cloud, env, warnings) {
    const id = identityOf(inputs, creds, warnings);
    const certificate = inputs['client-certificate'];
    const accessToken = inputs['access-token'];
    requireOneWay([
        id.clientSecret && id.secretFrom,
        certificate && 'client-certificate',
        accessToken && 'access-token'
    ]);
    if (accessToken)
        return givenToken(accessToken, id, warnings);
    checkServicePrincipal(id);
    const { tenantId, clientId, clientSecret } = id;
    if (clientSecret)
        return { kind: 'secret', tenantId, clientId, clientSecret };
    if (certificate) {
        return {
            kind: 'certificate',
            tenantId,
            clientId,
            certificate: parseClientCertificate(certificate, 'client-certificate')
        };
    }
    if (!env.ACTIONS_ID_TOKEN_REQUEST_URL || !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
        throw new UserError('tenant-id and client-id are given without a secret, so GitHub OIDC is used, but this job cannot request an OIDC token. Add "permissions: id-token: write" to the workflow job (or give client-secret, client-certificate or access-token).', 'client-id');
    }
    return { kind: 'oidc', tenantId, clientId, audience: inputs.audience || cloud.oidcAudience };
}
function identityOf(inputs, creds, warnings) {
    const both = [];
    const differ = [];
    const pick = (input, key) => {
        const own = inputs[input];
        const fromCreds = creds[key];
        if (own && fromCreds) {
            both.push(input);
            if (own !== fromCreds)
                differ.push(`creds.${key}`);
        }
        return own || fromCreds || '';
    };
    const identity = {
        tenantId: pick('tenant-id', 'tenantId'),
        clientId: pick('client-id', 'clientId'),
        clientSecret: pick('client-secret', 'clientSecret'),
        secretFrom: inputs['client-secret'] ? 'client-secret' : 'creds.clientSecret'
    };
    if (both.length) {
        const names = both.join(', ');
        warnings.push(`Both creds and ${names} are given; using ${names}${differ.length ? ` (${differ.join(', ')} ${differ.length === 1 ? 'differs' : 'differ'})` : ' (the same values)'}.`);
    }
    return identity;
}
function requireOneWay(ways) {
    const given = ways.filter(Boolean);
    if (given.length > 1) {
        throw new UserError(`Inputs ${given.join(' and ')} are both given; they are different ways to sign in. Keep exactly one.`, given[0]);
    }
}
function givenToken(accessToken, id, warnings) {
    if (/^bearer\s/i.test(accessToken)) {
        throw new UserError('Input access-token: give the token alone, without the "Bearer " prefix.', 'access-token');
    }
    if (/[^\x21-\x7e]/.test(accessToken)) {
        throw new UserError('Input access-token contains a line break, a space or another character a token cannot have. Give the token alone, on one line.', 'access-token');
    }
    if (id.tenantId || id.clientId)
        warnings.push('access-token is given, so tenant-id and client-id are not used.');
    return { kind: 'token', accessToken };
}
function checkServicePrincipal({ tenantId, clientId }) {
    if (!tenantId && !clientId) {
        throw new UserError('No credentials: give tenant-id and client-id (with id-token: write permission for GitHub OIDC, or with client-secret or client-certificate), or creds, or access-token.', 'client-id');
    }
    if (!clientId) {
        throw new UserError('Input client-id is required with tenant-id: the application (client) id of the service principal.', 'client-id');
    }
    if (!tenantId) {
        throw new UserError('Input tenant-id is required with client-id: the directory (tenant) id, a GUID or a domain like contoso.onmicrosoft.com.', 'tenant-id');
    }
    if (!GUID.test(clientId)) {
        throw new UserError(`Input client-id: ${quoted(clientId)} is not a GUID. Use the application (client) id of the service principal.`, 'client-id');
    }
    if (/^(common|organizations|consumers)$/i.test(tenantId) ||
        !(GUID.test(tenantId) || HOSTNAME.test(tenantId))) {
        throw new UserError(`Input tenant-id: ${quoted(tenantId)} is not a tenant. Use the directory (tenant) id GUID or its domain (contoso.onmicrosoft.com); common, organizations and consumers cannot be used by a service principal.`, 'tenant-id');
    }
}

;// CONCATENATED MODULE: ./src/settings/public-suffix.ts
const SHARED_HOSTING = [
    '*.cloudapp.azure.com',
    'scm.azurewebsites.net',
    'chinacloudsites.cn',
    'chinacloudapp.cn',
    '*.cloudapp.chinacloudapi.cn',
    '*.cloudapp.usgovcloudapi.net',
    'queue.core.windows.net',
    'table.core.windows.net',
    'dfs.core.windows.net',
    'database.windows.net',
    'blob.core.chinacloudapi.cn',
    'vault.azure.net',
    'azurecr.io',
    'azurehdinsight.net',
    'app.github.dev'
];
function atOrBeneath(domain, parent) {
    return domain === parent || domain.endsWith(`.${parent}`);
}
function ruleAtOrBeneath(rule, domain) {
    const wild = rule.startsWith('*.');
    const base = wild ? rule.slice(2) : rule;
    if (atOrBeneath(base, domain))
        return true;
    return wild && domain.endsWith(`.${base}`) && !domain.slice(0, -base.length - 1).includes('.');
}
async function strangersUnder(domain) {
    const d = domain.toLowerCase().replace(/\.$/, '');
    const suffix = publicSuffixAtOrBeneath(d, await loadTrie());
    if (suffix)
        return { suffix, kind: 'public' };
    const shared = SHARED_HOSTING.find(rule => ruleAtOrBeneath(rule, d));
    return shared ? { suffix: shared, kind: 'shared' } : undefined;
}
let trie;
function loadTrie() {
    trie ??= __webpack_require__.e(/* import() */ 619).then(__webpack_require__.bind(__webpack_require__, 4619)).then(m => ({
        nodeFlags: m.nodeFlags,
        edgeStart: m.edgeStart,
        edgeLength: m.edgeLength,
        edgeChild: m.edgeChild,
        labelText: m.labelText,
        rulesRoot: m.rulesRoot,
        exceptionsRoot: m.exceptionsRoot
    }));
    return trie;
}
function edgesOf(t) {
    const offsets = [];
    for (let e = 0, at = 0; e < t.edgeLength.length; e++) {
        offsets.push(at);
        at += t.edgeLength[e];
    }
    return node => {
        const edges = [];
        for (let e = t.edgeStart[node]; e < t.edgeStart[node + 1]; e++) {
            edges.push({
                label: t.labelText.slice(offsets[e], offsets[e] + t.edgeLength[e]),
                child: t.edgeChild[e]
            });
        }
        return edges;
    };
}
function publicSuffixAtOrBeneath(domain, t) {
    const edges = edgesOf(t);
    const walk = (root) => {
        let node = root;
        for (const label of domain.split('.').reverse()) {
            const next = edges(node).find(e => e.label === label) ?? edges(node).find(e => e.label === '*');
            if (!next)
                return undefined;
            node = next.child;
        }
        return node;
    };
    const at = walk(t.rulesRoot);
    if (at === undefined)
        return undefined;
    const excepted = walk(t.exceptionsRoot) !== undefined && t.nodeFlags[walk(t.exceptionsRoot)] !== 0;
    if (t.nodeFlags[at] !== 0 && !excepted)
        return domain;
    const seen = new Set();
    const below = (node, name) => {
        if (seen.has(node))
            return undefined;
        seen.add(node);
        for (const e of edges(node)) {
            const child = `${e.label}.${name}`;
            if (t.nodeFlags[e.child] !== 0)
                return child;
            const deeper = below(e.child, child);
            if (deeper)
                return deeper;
        }
        return undefined;
    };
    return below(at, domain);
}

;// CONCATENATED MODULE: ./src/transport/trust.ts
function isLoopbackHost(host) {
    const h = host.toLowerCase();
    return h === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '[::1]';
}
function httpsOrLoopback(url) {
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}
function hostInDomain(host, domain) {
    const h = host.toLowerCase().replace(/\.$/, '');
    const d = domain.toLowerCase().replace(/^\./, '').replace(/\.$/, '');
    return h === d || h.endsWith(`.${d}`);
}
function effectivePort(url) {
    return url.port || (url.protocol === 'http:' ? '80' : '443');
}
function trustEntry(url) {
    const port = effectivePort(url);
    const host = url.hostname.toLowerCase();
    return port === '443' ? host : `${host}:${port}`;
}
function isTrustedHost(target, trusted) {
    const url = typeof target === 'string' ? new URL(`https://${target}`) : target;
    const h = url.hostname.toLowerCase();
    const port = effectivePort(url);
    return trusted.some(entry => {
        const m = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase());
        if ((m[2] ?? '443') !== port)
            return false;
        return m[1].startsWith('.') ? hostInDomain(h, m[1]) : h === m[1];
    });
}
function tokenRefusal(url, first, trusted) {
    if (!httpsOrLoopback(url) || (url.protocol === 'http:' && first.protocol !== 'http:'))
        return 'not-https';
    return isTrustedHost(url, trusted) ? undefined : 'untrusted';
}

;// CONCATENATED MODULE: ./src/settings/endpoints.ts




function parseAuthorityHost(value) {
    let url;
    try {
        url = new URL(/^[a-z]+:\/\//i.test(value) ? value : `https://${value}`);
    }
    catch {
        throw new UserError(`Input authority-host: ${quoted(value)} is not a URL. Expected e.g. https://login.microsoftonline.com.`, 'authority-host');
    }
    if (url.protocol !== 'https:') {
        throw new UserError(`Input authority-host must use https (Entra ID refuses anything else): ${quoted(value)}.`, 'authority-host');
    }
    if (url.username || url.password) {
        throw new UserError(`Input authority-host must not contain a user name or password (the host would be ${url.host}, not what precedes the @): ${quoted(value)}. Give the host only, e.g. https://login.microsoftonline.com.`, 'authority-host');
    }
    refuseNonHost(url, 'authority-host', value);
    if (url.pathname !== '/' || url.search || url.hash) {
        throw new UserError(`Input authority-host: give the host only (e.g. https://login.microsoftonline.com); the tenant goes in tenant-id.`, 'authority-host');
    }
    return new URL(url.origin);
}
async function parseTrustedHosts(value) {
    const items = value.split(/[\s,;]/).filter(Boolean);
    const entries = items.map(parseTrustedHost);
    for (const [i, entry] of entries.entries()) {
        if (entry.wildcard)
            await refuseStrangers(items[i], entry.host);
    }
    return entries.map(e => `${e.wildcard ? '.' : ''}${e.host}${e.port === 443 ? '' : `:${e.port}`}`);
}
function parseTrustedHost(item) {
    let host = item.toLowerCase();
    if (/^[a-z]+:\/\//.test(host)) {
        try {
            const url = new URL(host);
            if (url.username || url.password) {
                throw new UserError(`Input trusted-hosts: ${quoted(item)} holds a user name or password. Give host names only.`, 'trusted-hosts');
            }
            host = trustEntry(url);
        }
        catch (error) {
            if (error instanceof UserError)
                throw error;
        }
    }
    const portMatch = /:(\d{1,5})$/.exec(host);
    const port = portMatch ? Number(portMatch[1]) : 443;
    if (portMatch)
        host = host.slice(0, portMatch.index);
    const wildcard = host.startsWith('*.') || host.startsWith('.');
    const bare = host.replace(/^\*?\./, '');
    if (wildcard && !bare.includes('.')) {
        throw new UserError(`Input trusted-hosts: ${quoted(item)} would trust a whole top-level domain with the token. Name your own domain, e.g. *.example.com.`, 'trusted-hosts');
    }
    if (!HOSTNAME.test(bare) || port < 1 || port > 65535) {
        throw new UserError(`Input trusted-hosts: ${quoted(item)} is not a host name. Give names like acct.example.com, *.example.com or 127.0.0.1:8443 (a name without a port means port 443).`, 'trusted-hosts');
    }
    if (wildcard && /\.\d+$/.test(bare)) {
        throw new UserError(`Input trusted-hosts: ${quoted(item)} is a wildcard over an IP address. Name the address itself, e.g. 127.0.0.1:8443.`, 'trusted-hosts');
    }
    return { host: bare, port, wildcard };
}
async function refuseStrangers(item, domain) {
    const strangers = await strangersUnder(domain);
    if (!strangers)
        return;
    const who = strangers.kind === 'public'
        ? `hosts that anyone can register under ${strangers.suffix} (on the Public Suffix List)`
        : `hosts that anyone can create under ${strangers.suffix} (shared hosting)`;
    throw new UserError(`Input trusted-hosts: ${quoted(item)} would trust ${who} with the token. Name your own host (e.g. myaccount.${strangers.suffix.replace(/^\*\./, 'region.')}) or a domain you own (e.g. *.media.example.com).`, 'trusted-hosts');
}

;// CONCATENATED MODULE: ./src/jobs/v2/paths.ts
function odataString(value) {
    return `'${value.replace(/'/g, "''")}'`;
}
function jobsQuery(ids) {
    const filter = ids.map(id => `Id eq ${odataString(id)}`).join(' or ');
    return `Jobs()?$filter=${encodeURIComponent(filter)}&$top=${ids.length}`;
}
function tasksPath(id) {
    return `Jobs(${encodeURIComponent(odataString(id))})/Tasks`;
}
function outputAssetsPath(id) {
    return `Jobs(${encodeURIComponent(odataString(id))})/OutputMediaAssets`;
}
function cancelJobPath(id) {
    return `CancelJob?jobid=${encodeURIComponent(odataString(id))}`;
}
function decode(path) {
    try {
        return decodeURIComponent(path);
    }
    catch {
        return path;
    }
}
function baseFromLocation(target, relative) {
    const relPath = decode(new URL(relative, 'https://x/').pathname.slice(1)).toLowerCase();
    const base = new URL(target.href);
    base.search = '';
    base.hash = '';
    const path = decode(base.pathname);
    if (relPath && path.toLowerCase().endsWith(relPath) && path.length > relPath.length) {
        base.pathname = path.slice(0, path.length - relPath.length);
    }
    if (!base.pathname.endsWith('/'))
        base.pathname += '/';
    return base;
}

;// CONCATENATED MODULE: ./src/jobs/model.ts
const JOB_STATES = [
    'Queued',
    'Scheduled',
    'Processing',
    'Finished',
    'Error',
    'Canceled',
    'Canceling'
];
const UNKNOWN_STATE = 'Unknown';
const FINAL_STATES = new Set(['Finished', 'Error', 'Canceled']);
function isFinal(state) {
    return FINAL_STATES.has(state);
}
const PROGRESS_RANK = {
    Unknown: 0,
    Queued: 0,
    Scheduled: 1,
    Processing: 2,
    Canceling: 3,
    Finished: 4,
    Error: 4,
    Canceled: 4
};
const MAX_ERROR_DETAILS = 10;
const MAX_OUTPUT_ASSETS = 100;
function parseState(value) {
    if (typeof value === 'number')
        return JOB_STATES.find((_, i) => i === value);
    if (typeof value !== 'string')
        return undefined;
    return stateNamed(value) ?? JOB_STATES.find((_, i) => String(i) === value);
}
function stateNamed(value) {
    const name = value.toLowerCase();
    return JOB_STATES.find(s => s.toLowerCase() === name);
}
function stateText(job) {
    return job.state === UNKNOWN_STATE && job.reportedState
        ? `${UNKNOWN_STATE} ("${job.reportedState}")`
        : job.state;
}
function ranMs(job) {
    if (job.startTime && job.endTime)
        return Math.max(0, job.endTime.getTime() - job.startTime.getTime());
    return job.runningDuration > 0 ? job.runningDuration : undefined;
}
function meanProgress(values) {
    return values.length ? values.reduce((sum, p) => sum + p, 0) / values.length : undefined;
}

;// CONCATENATED MODULE: ./src/jobs/json.ts


function isEntity(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function describe(v) {
    if (typeof v === 'string')
        return JSON.stringify(serverName(v));
    if (typeof v === 'number' || typeof v === 'boolean' || v === null)
        return String(v);
    if (v === undefined)
        return 'missing';
    return Array.isArray(v) ? 'an array' : 'an object';
}
function json_text(v) {
    return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}
function parseDate(value) {
    if (typeof value !== 'string')
        return undefined;
    const text = value.trim();
    const ms = /^\/?Date\((-?\d+)(?:[+-]\d{4})?\)\/?$/.exec(text.replace(/\\\//g, '/'));
    if (ms)
        return validDate(new Date(Number(ms[1])));
    const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
    if (!iso)
        return undefined;
    return validDate(new Date(iso[3] ? text : `${text}Z`));
}
function validDate(d) {
    return Number.isNaN(d.getTime()) ? undefined : d;
}
function parseJson(body, what, service = 'Media Services') {
    try {
        return JSON.parse(withoutBom(body));
    }
    catch {
        throw new ServiceError(`${service} answered ${what} with ${bodyKind(body)}`, { transient: true });
    }
}
function errorTextOf(body, fromJson) {
    let doc;
    let said;
    try {
        doc = JSON.parse(withoutBom(body));
    }
    catch {
        said = /<title(?:\s[^>]*)?>([^<]*)<\/title>/i.exec(body.slice(0, 64 * 1024))?.[1];
    }
    if (said === undefined && isEntity(doc))
        said = fromJson(doc);
    return said === undefined ? undefined : serverMessage(said) || undefined;
}

;// CONCATENATED MODULE: ./src/jobs/v2/parse.ts




function entitiesOf(doc, what) {
    const unwrap = (doc) => {
        let v = doc;
        for (let depth = 0; depth < 4; depth++) {
            if (Array.isArray(v))
                return v;
            if (!isEntity(v))
                return undefined;
            if (Array.isArray(v.value))
                return v.value;
            if (Array.isArray(v.results))
                return v.results;
            if ('Id' in v)
                return [v];
            v = v.d;
        }
        return undefined;
    };
    const list = unwrap(doc);
    if (!list || !list.every(isEntity)) {
        throw new ServiceError(`Media Services answered ${what} with JSON of an unexpected shape`, {
            transient: true
        });
    }
    return list;
}
function collection(v) {
    const list = Array.isArray(v) ? v : isEntity(v) && Array.isArray(v.results) ? v.results : [];
    return list.filter(isEntity);
}
function number(v) {
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    return Number.isFinite(n) ? n : 0;
}
function duration(v) {
    return Math.max(0, number(v));
}
function canonicalJobId(id) {
    const m = /^nb:jid:uuid:([0-9a-f-]{36})$/i.exec(id);
    return m ? `nb:jid:UUID:${m[1].toLowerCase()}` : id;
}
function parseJob(e) {
    const id = canonicalJobId(serverName(json_text(e.Id)));
    const state = parseState(e.State);
    if (!id || !state) {
        throw new ServiceError(`Media Services returned a job without a valid Id and State (Id ${describe(e.Id)}, State ${describe(e.State)})`, { transient: true });
    }
    return {
        id,
        name: serverName(json_text(e.Name)),
        state,
        runningDuration: duration(e.RunningDuration),
        created: parseDate(e.Created),
        lastModified: parseDate(e.LastModified),
        startTime: parseDate(e.StartTime),
        endTime: parseDate(e.EndTime)
    };
}
function parseTask(e) {
    return {
        id: serverName(json_text(e.Id)),
        name: serverName(json_text(e.Name)),
        progress: Math.min(100, Math.max(0, number(e.Progress))),
        runningDuration: duration(e.RunningDuration),
        startTime: parseDate(e.StartTime),
        endTime: parseDate(e.EndTime),
        errorDetails: collection(e.ErrorDetails)
            .slice(0, MAX_ERROR_DETAILS)
            .map(d => ({ code: serverName(json_text(d.Code)), message: serverMessage(json_text(d.Message)) }))
    };
}
function parseJobs(body) {
    return entitiesOf(parseJson(body, 'the Jobs query'), 'the Jobs query').map(parseJob);
}
function parseTasks(body) {
    return entitiesOf(parseJson(body, 'the Tasks query'), 'the Tasks query').map(parseTask);
}
function parseAsset(e) {
    const id = serverName(json_text(e.Id));
    const name = serverName(json_text(e.Name));
    if (!id && !name)
        return undefined;
    const storageAccount = serverName(json_text(e.StorageAccountName));
    const uri = containerUri(json_text(e.Uri));
    return {
        ...(id ? { id } : {}),
        name,
        ...(storageAccount ? { storageAccount } : {}),
        ...(uri ? { uri } : {})
    };
}
function containerUri(raw) {
    let url;
    try {
        url = new URL(raw.trim());
    }
    catch {
        return undefined;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
        return undefined;
    url.search = '';
    url.hash = '';
    url.username = '';
    url.password = '';
    return serverMessage(url.href) || undefined;
}
function parseOutputAssets(body) {
    const what = 'the OutputMediaAssets query';
    return entitiesOf(parseJson(body, what), what)
        .map(parseAsset)
        .filter((a) => a !== undefined)
        .slice(0, MAX_OUTPUT_ASSETS);
}
function errorDetailsOf(tasks) {
    return tasks.flatMap(t => t.errorDetails).slice(0, MAX_ERROR_DETAILS);
}
function jobProgress(tasks) {
    return meanProgress(tasks.map(t => t.progress));
}
function serviceErrorText(body) {
    return errorTextOf(body, doc => {
        const err = doc['odata.error'] ?? doc.error;
        if (isEntity(err)) {
            const msg = isEntity(err.message) ? err.message.value : err.message;
            return [json_text(err.code), json_text(msg)].filter(Boolean).join(': ') || undefined;
        }
        if (typeof doc.error_description === 'string')
            return doc.error_description;
        if (typeof doc.error === 'string')
            return doc.error;
        return undefined;
    });
}

;// CONCATENATED MODULE: ./src/jobs/v2/dialect.ts



const SERVICE = 'Media Services';
function mediaServicesDialect(tokenDescription, mediaResource) {
    return {
        service: SERVICE,
        urlInput: 'api-url',
        untrustedHost: where => `Refused to send the token to ${where}: Media Services redirected there, and it is not a trusted Media Services host and port. If it is your account's endpoint, set api-url to it or add ${where} to trusted-hosts.`,
        errorText: serviceErrorText,
        resourceName: url => url.pathname.replace(/^.*\//, '').slice(0, 40) || url.pathname,
        explain: answer => explain(answer, tokenDescription, mediaResource)
    };
}
function explain({ res, url, refreshed, detail, said }, tokenDescription, mediaResource) {
    const source = jobService(SERVICE);
    if (res.status === 401) {
        const why = refreshed
            ? "even with a fresh token. Check that the service principal has a role (e.g. Contributor) on the Media Services account, that tenant-id is the account's tenant, and that api-url is this account's endpoint"
            : `for ${tokenDescription}. It may have expired or be for another resource (get it for ${mediaResource})`;
        return new UserError(`Media Services refused access (401) ${why}${detail}`, undefined, source);
    }
    if (res.status === 403) {
        return new UserError(`Media Services denied access (403)${detail}. Give the service principal a role (e.g. Contributor) on the Media Services account.`, undefined, source);
    }
    if (res.status === 404 && url.pathname.endsWith('/Jobs()')) {
        return new UserError(`Media Services has no Jobs collection at ${serverMessage(url.origin + url.pathname.slice(0, -'Jobs()'.length))} (404)${detail}. Check api-url: the v2 endpoint ends in /api/.`, 'api-url', source);
    }
    if (res.status === 400 && /x-ms-version|version/i.test(said ?? '')) {
        return new UserError(`Media Services rejected the request (400)${detail}. Check x-ms-version (2.19 is the newest).`, 'x-ms-version', source);
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/transport/pool.ts
async function mapLimit(items, limit, work) {
    const answers = new Array(items.length);
    let next = 0;
    let failed = false;
    const worker = async () => {
        while (next < items.length && !failed) {
            const i = next++;
            try {
                answers[i] = await work(items[i], i);
            }
            catch (error) {
                failed = true;
                throw error;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
    return answers;
}

// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __webpack_require__(4942);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
;// CONCATENATED MODULE: ./src/time.ts
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SPELLINGS = {
    ms: ['ms', 'msec', 'msecs', 'millisecond', 'milliseconds'],
    s: ['s', 'sec', 'secs', 'second', 'seconds'],
    m: ['m', 'min', 'mins', 'minute', 'minutes'],
    h: ['h', 'hr', 'hrs', 'hour', 'hours'],
    d: ['d', 'day', 'days']
};
const UNITS = new Map(Object.entries(SPELLINGS).flatMap(([unit, names]) => names.map(n => [n, UNIT_MS[unit]])));
function parseDuration(text) {
    const t = text.toLowerCase().replace(/\s+/g, '');
    if (t === '')
        return undefined;
    if (/^\d+(\.\d+)?$/.test(t))
        return finite(Number(t) * 1000);
    const part = /(\d+(?:\.\d+)?)([a-z]+)/y;
    let total = 0;
    let at = 0;
    while (at < t.length) {
        part.lastIndex = at;
        const m = part.exec(t);
        const unit = m ? UNITS.get(m[2]) : undefined;
        if (!m || unit === undefined)
            return undefined;
        total += Number(m[1]) * unit;
        at = part.lastIndex;
    }
    return finite(total);
}
function finite(ms) {
    return Number.isFinite(ms) ? Math.round(ms) : undefined;
}
function formatDuration(ms) {
    if (!Number.isFinite(ms) || ms < 0)
        ms = 0;
    const s = Math.floor(ms / 1000);
    if (s < 60)
        return ms > 0 && ms < 1000 ? `${(ms / 1000).toFixed(1)}s` : `${s}s`;
    const m = Math.floor(s / 60);
    if (m < 60)
        return `${m}m ${pad(s % 60)}s`;
    const h = Math.floor(m / 60);
    if (h < 24)
        return `${h}h ${pad(m % 60)}m`;
    return `${Math.floor(h / 24)}d ${pad(h % 24)}h`;
}
function pad(n) {
    return String(n).padStart(2, '0');
}
function clockStamp(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    const h = Math.floor(s / 3600);
    const mm = pad(Math.floor((s % 3600) / 60));
    const ss = pad(s % 60);
    return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

;// CONCATENATED MODULE: ./src/transport/http.ts






const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
function requestIdOf(res) {
    const id = header(res, 'x-ms-request-id') ?? header(res, 'x-ms-correlation-request-id');
    return id === undefined ? undefined : serverName(id);
}
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
const TRANSIENT_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'EPIPE',
    'ETIMEDOUT',
    'ENETUNREACH',
    'EHOSTUNREACH',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT'
]);
function createHttp(options) {
    const userAgent = options.userAgent ?? 'ams-job-wait';
    const exchange = {
        agents: agentsByRoute(userAgent),
        userAgent,
        now: options.now ?? Date.now,
        maxBytes: options.maxResponseBytes ?? MAX_RESPONSE_BYTES,
        sockets: new Set()
    };
    return {
        request(method, url, headers, body, limits = {}) {
            const { signal, endBy } = limits;
            if (signal?.aborted)
                return Promise.reject(abortedBy(signal));
            const host = safeHost(url);
            const limitMs = Math.min(options.requestTimeoutMs, (endBy ?? Infinity) - exchange.now());
            if (limitMs <= 0)
                return Promise.reject(new ServiceError(`no time left to ask ${host}`, { transient: true }));
            return new Promise((resolve, reject) => {
                const ending = boundedEnding(host, limitMs, signal, resolve, reject);
                send(exchange, { method, url, headers, body, host }, ending);
            });
        },
        dispose() {
            exchange.agents.dispose();
            for (const socket of exchange.sockets)
                socket.destroy();
            exchange.sockets.clear();
        }
    };
}
function boundedEnding(host, limitMs, signal, resolve, reject) {
    const exchange = new AbortController();
    const limit = AbortSignal.timeout(limitMs);
    const stop = signal ? AbortSignal.any([signal, limit]) : limit;
    let done = false;
    const ending = {
        signal: exchange.signal,
        answered: false,
        settle(error, value) {
            if (done)
                return;
            done = true;
            stop.removeEventListener('abort', onStop);
            if (!error)
                return resolve(value);
            exchange.abort();
            reject(error);
        }
    };
    const onStop = () => {
        if (signal?.aborted)
            return ending.settle(abortedBy(signal));
        const s = formatDuration(limitMs < 1000 ? limitMs : Math.round(limitMs / 1000) * 1000);
        const message = ending.answered
            ? `the answer from ${host} did not complete within ${s}`
            : `no answer from ${host} within ${s}`;
        ending.settle(new ServiceError(message, { transient: true }));
    };
    stop.addEventListener('abort', onStop, { once: true });
    return ending;
}
function send(setup, out, ending) {
    const settle = ending.settle;
    let req;
    try {
        req = clientRequest(setup, out, ending.signal);
    }
    catch (error) {
        return settle(transportError(error, out.host));
    }
    req.on('socket', socket => {
        if (setup.sockets.has(socket))
            return;
        setup.sockets.add(socket);
        socket.once('close', () => setup.sockets.delete(socket));
    });
    req.on('error', error => settle(transportError(error, out.host)));
    req.on('response', res => {
        ending.answered = true;
        readBody(res, out.host, setup.maxBytes, settle);
    });
    req.end(out.body);
}
function clientRequest(setup, out, signal) {
    const target = new URL(out.url);
    const headers = { ...out.headers, 'user-agent': setup.userAgent };
    if (out.body !== undefined)
        headers['content-length'] = Buffer.byteLength(out.body, 'utf8');
    const https_ = target.protocol === 'https:';
    return (https_ ? external_node_https_ : external_node_http_).request({
        host: target.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: target.port ? Number(target.port) : https_ ? 443 : 80,
        path: target.pathname + target.search,
        method: out.method,
        headers,
        agent: setup.agents.get(out.url),
        signal
    });
}
function agentsByRoute(userAgent) {
    const clients = new Map();
    return {
        get(url) {
            const route = `${new URL(url).protocol} ${(0,lib/* getProxyUrl */.s_)(url)}`;
            let client = clients.get(route);
            if (!client) {
                client = new lib/* HttpClient */.Qq(userAgent, [], {
                    allowRedirects: false,
                    allowRetries: false,
                    keepAlive: true
                });
                clients.set(route, client);
            }
            return client.getAgent(url);
        },
        dispose() {
            for (const client of clients.values())
                client.dispose();
            clients.clear();
        }
    };
}
function raceAbort(work, signal) {
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(abortedBy(signal));
        if (signal.aborted)
            return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        work.then(v => {
            signal.removeEventListener('abort', onAbort);
            resolve(v);
        }, e => {
            signal.removeEventListener('abort', onAbort);
            reject(e);
        });
    });
}
function readBody(res, host, maxBytes, settle) {
    const tooLarge = () => new ServiceError(`the answer from ${host} is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB; abandoned`, { status: res.statusCode, transient: true });
    const cut = () => new ServiceError(`${host} closed the connection mid-answer`, { status: res.statusCode, transient: true });
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes)
        return settle(tooLarge());
    const chunks = [];
    let size = 0;
    res.on('data', (chunk) => {
        size += chunk.length;
        if (size > maxBytes)
            return settle(tooLarge());
        chunks.push(chunk);
    });
    res.on('end', () => settle(undefined, {
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: Buffer.concat(chunks, size).toString('utf8')
    }));
    res.on('error', () => settle(cut()));
    res.on('aborted', () => settle(cut()));
    res.on('close', () => {
        if (!res.complete)
            settle(cut());
    });
}
function transportError(error, host) {
    const e = error;
    const code = e?.code ?? '';
    if (code === 'ENOTFOUND') {
        return new ServiceError(`host ${host} could not be found (DNS): check the URL`);
    }
    if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) {
        return new ServiceError(`TLS to ${host} failed (${code}): the certificate is not trusted`);
    }
    if (code.startsWith('HPE_')) {
        return new ServiceError(`${host} sent a malformed HTTP response (${code})`, { transient: true });
    }
    return new ServiceError(`connection to ${host} failed (${code || e?.message || 'unknown error'})`, {
        transient: TRANSIENT_CODES.has(code) || code === '' || /socket hang up/i.test(e?.message ?? '')
    });
}
function safeHost(url) {
    try {
        return new URL(url).host;
    }
    catch {
        return 'the server';
    }
}
function header(res, name) {
    const v = res.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
}
function retryAfterMs(value, now = Date.now()) {
    if (!value)
        return undefined;
    const v = value.trim();
    if (/^\d+(\.\d+)?$/.test(v))
        return Math.round(Number(v) * 1000);
    const at = Date.parse(v);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

;// CONCATENATED MODULE: ./src/transport/retry.ts

const DEFAULT_RETRY = { minDelayMs: 1000, maxDelayMs: 30_000 };
const FIRST_ANSWER_WITHIN_MS = 120_000;
class FirstAnswer {
    wrong;
    unreached;
    withinMs;
    answered = false;
    firstFailureAt;
    constructor(wrong, unreached = error => error.status === undefined, withinMs = FIRST_ANSWER_WITHIN_MS) {
        this.wrong = wrong;
        this.unreached = unreached;
        this.withinMs = withinMs;
    }
    get seen() {
        return this.answered;
    }
    answer() {
        this.answered = true;
    }
    check(error, now, delayMs) {
        if (this.answered || !this.unreached(error))
            return;
        this.firstFailureAt ??= now;
        if (now + delayMs > this.firstFailureAt + this.withinMs)
            throw this.wrong(error, now - this.firstFailureAt);
    }
}
function backoffDelay(attempt, policy, random, retryAfterMs) {
    const step = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.max(0, attempt - 1));
    const jittered = step / 2 + (random() * step) / 2;
    return Math.ceil(Math.max(jittered, retryAfterMs ?? 0));
}
async function withRetries(attempt, ctx) {
    for (let n = 1;; n++) {
        if (ctx.signal?.aborted)
            throw abortedBy(ctx.signal);
        try {
            return await attempt();
        }
        catch (error) {
            await ctx.sleep(retryDelay(error, n, ctx), ctx.signal);
        }
    }
}
function retryDelay(error, n, ctx) {
    if (ctx.signal?.aborted)
        throw abortedBy(ctx.signal);
    if (!(error instanceof ServiceError) || !error.transient)
        throw error;
    const delay = backoffDelay(n, ctx.policy ?? DEFAULT_RETRY, ctx.random ?? Math.random, error.retryAfterMs);
    ctx.firstAnswer?.check(error, ctx.now(), delay);
    if (ctx.now() + delay > ctx.retryUntil) {
        throw new OutOfTime(`${error.message} (gave up after ${n} ${n === 1 ? 'try' : 'tries'}: the next retry would pass the timeout)`, { status: error.status, requestId: error.requestId, source: error.source });
    }
    ctx.onRetry?.(error, delay, n);
    return delay;
}
function logRetries(log, service) {
    return (error, delayMs, attempt) => log.info(`${error.message.startsWith(service) ? '' : `${service}: `}${error.message}; retrying in ${(delayMs / 1000).toFixed(1)}s (attempt ${attempt + 1})`);
}
function sleep(ms, signal) {
    return new Promise(resolve => {
        if (signal?.aborted)
            return resolve();
        const timer = setTimeout(done, ms);
        function done() {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        }
        signal?.addEventListener('abort', done);
    });
}

;// CONCATENATED MODULE: ./src/jobs/answers.ts






function wrongEndpointBudget(dialect, source) {
    const { service, urlInput } = dialect;
    return new FirstAnswer((error, triedMs) => new UserError(`Input ${urlInput}: ${service} has not answered as its API does for ${formatDuration(triedMs)} (${error.message}). Check ${urlInput}: it must be the service's endpoint.`, urlInput, source), error => (error.source === undefined || error.source.kind === 'service') &&
        (error.status === undefined || error instanceof NotTheApi));
}
function refuseUntrusted(url, first, trustedHosts, dialect, source) {
    const refusal = tokenRefusal(url, first, trustedHosts);
    if (refusal === 'not-https') {
        throw new UserError(`Refused a redirect to ${serverName(`${url.protocol}//${url.host}`)}: the token is only sent over https.`, dialect.urlInput, source);
    }
    if (refusal === 'untrusted') {
        throw new UserError(dialect.untrustedHost(serverName(url.host)), 'trusted-hosts', source);
    }
}
function followRedirect(res, from, first, req, o, source) {
    const service = o.dialect.service;
    const target = locationOf(res, from, service, source);
    refuseUntrusted(target, first, o.trustedHosts, o.dialect, source);
    const { next, root } = req.redirected?.(target) ?? { next: target };
    if (root) {
        o.log.info(`${service} redirected to ${serverMessage(root.href)}; later requests go there directly.`);
    }
    else if (!req.redirected) {
        o.log.info(`${service} redirected to ${serverMessage(target.origin + target.pathname)}.`);
    }
    return next;
}
function notTheApi(dialect, source, req, res, error) {
    const requestId = requestIdOf(res);
    const where = requestId ? ` (x-ms-request-id ${requestId})` : '';
    const said = error ? undefined : dialect.errorText(res.body);
    const what = error
        ? `${error.message} (HTTP ${res.status}${requestId ? `, x-ms-request-id ${requestId}` : ''})`
        : `${req.method} ${serverName(dialect.resourceName(req.url))} answered HTTP ${res.status} with ${bodyKind(res.body)}${said ? `: ${said}` : ''}${where}`;
    return new NotTheApi(what, { status: res.status, requestId, transient: true, source });
}
class NotTheApi extends ServiceError {
}
function answerShaped(res) {
    const ok = res.status >= 200 && res.status < 300;
    return isJson(res.body) || (ok && res.body.trim() === '');
}
function isJson(body) {
    try {
        JSON.parse(withoutBom(body));
        return true;
    }
    catch {
        return false;
    }
}
function withWhere(error, res, source) {
    const requestId = requestIdOf(res);
    const where = `HTTP ${res.status}${requestId ? `, x-ms-request-id ${requestId}` : ''}`;
    return new ServiceError(`${error.message} (${where})`, {
        status: res.status,
        requestId,
        transient: error.transient,
        source
    });
}
function locationOf(res, from, service, source) {
    const location = header(res, 'location');
    try {
        if (location)
            return new URL(location, from);
    }
    catch {
    }
    const why = location
        ? 'redirected to an unreadable Location'
        : `answered ${res.status} without a Location header`;
    throw new ServiceError(`${service} ${why}`, { status: res.status, requestId: requestIdOf(res), source });
}
function failedAnswer(dialect, method, res, url, refreshed) {
    const requestId = requestIdOf(res);
    const said = dialect.errorText(res.body);
    const detail = `${said ? `: ${said}` : ''}${requestId ? ` (x-ms-request-id ${requestId})` : ''}`;
    return { method, url, res, refreshed, detail, said };
}
function commonFailure(a, dialect, now, source) {
    const { res } = a;
    const label = res.status === 503 ? 'busy (503)' : res.status === 429 ? 'throttling (429)' : `HTTP ${res.status}`;
    return new ServiceError(`${a.method} ${serverName(dialect.resourceName(a.url))} answered ${label}${a.detail}`, {
        status: res.status,
        requestId: requestIdOf(res),
        transient: TRANSIENT_STATUS.has(res.status),
        retryAfterMs: retryAfterMs(header(res, 'retry-after'), now),
        source
    });
}

;// CONCATENATED MODULE: ./src/jobs/guarded.ts







const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
class GuardedExchange {
    o;
    count = 0;
    source;
    firstAnswer;
    quiet;
    onRetry;
    constructor(o) {
        this.o = o;
        this.source = jobService(o.dialect.service);
        this.onRetry = logRetries(o.log, o.dialect.service);
        this.firstAnswer = wrongEndpointBudget(o.dialect, this.source);
        this.quiet = new QuietTime(o, this.source);
    }
    get requests() {
        return this.count;
    }
    async request(req, call, parse) {
        const at = { url: req.url };
        const { now, sleep, random } = this.o;
        for (let n = 1;; n++) {
            if (call.signal?.aborted)
                throw abortedBy(call.signal);
            try {
                return await this.attempt(req, at, call, parse);
            }
            catch (error) {
                const retry = { retryUntil: retryUntilOf(call), signal: call.signal, now, sleep, random };
                const delay = retryDelay(error, n, { ...retry, onRetry: this.onRetry, firstAnswer: this.firstAnswer });
                await sleep(delay, call.signal);
            }
        }
    }
    async attempt(req, at, call, parse) {
        await this.quiet.wait(call);
        const res = await this.quiet.heeding(() => this.send(req, at, call));
        const { dialect } = this.o;
        if (!this.firstAnswer.seen && !answerShaped(res))
            throw notTheApi(dialect, this.source, req, res);
        let value;
        try {
            value = parse(res);
        }
        catch (error) {
            if (!(error instanceof ServiceError))
                throw error;
            if (!this.firstAnswer.seen)
                throw notTheApi(dialect, this.source, req, res, error);
            throw withWhere(error, res, this.source);
        }
        this.firstAnswer.answer();
        return value;
    }
    async send(req, at, call) {
        const { dialect, tokens } = this.o;
        const first = this.o.first ?? req.url;
        let refreshed = false;
        for (let hop = 0; hop <= MAX_REDIRECTS;) {
            const url = at.url;
            refuseUntrusted(url, first, this.o.trustedHosts, dialect, this.source);
            const res = await this.exchange(req, url, await tokens.getToken(false, call), call);
            if (REDIRECTS.has(res.status)) {
                at.url = followRedirect(res, url, first, req, this.o, this.source);
                hop++;
                continue;
            }
            if (res.status === 401 && tokens.canRefresh && !refreshed) {
                refreshed = true;
                this.o.log.info(`${dialect.service} refused the token (401); getting a fresh one and trying once more.`);
                await tokens.getToken(true, call);
                continue;
            }
            if ((res.status >= 200 && res.status < 300) || dialect.isAnswer?.(res, req.method))
                return res;
            if (TRANSIENT_STATUS.has(res.status) || res.status === 401 || res.status === 403 || isJson(res.body))
                this.firstAnswer.answer();
            const answer = failedAnswer(dialect, req.method, res, url, refreshed);
            const explained = dialect.explain(answer);
            const webPage = isWebPage(res.body) || res.status === 404;
            if (!this.firstAnswer.seen && !(explained instanceof UserError) && webPage)
                throw notTheApi(dialect, this.source, req, res);
            throw explained ?? commonFailure(answer, dialect, this.o.now(), this.source);
        }
        const last = serverMessage(at.url.href);
        throw new ServiceError(`${dialect.service} redirected more than ${MAX_REDIRECTS} times; last to ${last}`, {
            source: this.source
        });
    }
    async exchange(req, url, token, call) {
        const started = this.o.now();
        this.count++;
        const headers = { ...req.headers, Authorization: `Bearer ${token}` };
        const limits = { signal: call.signal, endBy: call.endBy };
        const res = await this.o.http.request(req.method, url.href, headers, req.body, limits);
        const requestId = requestIdOf(res);
        this.o.log.debug(`${req.method} ${url.href} -> ${res.status} in ${this.o.now() - started} ms${requestId ? ` (x-ms-request-id ${requestId})` : ''}`);
        return res;
    }
}
class QuietTime {
    o;
    source;
    until = 0;
    constructor(o, source) {
        this.o = o;
        this.source = source;
    }
    async wait(call) {
        const wait = this.until - this.o.now();
        if (wait <= 0)
            return;
        const service = this.o.dialect.service;
        if (this.until > retryUntilOf(call)) {
            throw new OutOfTime(`${service} asked for no request for ${formatDuration(wait)} more (Retry-After), longer than this request may wait`, { source: this.source });
        }
        this.o.log.debug(`${service} asked for ${formatDuration(wait)} more (Retry-After): waiting.`);
        await this.o.sleep(wait, call.signal);
        if (call.signal?.aborted)
            throw abortedBy(call.signal);
    }
    async heeding(send) {
        try {
            return await send();
        }
        catch (error) {
            if (error instanceof ServiceError && error.retryAfterMs !== undefined)
                this.until = Math.max(this.until, this.o.now() + error.retryAfterMs);
            throw error;
        }
    }
}

;// CONCATENATED MODULE: ./src/jobs/v2/client.ts





const JOBS_PER_REQUEST = 20;
const CONCURRENT_JOBS_QUERIES = 4;
const V2_POLL_COST = {
    queries: openJobs => Math.ceil(openJobs / JOBS_PER_REQUEST),
    progress: 'reads'
};
class MediaServicesClient {
    o;
    service = 'Media Services';
    cost = V2_POLL_COST;
    base;
    guarded;
    constructor(o) {
        this.o = o;
        this.base = new URL(o.apiUrl.href);
        const dialect = mediaServicesDialect(o.tokens.description, o.mediaResource);
        this.guarded = new GuardedExchange({ ...o, dialect, first: o.apiUrl });
    }
    get apiRoot() {
        return this.base.href;
    }
    get requests() {
        return this.guarded.requests;
    }
    async getJobs(ids, call) {
        const batches = [];
        for (let i = 0; i < ids.length; i += JOBS_PER_REQUEST)
            batches.push(ids.slice(i, i + JOBS_PER_REQUEST));
        if (batches.length === 1)
            return this.get(jobsQuery(batches[0]), call, parseJobs);
        const answers = await mapLimit(batches, CONCURRENT_JOBS_QUERIES, batch => this.get(jobsQuery(batch), call, parseJobs));
        return answers.flat();
    }
    async readProgress(id, call) {
        const tasks = await this.getTasks(id, call);
        return { progress: jobProgress(tasks), errorDetails: errorDetailsOf(tasks) };
    }
    async getTasks(id, call) {
        return this.get(tasksPath(id), call, parseTasks);
    }
    readOutputAssets(id, call) {
        return this.get(outputAssetsPath(id), call, parseOutputAssets);
    }
    async cancelJob(id, call) {
        await this.get(cancelJobPath(id), call, () => undefined);
    }
    get(relative, call, parse) {
        const request = {
            method: 'GET',
            url: new URL(relative, this.base),
            headers: HEADERS(this.o.msVersion),
            redirected: target => {
                const root = baseFromLocation(target, relative);
                const moved = root.href !== this.base.href;
                if (moved)
                    this.base = root;
                return { next: new URL(relative, root), root: moved ? root : undefined };
            }
        };
        return this.guarded.request(request, call, res => parse(res.body));
    }
}
const HEADERS = (msVersion) => ({
    'x-ms-version': msVersion,
    Accept: 'application/json',
    'Accept-Charset': 'UTF-8',
    DataServiceVersion: '3.0',
    MaxDataServiceVersion: '3.0'
});

;// CONCATENATED MODULE: ./src/jobs/v2/inputs.ts





const JOB_ID = /^nb:jid:UUID:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const DEFAULT_MS_VERSION = '2.19';
function parseJobIds(text) {
    const items = text.split(/[\s,;]+/).filter(Boolean);
    if (items.length === 0) {
        throw new UserError('Input job-id is required: give one or more Media Services job ids (nb:jid:UUID:<guid>), separated by newlines, commas or spaces.', 'job-id');
    }
    const ids = new Set();
    for (const item of items) {
        const unquoted = item.replace(/^['"`]+|['"`]+$/g, '');
        if (unquoted !== item && (JOB_ID.test(unquoted) || GUID.test(unquoted))) {
            throw new UserError(`Input job-id: remove the quotes around ${unquoted} (give job-id: ${unquoted}, or several ids separated by newlines, commas or spaces).`, 'job-id');
        }
        const guid = JOB_ID.exec(item)?.[1] ?? (GUID.test(item) ? item : undefined);
        if (!guid) {
            throw new UserError(`Input job-id: ${quoted(item)} is not a Media Services job id. Expected nb:jid:UUID:<guid>, e.g. nb:jid:UUID:1f3c9a2e-0000-4000-8000-000000000000.`, 'job-id');
        }
        ids.add(canonicalJobId(`nb:jid:UUID:${guid}`));
    }
    return [...ids];
}
function parseMsVersion(value) {
    if (!/^2\.\d{1,2}$/.test(value)) {
        throw new UserError(`Input x-ms-version: ${quoted(value)} is not a Media Services v2 REST version. Use e.g. 2.19 (the newest).`, 'x-ms-version');
    }
    return value;
}
function parseApiUrl(value, cloud) {
    if (!value) {
        throw new UserError(`Input api-url is required with job-id: give the v2 endpoint your jobs are on, an account endpoint like https://<account>.restv2.<region>.${cloud.mediaDomains[0]}/api/ (or the emulator's). There is no default: Azure Media Services was retired on 2024-06-30, and its global endpoint with it.`, 'api-url');
    }
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new UserError(`Input api-url: ${quoted(value)} is not a URL. Expected e.g. https://<account>.restv2.<region>.media.azure.net/api/.`, 'api-url');
    }
    if (url.username || url.password) {
        throw new UserError(`Input api-url must not contain a user name or password: ${quoted(value)}. Give the API root only; the sign-in takes its own inputs.`, 'api-url');
    }
    if (!httpsOrLoopback(url)) {
        throw new UserError(`Input api-url must use https (plain http only to localhost, 127.0.0.1 or [::1], which no proxy carries): ${quoted(value)}.`, 'api-url');
    }
    if (url.search || url.hash) {
        throw new UserError(`Input api-url must not contain a query or a fragment: give the API root only.`, 'api-url');
    }
    refuseNonHost(url, 'api-url', value);
    if (!url.pathname.endsWith('/'))
        url.pathname += '/';
    return url;
}
function otherCloudOf(host, cloud) {
    if (cloud.mediaDomains.some(d => hostInDomain(host, d)))
        return undefined;
    return Object.values(CLOUDS).find(c => c.mediaDomains.some(d => hostInDomain(host, d)));
}

;// CONCATENATED MODULE: ./src/jobs/v2/api.ts



const api_SERVICE = 'Media Services';
const V2_ORIGIN = {
    service: api_SERVICE,
    noun: { one: `${api_SERVICE} job`, many: `${api_SERVICE} jobs` },
    notFoundHint: 'Check job-id and api-url.'
};
const mediaServicesV2 = {
    name: 'Media Services v2',
    input: 'job-id',
    takes: 'Media Services v2 job ids (nb:jid:UUID:<guid>)',
    jobs: 'Media Services v2 jobs (nb:jid:UUID:…)',
    ownInputs: [{ name: 'api-url' }, { name: 'x-ms-version', default: DEFAULT_MS_VERSION }],
    read(input, cloud, warnings) {
        const ids = parseJobIds(input('job-id'));
        const apiUrl = parseApiUrl(input('api-url'), cloud);
        const msVersion = parseMsVersion(input('x-ms-version') || DEFAULT_MS_VERSION);
        const other = otherCloudOf(apiUrl.hostname, cloud);
        if (other) {
            warnings.push(`api-url ${apiUrl.hostname} belongs to ${other.name}, but cloud is ${cloud.name}: the token would be for the wrong cloud. Set cloud: ${other.name}.`);
        }
        const options = { apiUrl, mediaResource: cloud.mediaResource, msVersion };
        return {
            ids,
            kind: api_SERVICE,
            endpoint: apiUrl.href,
            origin: V2_ORIGIN,
            scope: `${cloud.mediaResource}/.default`,
            trustedHosts: [trustEntry(apiUrl), ...cloud.mediaDomains.map(d => `.${d}`)],
            options,
            createSource: deps => new MediaServicesClient({ ...deps, ...options })
        };
    }
};

;// CONCATENATED MODULE: ./src/jobs/v3/parse.ts




function percent(v) {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    return Number.isFinite(n) ? Math.min(100, Math.max(0, n)) : undefined;
}
function outputErrors(error, label) {
    if (!isEntity(error))
        return [];
    const code = json_text(error.code);
    const message = json_text(error.message) || json_text(error.detail);
    const line = (c, m) => ({
        code: serverName(c) || 'Error',
        message: serverMessage(label ? `${label}: ${m}` : m)
    });
    const lines = [];
    if (code || message)
        lines.push(line(code, message));
    const details = Array.isArray(error.details) ? error.details.filter(isEntity) : [];
    for (const d of details) {
        if (lines.length === MAX_ERROR_DETAILS)
            break;
        const dc = json_text(d.code);
        const dm = json_text(d.message);
        if (!dc && !dm)
            continue;
        if (dc === code && dm === message)
            continue;
        lines.push(line(dc || code, dm));
    }
    const advice = retryAdvice(error);
    if (lines.length && advice) {
        lines[0] = { ...lines[0], message: `${cut(lines[0].message, MESSAGE_LIMIT - advice.length)}${advice}` };
    }
    return lines;
}
function retryAdvice(error) {
    const category = serverName(json_text(error.category)).slice(0, 40);
    const retry = serverName(json_text(error.retry)).slice(0, 40);
    const what = retry === 'DoNotRetry'
        ? 'DoNotRetry: correct the cause, then resubmit the job'
        : retry === 'MayRetry'
            ? 'MayRetry: the same job may succeed if resubmitted later'
            : retry;
    const parts = [category ? `${category} error` : '', what].filter(Boolean);
    return parts.length ? ` (${parts.join('; ')})` : '';
}
function v3State(v) {
    const given = typeof v === 'string' ? serverName(v) : '';
    if (!given)
        return undefined;
    const known = stateNamed(given);
    return known ? { state: known } : { state: UNKNOWN_STATE, reportedState: given };
}
function parseV3Job(doc, id, service = 'The job service') {
    const props = isEntity(doc) && isEntity(doc.properties) ? doc.properties : undefined;
    const state = props ? v3State(props.state) : undefined;
    if (!isEntity(doc) || !props || !state) {
        const got = isEntity(doc) && isEntity(doc.properties) ? doc.properties.state : undefined;
        throw new ServiceError(`${service} answered the job request without a valid properties.state (properties.state ${describe(got)})`, { transient: true });
    }
    const outputs = Array.isArray(props.outputs) ? props.outputs.filter(isEntity) : [];
    const progresses = outputs.map(o => percent(o.progress)).filter((p) => p !== undefined);
    const startTime = parseDate(props.startTime);
    const endTime = parseDate(props.endTime);
    const errorDetails = outputs
        .flatMap(o => outputErrors(o.error, serverName(json_text(o.label))))
        .slice(0, MAX_ERROR_DETAILS);
    return {
        id,
        name: serverName(json_text(doc.name)),
        ...state,
        runningDuration: startTime && endTime ? Math.max(0, endTime.getTime() - startTime.getTime()) : 0,
        created: parseDate(props.created),
        lastModified: parseDate(props.lastModified),
        startTime,
        endTime,
        progress: meanProgress(progresses),
        errorDetails,
        outputAssets: outputAssets(outputs)
    };
}
function outputAssets(outputs) {
    const assets = [];
    for (const o of outputs) {
        if (assets.length === MAX_OUTPUT_ASSETS)
            break;
        const name = serverName(json_text(o.assetName));
        if (!name)
            continue;
        const label = serverName(json_text(o.label));
        const state = v3State(o.state)?.state;
        const error = cut(outputErrors(o.error, '')
            .map(d => `${d.code}: ${d.message}`)
            .join('; '), MESSAGE_LIMIT);
        assets.push({
            name,
            ...(label ? { label } : {}),
            ...(state ? { state } : {}),
            ...(error ? { error } : {})
        });
    }
    return assets;
}
function parseV3JobBody(body, id, service) {
    return parseV3Job(parseJson(body, 'the job request', service), id, service);
}
function v3ErrorText(body) {
    return errorTextOf(body, doc => {
        const err = doc.error;
        if (typeof err === 'string')
            return err || undefined;
        if (!isEntity(err))
            return json_text(doc.message) || undefined;
        return [json_text(err.code), json_text(err.message) || json_text(err.detail)].filter(Boolean).join(': ') || undefined;
    });
}
function v3ErrorCode(body) {
    try {
        const doc = JSON.parse(withoutBom(body));
        return isEntity(doc) && isEntity(doc.error) ? serverName(json_text(doc.error.code)) || undefined : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/jobs/v3/dialect.ts


function v3Dialect(service, arm, tokenDescription, urlInput = 'job-url') {
    return {
        service,
        urlInput,
        untrustedHost: where => `Refused to send the token to ${where}: ${service} redirected there, and it is not the host of job-url. If it is yours, add it to trusted-hosts.`,
        errorText: v3ErrorText,
        resourceName: url => url.pathname.split('/').filter(Boolean).slice(-2).join('/').slice(0, 80),
        explain: answer => dialect_explain(answer, service, arm, tokenDescription),
        isAnswer: (res, method) => res.status === 404 && method === 'GET'
    };
}
function dialect_explain({ res, refreshed, detail }, service, arm, tokenDescription) {
    const source = jobService(service);
    if (res.status === 401) {
        const why = refreshed
            ? 'even with a fresh token. Check that the service principal has a role on the Media Services account and that tenant-id is its tenant'
            : arm
                ? `for ${tokenDescription}. It may have expired or be for another resource (get it for Azure Resource Manager)`
                : `for ${tokenDescription}. Check access-token: it may have expired or be for another service`;
        return new UserError(`${service} refused access (401) ${why}${detail}`, 'access-token', source);
    }
    if (res.status === 403) {
        const fix = arm
            ? 'Give the service principal a role (e.g. Media Services Contributor, or Contributor) on the Media Services account.'
            : 'Check that access-token may read these jobs.';
        return new UserError(`${service} denied access (403)${detail}. ${fix}`, undefined, source);
    }
    if (res.status === 400 && v3ErrorCode(res.body) === 'InvalidApiVersionParameter') {
        return new UserError(`${service} rejected the api-version (400)${detail}. Fix job-url.`, 'job-url', source);
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/jobs/v3/client.ts




const PARALLEL_GETS = 4;
function serviceOf(targets, arm) {
    return arm ? 'Azure Resource Manager' : (targets[0]?.url.host ?? 'the job service');
}
const V3_POLL_COST = { queries: openJobs => openJobs, progress: 'in-job' };
class V3JobsClient {
    o;
    cost = V3_POLL_COST;
    cancelJob;
    byId;
    guarded;
    gone = new Map();
    service;
    constructor(o) {
        this.o = o;
        this.byId = new Map(o.targets.map(t => [t.id, t]));
        this.service = serviceOf(o.targets, o.arm);
        this.guarded = new GuardedExchange({
            ...o,
            dialect: v3Dialect(this.service, o.arm, o.tokens.description, o.endpointInput)
        });
        if (o.arm)
            this.cancelJob = (id, call) => this.cancel(id, call);
    }
    get requests() {
        return this.guarded.requests;
    }
    get apiRoot() {
        return this.o.targets[0]?.url.origin ?? '';
    }
    async getJobs(ids, call) {
        const jobs = await mapLimit(ids, PARALLEL_GETS, id => this.getJob(id, call));
        return jobs.filter((j) => j !== undefined);
    }
    async cancel(id, call) {
        const url = new URL(this.target(id).url.href);
        url.pathname = `${url.pathname.replace(/\/+$/, '')}/cancelJob`;
        const headers = { ...ACCEPT, 'Content-Type': 'application/json' };
        await this.guarded.request({ method: 'POST', url, headers, body: '{}' }, call, () => undefined);
    }
    async getJob(id, call) {
        const request = { method: 'GET', url: this.target(id).url, headers: ACCEPT };
        return this.guarded.request(request, call, res => {
            if (res.status === 404) {
                this.gone.set(id, v3ErrorText(res.body) ?? '');
                return undefined;
            }
            this.gone.delete(id);
            return parseV3JobBody(res.body, id, this.service);
        });
    }
    notFoundText(id) {
        return this.gone.get(id) || undefined;
    }
    target(id) {
        const t = this.byId.get(id);
        if (!t)
            throw new Error(`no job URL for ${id}`);
        return t;
    }
}
const ACCEPT = { Accept: 'application/json' };

;// CONCATENATED MODULE: ./src/jobs/v3/inputs.ts



const ARM_API_VERSION = '2022-07-01';
const JOB_PATH = /\/transforms\/[^/]+\/jobs\/[^/]+\/?$/i;
function parseArmUrl(text, cloud) {
    const value = text || cloud.armEndpoint;
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new UserError(`Input arm-url: ${quoted(value)} is not a URL. Expected e.g. ${cloud.armEndpoint}.`, 'arm-url');
    }
    if (!httpsOrLoopback(url)) {
        throw new UserError(`Input arm-url must use https: ${quoted(value)}.`, 'arm-url');
    }
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) {
        throw new UserError(`Input arm-url: give the endpoint only, e.g. ${cloud.armEndpoint} (got ${quoted(value)}).`, 'arm-url');
    }
    refuseNonHost(url, 'arm-url', value);
    return new URL(url.origin);
}
function parseJobUrl(item, arm) {
    if (/^nb:jid:/i.test(item)) {
        throw new UserError(`Input job-url: ${quoted(item)} is a Media Services v2 job id; give it in job-id instead (job-url is for v3 job URLs and ARM resource ids).`, 'job-url');
    }
    let url;
    try {
        url = /^\/subscriptions\//i.test(item) ? new URL(item, arm) : new URL(item);
    }
    catch {
        throw new UserError(`Input job-url: ${quoted(item)} is not a URL. Give a job URL (https://…/transforms/<transform>/jobs/<job>) or an ARM resource id (/subscriptions/…).`, 'job-url');
    }
    if (!httpsOrLoopback(url)) {
        throw new UserError(`Input job-url must use https: ${quoted(item)}.`, 'job-url');
    }
    if (url.username || url.password || url.hash) {
        throw new UserError(`Input job-url must not contain credentials or a fragment: ${quoted(item)}. Give the token in access-token.`, 'job-url');
    }
    refuseNonHost(url, 'job-url', item);
    if (!JOB_PATH.test(url.pathname)) {
        throw new UserError(`Input job-url: ${quoted(item)} is not a v3 job resource. Expected …/transforms/<transform>/jobs/<job>, e.g. /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Media/mediaServices/<account>/transforms/<transform>/jobs/<job>.`, 'job-url');
    }
    return url;
}
function parseJobUrls(text, arm) {
    const items = text.split(/[\s,]+/).filter(Boolean);
    const targets = [];
    let origin;
    let resourceIds = false;
    for (const item of items) {
        resourceIds ||= /^\/subscriptions\//i.test(item);
        const url = parseJobUrl(item, arm);
        if (origin !== undefined && url.origin !== origin) {
            throw new UserError(`Input job-url: all jobs must be on one host (${new URL(origin).host} and ${url.host} given); use one step per host.`, 'job-url');
        }
        origin = url.origin;
        url.pathname = url.pathname.replace(/\/+$/, '');
        const onArm = url.origin === arm.origin;
        if (onArm && !url.searchParams.has('api-version'))
            url.searchParams.set('api-version', ARM_API_VERSION);
        const id = onArm ? url.pathname : `${url.origin}${url.pathname}`;
        const same = onArm
            ? (t) => t.id.toLowerCase() === id.toLowerCase()
            : (t) => t.id === id;
        if (!targets.some(same))
            targets.push({ id, url });
    }
    if (targets.length === 0) {
        throw new UserError('Input job-url is empty.', 'job-url');
    }
    const first = targets[0].url;
    return {
        targets,
        arm: first.origin === arm.origin,
        host: first.hostname.toLowerCase(),
        endpointInput: resourceIds ? 'arm-url' : 'job-url'
    };
}

;// CONCATENATED MODULE: ./src/jobs/v3/api.ts



function v3Origin(service) {
    return {
        service,
        noun: { one: `Job on ${service}`, many: `Jobs on ${service}` },
        notFoundHint: 'Check job-url (jobs older than 90 days are deleted).'
    };
}
const v3Jobs = {
    name: 'v3-shaped jobs',
    input: 'job-url',
    takes: 'v3 job URLs or ARM resource ids (/subscriptions/…/transforms/<transform>/jobs/<job>)',
    jobs: 'v3-shaped jobs (Azure Resource Manager, MK.IO)',
    ownInputs: [{ name: 'arm-url' }],
    read(input, cloud, warnings) {
        const armUrl = input('arm-url');
        const { targets, arm, host, endpointInput } = parseJobUrls(input('job-url'), parseArmUrl(armUrl, cloud));
        if (armUrl !== '' && !arm) {
            warnings.push(`arm-url is not used: job-url names jobs on ${host}, not on Azure Resource Manager at ${new URL(armUrl).host}. Leave arm-url out, or give the jobs as resource ids (/subscriptions/…).`);
        }
        const options = { targets, arm, endpointInput };
        const origin = new URL(`${targets[0].url.origin}/`);
        return {
            ids: targets.map(t => t.id),
            kind: 'v3',
            endpoint: origin.href,
            origin: v3Origin(serviceOf(targets, arm)),
            scope: arm ? cloud.armScope : undefined,
            accessTokenRequired: `Input access-token is required for job-url on ${host}: only Azure Resource Manager hosts sign in with Entra ID. Give the service's API token (for MK.IO, a personal API token) as a secret.`,
            trustedHosts: [trustEntry(origin)],
            cannotCancel: arm
                ? undefined
                : `cancel-on-abort is not supported for jobs on ${host} (only Azure Resource Manager's cancelJob is documented): a canceled or timed-out wait leaves the jobs running.`,
            options,
            createSource: deps => new V3JobsClient({ ...deps, ...options })
        };
    }
};

;// CONCATENATED MODULE: ./src/jobs/apis.ts


const JOB_APIS = [mediaServicesV2, v3Jobs];

;// CONCATENATED MODULE: ./src/settings/input-names.ts

const COMMON_INPUTS = [
    'cloud',
    'environment',
    'tenant-id',
    'client-id',
    'client-secret',
    'client-certificate',
    'access-token',
    'creds',
    'audience',
    'authority-host',
    'poll-interval',
    'polling',
    'timeout',
    'fail-on',
    'trusted-hosts',
    'cancel-on-abort'
];
function inputNames(apis) {
    const own = apis.flatMap(api => [api.input, ...api.ownInputs.map(i => i.name)]);
    return [...new Set([...COMMON_INPUTS, ...own])];
}
const INPUT_NAMES = inputNames(JOB_APIS);
function readInputs(read, apis) {
    const names = inputNames(apis);
    const all = new Map(names.map(name => [name, (read(name) ?? '').trim()]));
    const value = (name) => {
        const v = all.get(name);
        if (v === undefined)
            throw new Error(`input ${name} is not declared by any job API`);
        return v;
    };
    return { inputs: Object.fromEntries(COMMON_INPUTS.map(n => [n, all.get(n)])), value };
}

;// CONCATENATED MODULE: ./src/jobs/api.ts
const MAX_JOBS = 1000;

;// CONCATENATED MODULE: ./src/settings/jobs.ts


function readJobs(apis, value, cloud, warnings) {
    const given = apis.filter(api => value(api.input) !== '');
    if (given.length > 1) {
        const [a, b] = given;
        throw new UserError(`Inputs ${a.input} and ${b.input} are both given: give ${a.input} for ${a.jobs} or ${b.input} for ${b.jobs}, not both.`, b.input);
    }
    if (given.length === 0) {
        throw new UserError(`Input ${orList(apis.map(api => api.input))} is required: ${apis.map(api => `${api.input} for ${api.takes}`).join(', ')}.`, apis[0].input);
    }
    const api = given[0];
    warnOthersInputs(api, apis, value, warnings);
    const jobs = api.read(value, cloud, warnings);
    if (jobs.ids.length > MAX_JOBS) {
        throw new UserError(`Input ${api.input}: ${jobs.ids.length} jobs given; at most ${MAX_JOBS} can be waited for at once.`, api.input);
    }
    return jobs;
}
function warnOthersInputs(api, apis, value, warnings) {
    const mine = new Set(api.ownInputs.map(i => i.name));
    for (const other of apis) {
        if (other === api)
            continue;
        for (const own of other.ownInputs) {
            const v = value(own.name);
            if (mine.has(own.name) || v === '' || v === own.default)
                continue;
            warnings.push(`${own.name} is for ${other.input} (${other.name}); it is not used with ${api.input}.`);
        }
    }
}
function orList(items) {
    return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

;// CONCATENATED MODULE: ./src/settings/timing.ts




const MIN_POLL_MS = 1000;
const MAX_WAIT_MS = 24 * 86_400_000;
const DEFAULT_TIMEOUT = '5h30m';
const HOSTED_JOB_LIMIT_MS = 6 * 3_600_000;
const SELF_HOSTED_JOB_LIMIT_MS = 5 * 86_400_000;
const POLLING_POLICIES = ['predictive', 'fixed'];
function readTiming(inputs) {
    const intervalMs = parseDurationInput('poll-interval', inputs['poll-interval'] || '10s', MIN_POLL_MS);
    const timeoutMs = parseDurationInput('timeout', inputs.timeout || DEFAULT_TIMEOUT, MIN_POLL_MS, MAX_WAIT_MS);
    if (intervalMs > timeoutMs) {
        throw new UserError(`Input poll-interval (${formatDuration(intervalMs)}) is longer than timeout (${formatDuration(timeoutMs)}): the wait would end before the second poll. Shorten poll-interval or lengthen timeout.`, 'poll-interval');
    }
    return { intervalMs, timeoutMs };
}
function runnerLimitWarning(timeoutMs, env) {
    const timeout = `timeout (${formatDuration(timeoutMs)})`;
    const cutOff = 'GitHub would stop the job first, and this step would end without its outputs or step summary';
    if (env.RUNNER_ENVIRONMENT === 'github-hosted' && timeoutMs >= HOSTED_JOB_LIMIT_MS) {
        return `${timeout} does not end before the 6 hours GitHub lets a job run on a GitHub-hosted runner: ${cutOff}. Give a timeout under 6h that leaves room for the job's other steps (the default is ${DEFAULT_TIMEOUT}), and a job timeout-minutes above it.`;
    }
    if (timeoutMs >= SELF_HOSTED_JOB_LIMIT_MS) {
        return `${timeout} does not end before the 5 days GitHub lets any job run, on self-hosted runners too: ${cutOff}. Give a timeout under 5 days, and raise the job's timeout-minutes (360, 6 hours, by default) above it.`;
    }
    return undefined;
}
function parsePolling(value) {
    const policy = POLLING_POLICIES.find(p => p === value.toLowerCase());
    if (!policy) {
        throw new UserError(`Input polling: ${quoted(value)} is not a polling policy. Use predictive (the default) or fixed (every poll-interval).`, 'polling');
    }
    return policy;
}
function parseDurationInput(name, value, minMs, maxMs = MAX_WAIT_MS) {
    const ms = parseDuration(value);
    if (ms === undefined) {
        throw new UserError(`Input ${name}: ${quoted(value)} is not a duration. Use seconds (15), or units: 15s, 2m, 90min, 1h30m, 2 hours.`, name);
    }
    if (ms < minMs) {
        throw new UserError(`Input ${name} must be at least ${formatDuration(minMs)} (got ${quoted(value)}).`, name);
    }
    if (ms > maxMs) {
        throw new UserError(`Input ${name} must be at most ${formatDuration(maxMs)} (got ${quoted(value)}).`, name);
    }
    return ms;
}
function parseFailOn(value) {
    const text = value || 'Error, Canceled';
    if (/^none$/i.test(text))
        return new Set();
    const states = new Set();
    for (const item of text.split(/[\s,;]+/).filter(Boolean)) {
        if (/^none$/i.test(item)) {
            throw new UserError(`Input fail-on: none stands alone (got ${quoted(text)}). Give none to fail on no state, or a list of Finished, Error, Canceled.`, 'fail-on');
        }
        const state = parseState(item);
        if (!state || /^\d+$/.test(item) || !FINAL_STATES.has(state)) {
            throw new UserError(`Input fail-on: ${quoted(item)} is not a final job state. Use any of Finished, Error, Canceled, or none.`, 'fail-on');
        }
        states.add(state);
    }
    if (states.size === 0) {
        throw new UserError(`Input fail-on: ${quoted(text)} names no state. Use any of Finished, Error, Canceled, or none.`, 'fail-on');
    }
    return states;
}

;// CONCATENATED MODULE: ./src/settings/inputs.ts









async function readSettings(read, options = {}) {
    const apis = options.apis ?? JOB_APIS;
    const { inputs, value } = readInputs(read, apis);
    maskSecrets(inputs, options.mask);
    const creds = parseCreds(inputs.creds, options.mask);
    const cloud = readCloud(inputs.cloud, inputs.environment);
    const warnings = [];
    const jobs = readJobs(apis, value, cloud, warnings);
    const authorityHost = parseAuthorityHost(inputs['authority-host'] || cloud.authorityHost);
    const timing = readTiming(inputs);
    const limit = runnerLimitWarning(timing.timeoutMs, options.env ?? {});
    if (limit)
        warnings.push(limit);
    const credential = readCredential(inputs, jobs, creds, cloud, options.env ?? {}, warnings);
    const trustedHosts = [
        ...new Set([...jobs.trustedHosts, ...(await parseTrustedHosts(inputs['trusted-hosts']))])
    ];
    const cancelOnAbort = readCancelOnAbort(inputs['cancel-on-abort'], jobs, warnings);
    return {
        jobs: { ...jobs, trustedHosts },
        auth: { credential, authorityHost, scope: jobs.scope ?? '' },
        wait: {
            ...timing,
            policy: parsePolling(inputs.polling || 'predictive'),
            failOn: parseFailOn(inputs['fail-on'])
        },
        cancelOnAbort,
        warnings
    };
}
function readCloud(cloudText, environmentText) {
    const parse = (input, name) => {
        const found = findCloud(name);
        if (found)
            return found;
        const why = unsupportedCloud(name);
        throw new UserError(`Input ${input}: ${quoted(name)} ${why ? `cannot be used: ${why}` : 'is not a cloud'}. Use one of: ${Object.keys(CLOUDS).join(', ')} (any case).`, input);
    };
    const cloud = cloudText ? parse('cloud', cloudText) : undefined;
    const environment = environmentText ? parse('environment', environmentText) : undefined;
    if (cloud && environment && cloud !== environment) {
        throw new UserError(`Inputs cloud (${cloud.name}) and environment (${environment.name}) disagree: environment is another name for cloud. Keep one.`, 'environment');
    }
    return cloud ?? environment ?? CLOUDS.AzureCloud;
}
function readCredential(inputs, jobs, creds, cloud, env, warnings) {
    if (jobs.scope === undefined && !inputs['access-token']) {
        throw new UserError(jobs.accessTokenRequired ?? 'Input access-token is required for these jobs.', 'access-token');
    }
    return chooseCredential(inputs, creds, cloud, env, warnings);
}
function readCancelOnAbort(text, jobs, warnings) {
    const cancelOnAbort = parseBoolean('cancel-on-abort', text || 'false');
    if (cancelOnAbort && jobs.cannotCancel)
        warnings.push(jobs.cannotCancel);
    return cancelOnAbort;
}
function parseBoolean(name, value) {
    if (/^(true|yes|on|1)$/i.test(value))
        return true;
    if (/^(false|no|off|0)$/i.test(value))
        return false;
    throw new UserError(`Input ${name}: ${quoted(value)} is not a boolean. Use true or false.`, name);
}

;// CONCATENATED MODULE: ./src/settings/describe.ts

function settingLines(s) {
    const { jobs, auth, wait } = s;
    const more = jobs.ids.length > 3 ? ` and ${jobs.ids.length - 3} more` : '';
    return [
        `jobs: ${jobs.ids.length} ${jobs.kind} (${jobs.ids.slice(0, 3).join(', ')}${more})`,
        `endpoint: ${jobs.endpoint}`,
        `trusted hosts: ${jobs.trustedHosts.join(', ')}`,
        `sign-in: ${signIn(auth.credential)}`,
        `authority host: ${auth.authorityHost.origin}`,
        `token scope: ${auth.scope || '(none: the given access-token is sent as it is)'}`,
        `poll interval: ${formatDuration(wait.intervalMs)}, polling ${wait.policy}`,
        `timeout: ${formatDuration(wait.timeoutMs)}`,
        `fail on: ${wait.failOn.size ? [...wait.failOn].join(', ') : 'none'}`,
        `cancel on abort: ${s.cancelOnAbort}`
    ].map(line => `Setting ${line}`);
}
function signIn(c) {
    switch (c.kind) {
        case 'secret':
            return `client secret *** for client ${c.clientId} in tenant ${c.tenantId}`;
        case 'certificate':
            return `certificate ${c.certificate.thumbprintSha256} (${c.certificate.subject}, key ***) for client ${c.clientId} in tenant ${c.tenantId}`;
        case 'oidc':
            return `GitHub OIDC (audience ${c.audience}) for client ${c.clientId} in tenant ${c.tenantId}`;
        case 'token':
            return 'the given access-token ***';
    }
}

;// CONCATENATED MODULE: ./src/auth/github-oidc.ts


const PERMISSION_HINT = 'The workflow job needs "permissions: id-token: write".';
async function githubIdToken(http, env, audience, limits) {
    const base = env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!base || !requestToken) {
        throw new UserError(`Could not get a GitHub OIDC token: this job has no ACTIONS_ID_TOKEN_REQUEST_URL. ${PERMISSION_HINT}`, 'client-id', GITHUB_OIDC);
    }
    const url = `${base}${base.includes('?') ? '&' : '?'}audience=${encodeURIComponent(audience)}`;
    return tokenOf(await ask(http, url, requestToken, limits));
}
async function ask(http, url, requestToken, limits) {
    try {
        const headers = { Authorization: `Bearer ${requestToken}`, Accept: 'application/json' };
        return await http.request('GET', url, headers, undefined, limits);
    }
    catch (error) {
        if (!(error instanceof ServiceError))
            throw error;
        throw new ServiceError(`GitHub OIDC token: ${error.message}`, {
            status: error.status,
            transient: error.transient,
            source: GITHUB_OIDC
        });
    }
}
function tokenOf(res) {
    if (res.status === 401 || res.status === 403) {
        throw new UserError(`Could not get a GitHub OIDC token (GitHub answered HTTP ${res.status}). ${PERMISSION_HINT}`, 'client-id', GITHUB_OIDC);
    }
    if (res.status < 200 || res.status >= 300) {
        throw new ServiceError(`GitHub OIDC token: HTTP ${res.status}`, {
            status: res.status,
            transient: TRANSIENT_STATUS.has(res.status),
            retryAfterMs: retryAfterMs(header(res, 'retry-after')),
            source: GITHUB_OIDC
        });
    }
    let value;
    try {
        value = JSON.parse(res.body)?.value;
    }
    catch {
        value = undefined;
    }
    if (typeof value !== 'string' || value === '') {
        throw new ServiceError('GitHub OIDC token: the answer holds no token', {
            status: res.status,
            transient: true,
            source: GITHUB_OIDC
        });
    }
    return value;
}

;// CONCATENATED MODULE: ./src/auth/msal-errors.ts


class SignInFailed extends ServiceError {
}
function signInFailure(error, msal, last, description) {
    if (error instanceof UserError || error instanceof ServiceError || error instanceof AbortedError)
        return error;
    if (last?.failure)
        return last.failure;
    if (msal && error instanceof msal.AuthError) {
        const code = typeof error.errorCode === 'string' ? serverName(error.errorCode) : '';
        const said = typeof error.errorMessage === 'string' ? serverMessage(error.errorMessage.split('\n')[0]) : '';
        return new SignInFailed(`Entra ID sign-in failed: ${code || 'an error'}${said ? ` (${said})` : ''}`, {
            source: ENTRA_ID
        });
    }
    return new SignInFailed(`Entra ID sign-in failed with ${description}: ${serverMessage(errorMessage(error))}`, {
        source: ENTRA_ID
    });
}
function fixFor(said) {
    return hint(said.code ?? '', said.aadsts);
}
function hint(code, aadsts) {
    const n = aadsts ? Number(/AADSTS(\d+)/.exec(aadsts)?.[1]) : undefined;
    if (n === 90002)
        return ' Check tenant-id.';
    if (n === 700016)
        return ' Check client-id and tenant-id: the application is not in this tenant.';
    if (n === 7000215 || n === 7000222)
        return ' Check client-secret: use the secret value (not its id), and renew it if it expired.';
    if (n === 70021 || n === 700211 || n === 700213 || n === 700212)
        return ' Check the federated credential on the app registration: its issuer, subject (repo:owner/name:…) and audience must match this workflow.';
    if (n === 700027 || n === 700024)
        return ' Check client-certificate: upload this certificate to the app registration.';
    if (code === 'invalid_scope' || n === 70011 || n === 500011)
        return ' Check cloud: the Media Services resource differs per cloud.';
    if (code === 'invalid_client')
        return ' Check the client credential.';
    return '';
}

;// CONCATENATED MODULE: ./src/auth/token-reply.ts



const SENTENCE_LIMIT = 300;
function token_reply_readBody(res) {
    const body = withoutBom(res.body);
    let doc;
    try {
        doc = JSON.parse(body);
    }
    catch {
        return { kind: 'other', what: bodyKind(body, header(res, 'content-type')) };
    }
    if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
        return { kind: 'json', doc: doc };
    }
    const type = doc === null ? 'null' : Array.isArray(doc) ? 'an array' : `a ${typeof doc}`;
    return { kind: 'other', what: `JSON that is ${type}, not an object`, doc };
}
function saidIn(doc) {
    const error = doc.error;
    const rawCode = typeof error === 'string'
        ? error
        : typeof error === 'object' && error !== null && typeof error.code === 'string'
            ? error.code
            : undefined;
    const code = rawCode === undefined ? undefined : serverName(rawCode) || undefined;
    const description = typeof doc.error_description === 'string' ? doc.error_description : undefined;
    const sentence = description === undefined ? undefined : firstAadstsSentence(description);
    const codes = Array.isArray(doc.error_codes) ? doc.error_codes : [];
    const number = typeof codes[0] === 'number' && Number.isInteger(codes[0]) ? codes[0] : undefined;
    return { code, aadsts: sentence ?? (number === undefined ? undefined : `AADSTS${number}`) };
}
function firstAadstsSentence(description) {
    const at = description.slice(0, 64 * 1024).search(/AADSTS\d+:/);
    if (at < 0)
        return undefined;
    const rest = description.slice(at, at + 4 * SENTENCE_LIMIT);
    const end = /\.(?=\s|$)|[\r\n]/.exec(rest);
    const sentence = end ? rest.slice(0, end[0] === '.' ? end.index + 1 : end.index) : rest;
    return cut(serverMessage(sentence), SENTENCE_LIMIT);
}
function reasonOf(status, reading) {
    const said = reading.kind === 'json' ? saidIn(reading.doc) : {};
    if (said.aadsts)
        return said.aadsts;
    if (said.code)
        return said.code;
    const what = reading.kind === 'other' ? reading.what : 'a JSON body without an error code';
    return `HTTP ${status} with ${what}`;
}
function tokenReply(res, description, now, fix) {
    const reading = token_reply_readBody(res);
    const requestId = requestIdOf(res);
    if (res.status === 429 || res.status >= 500 || TRANSIENT_STATUS.has(res.status)) {
        const said = reading.kind === 'json' ? saidIn(reading.doc) : {};
        const what = said.aadsts ?? said.code ?? (reading.kind === 'other' ? reading.what : undefined);
        throw new ServiceError(`token request answered ${res.status}${what ? ` (${what})` : ''}`, {
            status: res.status,
            requestId,
            transient: true,
            retryAfterMs: retryAfterMs(header(res, 'retry-after'), now),
            source: ENTRA_ID
        });
    }
    if (res.status >= 200 && res.status < 300) {
        if (reading.kind === 'json' && typeof reading.doc.access_token === 'string' && reading.doc.access_token) {
            return reading.doc;
        }
        const what = reading.kind === 'other' ? reading.what : 'a JSON body without access_token';
        throw new UserError(`Entra ID answered the sign-in with ${description} without an access token (HTTP ${res.status} with ${what}). Check authority-host: it must be an Entra ID authority.`, 'authority-host', ENTRA_ID);
    }
    const said = reading.kind === 'json' ? saidIn(reading.doc) : {};
    const known = said.aadsts !== undefined || said.code !== undefined;
    const hint = known
        ? fix(said)
        : ' Check authority-host: it answered like no Entra ID authority (no error code in its reply).';
    const reason = reasonOf(res.status, reading);
    const id = requestId ? ` (x-ms-request-id ${requestId})` : '';
    throw new UserError(`Entra ID refused the sign-in with ${description}${id}: ${reason}${/[.!?]$/.test(reason) ? '' : '.'}${hint}`, known ? undefined : 'authority-host', ENTRA_ID);
}

;// CONCATENATED MODULE: ./src/auth/msal-network.ts



class RecordingNetworkClient {
    http;
    log;
    now;
    reading;
    last;
    limits = {};
    constructor(http, log, now, reading) {
        this.http = http;
        this.log = log;
        this.now = now;
        this.reading = reading;
    }
    sendGetRequestAsync(url, options) {
        return this.send('GET', url, options);
    }
    sendPostRequestAsync(url, options) {
        return this.send('POST', url, options);
    }
    async send(method, url, options) {
        const started = this.now();
        let res;
        try {
            res = await this.http.request(method, url, { ...(options?.headers ?? {}) }, options?.body, this.limits);
        }
        catch (error) {
            const failure = error instanceof ServiceError || error instanceof AbortedError
                ? error
                : new ServiceError(errorMessage(error), { transient: true });
            this.last = { failure };
            this.log.debug(`${method} ${url.split('?')[0]} failed: ${failure.message}`);
            throw failure;
        }
        this.reading.firstAnswer.answer();
        const requestId = requestIdOf(res);
        this.log.debug(`${method} ${url.split('?')[0]} -> ${res.status} in ${this.now() - started} ms${requestId ? ` (x-ms-request-id ${requestId})` : ''}`);
        let body;
        try {
            body = tokenReply(res, this.reading.description, this.now(), this.reading.fix);
        }
        catch (error) {
            this.last = { failure: error };
            throw error;
        }
        const headers = {};
        for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined)
                headers[k] = Array.isArray(v) ? v.join(', ') : v;
        return { headers, body: body, status: res.status };
    }
}

;// CONCATENATED MODULE: ./src/auth/msal-config.ts
function msalConfiguration(msal, settings, c, parts) {
    const host = settings.authorityHost.origin;
    const authority = `${host}/${c.tenantId}`;
    const auth = {
        clientId: c.clientId,
        authority,
        knownAuthorities: [settings.authorityHost.host],
        authorityMetadata: JSON.stringify({
            token_endpoint: `${authority}/oauth2/v2.0/token`,
            authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
            end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
            issuer: `${authority}/v2.0`,
            jwks_uri: `${authority}/discovery/v2.0/keys`
        })
    };
    if (c.kind === 'secret')
        auth.clientSecret = c.clientSecret;
    if (c.kind === 'certificate') {
        auth.clientCertificate = {
            thumbprintSha256: c.certificate.thumbprintSha256,
            privateKey: c.certificate.privateKey,
            x5c: c.certificate.x5c
        };
    }
    if (c.kind === 'oidc')
        auth.clientAssertion = () => parts.assertion(c.audience);
    return {
        auth,
        system: {
            networkClient: parts.network,
            disableInternalRetries: true,
            loggerOptions: {
                piiLoggingEnabled: false,
                logLevel: msal.LogLevel.Warning,
                loggerCallback: (_level, message) => parts.log.debug(`MSAL: ${message}`)
            }
        }
    };
}

;// CONCATENATED MODULE: ./src/auth/msal.ts









const EXPIRY_MARGIN_MS = 5 * 60_000;
let msalModule;
const loadMsal = () => (msalModule ??= __webpack_require__.e(/* import() */ 821).then(__webpack_require__.bind(__webpack_require__, 6821)));
const DESCRIPTIONS = {
    secret: 'the client secret',
    certificate: 'the client certificate',
    oidc: 'the GitHub OIDC identity'
};
function unreachedAuthority(host) {
    return new FirstAnswer((error, triedMs) => new UserError(`Entra ID at ${host} could not be reached for ${formatDuration(triedMs)} (${error.message}). Check authority-host and cloud: ${host} must be the Entra ID authority of your cloud.`, 'authority-host', ENTRA_ID), error => error.status === undefined && error.source?.kind !== 'github-oidc');
}
class MsalTokenSource {
    settings;
    credential;
    deps;
    canRefresh = true;
    description;
    app;
    msal;
    token;
    assertion;
    signingIn;
    network;
    firstAnswer;
    constructor(settings, credential, deps) {
        this.settings = settings;
        this.credential = credential;
        this.deps = deps;
        this.description = DESCRIPTIONS[credential.kind];
        this.firstAnswer = unreachedAuthority(settings.authorityHost.host);
        this.network = new RecordingNetworkClient(deps.http, deps.log, deps.now, {
            description: this.description,
            fix: fixFor,
            firstAnswer: this.firstAnswer
        });
    }
    async getToken(fresh, call) {
        if (!fresh && this.token && this.token.expiresAt - EXPIRY_MARGIN_MS > this.deps.now())
            return this.token.value;
        this.signingIn ??= this.signIn(call).finally(() => (this.signingIn = undefined));
        return this.signingIn;
    }
    async signIn(call) {
        try {
            return await withRetries(() => this.acquire(call), {
                retryUntil: retryUntilOf(call),
                signal: call.signal,
                now: this.deps.now,
                sleep: this.deps.sleep,
                random: this.deps.random,
                onRetry: logRetries(this.deps.log, 'Entra ID'),
                firstAnswer: this.firstAnswer
            });
        }
        catch (error) {
            if (error instanceof ServiceError && !(error instanceof SignInFailed)) {
                const message = `Entra ID sign-in failed: ${error.message}`;
                const source = error.source?.kind === 'github-oidc' ? error.source : ENTRA_ID;
                const o = { status: error.status, requestId: error.requestId, source };
                throw new SignInFailed(message, o);
            }
            throw error;
        }
    }
    async acquire(call) {
        this.msal ??= await loadMsal();
        this.app ??= new this.msal.ConfidentialClientApplication(msalConfiguration(this.msal, this.settings, this.credential, {
            network: this.network,
            log: this.deps.log,
            assertion: audience => this.githubToken(audience)
        }));
        this.network.last = undefined;
        this.network.limits = { signal: call.signal, endBy: call.endBy };
        try {
            const acquiring = this.app.acquireTokenByClientCredential({
                scopes: [this.settings.scope],
                skipCache: true
            });
            const result = await (call.signal ? raceAbort(acquiring, call.signal) : acquiring);
            if (!result?.accessToken)
                throw new SignInFailed('Entra ID sign-in gave no access token', { source: ENTRA_ID });
            if (result.accessToken !== this.token?.value)
                this.deps.mask(result.accessToken);
            const expiresAt = result.expiresOn ? result.expiresOn.getTime() : this.deps.now() + 3_600_000;
            this.token = { value: result.accessToken, expiresAt };
            return result.accessToken;
        }
        catch (error) {
            const failure = signInFailure(error, this.msal, this.network.last, this.description);
            if (failure instanceof ServiceError && failure.transient)
                this.app = undefined;
            throw failure;
        }
    }
    async githubToken(audience) {
        if (this.assertion && this.assertion.expiresAt - 60_000 > this.deps.now())
            return this.assertion.value;
        let value;
        try {
            value = await this.deps.getIDToken(audience, this.network.limits);
        }
        catch (error) {
            if (error instanceof UserError || error instanceof ServiceError || error instanceof AbortedError)
                throw error;
            throw new UserError(`Could not get a GitHub OIDC token (${serverMessage(errorMessage(error))}). The workflow job needs "permissions: id-token: write".`, 'client-id', GITHUB_OIDC);
        }
        this.deps.mask(value);
        this.assertion = { value, expiresAt: jwtExpiry(value) ?? this.deps.now() + 5 * 60_000 };
        return value;
    }
}
function jwtExpiry(jwt) {
    try {
        const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
        return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/auth/index.ts

function createTokenSource(settings, deps) {
    const c = settings.credential;
    if (c.kind === 'token') {
        return { canRefresh: false, description: 'the given access-token', getToken: async () => c.accessToken };
    }
    return new MsalTokenSource(settings, c, deps);
}

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(6058);
;// CONCATENATED MODULE: ./src/logger.ts


const coreLogger = {
    debug: message => core/* debug */.Yz(logLine(message)),
    info: message => core/* info */.pq(logLine(message)),
    warning: message => core/* warning */.$e(logLine(message)),
    startGroup: title => core/* startGroup */.Oh(logLine(title)),
    endGroup: () => core/* endGroup */.N4(),
    get showsDebug() {
        return core/* isDebug */._o();
    }
};

;// CONCATENATED MODULE: ./src/runtime.ts





function failUnexpectedly(error) {
    core/* debug */.Yz(error instanceof Error ? (error.stack ?? error.message) : String(error));
    core/* setFailed */.C1(`ams-job-wait failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
}
function failUnsettled() {
    core/* setFailed */.C1('ams-job-wait stopped with a request that never settled; this is a bug, please report it');
}
function githubRuntime() {
    return {
        getInput: name => core/* getInput */.V4(name),
        env: process.env,
        log: coreLogger,
        mask: secret => core/* setSecret */.Pq(secret),
        setOutput: (name, value) => core/* setOutput */.uH(name, value),
        fail: (message, title) => {
            core/* error */.z3(logLine(message), { title });
            process.exitCode = 1;
        },
        writeSummary: async (markdown) => {
            if (!process.env.GITHUB_STEP_SUMMARY)
                return;
            await core/* summary */.z.addRaw(markdown).write();
        },
        now: () => Date.now(),
        sleep: sleep,
        onCancel: handler => {
            process.on('SIGINT', handler);
            process.on('SIGTERM', handler);
        },
        createHttp: requestTimeoutMs => createHttp({ requestTimeoutMs, userAgent: 'ams-job-wait/1 (+GitHub Action)' })
    };
}

;// CONCATENATED MODULE: ./src/wait/band.ts
const HALF_STEP = 0.5;
const LAST_STEP = 99;
const MAX_RATE = 1000;
const EPS = 1e-9;
function bandOf(s) {
    const box = [
        [0, -HALF_STEP],
        [MAX_RATE, -HALF_STEP],
        [MAX_RATE, 100 + HALF_STEP],
        [0, 100 + HALF_STEP]
    ];
    return withSample({ origin: s.at, corners: box }, s) ?? { origin: s.at, corners: box };
}
function withSample(band, s) {
    const spread = s.spread ?? 0;
    const early = (s.at - spread - band.origin) / 1000;
    const late = (s.at + spread - band.origin) / 1000;
    const hi = s.progress >= LAST_STEP ? 100 : s.progress + HALF_STEP;
    const lo = s.progress - HALF_STEP;
    const upper = clip(band.corners, early, 1, hi);
    const both = clip(upper, -late, -1, -lo);
    return both.length === 0 ? undefined : { origin: band.origin, corners: both };
}
function clip(corners, alpha, beta, c) {
    const out = [];
    const side = (p) => alpha * p[0] + beta * p[1] - c;
    for (let i = 0; i < corners.length; i++) {
        const p = corners[i];
        const q = corners[(i + 1) % corners.length];
        const sp = side(p);
        const sq = side(q);
        if (sp <= EPS)
            out.push([p[0], p[1]]);
        if ((sp < -EPS && sq > EPS) || (sp > EPS && sq < -EPS)) {
            const t = sp / (sp - sq);
            out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
        }
    }
    return out;
}
function endWindow(band) {
    let earliest = Infinity;
    let latest = -Infinity;
    for (const [a, b] of band.corners) {
        const at = a > EPS ? band.origin + (1000 * (100 - b)) / a : Infinity;
        earliest = Math.min(earliest, at);
        latest = Math.max(latest, at);
    }
    return { earliest, latest };
}
function progressWindow(band, at) {
    const tau = (at - band.origin) / 1000;
    const values = band.corners.map(([a, b]) => a * tau + b);
    return { low: Math.min(...values), high: Math.max(...values) };
}
function widestAfter(band, at) {
    const { low, high } = progressWindow(band, at);
    let widest = 0;
    const top = Math.min(LAST_STEP, Math.round(high));
    for (let r = Math.min(top, Math.max(0, Math.round(low))); r <= top; r++) {
        const narrowed = withSample(band, { at, progress: r });
        if (!narrowed)
            continue;
        const w = endWindow(narrowed);
        widest = Math.max(widest, w.latest - w.earliest);
    }
    return widest;
}
function meanRate(band) {
    return band.corners.reduce((sum, [a]) => sum + a, 0) / Math.max(1, band.corners.length);
}

;// CONCATENATED MODULE: ./src/wait/view.ts


const isOpen = (v) => !(v.job && isFinal(v.job.state));
function nextPace(pace, sample, startAt) {
    if (!pace || sample.progress < pace.last.progress) {
        const band = bandOf(sample);
        const anchored = startAt === undefined ? undefined : withSample(band, { at: startAt, progress: 0 });
        return { first: sample, last: sample, band, anchored, samples: 1 };
    }
    const band = pace.band && withSample(pace.band, sample);
    return {
        first: pace.first,
        last: sample,
        band,
        anchored: band && pace.anchored && withSample(pace.anchored, sample),
        samples: band ? (pace.samples ?? 1) + 1 : undefined
    };
}

;// CONCATENATED MODULE: ./src/wait/schedule.ts


const MIN_GAP_MS = 1000;
const TICK_SLACK_MS = 100;
const SHARE_OF_REMAINDER = 0.25;
const FLOOR_SHARE = 0.05;
const QUEUED_BACKOFF = 3;
const LOG_EVERY = 5;
const STEADY_MARGIN_MS = 20;
const ALIGN_INTERVALS = 2;
const FIRST_READ = 2;
const WINDOW_SHARE = 0.1;
const FAST_NEAR = 1.6;
const SPARE_STEPS = 5;
const MIN_CUT = 0.25;
const LAST_SHOWN = 98.5;
const GOOD_SPLIT = 0.75;
const SPLIT_SLACK = 0.1;
const SPLIT_TIMES = 24;
const NEW_BUDGET = { earned: 0, spent: 0, ticks: 0 };
function jobsQueries(views, cost) {
    return cost.queries(views.filter(isOpen).length);
}
function fixedPollCost(views, c) {
    const processing = views.filter(v => v.job?.state === 'Processing').length;
    const reads = c.cost.progress === 'reads' ? Math.min(c.progressReadsPerPoll, processing) : 0;
    return jobsQueries(views, c.cost) + reads;
}
function credit(b, views, elapsedMs, intervalMs, c) {
    const ticks = Math.floor(elapsedMs / intervalMs) + 1;
    if (ticks <= b.ticks)
        return b;
    return { ...b, ticks, earned: b.earned + (ticks - b.ticks) * fixedPollCost(views, c) };
}
function predictEnd(v) {
    const pace = v.pace;
    if (v.job?.state !== 'Processing' || !pace)
        return undefined;
    return steadyEnd(pace) ?? extrapolatedEnd(v, pace);
}
function steadyEnd(pace) {
    const band = pace.anchored ?? pace.band;
    if (!band)
        return undefined;
    const window = endWindow(band);
    if (!Number.isFinite(window.latest))
        return undefined;
    return {
        endAt: (window.earliest + window.latest) / 2,
        totalMs: Math.round(100_000 / meanRate(band)),
        window
    };
}
function extrapolatedEnd(v, pace) {
    const { first, last } = pace;
    if (last.progress >= 100)
        return { endAt: last.at, totalMs: 0 };
    const gained = last.progress - first.progress;
    if (gained >= 10 && last.at > first.at) {
        const perMs = gained / (last.at - first.at);
        return { endAt: last.at + (100 - last.progress) / perMs, totalMs: 100 / perMs };
    }
    const start = v.job?.startTime?.getTime();
    if (start !== undefined && last.progress > 0 && last.at > start) {
        const totalMs = ((last.at - start) * 100) / last.progress;
        return { endAt: start + totalMs, totalMs };
    }
    if (gained > 0 && last.at > first.at) {
        const perMs = gained / (last.at - first.at);
        return { endAt: last.at + (100 - last.progress) / perMs, totalMs: 100 / perMs };
    }
    return undefined;
}
function nextPollAt(o) {
    const I = o.intervalMs;
    let at;
    if (o.policy === 'fixed') {
        const lastTick = Math.floor((o.lastPoll - o.started + TICK_SLACK_MS) / I);
        at = o.started + Math.max(lastTick + 1, Math.ceil((o.now - o.started) / I)) * I;
    }
    else {
        at = withinBudget(o, Math.max(o.now, predictiveAt(o)));
    }
    if (o.lastPoll >= o.deadline)
        return undefined;
    return Math.min(at, Math.max(o.deadline, o.now));
}
function withinBudget(o, at) {
    const ahead = Math.max(0, o.budget.spent - o.budget.earned);
    const runAhead = o.cost.progress === 'in-job';
    const paidAt = paidBy(o, runAhead ? ahead : 0);
    if (at >= paidAt)
        return at;
    const aimed = runAhead && ahead === 0 ? aimedAt(o, paidAt) : undefined;
    return aimed ?? paidAt;
}
function paidBy(o, credit) {
    const owed = o.budget.spent + jobsQueries(o.views, o.cost) - o.budget.earned - credit;
    const perTick = Math.max(1, fixedPollCost(o.views, o));
    return o.started + (o.budget.ticks - 1 + Math.ceil(owed / perTick)) * o.intervalMs;
}
function aimedAt(o, paidAt) {
    const soonest = soonestEnd(o.views);
    if (!soonest)
        return undefined;
    const earliest = Math.max(o.now, o.lastPoll + MIN_GAP_MS);
    const end = Math.max(earliest, justPast(soonest, o.intervalMs));
    if (end <= paidAt)
        return end;
    return end < paidAt + MIN_GAP_MS ? Math.max(earliest, end - o.intervalMs) : undefined;
}
function justPast(p, intervalMs) {
    if (p.window)
        return p.window.latest + steadyMargin(intervalMs);
    return p.endAt + clamp(0.01 * p.totalMs, 100, 0.1 * intervalMs);
}
function steadyMargin(intervalMs) {
    return Math.min(STEADY_MARGIN_MS, 0.05 * intervalMs);
}
function soonestEnd(views) {
    return (views
        .map(predictEnd)
        .filter((p) => p !== undefined)
        .reduce((a, p) => (a && (a.endAt - p.endAt || a.totalMs - p.totalMs) <= 0 ? a : p), undefined));
}
function predictiveAt(o) {
    const I = o.intervalMs;
    const open = o.views.filter(isOpen);
    const processing = open.filter(v => v.job?.state === 'Processing');
    if (processing.length > 0) {
        const floor = Math.max(MIN_GAP_MS, FLOOR_SHARE * I);
        let delay = I;
        const soonest = soonestEnd(processing);
        if (soonest?.window && o.now <= justPast(soonest, I)) {
            const target = justPast(soonest, I);
            const at = steadyAt(o, target, soonest.window);
            const from = Math.max(o.now, o.lastPoll + MIN_GAP_MS);
            const probe = probeAt(processing, { from, lastPoll: o.lastPoll, target }, I);
            return probe !== undefined && probe <= Math.min(o.lastPoll + I, target - MIN_GAP_MS) ? probe : at;
        }
        if (soonest) {
            const remaining = soonest.endAt - o.now;
            delay = clamp(remaining * SHARE_OF_REMAINDER, floor, I);
            if (remaining - delay < floor)
                delay = clamp(justPast(soonest, I) - o.now, floor, I);
        }
        return Math.min(o.now + delay, o.lastPoll + I);
    }
    if (open.every(v => v.job?.state === 'Queued' || v.job?.state === 'Scheduled')) {
        return o.lastPoll + (sinceStart(o) > 0 ? QUEUED_BACKOFF * I : I);
    }
    return o.lastPoll + I;
}
function steadyAt(o, target, window) {
    const I = o.intervalMs;
    const soonest = Math.max(o.now, o.lastPoll + MIN_GAP_MS);
    const latest = o.lastPoll + I;
    const settled = window.latest - window.earliest <= WINDOW_SHARE * I;
    if (!settled && target - o.now > ALIGN_INTERVALS * I)
        return latest;
    const k = Math.max(0, Math.ceil((target - latest) / I));
    const at = target - k * I;
    if (at >= soonest)
        return at;
    return k <= ALIGN_INTERVALS ? Math.min(soonest, latest) : latest;
}
function sinceStart(o) {
    return o.lastPoll - o.started;
}
function clamp(x, lo, hi) {
    return Math.min(hi, Math.max(lo, x));
}
function progressReadsDue(views, now, intervalMs) {
    return views
        .filter(v => v.job?.state === 'Processing' && !v.noProgress)
        .map(v => ({ v, need: readNeed(v, now, intervalMs) }))
        .filter(x => x.need >= 1)
        .sort((a, b) => b.need - a.need)
        .map(x => x.v);
}
function readNeed(v, now, I) {
    const since = now - (v.progressSampledAt ?? -Infinity);
    const start = v.job?.startTime?.getTime();
    if (v.progressSampledAt === undefined)
        return start !== undefined && start <= now ? (now - start) / (FIRST_READ * I) : Infinity;
    if (!v.pace)
        return since / I;
    const p = predictEnd(v);
    const ranBefore = v.pace.last.at - Math.min(start ?? Infinity, v.pace.first.at);
    if (!p)
        return since / clamp(ranBefore, I, LOG_EVERY * I);
    if (p.window) {
        const steady = (v.pace.samples ?? 0) + (v.pace.anchored ? 1 : 0) >= 2;
        if (now > justPast(p, I) || !steady)
            return since / I;
        return readNarrows(v.pace, p.window, now, I) ? 1 + since / I : 0;
    }
    return Math.max(since / Math.max(1, (p.endAt - v.pace.last.at) / 2), since / (LOG_EVERY * I));
}
function readNarrows(pace, window, now, I) {
    const band = narrowing(pace, window, now, I);
    if (!band)
        return false;
    if (stepMs(band) <= I)
        return widestAfter(band, now) <= GOOD_SPLIT * (window.latest - window.earliest);
    const { low, high } = progressWindow(band, now);
    if (low >= LAST_SHOWN)
        return false;
    if (high - low >= 2)
        return true;
    const first = Math.floor(low + HALF_STEP) + HALF_STEP;
    const evenness = (step) => (step < high ? Math.min(step - low, high - step) / (high - low) : 0);
    return Math.max(evenness(first), evenness(first + 1)) >= MIN_CUT;
}
function stepMs(band) {
    return 1000 / meanRate(band);
}
function narrowing(pace, window, now, I) {
    const band = pace.anchored ?? pace.band;
    const wide = window.latest - window.earliest;
    const target = WINDOW_SHARE * I;
    if (!band || wide <= target)
        return undefined;
    const step = stepMs(band);
    const near = step > I ? (Math.log2(wide / target) + 1 + SPARE_STEPS) * step : FAST_NEAR * I;
    return window.earliest - now > near ? undefined : band;
}
function probeAt(views, o, I) {
    let at;
    for (const v of views) {
        const p = predictEnd(v);
        const band = v.pace && p?.window && !v.noProgress && narrowing(v.pace, p.window, o.from, I);
        if (!band || !p?.window || meanRate(band) <= 0)
            continue;
        const probe = stepMs(band) <= I ? splitAt(band, p.window, o, I) : crossingAt(band, o.from);
        if (probe !== undefined)
            at = Math.min(at ?? Infinity, probe);
    }
    return at;
}
function crossingAt(band, from) {
    const { low, high } = progressWindow(band, from);
    const step = Math.floor((low + high) / 2 + HALF_STEP) + HALF_STEP;
    if (step > LAST_SHOWN)
        return undefined;
    const times = band.corners.filter(([a]) => a > 0).map(([a, b]) => band.origin + (1000 * (step - b)) / a);
    if (times.length === 0)
        return undefined;
    return Math.max(from, (Math.min(...times) + Math.max(...times)) / 2);
}
function splitAt(band, window, o, I) {
    const polls = Math.ceil((o.target - o.lastPoll) / I);
    if (polls <= 1)
        return undefined;
    const from = Math.max(o.from, o.target - (polls - 1) * I);
    const until = Math.min(o.lastPoll + I, o.target - MIN_GAP_MS);
    if (from > until)
        return undefined;
    const tried = [...Array(SPLIT_TIMES + 1).keys()].map(k => {
        const at = from + ((until - from) * k) / SPLIT_TIMES;
        return { at, widest: widestAfter(band, at) };
    });
    const wide = window.latest - window.earliest;
    const least = Math.min(...tried.map(t => t.widest));
    if (least > GOOD_SPLIT * wide)
        return undefined;
    const good = tried.filter(t => t.widest <= least + SPLIT_SLACK * wide);
    return good.at(-1)?.at;
}

;// CONCATENATED MODULE: ./src/wait/waiter.ts




const NOT_FOUND_POLLS = 3;
const PROGRESS_READS_PER_POLL = 3;
const PROGRESS_READ_MIN_MS = 5_000;
const ERROR_READS_PER_POLL = 10;
function classify(views, failOn, notFoundPolls = NOT_FOUND_POLLS) {
    const missing = views.filter(v => !v.job && v.missingPolls >= notFoundPolls);
    if (missing.length > 0)
        return { status: 'not-found', missing };
    const failed = views.filter(v => v.job && isFinal(v.job.state) && failOn.has(v.job.state));
    if (failed.length > 0)
        return { status: 'failure', failed };
    if (views.every(v => v.job && isFinal(v.job.state)))
        return { status: 'success' };
    return { status: 'retry' };
}
async function waitForJobs(o) {
    const started = o.now();
    const w = {
        o,
        started,
        deadline: started + o.timeoutMs,
        costing: { cost: o.source.cost, progressReadsPerPoll: o.progressReadsPerPoll ?? PROGRESS_READS_PER_POLL },
        views: o.ids.map(id => ({ id, errorDetails: [], missingPolls: 0 })),
        polls: 0,
        budget: NEW_BUDGET
    };
    try {
        for (let due = started;;) {
            const pollStarted = o.now();
            try {
                await poll(w, pollStarted);
            }
            catch (error) {
                if (!(error instanceof OutOfTime) || pollStarted >= w.deadline)
                    throw error;
                if (!(await sleepUntil(w, w.deadline)))
                    return interrupted(w);
                due = w.deadline;
                continue;
            }
            await readProgress(w);
            o.onPoll?.(w.views, o.now() - started);
            const verdict = classify(w.views, o.failOn);
            if (verdict.status === 'failure')
                return result(w, 'failure', undefined, verdict.failed);
            if (verdict.status !== 'retry')
                return result(w, verdict.status);
            const at = nextPoll(w, Math.max(pollStarted, due));
            if (at === undefined)
                return result(w, 'timeout');
            if (!(await sleepUntil(w, at)))
                return interrupted(w);
            due = at;
        }
    }
    catch (error) {
        return failedWith(w, error);
    }
}
function result(w, outcome, error, failed = []) {
    return { outcome, failed, views: w.views, elapsedMs: w.o.now() - w.started, polls: w.polls, error };
}
function interrupted(w) {
    return result(w, isTimeout(w.o.signal?.reason) ? 'timeout' : 'canceled');
}
function failedWith(w, error) {
    if (error instanceof AbortedError)
        return result(w, error.reason === 'timeout' ? 'timeout' : 'canceled');
    const e = error instanceof Error ? error : new Error(errorMessage(error));
    const kind = sourceOf(e)?.kind;
    const signIn = kind === 'entra-id' || kind === 'github-oidc';
    const timedOut = w.o.now() >= w.deadline && !(e instanceof UserError) && !signIn;
    return result(w, timedOut ? 'timeout' : 'error', e);
}
async function poll(w, pollStarted) {
    const { o } = w;
    const elapsed = pollStarted - w.started;
    const atTick = elapsed % o.intervalMs <= TICK_SLACK_MS;
    w.budget = credit(w.budget, w.views, elapsed - (atTick ? o.intervalMs : 0), o.intervalMs, w.costing);
    const open = w.views.filter(isOpen);
    const queries = jobsQueries(w.views, o.source.cost);
    const call = { retryUntil: w.deadline, endBy: o.endBy, signal: o.signal };
    const jobs = await o.source.getJobs(open.map(v => v.id), call);
    w.polls++;
    w.budget = { ...w.budget, spent: w.budget.spent + queries };
    updateViews(open, jobs, o.now());
    if (o.source.cost.progress === 'in-job')
        sampleProgress(open, pollStarted, o.now());
    w.budget = credit(w.budget, w.views, elapsed, o.intervalMs, w.costing);
}
function updateViews(open, jobs, at) {
    const byId = new Map(jobs.map(j => [j.id, j]));
    for (const v of open) {
        const job = byId.get(v.id);
        if (job) {
            v.job = job;
            v.missingPolls = 0;
            v.firstSeen ??= {};
            v.firstSeen[job.state] ??= at;
            v.lastSeen = at;
            if (job.progress !== undefined)
                v.progress = job.progress;
            if (job.errorDetails)
                v.errorDetails = job.errorDetails;
            if (job.state === 'Finished')
                v.progress = 100;
        }
        else {
            v.missingPolls++;
        }
    }
}
function sampleProgress(open, asked, answered) {
    const when = sampledAt(asked, answered);
    for (const v of open) {
        if (v.job?.state !== 'Processing' || v.job.progress === undefined)
            continue;
        v.pace = nextPace(v.pace, { ...when, progress: v.job.progress }, v.job.startTime?.getTime());
        v.progressSampledAt = when.at;
    }
}
async function readProgress(w) {
    const { o } = w;
    if (!o.source.readProgress)
        return;
    const { progressReadsPerPoll } = w.costing;
    const affordable = Math.max(0, Math.min(progressReadsPerPoll, w.budget.earned - w.budget.spent));
    const progressReads = o.source.cost.progress === 'in-job'
        ? []
        : o.policy === 'fixed'
            ? leastRecentlyRead(w.views).slice(0, progressReadsPerPoll)
            : progressReadsDue(w.views, o.now(), o.intervalMs).slice(0, affordable);
    const made = await readDetails(w, progressReads);
    w.budget = { ...w.budget, spent: w.budget.spent + made.progressReads };
}
function nextPoll(w, lastPoll) {
    const { o } = w;
    return nextPollAt({
        policy: o.policy,
        views: w.views,
        now: o.now(),
        started: w.started,
        lastPoll,
        deadline: w.deadline,
        intervalMs: o.intervalMs,
        budget: w.budget,
        ...w.costing
    });
}
function sampledAt(asked, answered) {
    const spread = Math.min((answered - asked) / 2, SAMPLE_SPREAD_MS);
    return { at: answered - spread, spread };
}
const SAMPLE_SPREAD_MS = 50;
async function sleepUntil(w, at) {
    const { o } = w;
    await o.sleep(Math.max(0, at - o.now()), o.signal);
    if (!o.signal?.aborted && o.now() < at)
        await o.sleep(at - o.now(), o.signal);
    return !o.signal?.aborted;
}
function leastRecentlyRead(views) {
    return views
        .filter(v => v.job?.state === 'Processing')
        .sort((a, b) => (a.progressSampledAt ?? -Infinity) - (b.progressSampledAt ?? -Infinity));
}
async function readDetails(w, progress) {
    const { o } = w;
    const errored = w.views
        .filter(v => v.job?.state === 'Error' && !v.errorsRead)
        .slice(0, ERROR_READS_PER_POLL);
    for (const v of [...errored, ...progress]) {
        try {
            const asked = o.now();
            const t = await o.source.readProgress(v.id, progressReadCall(w));
            const processing = v.job?.state === 'Processing';
            if (processing)
                v.noProgress = t.progress === undefined;
            if (t.progress !== undefined) {
                v.progress = t.progress;
                const sample = { ...sampledAt(asked, o.now()), progress: t.progress };
                if (processing)
                    v.pace = nextPace(v.pace, sample, v.job?.startTime?.getTime());
            }
            v.errorDetails = t.errorDetails;
            v.errorsRead = v.job?.state === 'Error';
        }
        catch (error) {
            if (error instanceof AbortedError)
                throw error;
        }
        finally {
            v.progressSampledAt = o.now();
        }
    }
    return { progressReads: progress.length };
}
function progressReadCall(w) {
    const { o } = w;
    const now = o.now();
    return {
        retryUntil: Math.min(w.deadline, now + o.intervalMs),
        endBy: Math.min(o.endBy ?? Infinity, now + Math.max(o.intervalMs, PROGRESS_READ_MIN_MS)),
        signal: o.signal
    };
}

;// CONCATENATED MODULE: ./src/wait/finish.ts





const CANCEL_JOBS_WITHIN_MS = 5_000;
const CONCURRENT_CANCELS = 4;
const OUTPUT_ASSETS_WITHIN_MS = 10_000;
const CONCURRENT_ASSET_READS = 4;
async function finish(source, result, o) {
    const done = await withOutputAssets(source, withNotFoundText(source, result), o);
    const abandoned = done.outcome === 'canceled' || done.outcome === 'timeout';
    if (abandoned && o.cancelOnAbort)
        await cancelOpenJobs(source, done, o);
    return done;
}
function withNotFoundText(source, result) {
    if (!source.notFoundText)
        return result;
    const views = result.views.map(v => (v.job ? v : { ...v, notFoundText: source.notFoundText(v.id) }));
    return { ...result, views };
}
async function withOutputAssets(source, result, o) {
    const finished = result.views.filter(v => v.job?.state === 'Finished' && !v.job.outputAssets);
    if (!source.readOutputAssets || finished.length === 0 || o.stop.aborted)
        return result;
    const call = within(OUTPUT_ASSETS_WITHIN_MS, o.now, o.stop);
    const assets = new Map();
    const failures = [];
    await mapLimit(finished, CONCURRENT_ASSET_READS, async (v) => {
        try {
            assets.set(v.id, await source.readOutputAssets(v.id, call));
        }
        catch (error) {
            const why = error instanceof AbortedError ? `no answer (${error.message})` : errorMessage(error);
            failures.push(`${v.id}: ${why}`);
        }
    });
    if (failures.length > 0) {
        const which = failures.length === 1 ? 'a finished job' : `${failures.length} finished jobs`;
        o.log.warning(`Could not read the output assets of ${which} (the outputs leave them out): ${someOf(failures, 3, '; ')}`);
    }
    const views = result.views.map(v => v.job && assets.has(v.id) ? { ...v, job: { ...v.job, outputAssets: assets.get(v.id) } } : v);
    return { ...result, views };
}
async function cancelOpenJobs(source, result, o) {
    const open = result.views.filter(v => v.job && !isFinal(v.job.state));
    if (open.length === 0 || !source.cancelJob)
        return;
    const call = within(CANCEL_JOBS_WITHIN_MS, o.now);
    await mapLimit(open, CONCURRENT_CANCELS, async (v) => {
        try {
            await source.cancelJob(v.id, call);
            o.log.info(`Asked ${source.service} to cancel ${v.id} (cancel-on-abort).`);
        }
        catch (error) {
            const why = error instanceof AbortedError
                ? `no answer within ${CANCEL_JOBS_WITHIN_MS / 1000}s`
                : errorMessage(error);
            o.log.warning(`Could not cancel ${v.id}: ${why}`);
        }
    });
}

;// CONCATENATED MODULE: ./src/wait/limits.ts
function requestTimeout(timeoutMs) {
    return Math.min(30_000, Math.max(5_000, Math.floor(timeoutMs / 4)));
}
const LAST_POLL_MS = 5_000;

;// CONCATENATED MODULE: ./src/report/naming.ts


const NAMED_JOBS = ERROR_READS_PER_POLL;
function jobsNoun(origin, plural) {
    return plural ? origin.noun.many : origin.noun.one;
}
function label(v) {
    const name = v.job?.name;
    return name ? `${v.id} (${name})` : v.id;
}
function errorsOf(v) {
    return cut(v.errorDetails.map(d => `${d.code}: ${d.message}`).join('; '), MESSAGE_LIMIT);
}

;// CONCATENATED MODULE: ./src/report/outputs.ts


const OUTPUT_BYTES = 1_000_000;
const OUTPUT_NAMES = (/* unused pure expression or super */ null && ([
    'state',
    'runningDuration',
    'startTime',
    'endTime',
    'progress',
    'jobs',
    'assets',
    'asset-name',
    'asset-id'
]));
const made = (a) => a.state === undefined || a.state === 'Finished';
function finishedAssets(v) {
    if (v.job?.state !== 'Finished')
        return [];
    return (v.job.outputAssets ?? []).filter(made).map(({ state: _state, error: _error, ...fields }) => fields);
}
function unfinishedOutputsWarning(views) {
    const failed = views.flatMap(v => v.job?.state === 'Finished'
        ? (v.job.outputAssets ?? [])
            .filter(a => !made(a))
            .map(a => {
            const which = a.label ? `output "${a.label}" (asset ${a.name})` : `the output to asset ${a.name}`;
            return `${v.id}: ${which} ended ${a.state}${a.error ? `: ${a.error}` : ''}`;
        })
        : []);
    if (failed.length === 0)
        return undefined;
    const n = failed.length;
    return `${n === 1 ? 'An output' : `${n} outputs`} of a Finished job did not finish, and ${n === 1 ? 'its asset is' : 'their assets are'} left out of assets and asset-name: ${someOf(failed, 3, '; ')}`;
}
function assetRecords(views) {
    return views.flatMap(v => finishedAssets(v).map(a => ({ job: v.id, ...a })));
}
function jobRecord(v) {
    const j = v.job;
    return {
        id: v.id,
        name: j?.name ?? '',
        state: j ? j.state : v.missingPolls > 0 ? 'NotFound' : 'Unknown',
        ...(j?.reportedState ? { reportedState: j.reportedState } : {}),
        runningDuration: (j && ranMs(j)) ?? null,
        progress: v.progress === undefined ? null : round1(v.progress),
        startTime: j?.startTime?.toISOString() ?? null,
        endTime: j?.endTime?.toISOString() ?? null,
        errors: v.errorDetails,
        assets: finishedAssets(v)
    };
}
function aggregateState(views) {
    const records = views.map(jobRecord);
    const failed = records.find(r => r.state === 'Error' || r.state === 'Canceled');
    if (failed)
        return failed.state;
    const notFound = records.find(r => r.state === 'NotFound' || r.state === 'Unknown');
    if (notFound)
        return notFound.state;
    const states = views.map(v => v.job.state);
    if (states.every(s => s === 'Finished'))
        return 'Finished';
    const open = states.filter(s => !isFinal(s));
    return open.sort((a, b) => PROGRESS_RANK[a] - PROGRESS_RANK[b])[0];
}
function lastStateText(views) {
    const state = aggregateState(views);
    const first = state === 'Unknown' ? views.find(v => jobRecord(v).state === 'Unknown') : undefined;
    return first?.job ? stateText(first.job) : state;
}
function jobsProgress(views) {
    return meanProgress(views.map(v => (v.job?.state === 'Finished' ? 100 : (v.progress ?? 0)))) ?? 0;
}
function noJobOutputs() {
    return {
        state: '',
        runningDuration: '',
        startTime: '',
        endTime: '',
        progress: '',
        jobs: '[]',
        assets: '[]',
        'asset-name': '',
        'asset-id': ''
    };
}
function outputs(result) {
    const records = result.views.map(jobRecord);
    const times = (k) => records
        .map(r => r[k])
        .filter((t) => t !== null)
        .sort();
    const starts = times('startTime');
    const ends = times('endTime');
    const durations = records.map(r => r.runningDuration).filter((d) => d !== null);
    const assets = assetRecords(result.views);
    const only = assets.length === 1 ? assets[0] : undefined;
    return {
        state: aggregateState(result.views),
        runningDuration: durations.length ? String(Math.max(...durations)) : '',
        startTime: starts[0] ?? '',
        endTime: ends.at(-1) ?? '',
        progress: String(round1(jobsProgress(result.views))),
        jobs: jobsJson(records),
        assets: jobsJson(assets),
        'asset-name': only?.name ?? '',
        'asset-id': only?.id ?? ''
    };
}
function jobsJson(records, limit = OUTPUT_BYTES) {
    const parts = records.map(r => JSON.stringify(r));
    const bytes = parts.reduce((sum, p) => sum + Buffer.byteLength(p) + 1, 1);
    if (bytes <= limit)
        return `[${parts.join(',')}]`;
    const marker = (omitted) => JSON.stringify({ truncated: true, omitted });
    const room = limit - 2 - Buffer.byteLength(marker(records.length));
    let used = 0;
    let kept = 0;
    while (used + Buffer.byteLength(parts[kept]) + 1 <= room) {
        used += Buffer.byteLength(parts[kept]) + 1;
        kept++;
    }
    return `[${[...parts.slice(0, kept), marker(records.length - kept)].join(',')}]`;
}
function round1(n) {
    return Math.round(n * 10) / 10;
}

;// CONCATENATED MODULE: ./src/report/log.ts





function introLine(jobs, wait, signIn) {
    const what = jobs.ids.length === 1 ? `${jobs.kind} job ${jobs.ids[0]}` : `${jobs.ids.length} ${jobs.kind} jobs`;
    const every = formatDuration(wait.intervalMs);
    const polling = wait.policy === 'fixed' ? `poll every ${every}` : `poll every ${every} or sooner near a job's end`;
    return `Waiting for ${what} at ${jobs.endpoint} (${polling}, timeout ${formatDuration(wait.timeoutMs)}, signing in with ${signIn}).`;
}
function shortLabel(v) {
    return v.job?.name ? `"${v.job.name}"` : v.id;
}
class ChangeLog {
    manyJobsAt;
    seen = new Map();
    named = new Set();
    lastAggregate;
    constructor(manyJobsAt = 4) {
        this.manyJobsAt = manyJobsAt;
    }
    lines(views, elapsedMs, now) {
        const stamp = `[${clockStamp(elapsedMs)}]`;
        const lines = [];
        const many = views.length >= this.manyJobsAt;
        const sharing = new Map();
        for (const v of views)
            if (v.job)
                sharing.set(v.job.name, (sharing.get(v.job.name) ?? 0) + 1);
        for (const v of views) {
            const before = this.seen.get(v.id) ?? {};
            const state = v.job ? stateText(v.job) : v.missingPolls > 0 ? 'not found yet' : undefined;
            const progress = v.progress === undefined ? undefined : Math.floor(v.progress);
            const unique = v.job !== undefined && sharing.get(v.job.name) === 1;
            const who = this.named.has(v.id) && unique ? shortLabel(v) : label(v);
            const ended = v.job !== undefined && isFinal(v.job.state);
            if (state && state !== before.state && (!many || ended)) {
                const from = before.state ? `${before.state} -> ` : '';
                const extra = ended
                    ? finalDetail(v)
                    : progress !== undefined && v.job?.state === 'Processing'
                        ? ` (${progress}%)`
                        : '';
                lines.push(`${stamp} ${who}: ${from}${state}${extra}`);
                if (v.job)
                    this.named.add(v.id);
            }
            else if (!many &&
                v.job?.state === 'Processing' &&
                progress !== undefined &&
                progress !== before.progress) {
                lines.push(`${stamp} ${who}: Processing ${progress}%${eta(v, now)}`);
            }
            this.seen.set(v.id, { state, progress });
        }
        if (many) {
            const longest = longestLeft(views, now);
            const line = aggregateLine(views) +
                (longest === undefined ? '' : `; the slowest about ${formatDuration(longest)} left`);
            if (line !== this.lastAggregate)
                lines.push(`${stamp} ${line}`);
            this.lastAggregate = line;
        }
        return lines;
    }
}
function finalDetail(v) {
    const j = v.job;
    const parts = [];
    const ran = ranMs(j);
    if (ran !== undefined)
        parts.push(`in ${formatDuration(ran)}`);
    if (j.state === 'Error' && v.errorDetails.length)
        parts.push(errorsOf(v));
    return parts.length ? ` (${parts.join(', ')})` : '';
}
function leftMs(v, now) {
    const end = predictEnd(v)?.endAt;
    return end !== undefined && end > now ? end - now : undefined;
}
function eta(v, now) {
    const ms = leftMs(v, now);
    return ms === undefined ? '' : `, about ${formatDuration(ms)} left`;
}
function longestLeft(views, now) {
    let longest;
    for (const v of views) {
        const ms = leftMs(v, now);
        if (ms !== undefined && (longest === undefined || ms > longest))
            longest = ms;
    }
    return longest;
}
function aggregateLine(views) {
    const count = (s) => views.filter(v => v.job?.state === s).length;
    const queued = count('Queued') + count('Scheduled');
    const parts = [
        `${count('Finished')}/${views.length} finished`,
        `${count('Processing')} processing`,
        `${queued} queued`
    ];
    for (const s of ['Canceling', 'Error', 'Canceled'])
        if (count(s))
            parts.push(`${count(s)} ${s.toLowerCase()}`);
    if (count('Unknown'))
        parts.push(`${count('Unknown')} in a state this action does not know`);
    const missing = views.filter(v => !v.job).length;
    if (missing)
        parts.push(`${missing} not found yet`);
    return `${parts.join(', ')}; mean progress ${Math.floor(jobsProgress(views))}%`;
}

;// CONCATENATED MODULE: ./src/report/groups.ts


class PollLog {
    log;
    now;
    open = false;
    ended = false;
    polls = 0;
    started;
    changes = new ChangeLog();
    constructor(log, now) {
        this.log = log;
        this.now = now;
        this.started = now();
    }
    onPoll(views, elapsedMs) {
        this.close();
        this.polls++;
        for (const line of this.changes.lines(views, elapsedMs, this.now()))
            this.log.info(line);
    }
    detail = {
        debug: message => {
            if (this.log.showsDebug)
                this.enter();
            this.log.debug(message);
        },
        info: message => {
            this.enter();
            this.log.info(message);
        },
        warning: message => {
            this.close();
            this.log.warning(message);
        }
    };
    waitEnded() {
        this.close();
        this.ended = true;
    }
    close() {
        if (!this.open)
            return;
        this.open = false;
        this.log.endGroup?.();
    }
    enter() {
        if (this.open || !this.log.startGroup)
            return;
        this.open = true;
        const at = `[${clockStamp(this.now() - this.started)}]`;
        this.log.startGroup(this.ended ? `After the wait ${at}` : `Poll ${this.polls + 1} ${at}`);
    }
}

;// CONCATENATED MODULE: ./src/report/timeline.ts


const TIMELINE_JOBS = 20;
const TIMELINE_LABEL_LIMIT = 32;
const LEFT_PADDING = 220;
const ORDER = ['Queued', 'Scheduled', 'Processing', 'Canceling', 'Unknown'];
const STILL = {
    Queued: 'still waiting',
    Scheduled: 'still waiting',
    Processing: 'still running',
    Canceling: 'still canceling',
    Unknown: 'still running',
    Finished: '',
    Error: '',
    Canceled: ''
};
const END_TAGS = {
    Finished: 'milestone, done',
    Error: 'milestone, crit',
    Canceled: 'milestone, crit',
    Queued: '',
    Scheduled: '',
    Processing: '',
    Canceling: '',
    Unknown: ''
};
function mermaidText(text, limit) {
    const plain = serverText(text, limit * 2).replace(/[^\p{L}\p{N}\p{M} .()/+=?!_-]+/gu, ' ');
    return cut(plain.replace(/ {2,}/g, ' ').trim(), limit);
}
function marksOf(v) {
    const job = v.job;
    if (!job)
        return [];
    const seen = v.firstSeen ?? {};
    const given = {
        Queued: job.created?.getTime() ?? seen.Queued,
        Processing: job.startTime?.getTime() ?? seen.Processing
    };
    const marks = ORDER.map(state => ({ state, at: state in given ? given[state] : seen[state] }))
        .filter((m) => known(m.at))
        .sort((a, b) => a.at - b.at);
    const end = isFinal(job.state) ? (job.endTime?.getTime() ?? seen[job.state] ?? v.lastSeen) : undefined;
    if (known(end))
        marks.push({ state: job.state, at: Math.max(end, ...marks.map(m => m.at)) });
    return marks;
}
const known = (at) => at !== undefined && Number.isFinite(at);
const stamp = (ms) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
function jobSection(v, n, until) {
    const marks = marksOf(v);
    const state = v.job.state;
    const title = mermaidText(v.job.name || v.id, TIMELINE_LABEL_LIMIT) || mermaidText(v.id, TIMELINE_LABEL_LIMIT);
    const lines = [`  section ${n}. ${title}`.trimEnd()];
    marks.forEach((m, i) => {
        const from = stamp(m.at);
        if (isFinal(m.state)) {
            lines.push(`  ${m.state} :${END_TAGS[m.state]}, j${n}s${i}, ${from}, ${from}`);
            return;
        }
        const next = marks[i + 1];
        const to = stamp(Math.max(m.at, next?.at ?? v.lastSeen ?? until));
        const label = next ? m.state : `${m.state} (${isFinal(state) ? 'end not given' : STILL[m.state]})`;
        const tag = next ? 'done, ' : isFinal(state) ? '' : 'active, ';
        lines.push(`  ${label} :${tag}j${n}s${i}, ${from}, ${to}`);
    });
    return lines;
}
function timelineSection(views, room) {
    const drawable = views.map((v, i) => ({ v, n: i + 1 })).filter(({ v }) => marksOf(v).length > 0);
    if (drawable.length === 0)
        return [];
    const until = Math.max(...drawable.flatMap(({ v }) => [...marksOf(v).map(m => m.at), v.lastSeen ?? -Infinity]));
    const head = [
        '',
        '**Timeline (UTC)**',
        '',
        '```mermaid',
        '---',
        'config:',
        '  gantt:',
        `    leftPadding: ${LEFT_PADDING}`,
        '---',
        'gantt',
        '  dateFormat YYYY-MM-DD HH:mm:ss.SSS',
        '  axisFormat %H:%M:%S',
        '  todayMarker off'
    ];
    const tail = ['```'];
    const noteRoom = Buffer.byteLength(leftOutNote(999_999, 999_999)) + 2;
    let left = room - bytes(head) - bytes(tail) - noteRoom;
    const sections = [];
    let drawn = 0;
    for (const { v, n } of drawable.slice(0, TIMELINE_JOBS)) {
        const section = jobSection(v, n, until);
        left -= bytes(section);
        if (left < 0)
            break;
        sections.push(...section);
        drawn++;
    }
    if (drawn === 0)
        return [];
    const note = drawn < drawable.length ? ['', leftOutNote(drawn, drawable.length)] : [];
    return [...head, ...sections, ...tail, ...note];
}
function leftOutNote(drawn, of) {
    return `The timeline shows the first ${drawn} of ${of} jobs.`;
}
const bytes = (lines) => lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);

;// CONCATENATED MODULE: ./src/report/summary.ts






const SUMMARY_BYTES = 1_000_000;
const MARK = {
    Finished: '✅ Finished',
    Error: '❌ Error',
    Canceled: '⛔ Canceled',
    Canceling: '⏳ Canceling',
    Processing: '⏳ Processing',
    Queued: '🕓 Queued',
    Scheduled: '🕓 Scheduled',
    NotFound: '❓ Not found',
    Unknown: '❓ Unknown'
};
function inputErrorMarkdown(message) {
    return ['### ❌ Media Services jobs', '', `Invalid input: ${markdownText(message)}`, ''].join('\n');
}
function summaryMarkdown(result, verdictText, origin, limit = SUMMARY_BYTES) {
    const head = [
        `### ${verdictText.ok ? (verdictText.warning ? '⚠️' : '✅') : '❌'} ${markdownText(jobsNoun(origin, result.views.length !== 1))}`,
        '',
        markdownText(verdictText.message),
        '',
        '| Job | Name | State | Progress | Start (UTC) | End (UTC) | Duration | Error |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |'
    ].join('\n');
    let room = limit - Buffer.byteLength(head) - 2 * Buffer.byteLength(omittedNote(999_999, 'job')) - 8;
    const take = (row) => {
        room -= Buffer.byteLength(row) + 1;
        return room >= 0;
    };
    const rows = [];
    for (const v of result.views) {
        const row = summaryRow(v);
        if (!take(row))
            break;
        rows.push(row);
    }
    const omitted = result.views.length - rows.length;
    const jobs = [head, ...rows, ...(omitted ? ['', omittedNote(omitted, 'job')] : [])];
    const assets = assetsSection(assetRecords(result.views), take);
    return [...jobs, ...timelineSection(result.views, room), ...assets, ''].join('\n');
}
const ASSETS_HEAD = [
    '',
    '**Output assets**',
    '',
    '| Job | Asset | Asset id | Storage account | Label |',
    '| --- | --- | --- | --- | --- |'
];
function assetsSection(assets, take) {
    if (assets.length === 0)
        return [];
    if (!take(ASSETS_HEAD.join('\n')))
        return ['', omittedNote(assets.length, 'asset')];
    const rows = [];
    for (const a of assets) {
        const row = `| ${codeCell(a.job)} | ${markdownText(a.name)} | ${a.id ? codeCell(a.id) : ''} | ${markdownText(a.storageAccount ?? '')} | ${markdownText(a.label ?? '')} |`;
        if (!take(row))
            break;
        rows.push(row);
    }
    const omitted = assets.length - rows.length;
    return [...ASSETS_HEAD, ...rows, ...(omitted ? ['', omittedNote(omitted, 'asset')] : [])];
}
function omittedNote(n, what) {
    return `… and ${n} more ${n === 1 ? what : `${what}s`} not shown (the step summary is limited to 1 MiB).`;
}
function summaryRow(v) {
    const r = jobRecord(v);
    const job = v.job;
    const ran = job && ranMs(job);
    const duration = ran !== undefined ? formatDuration(ran) : job?.startTime && !isFinal(job.state) ? 'running' : '';
    return `| ${codeCell(r.id)} | ${markdownText(r.name)} | ${MARK[r.state] ?? r.state}${r.reportedState ? ` ("${markdownText(r.reportedState)}")` : ''} | ${r.progress === null ? '' : `${r.progress}%`} | ${r.startTime ?? ''} | ${r.endTime ?? ''} | ${duration} | ${markdownText(errorsOf(v))} |`;
}
function codeCell(text) {
    const plain = text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
    const fence = '`'.repeat(Math.max(0, ...(plain.match(/`+/g) ?? []).map(run => run.length)) + 1);
    const pad = plain.startsWith('`') || plain.endsWith('`') ? ' ' : '';
    return `${fence}${pad}${plain}${pad}${fence}`;
}

;// CONCATENATED MODULE: ./src/report/verdict.ts






function ranFor(v) {
    const ms = ranMs(v.job);
    return ms ? ` (it ran ${formatDuration(ms)})` : '';
}
function failureTitle(source, origin) {
    switch (source?.kind) {
        case 'entra-id':
        case 'github-oidc':
            return 'Sign-in failed';
        case 'input':
            return 'Invalid input';
        case 'service':
            return `${source.service} request failed`;
        default:
            return `${origin.service} request failed`;
    }
}
function verdict(result, timeoutMs, origin) {
    const n = result.views.length;
    const jobs = n === 1 ? `Job ${label(result.views[0])}` : `${n} jobs`;
    const c = { result, timeoutMs, origin, jobs, took: formatDuration(result.elapsedMs) };
    const v = byOutcome(c);
    const ignored = v.ok ? '' : ignoredEnds(result);
    return ignored ? { ...v, message: `${v.message}${v.message.endsWith('.') ? '' : '.'} ${ignored}` } : v;
}
function byOutcome(c) {
    const { result, origin } = c;
    switch (result.outcome) {
        case 'success':
            return success(c);
        case 'failure':
            return failure(c);
        case 'not-found':
            return notFound(c);
        case 'timeout':
            return timedOut(c);
        case 'canceled':
            return {
                ok: false,
                title: 'Wait canceled',
                message: `The wait was canceled after ${c.took}${lastStates(c)}.`
            };
        default:
            return {
                ok: false,
                title: failureTitle(sourceOf(result.error), origin),
                message: result.error?.message ?? 'unknown error'
            };
    }
}
function ignoredEnds(result) {
    const failed = new Set(result.failed);
    const ignored = result.views.filter(v => !failed.has(v) && (v.job?.state === 'Error' || v.job?.state === 'Canceled'));
    if (!ignored.length)
        return '';
    return `Ignored by fail-on: ${someOf(ignored.map(v => `${label(v)} ended ${v.job.state}`), NAMED_JOBS)}.`;
}
function openJobs(result) {
    return someOf(result.views
        .filter(v => !(v.job && isFinal(v.job.state)))
        .map(v => `${label(v)} (${v.job ? stateText(v.job) : 'not seen yet'})`), NAMED_JOBS);
}
function lastStates({ result }) {
    if (result.views.length === 1)
        return `; last state ${lastStateText(result.views)}`;
    const open = openJobs(result);
    return open ? `, waiting for ${open}` : '';
}
function someJobs(views, pred) {
    return someOf(views.filter(pred).map(label), NAMED_JOBS);
}
function success({ result, jobs, took }) {
    const notFinished = result.views.filter(v => v.job?.state !== 'Finished');
    const tail = notFinished.length
        ? ` (${someOf(notFinished.map(v => `${label(v)}: ${v.job?.state}`), NAMED_JOBS)})`
        : '';
    const unwell = [...new Set(notFinished.map(v => v.job.state))];
    const passes = unwell.length
        ? ` The step passes because fail-on does not include ${unwell.join(' or ')}.`
        : '';
    const already = result.polls === 1;
    const one = result.views[0];
    const message = result.views.length === 1
        ? already
            ? `${jobs} had already ended ${one.job.state} when the wait began${ranFor(one)}.${passes}`
            : `${jobs} ended ${one.job.state} after ${took}.${passes}`
        : already
            ? `${jobs} had already ended when the wait began${tail}.${passes}`
            : `${jobs} ended after ${took}${tail}.${passes}`;
    return { ok: true, title: '', warning: unwell.length > 0, message };
}
function failure({ result, origin }) {
    const job = jobsNoun(origin, false);
    const failed = result.failed;
    const errors = failed
        .slice(0, NAMED_JOBS)
        .filter(v => v.errorDetails.length)
        .map(errorsOf);
    const states = [...new Set(failed.map(v => v.job.state))];
    const title = states.includes('Error')
        ? `${job} failed`
        : states.includes('Canceled')
            ? `${job} canceled`
            : `${job} ended in a fail-on state`;
    const what = someOf(failed.map(v => `${label(v)} ended ${v.job.state === 'Canceled' ? 'Canceled: it was canceled before it finished' : v.job.state}`), NAMED_JOBS, '; ');
    return { ok: false, title, message: `${what}${errors.length ? `. ${errors.join('; ')}` : ''}` };
}
function notFound({ result, origin }) {
    const said = result.views.find(v => !v.job && v.notFoundText)?.notFoundText;
    return {
        ok: false,
        title: `${jobsNoun(origin, false)} not found`,
        message: `job ${someJobs(result.views, v => !v.job)} not found: ${origin.service} did not return it in ${result.polls} polls${said ? ` (it answered ${said})` : ''}. ${origin.notFoundHint}`
    };
}
function timedOut(c) {
    const { result, timeoutMs, origin, jobs, took } = c;
    const limit = formatDuration(timeoutMs);
    const last = result.error ? ` Last request: ${result.error.message}` : '';
    const after = `timed out after ${took}${took === limit ? '' : ` (timeout ${limit})`}`;
    const message = result.views.length === 1
        ? `${after} waiting for ${label(result.views[0])}${lastStates(c)}.${last}`
        : `${after} waiting for ${openJobs(result) || jobs}.${last}`;
    return { ok: false, title: `Timed out waiting for ${origin.service}`, message };
}

;// CONCATENATED MODULE: ./src/report/publish.ts




async function publish(result, timeoutMs, origin, to) {
    for (const [name, value] of Object.entries(outputs(result)))
        to.setOutput(name, value);
    const v = verdict(result, timeoutMs, origin);
    if (result.error && !(result.error instanceof UserError))
        to.log.debug(result.error.stack ?? result.error.message);
    await writeSummary(to, summaryMarkdown(result, v, origin));
    const unfinished = unfinishedOutputsWarning(result.views);
    if (unfinished)
        to.log.warning(unfinished);
    if (v.ok && v.warning)
        to.log.warning(`⚠ ${v.message}`);
    else if (v.ok)
        to.log.info(`✓ ${v.message}`);
    else
        to.fail(v.message, v.title);
}
async function publishInputError(message, to) {
    for (const [name, value] of Object.entries(noJobOutputs()))
        to.setOutput(name, value);
    await writeSummary(to, inputErrorMarkdown(message));
    to.fail(message, 'Invalid input');
}
async function writeSummary(to, markdown) {
    try {
        await to.writeSummary(markdown);
    }
    catch (error) {
        to.log.debug(`No step summary written: ${errorMessage(error)}`);
    }
}

;// CONCATENATED MODULE: ./src/main.ts














async function run(rt = githubRuntime(), apis = JOB_APIS) {
    const settings = await readOrReport(rt, apis);
    if (!settings)
        return;
    settings.warnings.forEach(w => rt.log.warning(w));
    settingLines(settings).forEach(line => rt.log.debug(line));
    const http = rt.createHttp(requestTimeout(settings.wait.timeoutMs));
    let result;
    let source;
    try {
        const { log, now, sleep } = rt;
        const polls = new PollLog(log, now);
        const tokens = createTokenSource(settings.auth, authDeps(http, rt, polls.detail));
        const trustedHosts = settings.jobs.trustedHosts;
        source = settings.jobs.createSource({ http, tokens, log: polls.detail, now, sleep, trustedHosts });
        log.info(introLine(settings.jobs, settings.wait, tokens.description));
        const stop = within(settings.wait.timeoutMs + LAST_POLL_MS, now, canceledByRunner(rt, polls));
        result = await wait(settings, source, stop, rt, polls);
        polls.waitEnded();
        result = await finish(source, result, {
            cancelOnAbort: settings.cancelOnAbort,
            stop: stop.signal,
            log,
            now
        });
        polls.close();
    }
    finally {
        http.dispose();
    }
    rt.log.debug(`${source.requests} ${source.service} requests in ${result.polls} polls; API root ${source.apiRoot}`);
    await publish(result, settings.wait.timeoutMs, settings.jobs.origin, rt);
}
async function readOrReport(rt, apis) {
    try {
        return await readSettings(rt.getInput, { mask: rt.mask, env: rt.env, apis });
    }
    catch (error) {
        await publishInputError(errorMessage(error), rt);
        return undefined;
    }
}
function authDeps(http, rt, log) {
    const getIDToken = (audience, limits) => githubIdToken(http, rt.env, audience, limits);
    return { http, log, mask: rt.mask, getIDToken, now: rt.now, sleep: rt.sleep };
}
function canceledByRunner(rt, polls) {
    const cancel = new AbortController();
    rt.onCancel(() => {
        polls.close();
        if (!cancel.signal.aborted)
            rt.log.info('Cancel requested by the runner: stopping the wait.');
        cancel.abort('canceled');
    });
    return cancel.signal;
}
function wait(settings, source, stop, rt, polls) {
    return waitForJobs({
        ids: settings.jobs.ids,
        source,
        ...settings.wait,
        now: rt.now,
        sleep: rt.sleep,
        signal: stop.signal,
        endBy: stop.endBy,
        onPoll: (views, elapsed) => polls.onPoll(views, elapsed)
    });
}



/***/ })

};
