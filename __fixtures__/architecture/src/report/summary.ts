import { lines } from './lines.js'

export const summary = (): string => `${typeof lines}`
