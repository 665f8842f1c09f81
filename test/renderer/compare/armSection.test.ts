// @vitest-environment happy-dom
/**
 * One arm against the reference, mounted: what changed as `path: from → to`,
 * the random-streams statement, and per VM each delta marked better, worse or
 * within noise by its metric's direction and its interval.
 */
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import CompareArmSection from '../../../src/renderer/src/components/CompareArmSection.vue'
import type { ArmComparison, MetricDelta } from '../../../src/shared/compare'

function delta(key: MetricDelta['key'], reference: number, value: number, ci: [number, number] | null, method: MetricDelta['method']): MetricDelta {
  const d = value - reference
  return { key, reference, value, delta: d, relative_pct: (100 * d) / reference, ci95: ci ? { low: ci[0], high: ci[1] } : null, method, n_reference: 3, n_value: 3 }
}

const comparison: ArmComparison = {
  arm: 'B',
  reference: 'A',
  what_changed: [{ path: 'hosts[h1].hypervisor', kind: 'changed', from: 'esx-3.5', to: 'esx-4.0' }],
  random_streams: { shared: true, common_seeds: [1, 2, 3], note: 'Same seeds 1, 2, 3: … (common random numbers) …' },
  vms: [
    {
      vm: 'db1',
      metrics: [
        delta('throughput_ops_s', 100, 120, [15, 25], 'paired'),
        delta('latency_mean_ms', 10, 10.2, [-0.1, 0.5], 'paired'),
        delta('cpu_hypervisor_pct', 5, 9, [3, 5], 'paired')
      ]
    }
  ],
  vms_removed: [],
  vms_added: ['web2']
}

describe('CompareArmSection', () => {
  const wrapper = mount(CompareArmSection, { props: { comparison, names: { A: 'Old', B: 'New' } } })
  const row = (metric: string) => wrapper.find(`[data-testid="delta-row"][data-metric="${metric}"]`)

  it('says what changed by id and whether the arms share random streams', () => {
    expect(wrapper.find('[data-testid="change"]').text()).toBe('hosts[h1].hypervisor: esx-3.5 → esx-4.0')
    expect(wrapper.find('[data-testid="random-streams"]').attributes('data-shared')).toBe('true')
    expect(wrapper.text()).toContain('Only in B: web2')
  })

  it('marks each delta by its metric’s direction, and as noise when its interval holds zero', () => {
    expect(row('throughput_ops_s').attributes('data-verdict')).toBe('better')
    expect(row('throughput_ops_s').find('[data-testid="delta-rel"]').text()).toBe('+20.0 %')
    expect(row('throughput_ops_s').find('[data-testid="delta-ci"]').text()).toBe('+15.0 … +25.0')
    expect(row('latency_mean_ms').attributes('data-verdict')).toBe('noise')
    expect(row('cpu_hypervisor_pct').attributes('data-verdict')).toBe('worse')
  })
})
