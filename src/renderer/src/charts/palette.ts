/**
 * Colours shared by charts and tables, so a VM keeps its colour everywhere
 * and a breakdown component always means the same hue.
 */
import type { Breakdown } from '../api/shared'

const VM_COLOURS = [
  '#5aa9e6',
  '#f2a65a',
  '#7bc47f',
  '#e06c75',
  '#c39ac9',
  '#56c2c2',
  '#e5c07b',
  '#9aa5ce',
  '#d19a66',
  '#a3be8c'
] as const

export function vmColour(index: number): string {
  return VM_COLOURS[index % VM_COLOURS.length]!
}

export interface BreakdownPart {
  key: keyof Breakdown
  label: string
  colour: string
  hint: string
}

/** The overhead breakdown in stacking order: useful guest work first, then each cost. */
export const BREAKDOWN_PARTS: readonly BreakdownPart[] = [
  { key: 'guest', label: 'Guest', colour: '#6f9f7a', hint: 'time spent running the guest’s own instructions' },
  { key: 'vm_exits', label: 'VM exits', colour: '#e06c75', hint: 'round trips into the hypervisor (traps, exits)' },
  { key: 'page_walks', label: 'Page walks', colour: '#e5c07b', hint: 'extra memory references of shadow or nested paging' },
  { key: 'device_emulation', label: 'Device emulation', colour: '#c39ac9', hint: 'emulated or paravirtual device round trips' },
  { key: 'hypervisor_io', label: 'Hypervisor I/O', colour: '#56c2c2', hint: 'the hypervisor’s own I/O stack' },
  {
    key: 'queueing',
    label: 'Queueing & devices',
    colour: '#f2a65a',
    hint: 'waiting for a vCPU or core, and time at disks, arrays, links and remote peers (their service included)'
  }
]

export const CHART_THEME = {
  axis: '#8b95a3',
  grid: 'rgba(255, 255, 255, 0.06)',
  font: '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
} as const
