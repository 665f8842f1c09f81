/**
 * Which baseline simulations a run needs. A baseline (a VM alone on bare
 * metal, or alone under its hypervisor) depends only on what that VM sees:
 * its host's hardware and hypervisor, its own configuration and workload, and
 * the devices its disks end on. VMs that see the same — sixteen identical
 * database VMs on identical hosts — share one baseline instead of simulating
 * it sixteen times. The key never looks at ids, so renaming changes nothing.
 */
import type { Experiment } from '../../shared/experiment/schema'
import { regionKey, type Region } from './regions'

/** A canonical description of everything a VM's baseline depends on. */
export function baselineKey(exp: Experiment, vmId: string, alone: boolean, regions: Map<string, Region>): string {
  const vm = exp.vms.find((v) => v.id === vmId)
  if (!vm) throw new Error(`no VM "${vmId}"`)
  const host = exp.hosts.find((h) => h.id === vm.host)
  if (!host) throw new Error(`VM "${vmId}": no host "${vm.host}"`)
  const { id: _hostId, ...hostSpec } = host
  const target = (on: string, model: string, disk: number): unknown => {
    const volume = model === 'passthrough' ? undefined : exp.volumes.find((v) => v.id === on)
    const device = volume ? volume.on : on
    const [owner, part] = device.split('/') as [string, string]
    const local = exp.hosts.find((h) => h.id === owner)?.disks.find((d) => d.id === part)
    const region = regions.get(regionKey(vm.id, disk))
    if (local) {
      const { id: _diskId, ...diskSpec } = local
      return { volume: volume?.kind, disk: diskSpec, region }
    }
    const array = exp.arrays.find((a) => a.id === owner)
    if (!array) return { device }
    const { id: _arrayId, luns, paths, ...arraySpec } = array
    const via = paths.find((p) => p.host === vm.host)?.via
    // On a Cluster Shared Volume, whether the VM's host is the coordinator changes what an allocation costs.
    const coordinatorHere = volume?.kind === 'csv' ? (volume.coordinator ?? volume.hosts?.[0]) === vm.host : undefined
    return { volume: volume?.kind, array: arraySpec, lun: luns.find((l) => l.id === part)?.gb, via, coordinatorHere }
  }
  const { id: _vmId, host: _host, ...vmSpec } = vm
  const own = exp.events.filter((e) => 'vm' in e && e.vm === vm.id && (e.do === 'start' || e.do === 'stop')).map((e) => [e.at_s, e.do])
  return JSON.stringify({
    alone,
    host: hostSpec,
    vm: { ...vmSpec, disks: vm.disks.map((d, i) => ({ ...d, on: target(d.on, d.model, i) })) },
    events: own
  })
}
