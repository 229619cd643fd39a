// Breaks no-bundle-stubs: tsconfig paths would hand this the stub, which throws.
import { ProxyAgent } from 'undici'

export const agent = (): unknown => new ProxyAgent()
