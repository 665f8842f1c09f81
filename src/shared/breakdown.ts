/**
 * The categories of a VM's response time as people see them: a label, a
 * one-line hint and a colour each, in stacking order (useful guest work
 * first, then each cost the virtualization adds, then the time at devices
 * and waiting for them). The app's charts and the reports use the same
 * words and hues, so a category means the same on screen and on paper.
 */
import type { BreakdownKey } from './result'

export interface BreakdownCategory {
  key: BreakdownKey
  label: string
  hint: string
  colour: string
}

export const BREAKDOWN_CATEGORIES: readonly BreakdownCategory[] = [
  { key: 'guest', label: 'Guest work', colour: '#6f9f7a', hint: 'the guest’s own instructions: work bare metal would do too' },
  {
    key: 'vm_exits',
    label: 'VM exits & traps',
    colour: '#e06c75',
    hint: 'what the technique adds per event: traps, VM exits, hidden faults, timer ticks, TLB refills'
  },
  { key: 'page_walks', label: 'Page walks', colour: '#e5c07b', hint: 'extra memory references of shadow or nested page walks' },
  {
    key: 'device_emulation',
    label: 'Device emulation',
    colour: '#c39ac9',
    hint: 'trapped device accesses, notifications and interrupt delivery on the vCPU'
  },
  { key: 'hypervisor_io', label: 'Hypervisor I/O', colour: '#56c2c2', hint: 'the hypervisor’s I/O stack on the host’s cores and the virtual-disk layer' },
  { key: 'device_service', label: 'Device service', colour: '#6f8fd8', hint: 'disks, arrays, links and remote peers serving the request' },
  { key: 'queueing', label: 'Queueing', colour: '#f2a65a', hint: 'waiting for a vCPU, a core, a queue slot, a disk or a link' }
]

const BY_KEY = new Map(BREAKDOWN_CATEGORIES.map((b) => [b.key, b]))

export function breakdownCategory(key: BreakdownKey): BreakdownCategory {
  return BY_KEY.get(key)!
}
