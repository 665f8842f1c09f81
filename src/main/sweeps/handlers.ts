/**
 * The LabApi calls and events of sweeps, over the sweep service. The lab
 * hands them to the services (lab.ts), so the services need not know sweeps:
 * sweeps are built on runs, a layer above them.
 */
import type { EventName, Handlers } from '../../shared/contract'
import type { SweepService } from './service'

export type SweepCall = 'sweeps:start' | 'sweeps:list' | 'sweeps:get' | 'sweeps:cancel' | 'sweeps:resume'

export interface SweepCalls {
  handlers: Pick<Handlers, SweepCall>
  /** `sweep:progress` and `sweep:ended` for every subscriber. */
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void
}

export function sweepCalls(sweeps: SweepService): SweepCalls {
  return {
    handlers: {
      'sweeps:start': ({ text }) => sweeps.start(text),
      'sweeps:list': ({ limit }) => sweeps.list(limit),
      'sweeps:get': ({ sweep_id, vm }) => sweeps.detail(sweep_id, vm),
      'sweeps:cancel': ({ sweep_id }) => sweeps.cancel(sweep_id),
      'sweeps:resume': ({ sweep_id }) => sweeps.resume(sweep_id)
    },
    subscribe: (listener) => sweeps.subscribe((e) => listener(e.type === 'ended' ? 'sweep:ended' : 'sweep:progress', { sweep: e.sweep }))
  }
}
