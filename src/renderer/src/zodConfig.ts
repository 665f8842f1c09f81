/**
 * Zod compiles object parsers with `new Function` when it may. The renderer's
 * Content-Security-Policy forbids eval, so tell zod not to even probe (the
 * probe alone would be reported as a CSP violation). Imported first by main.ts.
 */
import { z } from 'zod'

z.config({ jitless: true })
