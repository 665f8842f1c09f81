/** Identifiers users give to hosts, VMs, volumes and devices in an experiment. */
import { z } from 'zod'

export const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/

export const idSchema = z
  .string()
  .regex(ID_PATTERN, 'must start with a letter and use letters, digits, ".", "_" or "-" (at most 64)')
