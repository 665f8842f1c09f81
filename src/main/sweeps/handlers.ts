/** The LabApi calls of sweeps, over the sweep service. */
import type { Handlers } from '../../shared/contract'
import type { SweepService } from './service'

type SweepCall = 'sweeps:start' | 'sweeps:list' | 'sweeps:get' | 'sweeps:cancel' | 'sweeps:resume'

export function sweepHandlers(sweeps: SweepService): Pick<Handlers, SweepCall> {
  return {
    'sweeps:start': ({ text }) => sweeps.start(text),
    'sweeps:list': ({ limit }) => sweeps.list(limit),
    'sweeps:get': ({ sweep_id, vm }) => sweeps.detail(sweep_id, vm),
    'sweeps:cancel': ({ sweep_id }) => sweeps.cancel(sweep_id),
    'sweeps:resume': ({ sweep_id }) => sweeps.resume(sweep_id)
  }
}
